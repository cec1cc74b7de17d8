"""API fixtures: integrators' clients (created through `tnw apiclient`'s service) and a DRF
test client that sends their token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import open_episode

ALL = ["timelines.read", "events.write", "imports.write"]


def client_for(token: str, language: str = "en") -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)
    return api


@pytest.fixture
def issue(mutuality):
    from tnw.api.services import create_client

    def make(name: str = "benefits", scopes=None, code: str | None = None):
        return create_client(name=name, mutuality_code=code or mutuality.code, scopes=scopes or ALL)

    return make


@pytest.fixture
def coordination(issue):
    """A coordination system's client (coordinator's role) with every scope but health."""
    return issue()


@pytest.fixture
def api(coordination) -> APIClient:
    return client_for(coordination.token)


@pytest.fixture
def physicians_api(issue) -> APIClient:
    return client_for(issue("medical-files", [*ALL, "health.read"]).token)


@pytest.fixture
def api_episode(coordinator, physician, person):
    """An episode of the client's mutuality, assigned to people (not to a service account)."""
    from datetime import date

    return open_episode(
        coordinator, person, date(2026, 6, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
