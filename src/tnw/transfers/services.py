"""Moving a person's dossier to another mutuality at a date: the dossier's service moves it
(nothing rewritten, assignments ended), this one records the move, audits it and tells the new
mutuality's managers (outbox), all in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role
from tnw.audit.services import audit_write, snapshot
from tnw.dossier import services as dossier
from tnw.dossier.access import access_person_by_id
from tnw.mutualities.models import Mutuality
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft, queue
from tnw.notifications.texts import absolute, be_date, languages_of
from tnw.transfers.models import MutualityTransfer

FIELDS = ("person_id", "from_mutuality_id", "to_mutuality_id", "on", "reason",
          "episodes_unassigned")  # fmt: skip


def _notice(transfer: MutualityTransfer, to: Mutuality, manager: User, language: str) -> Draft:
    """The new mutuality's manager is told, in their language, with the date as a Belgian
    reader writes it and a link to the list of moves that works from a mail client."""
    values = {
        "number": f"TNW-{transfer.person_id}", "to": to.name, "on": be_date(transfer.on),
        "n": len(transfer.episodes_unassigned), "link": absolute(reverse("transfers:list")),
    }  # fmt: skip
    with translation.override(language):
        subject = _("TNW: dossier %(number)s moved to %(to)s") % values
        body = (
            ngettext(
                "The TNW dossier %(number)s moved to %(to)s on %(on)s (change of mutuality). "
                "%(n)d incapacity episode needs a coordinator and an advising physician of your "
                "mutuality.\n%(link)s\n",
                "The TNW dossier %(number)s moved to %(to)s on %(on)s (change of mutuality). "
                "%(n)d incapacity episodes need a coordinator and an advising physician of your "
                "mutuality.\n%(link)s\n",
                values["n"],
            )
            % values
        )
    return Draft(
        key=f"transfer:{transfer.pk}:{manager.pk}", kind=Kind.ITEM, to=manager.email,
        subject=subject, body=body, user_id=manager.pk,
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
    managers = list(
        User.objects.filter(role=Role.MANAGER, mutuality=to, is_active=True)
        .exclude(email="").order_by("pk")
    )  # fmt: skip
    languages = languages_of(m.pk for m in managers)
    queue([_notice(record, to, m, languages[m.pk]) for m in managers])
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
