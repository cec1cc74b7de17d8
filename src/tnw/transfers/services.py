"""Moving a person's dossier to another mutuality at a date: the dossier's service moves it
(nothing rewritten, assignments ended), this one records the move, audits it and tells the new
mutuality's managers (outbox), all in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role
from tnw.audit.services import audit_write, snapshot
from tnw.dossier import services as dossier
from tnw.dossier.access import access_person_by_id
from tnw.mutualities.models import Mutuality
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft, queue
from tnw.transfers.models import MutualityTransfer

FIELDS = ("person_id", "from_mutuality_id", "to_mutuality_id", "on", "reason",
          "episodes_unassigned")  # fmt: skip


def _notice(transfer: MutualityTransfer, to: Mutuality, manager: User) -> Draft:
    return Draft(
        key=f"transfer:{transfer.pk}:{manager.pk}", kind=Kind.ITEM, to=manager.email,
        subject=f"TNW: dossier TNW-{transfer.person_id} moved to {to.name}",
        body=(
            f"The TNW dossier TNW-{transfer.person_id} moved to {to.name} on {transfer.on} "
            f"(change of mutuality). {len(transfer.episodes_unassigned)} incapacity episode(s) "
            "need a coordinator and an advising physician of your mutuality.\n"
        ),
        user_id=manager.pk,
    )  # fmt: skip


@transaction.atomic
def transfer(
    *, user: User, person_id: int, to_code: str, on: date, reason: str, today: date,
    channel: str = "service",
) -> MutualityTransfer:  # fmt: skip
    """Move the person's dossier to the mutuality `to_code` on `on` (ValidationError with the
    reason otherwise; nothing is stored)."""
    to = Mutuality.objects.filter(code=to_code).first()
    if to is None:
        raise ValidationError(f"no mutuality with code {to_code}", code="mutuality")
    if len(reason.strip()) < 10:
        raise ValidationError("give the reason in at least 10 characters", code="reason")
    person = access_person_by_id(
        user=user, person_id=person_id, caps=(Cap.EDIT_PERSON,), what=None, channel=channel
    )
    from_id = person.mutuality_id
    person, unassigned = dossier.move_to_mutuality(
        user=user, person_id=person_id, expected_version=person.version,
        to_mutuality_id=to.pk, on=on, today=today, channel=channel,
    )  # fmt: skip
    record = MutualityTransfer.objects.create(
        person_id=person.pk, from_mutuality_id=from_id, to_mutuality=to, on=on,
        reason=reason.strip(), episodes_unassigned=unassigned, by=user,
    )  # fmt: skip
    audit_write(
        actor=user, action="create", obj=record, before=None, after=snapshot(record, FIELDS),
        channel=channel, person_id=person.pk,
    )  # fmt: skip
    managers = User.objects.filter(role=Role.MANAGER, mutuality=to, is_active=True)
    queue([_notice(record, to, m) for m in managers.exclude(email="").order_by("pk")])
    return record


def transfers_of(*, user: User) -> list[MutualityTransfer]:
    """The moves out of and into the manager's mutuality (dossier numbers and dates only)."""
    if user.role != Role.MANAGER or user.mutuality_id is None:
        return []
    return list(
        MutualityTransfer.objects.filter(
            Q(from_mutuality_id=user.mutuality_id) | Q(to_mutuality_id=user.mutuality_id)
        ).select_related("from_mutuality", "to_mutuality")
    )
