"""Writes to the coordinator register: by the coordinator's manager or an administrator, each
audited, each in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.audit.services import audit_write, snapshot
from tnw.coordinators.models import ExamAttempt, IntervisionActivity, RegisterEntry

SERVICE = "service"
ENTRY_FIELDS = ("coordinator_id", "diploma_level_b", "started_on")


def _check_actor(actor: User, coordinator: User) -> None:
    if actor.role == Role.ADMIN:
        return
    if actor.role != Role.MANAGER or actor.mutuality_id != coordinator.mutuality_id:
        raise PermissionDenied(_("Only the coordinator's manager or an administrator may do this."))


@transaction.atomic
def record_coordinator(
    *,
    actor: User,
    coordinator: User,
    diploma_level_b: bool,
    started_on: date,
    channel: str = SERVICE,
) -> RegisterEntry:
    """Create or update a coordinator's register entry (diploma level, start of the function)."""
    _check_actor(actor, coordinator)
    if coordinator.role != Role.COORDINATOR:
        raise ValidationError(_("%(user)s is not a TNW coordinator.") % {"user": coordinator})
    entry = RegisterEntry.objects.select_for_update().filter(coordinator=coordinator).first()
    before = snapshot(entry, ENTRY_FIELDS) if entry else None
    if entry is None:
        entry = RegisterEntry(coordinator=coordinator)
    else:
        entry.version += 1
    entry.diploma_level_b = diploma_level_b
    entry.started_on = started_on
    entry.save()
    audit_write(
        actor=actor, action="update" if before else "create", obj=entry, before=before,
        after=snapshot(entry, ENTRY_FIELDS), channel=channel,
    )  # fmt: skip
    return entry


def _entry(actor: User, coordinator: User) -> RegisterEntry:
    _check_actor(actor, coordinator)
    entry = RegisterEntry.objects.filter(coordinator=coordinator).first()
    if entry is None:
        raise ValidationError(
            _("%(user)s is not in the coordinator register.") % {"user": coordinator}
        )
    return entry


@transaction.atomic
def record_exam(
    *, actor: User, coordinator: User, on: date, passed: bool, channel: str = SERVICE
) -> ExamAttempt:
    """Register an attempt at the RIZIV "Disability Management" exam and its result."""
    attempt = ExamAttempt.objects.create(entry=_entry(actor, coordinator), on=on, passed=passed)
    audit_write(
        actor=actor, action="create", obj=attempt, before=None,
        after=snapshot(attempt, ("entry_id", "on", "passed")), channel=channel,
    )  # fmt: skip
    return attempt


@transaction.atomic
def record_intervision(
    *,
    actor: User,
    coordinator: User,
    on: date,
    minutes: int,
    riziv_reference: str = "",
    recognised: bool = True,
    channel: str = SERVICE,
) -> IntervisionActivity:
    """Register an RIZIV activity the coordinator attended (date, duration, reference)."""
    if minutes <= 0:
        raise ValidationError(
            _("The duration of an activity must be a positive number of minutes.")
        )
    activity = IntervisionActivity.objects.create(
        entry=_entry(actor, coordinator), on=on, minutes=minutes,
        riziv_reference=riziv_reference, recognised=recognised,
    )  # fmt: skip
    audit_write(
        actor=actor, action="create", obj=activity, before=None,
        after=snapshot(activity, ("entry_id", "on", "minutes", "riziv_reference", "recognised")),
        channel=channel,
    )  # fmt: skip
    return activity
