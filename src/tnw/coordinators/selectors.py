"""Reads of the coordinator register: the status on a date, computed by the dated rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.coordinators.models import AssignmentOverride, RegisterEntry
from tnw.dossier.timelines import coordinator_rule as rule


def coordinator_status(*, coordinator: User, on: date) -> rule.CoordinatorStatus | None:
    """The coordinator's status on `on` (II 2.1), or None when not in the register."""
    entry = RegisterEntry.objects.filter(coordinator=coordinator).first()
    if entry is None or on < entry.started_on:
        return None
    return status_of_entry(entry, on)


def status_of_entry(entry: RegisterEntry, on: date) -> rule.CoordinatorStatus:
    """The status of a register entry (exams and activities prefetched or not) on `on`."""
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
        status = status_of_entry(entry, on)
        soon = status.next_deadline is not None and status.next_deadline <= horizon
        found.append((entry.coordinator, status, soon))
    return found


def active_override(*, coordinator: User, on: date) -> AssignmentOverride | None:
    """The administrator's permission in force on `on` to assign despite a lapse, if any."""
    return (
        AssignmentOverride.objects.filter(
            coordinator=coordinator,
            valid_from__lte=on,
            valid_until__gte=on,
            revoked_at__isnull=True,
        )
        .order_by("-valid_until", "-pk")
        .first()
    )


@dataclass(frozen=True)
class TeamRow:
    """One coordinator on the manager's screen; `status` None: not in the register."""

    coordinator: User
    status: rule.CoordinatorStatus | None
    due_soon: bool
    override: AssignmentOverride | None


def team_overview(*, user: User, on: date, within_days: int = 90) -> list[TeamRow]:
    """Every active coordinator of the manager's mutuality, with their status on `on`,
    whether their next deadline falls within `within_days`, and the administrator's exception
    in force. Only the mutuality's manager reads it."""
    if user.role != Role.MANAGER or user.mutuality_id is None:
        raise PermissionDenied("only a manager sees the coordinator register")
    registered = {
        c.pk: (status, soon)
        for c, status, soon in team_status(
            mutuality_id=user.mutuality_id, on=on, within_days=within_days
        )
    }
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, mutuality_id=user.mutuality_id, is_active=True
    ).order_by("last_name", "first_name", "username")
    rows = []
    for coordinator in coordinators:
        status, soon = registered.get(coordinator.pk, (None, False))
        override = active_override(coordinator=coordinator, on=on)
        rows.append(TeamRow(coordinator, status, soon, override))
    return rows


def register_of(*, user: User, coordinator_id: int) -> tuple[User, RegisterEntry | None]:
    """A coordinator of the manager's mutuality and their register entry (with the exams and
    activities), or PermissionDenied/User.DoesNotExist."""
    if user.role != Role.MANAGER or user.mutuality_id is None:
        raise PermissionDenied("only a manager sees the coordinator register")
    coordinator = User.objects.get(
        pk=coordinator_id, role=Role.COORDINATOR, mutuality_id=user.mutuality_id
    )
    entry = (
        RegisterEntry.objects.filter(coordinator=coordinator)
        .prefetch_related("exams", "activities")
        .first()
    )
    return coordinator, entry
