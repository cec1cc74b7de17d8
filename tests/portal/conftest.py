"""Portal fixtures: an insured person with an activated portal account."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_insz, open_episode
from tnw.dossier import portal

PORTAL_PASSWORD = "Zomerfiets-2026-portaal"


def activate(coordinator, person, password: str = PORTAL_PASSWORD):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    return portal.activate_portal_account(insz=person.insz, code=code, password=password)


@pytest.fixture
def insured(coordinator, person, episode):
    """Jan Peeters' portal log-in (his episode: routing B, since 2026-06-01)."""
    return activate(coordinator, person)


@pytest.fixture
def neighbour(coordinator, physician):
    """Another person of the same mutuality, with an episode and a portal account."""
    from tnw.dossier.services import create_person

    other = create_person(
        user=coordinator, insz=make_insz(7), first_name="Els", last_name="Janssens",
        language="fr",
    )  # fmt: skip
    episode = open_episode(
        coordinator, other, date(2026, 7, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    return {"person": other, "episode": episode, "user": activate(coordinator, other)}


@pytest.fixture
def portal_client(client, insured):
    client.force_login(insured)
    return client
