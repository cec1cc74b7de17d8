"""Reads of an episode's third parties, consents and consultations: through the dossier's
door (the advising physician and the coordinator of the person's mutuality), audited."""

from __future__ import annotations

from typing import Any

from tnw.accounts.models import User
from tnw.accounts.roles import Cap
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
