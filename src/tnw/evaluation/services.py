"""Registering a contact of the multidisciplinary team in the incapacity-evaluation domain.

Who: the advising physician and the team's non-physicians, every kind; a TNW coordinator who
also works in the team (`User.mdt_non_physician`) only preparatory contacts (circular VII,
`tnw.accounts.roles.evaluation_contact_kinds`). The episode is reached through the dossier's
door (role, mutuality); the contact and its audit entry are stored in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, evaluation_contact_kinds
from tnw.audit.services import audit_write, snapshot
from tnw.dossier.access import access_episode_by_id
from tnw.evaluation.models import ContactKind, EvaluationContact, Mode

FIELDS = ("episode_id", "person_id", "kind", "on", "mode", "note", "registered_by_id")


class RoleLimit(PermissionDenied):
    """Circular VII: this kind of contact is not allowed for a coordinator in the team."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(
            _(
                "As a TNW coordinator who also works in the multidisciplinary team, you may "
                "register only preparatory contacts in the incapacity-evaluation domain: no "
                "contacts for the extension of invalidity and no interim contacts (circular "
                "VII)."
            )
        )


@transaction.atomic
def register_contact(
    *,
    user: User,
    episode_id: int,
    kind: str,
    on: date,
    mode: str,
    note: str = "",
    today: date,
    channel: str = "service",
) -> EvaluationContact:
    """Register one contact; RoleLimit (VII), PermissionDenied, NotFound or ValidationError
    (in the user's language) otherwise, and nothing is stored."""
    episode, access = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.REGISTER_EVALUATION_CONTACT,), what=None,
        channel=channel,
    )  # fmt: skip
    if kind not in ContactKind.values or mode not in Mode.values:
        raise ValidationError(_("Choose a kind of contact and a mode from the list."))
    if kind not in evaluation_contact_kinds(user):
        raise RoleLimit(kind)
    if on > today or on < episode.start:
        raise ValidationError(
            _("The contact falls between the start of the incapacity and today."), code="on"
        )
    contact = EvaluationContact.objects.create(
        episode_id=episode.pk, person_id=episode.person_id, kind=kind, on=on, mode=mode,
        note=note.strip(), registered_by=user,
    )  # fmt: skip
    audit_write(
        actor=user, action="create", obj=contact, before=None,
        after=snapshot(contact, FIELDS), channel=access.channel(channel),
        person_id=episode.person_id,
    )  # fmt: skip
    return contact
