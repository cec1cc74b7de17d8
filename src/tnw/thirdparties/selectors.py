"""Reads of an episode's third parties, consents and consultations: through the dossier's
door (the advising physician and the coordinator of the person's mutuality), audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from tnw.accounts.models import User
from tnw.accounts.roles import Cap
from tnw.audit.services import audit_read
from tnw.dossier.access import access_episode_by_id
from tnw.thirdparties.models import Consultation, Party, PartyConsent
from tnw.thirdparties.services import parties_for


def overview(*, user: User, episode_id: int, channel: str = "selector") -> dict[str, Any]:
    """The episode's header, the parties that may be named for its person, the consents (with
    their withdrawal) and the consultations."""
    episode, _ = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_CONSENTS,),
        what="third parties, consents and consultations", channel=channel,
    )  # fmt: skip
    return {
        "episode": {
            "id": episode.pk, "person_id": episode.person_id, "start": episode.start,
            "person_name": f"{episode.person.first_name} {episode.person.last_name}",
        },
        "parties": list(Party.objects.filter(parties_for(episode))),
        "consents": list(PartyConsent.objects.filter(episode_id=episode.pk).select_related(
            "party")),
        "consultations": list(Consultation.objects.filter(episode_id=episode.pk).select_related(
            "party", "registered_by")),
    }  # fmt: skip


def _in_force(episode_id: int, on: date) -> list[dict[str, Any]]:
    consents = PartyConsent.objects.filter(episode_id=episode_id, given_on__lte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    )
    return [
        {"person_id": c.person_id, "name": c.party.name, "name_fr": c.party.name_fr,
         "name_de": c.party.name_de, "kind": c.party.kind, "purposes": list(c.purposes),
         "given_on": c.given_on, "form_reference": c.form_reference}
        for c in consents.select_related("party").order_by("given_on", "pk")
    ]  # fmt: skip


def consented_parties(
    *, user: User | None, episode_id: int, on: date, channel: str = "selector"
) -> list[dict[str, Any]]:
    """The parties the person's consent covers on `on`, with the purposes (circular II 2.2.1;
    the consent form, Annex III, names them). A user reads through the dossier's door; the
    system (a letter without a user) reads them audited under its channel."""
    if user is not None:
        access_episode_by_id(
            user=user, episode_id=episode_id, caps=(Cap.VIEW_CONSENTS,),
            what="consented third parties", channel=channel,
        )  # fmt: skip
    found = _in_force(episode_id, on)
    if user is None and found:
        audit_read(actor=None, person_id=found[0]["person_id"],
                   what="consented third parties", channel=channel)  # fmt: skip
    return [{k: v for k, v in row.items() if k != "person_id"} for row in found]


def letter_parties(
    *, user: User | None, episode_id: int, on: date, channel: str
) -> dict[str, list[dict[str, Any]]]:
    """What a letter says of the third parties: the consents in force on `on` (Annex III), and
    for the person's copy of the dossier (GDPR art. 15.1.c, the recipients) every consultation
    until `on`: date, party, purpose and what was shared (never the note)."""
    parties = consented_parties(user=user, episode_id=episode_id, on=on, channel=channel)
    consultations = [
        {"on": c.on, "name": c.party.name, "name_fr": c.party.name_fr,
         "name_de": c.party.name_de, "kind": c.party.kind, "purpose": c.purpose,
         "shared": list(c.shared)}
        for c in Consultation.objects.filter(episode_id=episode_id, on__lte=on)
        .select_related("party").order_by("on", "pk")
    ]  # fmt: skip
    return {"third_parties": parties, "consultations": consultations}
