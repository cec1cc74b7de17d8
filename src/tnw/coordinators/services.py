"""Writes to the coordinator register: by the coordinator's manager or an administrator, each
audited, each in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.audit.services import audit_write, snapshot
from tnw.coordinators.models import (
    AssignmentOverride,
    ExamAttempt,
    IntervisionActivity,
    RegisterEntry,
)

SERVICE = "service"
ENTRY_FIELDS = ("coordinator_id", "diploma_level_b", "started_on")
OVERRIDE_FIELDS = (
    "coordinator_id", "reason", "valid_from", "valid_until", "granted_by_id", "revoked_at",
    "revoked_by_id",
)  # fmt: skip
# An exception to the lapse is temporary [I]: at most 90 days, the manager's horizon, after
# which the administrator grants a new one with a new reason if it is still needed.
OVERRIDE_MAX_DAYS = 90
REASON_MIN, REASON_MAX = 10, 1000


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


def _check_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator may allow this exception."))


@transaction.atomic
def grant_override(
    *,
    actor: User,
    coordinator: User,
    reason: str,
    valid_until: date,
    today: date,
    channel: str = SERVICE,
) -> AssignmentOverride:
    """Allow assigning dossiers to `coordinator` despite a lapsed qualification, from `today`
    to `valid_until` (at most OVERRIDE_MAX_DAYS), for `reason`. Audited."""
    _check_admin(actor)
    check_override(coordinator=coordinator, reason=reason, valid_until=valid_until, today=today)
    override = AssignmentOverride.objects.create(
        coordinator=coordinator, reason=reason.strip(), valid_from=today,
        valid_until=valid_until, granted_by=actor,
    )  # fmt: skip
    audit_write(
        actor=actor, action="create", obj=override, before=None,
        after=snapshot(override, OVERRIDE_FIELDS), channel=channel,
    )  # fmt: skip
    return override


def check_override(*, coordinator: User, reason: str, valid_until: date, today: date) -> None:
    """ValidationError (in the user's language) unless the exception can be granted."""
    if coordinator.role != Role.COORDINATOR:
        raise ValidationError(_("%(user)s is not a TNW coordinator.") % {"user": coordinator})
    if not REASON_MIN <= len(reason.strip()) <= REASON_MAX:
        raise ValidationError(
            _("Give the reason in %(min)d to %(max)d characters.")
            % {"min": REASON_MIN, "max": REASON_MAX},
            code="reason",
        )
    if not today <= valid_until <= today + timedelta(days=OVERRIDE_MAX_DAYS):
        raise ValidationError(
            _("The exception ends between today and %(days)d days from today.")
            % {"days": OVERRIDE_MAX_DAYS},
            code="valid_until",
        )


@transaction.atomic
def revoke_override(*, actor: User, override_id: int, channel: str = SERVICE) -> AssignmentOverride:
    """End an exception now (the assignments made under it stay). Audited."""
    _check_admin(actor)
    override = AssignmentOverride.objects.select_for_update().get(pk=override_id)
    if override.revoked_at is not None:
        return override
    before = snapshot(override, OVERRIDE_FIELDS)
    override.revoked_at = timezone.now()
    override.revoked_by = actor
    override.save(update_fields=["revoked_at", "revoked_by"])
    audit_write(
        actor=actor, action="update", obj=override, before=before,
        after=snapshot(override, OVERRIDE_FIELDS), channel=channel,
    )  # fmt: skip
    return override
