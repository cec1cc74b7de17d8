"""Reads of the coordinator register: the status on a date, computed by the dated rule."""

from __future__ import annotations

from datetime import date, timedelta

from tnw.accounts.models import User
from tnw.coordinators.models import RegisterEntry
from tnw.dossier.timelines import coordinator_rule as rule


def coordinator_status(*, coordinator: User, on: date) -> rule.CoordinatorStatus | None:
    """The coordinator's status on `on` (II 2.1), or None when not in the register."""
    entry = RegisterEntry.objects.filter(coordinator=coordinator).first()
    if entry is None or on < entry.started_on:
        return None
    return _status(entry, on)


def _status(entry: RegisterEntry, on: date) -> rule.CoordinatorStatus:
    return rule.coordinator_status(
        on=on,
        diploma_level_b=entry.diploma_level_b,
        started_on=entry.started_on,
        exams=[rule.ExamAttempt(e.on, e.passed) for e in entry.exams.all()],
        activities=[
            rule.IntervisionActivity(a.on, a.minutes, a.riziv_reference, a.recognised)
            for a in entry.activities.all()
        ],
    )


def team_status(
    *, mutuality_id: int, on: date, within_days: int = 90
) -> list[tuple[User, rule.CoordinatorStatus, bool]]:
    """Each registered coordinator of the mutuality with their status, and whether their next
    deadline falls within `within_days` of `on` (the manager's list)."""
    entries = (
        RegisterEntry.objects.filter(coordinator__mutuality_id=mutuality_id, started_on__lte=on)
        .select_related("coordinator")
        .prefetch_related("exams", "activities")
        .order_by("coordinator__username")
    )
    horizon = on + timedelta(days=within_days)
    found = []
    for entry in entries:
        status = _status(entry, on)
        soon = status.next_deadline is not None and status.next_deadline <= horizon
        found.append((entry.coordinator, status, soon))
    return found
