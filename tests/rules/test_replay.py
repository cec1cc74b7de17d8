"""Replay under another regime (what-if): `tnw rules timeline --regime`, `tnw rules compare`,
and `replay.compare`. Expected values are computed by hand from docs/rules.md section 9."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tnw.rules import FactsError, evaluate, parse_facts, replay

EXAMPLE = Path(__file__).parents[2] / "examples" / "sanction_2025_physical_exam.json"
AS_OF = "2026-01-15"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tnw.cli", "rules", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _facts():
    return parse_facts(json.loads(EXAMPLE.read_text()))


def test_the_2026_rules_turn_the_reduction_into_a_suspension_and_add_the_employer_duties():
    law = evaluate(_facts(), date(2026, 1, 15))
    replayed = evaluate(_facts(), date(2026, 1, 15), {"tnw": "2026-01-01", "codex": "2026-01-01"})
    assert replayed.regimes == {"tnw": "2026-01-01", "codex": "2026-01-01"}
    differences = {(d.kind, d.what, d.code): d for d in replay.compare(law, replayed)}
    # Second absence on 31-12-2025 from a physical examination: 2.5% by date; under the 2026
    # law a suspension (100%).
    sanction = differences[("changed", "sanction", "medical_examination")]
    assert sanction.fields == ("kind", "percentage", "regime")
    assert (sanction.before or {})["percentage"] == 2.5
    assert (sanction.after or {})["kind"] == "suspension"
    # CODEX 2026 for an incapacity of 2-6-2025: the request at 8 weeks (28-7-2025) and, with
    # 25 workers and work potential on 1-9-2025, the trajectory by 2-12-2025 (done 1-10-2025).
    added = differences[("added", "obligation", "work_potential_request")]
    assert (added.after or {})["due"] == "2025-07-28"
    request = differences[("added", "obligation", "codex_trajectory_request")]
    assert (request.after or {})["due"] == "2025-12-02"
    assert (request.after or {})["status"] == "done"
    assert len(differences) == 3


def test_the_2022_rules_drop_the_sanction_procedure():
    law = evaluate(_facts(), date(2026, 1, 15))
    replayed = evaluate(_facts(), date(2026, 1, 15), {"tnw": "2022-09-01"})
    kinds = sorted((d.kind, d.what, d.code) for d in replay.compare(law, replayed))
    assert kinds == [
        ("dropped", "obligation", "registered_letter_examination"),
        ("dropped", "sanction", "medical_examination"),
    ]


def test_a_codex_request_of_2021_replayed_under_the_2022_terms():
    facts = parse_facts(
        {
            "incapacity_start": "2021-01-04",
            "employment_contract": True,
            "events": [{"type": "codex_requested", "date": "2021-03-01", "by": "worker"}],
        }
    )
    law = evaluate(facts, date(2021, 4, 20))
    replayed = evaluate(facts, date(2021, 4, 20), {"codex": "2022-10-01"})
    [difference] = replay.compare(law, replayed)
    # 40 working days (Easter Monday 5-4-2021 skipped): 27-4-2021; 49 calendar days: 19-4-2021.
    assert difference.fields == ("due", "status")
    assert (difference.before or {})["due"] == "2021-04-27"
    assert (difference.after or {})["due"] == "2021-04-19"
    assert (difference.after or {})["status"] == "overdue"


def test_the_same_regime_changes_nothing():
    law = evaluate(_facts(), date(2026, 1, 15))
    same = evaluate(_facts(), date(2026, 1, 15), {"tnw": "2023-01-01", "codex": "2022-10-01"})
    assert replay.compare(law, same) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tnw=2024-01-01", "tnw has no regime '2024-01-01'"),
        ("vat=2022-01-01", "unknown regime family 'vat'"),
        ("tnw=2023-01-01,tnw=2026-01-01", "the tnw regime is chosen twice"),
    ],
)
def test_a_regime_that_does_not_exist_is_refused(text, problem):
    with pytest.raises(FactsError) as error:
        replay.parse_regimes(text)
    assert error.value.where == "--regime"
    assert problem in error.value.problem


def test_compare_from_the_command_line():
    result = run("compare", str(EXAMPLE), "--as-of", AS_OF, "--regime", "tnw=2026-01-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "law  ->  tnw=2026-01-01"
    assert (
        "changed  sanction medical_examination #1: kind: reduction -> suspension, "
        "percentage: 2.5 -> 100.0, regime: 2023-01-01 -> 2026-01-01" in result.stdout
    )


def test_compare_two_regimes_as_json():
    result = run(
        "compare", str(EXAMPLE), "--as-of", AS_OF, "--format", "json",
        "--regime", "tnw=2022-09-01", "--regime", "tnw=2026-01-01",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["before"]["regime"] == "tnw=2022-09-01"
    assert [(d["kind"], d["code"]) for d in out["differences"]] == [
        ("added", "registered_letter_examination"),
        ("added", "medical_examination"),
    ]


def test_timeline_under_a_regime_and_bad_regime_exit_2():
    result = run("timeline", str(EXAMPLE), "--as-of", AS_OF, "--regime", "tnw=2026-01-01")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sanctions"][0]["kind"] == "suspension"
    bad = run("compare", str(EXAMPLE), "--as-of", AS_OF, "--regime", "tnw=2030-01-01")
    assert bad.returncode == 2
    assert "--regime: tnw has no regime '2030-01-01'" in bad.stderr


def test_bad_new_facts_exit_2_naming_the_field(tmp_path):
    raw = json.loads(EXAMPLE.read_text())
    raw["employer_workers"] = -3
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(raw))
    result = run("timeline", str(path), "--as-of", AS_OF)
    assert result.returncode == 2
    assert "employer_workers: -3 is negative" in result.stderr
