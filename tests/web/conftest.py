"""Fixtures of the screens' tests: a fixed date for the screens, logged-in clients per role."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.conftest import TODAY, open_episode, register


@pytest.fixture(autouse=True)
def fixed_today(settings):
    """The screens evaluate the dossiers on TODAY, whatever the clock says."""
    settings.TNW_TODAY = TODAY
    return TODAY


@pytest.fixture
def client_for(db):
    """client_for(user, language="nl"): a logged-in client that asks for `language`."""

    def make(user, language: str = "nl") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def referred_episode(coordinator, physician, person):
    """Routing A up to the referral: category 4 at the first estimate (start 2026-06-01)."""
    episode = open_episode(
        coordinator, person, date(2026, 6, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "questionnaire_sent", date(2026, 8, 10))
    register(physician, episode, "questionnaire_received", date(2026, 8, 20), complete=True)
    register(
        physician, episode, "capacity_assessed", date(2026, 9, 15), category=4,
        medical_exam=False,
    )  # fmt: skip
    register(physician, episode, "referred_to_coordinator", date(2026, 9, 20))
    return episode
