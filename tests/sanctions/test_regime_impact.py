"""`tnw regime_impact`: how many dossiers a regime change moves (counts only)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.sanctions.test_dossier_sanctions import _second_absence


def _impact(**options) -> dict:
    out = io.StringIO()
    call_command("regime_impact", stdout=out, format="json", as_of="2026-11-24", **options)
    return json.loads(out.getvalue())


def test_the_2022_rules_would_move_the_sanctioned_dossier(episode, physician):
    _second_absence(physician, episode)
    found = _impact(regime="tnw=2022-09-01")
    assert (found["episodes"], found["episodes_changed"]) == (1, 1)
    assert found["changes"] == [
        {"change": "dropped", "what": "obligation", "code": "registered_letter_examination",
         "episodes": 1},
        {"change": "dropped", "what": "sanction", "code": "medical_examination", "episodes": 1},
    ]  # fmt: skip
    assert "person" not in json.dumps(found)


def test_the_current_rules_move_nothing(episode, physician):
    _second_absence(physician, episode)
    found = _impact(regime="tnw=2026-01-01,codex=2026-01-01")
    assert (found["episodes"], found["episodes_changed"], found["changes"]) == (1, 0, [])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"regime": "tnw=2025-01-01"}, "--regime: tnw has no regime '2025-01-01'"),
        ({"regime": "tnw=2026-01-01", "mutuality": "999"}, "999"),
    ],
)
def test_bad_input_exits_2(db, options, message):
    with pytest.raises(CommandError) as error:
        _impact(**options)
    assert error.value.returncode == 2
    assert message in str(error.value)
