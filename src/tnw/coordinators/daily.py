"""The daily run's reminders of the coordinator register (circular II 2.1): to the
coordinator and the managers of their mutuality, 90, 30 and 7 days before the next deadline
(the end of the grace period for the exam, or 31 December of a year still short of intervision
moments), and once when the qualification has lapsed. Each under a unique outbox key, so a
second run the same day (or a day without a run caught up later) queues nothing twice:

    register:{coordinator}:{deadline}:{stage}:{recipient}     stage 90, 30 or 7
    register:{coordinator}:lapsed:{reasons}:{year}:{recipient}
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.coordinators.models import RegisterEntry
from tnw.coordinators.selectors import status_of_entry
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft

STAGES = (7, 30, 90)  # days before the deadline; the first reminder at 90 (the manager's horizon)
REASON_TEXT = {
    "diploma_not_level_b": "no diploma giving access to federal level B",
    "exam_not_passed_in_term": "the RIZIV Disability Management exam was not passed in the term",
    "intervision_short": "too few RIZIV intervision moments attended last year",
}


def _managers() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    managers = User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    for manager in managers.order_by("pk"):
        found[manager.mutuality_id].append(manager)
    return found


def _message(entry: RegisterEntry, today: date) -> tuple[str, str, str] | None:
    """(key part, subject, body) of the reminder due today for this entry, or None."""
    status = status_of_entry(entry, today)
    name = entry.coordinator.get_full_name() or entry.coordinator.username
    if status.status == "lapsed":
        why = "; ".join(REASON_TEXT[r] for r in status.reasons)
        key = f"lapsed:{'+'.join(status.reasons)}:{today.year}"
        subject = f"TNW coordinator register: the qualification of {name} has lapsed"
        body = (
            f"The qualification of {name} as TNW coordinator has lapsed on {today} "
            f"(circular II 2.1): {why}.\nNo new dossiers can be assigned to them until it is "
            "restored, unless an administrator allows a temporary exception.\n"
        )
        return key, subject, body
    deadline = status.next_deadline
    if deadline is None or not 0 <= (deadline - today).days <= STAGES[-1]:
        return None
    stage = min(s for s in STAGES if (deadline - today).days <= s)
    what = "the Disability Management exam" if status.status == "grace" else (
        "the intervision moments of this year"
    )  # fmt: skip
    subject = f"TNW coordinator register: {name} has until {deadline} for {what}"
    body = (
        f"{name} must complete {what} by {deadline} to stay qualified as TNW coordinator "
        "(circular II 2.1). Record it in the coordinator register when done.\n"
    )
    return f"{deadline}:{stage}", subject, body


def reminder_drafts(today: date) -> list[Draft]:
    """The register's reminders due today (see the module docstring)."""
    managers = _managers()
    entries = (
        RegisterEntry.objects.filter(coordinator__is_active=True, started_on__lte=today)
        .select_related("coordinator")
        .prefetch_related("exams", "activities")
        .order_by("pk")
    )
    drafts = []
    for entry in entries:
        message = _message(entry, today)
        if message is None:
            continue
        part, subject, body = message
        coordinator = entry.coordinator
        recipients = [coordinator] if coordinator.email else []
        recipients += managers.get(coordinator.mutuality_id, [])
        drafts.extend(
            Draft(
                key=f"register:{coordinator.pk}:{part}:{to.pk}",
                kind=Kind.REGISTER,
                to=to.email,
                subject=subject,
                body=body,
                user_id=to.pk,
            )
            for to in recipients
        )
    return drafts
