"""The engine's messages (key and parameters) are stored with the obligations, survive a
recompute, and lose their health-data parameters for everyone but the advising physician."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from tests.conftest import TODAY, register
from tnw.dossier import demo, selectors, services
from tnw.dossier.facts import episode_facts
from tnw.rules import evaluate


def _exempted(users, episode):
    register(
        users["advising_physician"], episode, "medical_exemption", date(2026, 7, 1),
        reason="coma",
    )  # fmt: skip
    return episode


def _stored(episode) -> dict:
    return {
        (o.code, o.sequence): (o.explanation_parts, o.void)
        for o in episode.obligations.order_by("id")
    }


def test_stored_messages_are_the_engines(users, episode):
    _exempted(users, episode)
    events = [r.to_contract() for r in episode.registrations.order_by("position")]
    timeline = evaluate(episode_facts(episode, events), TODAY)
    stored = _stored(episode)
    assert stored
    for o in timeline.obligations:
        parts, void = stored[(o.code, o.sequence)]
        assert parts == [part.to_json() for part in o.why]
        assert void == (o.void.to_json() if o.void else None)
    parts, void = stored[("send_questionnaire", 1)]
    assert void == {
        "key": "void.medical_exemption",
        "params": {"date": "2026-07-01", "reason": "coma"},
    }
    assert parts == [
        {
            "key": "routing_a.send_questionnaire",
            "params": {"start": "2026-06-01", "term": {"amount": 10, "unit": "weeks"}},
        }
    ]


def test_the_messages_survive_a_recompute(users, episode):
    _exempted(users, episode)
    before = _stored(episode)
    services.recompute_timeline(user=users["coordinator"], episode_id=episode.pk, today=TODAY)
    assert _stored(episode) == before
    assert all(parts for parts, _ in before.values())


@pytest.mark.parametrize("role", ["advising_physician", "coordinator", "staff"])
def test_the_exemption_reason_parameter_is_health_data(role, users, episode):
    _exempted(users, episode)
    rows = selectors.get_timeline(user=users[role], episode_id=episode.pk, today=TODAY)
    [row] = [r for r in rows if r["code"] == "send_questionnaire"]
    if role == "advising_physician":
        assert row["void"]["params"] == {"date": "2026-07-01", "reason": "coma"}
        assert "coma" in row["void_reason"]
    elif role == "coordinator":
        assert row["void"] == {"key": "void.medical_exemption", "params": {"date": "2026-07-01"}}
        assert "coma" not in row["void_reason"]
        assert "a medical reason" in row["void_reason"]
    else:
        assert row["void"] is None
        assert row["void_reason"] == selectors.NO_LONGER_REQUIRED
    if role != "advising_physician":
        assert "coma" not in repr([(r["explanation_parts"], r["void"]) for r in rows])


def test_the_dossier_carries_the_messages_and_the_presumption_end(users, ziv_episode):
    coordinator = users["coordinator"]
    register(
        coordinator, ziv_episode, "plan_drawn_up", date(2026, 10, 20), objectives=["a"],
        end_result="b", actions=["c"], next_appointment="2026-11-20",
    )  # fmt: skip
    dossier = selectors.get_dossier(user=coordinator, person_id=ziv_episode.person_id, today=TODAY)
    [episode] = dossier["episodes"]
    assert all(o["explanation_parts"] for o in episode["obligations"])
    [presumption] = episode["presumptions"]
    assert presumption["end_reason"] == {
        "key": "presumption.ends.max_after_plan",
        "params": {"term": {"amount": 6, "unit": "months"}},
    }


def test_explanation_parts_by_id_stay_in_the_mutuality(users, outsiders, episode):
    _exempted(users, episode)
    ids = list(episode.obligations.values_list("id", flat=True))
    mine = selectors.explanation_parts(user=users["coordinator"], obligation_ids=ids)
    assert set(mine) <= set(ids) and mine
    theirs = selectors.explanation_parts(user=outsiders["coordinator"], obligation_ids=ids)
    assert theirs == {}


def test_demo_ends_with_the_login_address_users_and_password(db, capsys, settings):
    # `make run` on PORT=8765: the demo prints that address (TNW_BASE_URL follows PORT).
    settings.TNW_BASE_URL = "http://127.0.0.1:8765"
    settings.TNW_PORTAL_URL = "http://127.0.0.1:8765/portal/"
    call_command("demo", "--people", "2", "--today", "2026-11-24")
    out = capsys.readouterr().out
    assert ":8000" not in out
    assert "http://127.0.0.1:8765/portal/" in out
    tail = out[out.index("http://127.0.0.1:8765/login/") :]
    assert "/admin/" not in tail
    for username, role, *_ in demo.USERS:
        assert username in tail and role in tail
    assert demo.DEMO_PASSWORD in tail
