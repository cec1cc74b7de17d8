"""Access per integrator: token, scopes, mutuality, revocation, rotation, rate limit, audit."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_no_token_is_401_problem(client):
    response = client.get("/api/v1/mutualities/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_secret_is_401(coordination):
    key_id = coordination.client.key_id
    response = client_for(f"tnw_{key_id}_not-the-secret").get("/api/v1/mutualities/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_only_the_hash_of_the_secret_is_stored(coordination):
    client = coordination.client
    secret = coordination.token.split("_", 2)[2]
    assert secret not in client.secret_hash
    assert len(client.secret_hash) == 64


def test_revoked_client_is_401(api, coordination):
    from tnw.api.services import revoke_client

    assert api.get("/api/v1/mutualities/").status_code == 200
    revoke_client(name=coordination.client.name)
    response = api.get("/api/v1/mutualities/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_rotation_stops_the_old_token(api, coordination):
    from tnw.api.services import rotate_client

    new = rotate_client(name=coordination.client.name)
    assert api.get("/api/v1/mutualities/").status_code == 401
    assert client_for(new.token).get("/api/v1/mutualities/").status_code == 200


def test_missing_scope_is_403(issue, api_episode):
    reader = client_for(issue("reader", ["timelines.read"]).token)
    response = reader.post(
        f"/api/v1/episodes/{api_episode.pk}/registrations/",
        {"type": "spontaneous_request", "date": "2026-09-01", "expected_version": 1},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    assert "events.write" in response.json()["detail"]


def test_another_mutualitys_episode_is_404(issue, other_mutuality, api_episode):
    stranger = client_for(issue("stranger", ["timelines.read"], code=other_mutuality.code).token)
    response = stranger.get(f"/api/v1/episodes/{api_episode.pk}/timeline/")
    assert response.status_code == 404
    missing = stranger.get("/api/v1/episodes/999999/timeline/")
    assert missing.json() == response.json()


def test_calls_are_audited_with_the_clients_identity(api, api_episode):
    from tnw.audit.models import AuditEntry

    assert api.get(f"/api/v1/episodes/{api_episode.pk}/timeline/").status_code == 200
    entry = AuditEntry.objects.filter(channel="api").order_by("-seq").first()
    assert entry.actor_username == "api.benefits"
    assert entry.person_id == api_episode.person_id


@override_settings(TNW_API_RATE="3/min")
def test_rate_limit_per_client_is_429_with_retry_after(issue):
    from django.core.cache import cache

    cache.clear()
    first = client_for(issue("busy").token)
    second = client_for(issue("quiet").token)
    codes = [first.get("/api/v1/mutualities/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = first.get("/api/v1/mutualities/")
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/mutualities/").status_code == 200


def test_apiclient_command_creates_lists_rotates_revokes(mutuality, capsys):
    from tnw.api.models import ApiClient

    call_command("apiclient", "create", "ehealth-box", "--mutuality", mutuality.code,
                 "--scopes", "timelines.read,events.write")  # fmt: skip
    out = capsys.readouterr().out
    token = out.strip().rsplit(" ", 1)[-1]
    assert token.startswith("tnw_")
    client = ApiClient.objects.get(name="ehealth-box")
    assert client.user.role == "coordinator" and client.user.is_service_account
    assert not client.user.has_usable_password()
    call_command("apiclient", "list")
    assert "ehealth-box\t203\tevents.write,timelines.read\tactive" in capsys.readouterr().out
    call_command("apiclient", "rotate", "ehealth-box")
    assert client_for(token).get("/api/v1/mutualities/").status_code == 401
    call_command("apiclient", "revoke", "ehealth-box")
    call_command("apiclient", "list")
    assert "\trevoked\t" in capsys.readouterr().out


def test_apiclient_command_refuses_unknown_scopes(mutuality):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown scopes: everything"):
        call_command("apiclient", "create", "x", "--mutuality", mutuality.code,
                     "--scopes", "everything")  # fmt: skip


def test_health_scope_makes_a_physicians_system(issue):
    assert issue("medical", ["timelines.read", "health.read"]).client.user.role == (
        "advising_physician"
    )
