"""`tnw rules timeline`: run as a real process, as an integrator would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "routing_a_ziv.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tnw.cli", "rules", "timeline", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_the_json_contract() -> None:
    result = run(str(EXAMPLE), "--as-of", "2025-10-01")
    assert result.returncode == 0, result.stderr
    timeline = json.loads(result.stdout)
    assert timeline["as_of"] == "2025-10-01"
    assert timeline["regimes"] == {"tnw": "2023-01-01", "codex": "2022-10-01"}
    first = timeline["obligations"][0]
    assert first == {
        **first,
        "code": "send_questionnaire",
        "actor": "advising_physician",
        "opens": "2025-03-17",
        "due": "2025-03-17",
        "status": "done",
        "done_on": "2025-03-17",
        "late": False,
    }
    assert "KB 3-7-1996 art. 215novies" in first["basis"]
    assert timeline["presumptions"][0] == {
        **timeline["presumptions"][0],
        "kind": "ziv",
        "start": "2025-06-20",
        "end": "2025-12-19",
    }
    dues = [o["due"] or "9999" for o in timeline["obligations"]]
    assert dues == sorted(dues)


def test_prints_a_table_for_people() -> None:
    result = run(str(EXAMPLE), "--as-of", "2025-10-01", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "plan_follow_up" in result.stdout
    assert "overdue" in result.stdout
    assert "Circular V.I. 2022/383, IV 4.3" in result.stdout


def test_explains_which_facts_and_rule_produced_each_obligation() -> None:
    result = run(str(EXAMPLE), "--as-of", "2025-10-01", "--format", "explain")
    assert result.returncode == 0, result.stderr
    assert "first_contact (coordinator) — rule routing_a.first_contact" in result.stdout
    assert "produced by: #3 referred_to_coordinator on 2025-04-24" in result.stdout
    assert "done by: #4 first_contact on 2025-05-12" in result.stdout


def test_as_of_defaults_to_today() -> None:
    result = run(str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] >= "2026-01-01"


def test_a_rule_violation_is_reported_with_exit_zero() -> None:
    facts = {
        "incapacity_start": "2025-01-06",
        "employment_contract": True,
        "events": [{"type": "questionnaire_sent", "date": "2024-12-01"}],
    }
    result = run("-", "--as-of", "2025-06-01", stdin=json.dumps(facts))
    assert result.returncode == 0, result.stderr
    (violation,) = json.loads(result.stdout)["violations"]
    assert violation["event_index"] == 0
    assert violation["code"] == "event_before_incapacity"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{bad json", "malformed JSON at line 1 column 2"),
        ("[1, 2]", "facts: expected a JSON object"),
        ('{"employment_contract": true}', "incapacity_start: missing required field"),
        ('{"incapacity_start": "2025-01-06"}', "employment_contract: missing required field"),
        (
            '{"incapacity_start": "2025-02-30", "employment_contract": true}',
            "'2025-02-30' is not a valid date",
        ),
        (
            '{"incapacity_start": "06/01/2025", "employment_contract": true}',
            "'06/01/2025' is not a valid date (expected YYYY-MM-DD",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": "yes"}',
            "employment_contract: expected true or false",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true, "events": {}}',
            "events: expected a list of events",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "party", "date": "2025-02-01"}]}',
            "events[0].type: unknown event type 'party'",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "questionnaire_sent", "date": "2025-02-01"},'
            ' {"type": "capacity_assessed", "date": "2025-04-10", "category": 5,'
            ' "medical_exam": false}]}',
            "events[1] (capacity_assessed).category: category 5 is out of range (1 to 4)",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "first_contact", "date": "2025-04-10", "mode": "pigeon",'
            ' "consent": true, "outcome": "ziv"}]}',
            "events[0] (first_contact).mode: 'pigeon' is not one of physical, video, phone, mail",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "contact", "date": "2025-04-10", "mode": "phone"}]}',
            "events[0] (contact): missing required field 'purpose'",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "questionnaire_sent", "date": "2025-04-31"}]}',
            "events[0] (questionnaire_sent).date: '2025-04-31' is not a valid date",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true,'
            ' "events": [{"type": "questionnaire_sent", "date": "2025-04-01", "urgent": true}]}',
            "events[0] (questionnaire_sent).urgent: unknown field",
        ),
        (
            '{"incapacity_start": "2025-01-06", "employment_contract": true, "colour": 1}',
            "colour: unknown field",
        ),
    ],
)
def test_input_that_cannot_be_read_exits_2_with_a_message(stdin: str, message: str) -> None:
    result = run("-", "--as-of", "2025-06-01", stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_missing_file_exits_2() -> None:
    result = run("/nonexistent/facts.json")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_a_bad_as_of_date_exits_2() -> None:
    result = run(str(EXAMPLE), "--as-of", "2025-13-01")
    assert result.returncode == 2
    assert "--as-of: '2025-13-01' is not a valid date" in result.stderr
