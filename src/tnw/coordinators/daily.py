"""The daily run's reminders of the coordinator register (circular II 2.1): to the
coordinator and the managers of their mutuality, 90, 30 and 7 days before the next deadline
(the end of the grace period for the exam, or 31 December of a year still short of intervision
moments), and once when the qualification has lapsed, in the recipient's language with Belgian
dates and an absolute link (tnw.notifications.texts). Each under a unique outbox key, so a
second run the same day (or a day without a run caught up later) queues nothing twice:

    register:{coordinator}:{deadline}:{stage}:{recipient}     stage 90, 30 or 7
    register:{coordinator}:lapsed:{reasons}:{year}:{recipient}
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.coordinators.models import RegisterEntry
from tnw.coordinators.selectors import status_of_entry
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft
from tnw.notifications.texts import absolute, be_date, languages_of

STAGES = (7, 30, 90)  # days before the deadline; the first reminder at 90 (the manager's horizon)
REASON_TEXT = {
    "diploma_not_level_b": gettext_lazy("no diploma giving access to federal level B"),
    "exam_not_passed_in_term": gettext_lazy(
        "the RIZIV Disability Management exam was not passed in the term"
    ),
    "intervision_short": gettext_lazy("too few RIZIV intervision moments attended last year"),
}


def _managers() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    managers = User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    for manager in managers.order_by("pk"):
        found[manager.mutuality_id].append(manager)
    return found


def _due(entry: RegisterEntry, today: date) -> tuple[str, dict[str, Any]] | None:
    """(key part, what the reminder says) of the reminder due today for this entry, or None."""
    status = status_of_entry(entry, today)
    name = entry.coordinator.get_full_name() or entry.coordinator.username
    if status.status == "lapsed":
        key = f"lapsed:{'+'.join(status.reasons)}:{today.year}"
        return key, {"lapsed": True, "name": name, "on": today, "reasons": status.reasons}
    deadline = status.next_deadline
    if deadline is None or not 0 <= (deadline - today).days <= STAGES[-1]:
        return None
    stage = min(s for s in STAGES if (deadline - today).days <= s)
    facts = {"lapsed": False, "name": name, "on": deadline, "exam": status.status == "grace"}
    return f"{deadline}:{stage}", facts


def _texts(facts: dict[str, Any], link: str) -> tuple[str, str]:
    """Subject and body in the active language (the recipient's)."""
    values = {"name": facts["name"], "on": be_date(facts["on"]), "link": link}
    if facts["lapsed"]:
        values["why"] = "; ".join(str(REASON_TEXT[r]) for r in facts["reasons"])
        subject = _("TNW coordinator register: the qualification of %(name)s has lapsed")
        body = _(
            "The qualification of %(name)s as TNW coordinator has lapsed on %(on)s (circular "
            "II 2.1): %(why)s.\nNo new dossiers can be assigned to them until it is restored, "
            "unless an administrator allows a temporary exception.\n%(link)s\n"
        )
    elif facts["exam"]:
        subject = _("TNW coordinator register: %(name)s has until %(on)s for the exam")
        body = _(
            "%(name)s must pass the RIZIV Disability Management exam by %(on)s to stay "
            "qualified as TNW coordinator (circular II 2.1). Record it in the coordinator "
            "register when done.\n%(link)s\n"
        )
    else:
        subject = _("TNW coordinator register: %(name)s has until %(on)s for the intervision")
        body = _(
            "%(name)s must attend the RIZIV intervision moments of this year by %(on)s to stay "
            "qualified as TNW coordinator (circular II 2.1). Record them in the coordinator "
            "register when done.\n%(link)s\n"
        )
    return subject % values, body % values


def _drafts(entry: RegisterEntry, part: str, facts: dict[str, Any], to: list[User]) -> list[Draft]:
    languages = languages_of(u.pk for u in to)
    drafts = []
    for user in to:
        # The manager keeps the register; the coordinator finds their worklist.
        path = reverse("coordinators:register", args=[entry.coordinator_id]) if (
            user.role == Role.MANAGER
        ) else reverse("web:home")  # fmt: skip
        with translation.override(languages[user.pk]):
            subject, body = _texts(facts, absolute(path))
        drafts.append(Draft(
            key=f"register:{entry.coordinator_id}:{part}:{user.pk}", kind=Kind.REGISTER,
            to=user.email, subject=subject, body=body, user_id=user.pk,
        ))  # fmt: skip
    return drafts


def reminder_drafts(today: date) -> list[Draft]:
    """The register's reminders due today (see the module docstring), each in the language of
    its recipient (tnw.notifications.texts)."""
    managers = _managers()
    entries = (
        RegisterEntry.objects.filter(coordinator__is_active=True, started_on__lte=today)
        .select_related("coordinator")
        .prefetch_related("exams", "activities")
        .order_by("pk")
    )
    drafts = []
    for entry in entries:
        due = _due(entry, today)
        if due is None:
            continue
        coordinator = entry.coordinator
        recipients = [coordinator] if coordinator.email else []
        recipients += managers.get(coordinator.mutuality_id, [])
        drafts.extend(_drafts(entry, due[0], due[1], recipients))
    return drafts
