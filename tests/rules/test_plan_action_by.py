"""The plan names who does each action (`action_by`, issue 16): one party of PLAN_ACTORS per
action, or none; a wrong party or a count that differs from the actions names the field. It has
no legal effect: the timeline is the same with and without it."""

from __future__ import annotations

from datetime import date

import pytest

from tnw.rules import FactsError, evaluate, parse_facts

AS_OF = date(2026, 12, 1)


def _facts(**plan) -> dict:
    return {
        "incapacity_start": "2026-03-02",
        "employment_contract": False,
        "events": [
            {"type": "spontaneous_request", "date": "2026-06-01"},
            {"type": "first_contact", "date": "2026-06-15", "mode": "physical",
             "consent": True, "outcome": "ziv"},
            {"type": "permission_requested", "date": "2026-06-16"},
            {"type": "permission_decided", "date": "2026-06-20", "granted": True},
            {"type": "ziv_started", "date": "2026-07-01", "situation": "A"},
            {"type": "plan_drawn_up", "date": "2026-07-20", "objectives": ["internship"],
             "end_result": "administrative job at 80%",
             "actions": ["training with VDAB", "memory work with the therapist"],
             "next_appointment": "2026-08-20", **plan},
        ],
    }  # fmt: skip


def test_each_action_names_who_does_it() -> None:
    facts = parse_facts(_facts(action_by=["regional_service", "counsellor"]))
    plan = facts.events[-1]
    assert plan.data["action_by"] == ("regional_service", "counsellor")
    assert facts.to_json()["events"][-1]["action_by"] == ["regional_service", "counsellor"]


def test_without_it_the_timeline_is_the_same() -> None:
    named = evaluate(parse_facts(_facts(action_by=["regional_service", "counsellor"])), AS_OF)
    unnamed = evaluate(parse_facts(_facts()), AS_OF)
    assert named.to_json() == unnamed.to_json()
    assert not named.violations


@pytest.mark.parametrize(
    ("action_by", "problem"),
    [
        (["regional_service"], "one party per action: 2 action(s), 1 party(ies)"),
        (["regional_service", "neighbour"], "'neighbour' is not one of person, coordinator"),
        ("employer", "expected a list of texts"),
    ],
)
def test_a_wrong_party_names_the_field(action_by, problem) -> None:
    with pytest.raises(FactsError) as error:
        parse_facts(_facts(action_by=action_by))
    assert error.value.where == "events[5] (plan_drawn_up).action_by"
    assert problem in error.value.problem
