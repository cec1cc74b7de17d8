"""Reads of the incapacity-evaluation contacts: through the dossier's door, audited."""

from __future__ import annotations

from tnw.accounts.models import User
from tnw.accounts.roles import Cap
from tnw.dossier.access import access_episode_by_id
from tnw.evaluation.models import EvaluationContact


def contacts_of_episode(
    *, user: User, episode_id: int, channel: str = "selector"
) -> tuple[dict, list[EvaluationContact]]:
    """The episode's header (id, person, start) and its evaluation contacts; the read is
    audited. PermissionDenied for a role without the capability, NotFound for an episode of
    another mutuality (or none)."""
    episode, _ = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_EVALUATION_CONTACTS,),
        what="incapacity-evaluation contacts", channel=channel,
    )  # fmt: skip
    header = {
        "id": episode.pk, "person_id": episode.person_id, "start": episode.start,
        "person_name": f"{episode.person.first_name} {episode.person.last_name}",
    }  # fmt: skip
    contacts = list(
        EvaluationContact.objects.filter(episode_id=episode.pk).select_related("registered_by")
    )
    return header, contacts
