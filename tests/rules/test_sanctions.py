"""The benefit sanction (law of 2023 and 2026): properties over random procedures, and the
input checks of the new facts (docs/rules.md section 9)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tnw.rules import FactsError, evaluate, parse_facts

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("TNW_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
APPOINTMENTS = ("medical_examination", "first_contact")


@st.composite
def procedures(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    """Invitations, absences (justified or not), letters and contacts in random order and
    dates, for incapacities on both sides of 1-1-2023 and 1-1-2026."""
    start = date(2022, 10, 1) + timedelta(days=draw(st.integers(0, 1400)))
    when = start
    events: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 14))):
        when += timedelta(days=draw(st.integers(0, 40)))
        appointment = draw(st.sampled_from(APPOINTMENTS))
        kind = draw(st.sampled_from(["invited", "absent", "absent", "letter", "contact"]))
        event: dict[str, Any] = {"date": when.isoformat(), "appointment": appointment}
        if kind == "invited":
            planned = when + timedelta(days=draw(st.integers(0, 20)))
            event |= {
                "type": "invited",
                "appointment_date": planned.isoformat(),
                "mode": draw(st.sampled_from(["physical", "video", "phone"])),
                "sanction_stated": draw(st.booleans()),
            }
        elif kind == "absent":
            event |= {"type": "absent", "justified": draw(st.booleans())}
        elif kind == "letter":
            new_date = when + timedelta(days=draw(st.integers(-3, 40)))
            event |= {"type": "registered_letter_sent", "new_date": new_date.isoformat()}
        else:
            event |= {"type": "contacted_after_absence"}
        events.append(event)
    facts = {"incapacity_start": start.isoformat(), "employment_contract": False, "events": events}
    return facts, when + timedelta(days=draw(st.integers(0, 60)))


def _unjustified(facts: dict[str, Any], appointment: str, before: date) -> int:
    return sum(
        1
        for e in facts["events"]
        if e["type"] == "absent"
        and e["appointment"] == appointment
        and not e["justified"]
        and date.fromisoformat(e["date"]) <= before
    )


@PROPERTY_SETTINGS
@given(procedures())
def test_a_sanction_starts_at_the_earliest_at_the_second_unjustified_absence(case):
    facts, as_of = case
    timeline = evaluate(parse_facts(facts), as_of)
    for sanction in timeline.sanctions:
        assert _unjustified(facts, sanction.appointment, sanction.start) >= 2
        absence = facts["events"][sanction.triggered_by[0]]
        assert absence["type"] == "absent" and not absence["justified"]
        assert absence["date"] == sanction.start.isoformat()


@PROPERTY_SETTINGS
@given(procedures())
def test_a_sanction_never_runs_past_the_persons_contact(case):
    facts, as_of = case
    timeline = evaluate(parse_facts(facts), as_of)
    for sanction in timeline.sanctions:
        contacts = [
            date.fromisoformat(e["date"])
            for e in facts["events"]
            if e["type"] == "contacted_after_absence"
            and e["appointment"] == sanction.appointment
            and date.fromisoformat(e["date"]) >= sanction.start
            and date.fromisoformat(e["date"]) <= as_of
        ]
        if contacts:
            assert sanction.end is not None and sanction.end < min(contacts)
        assert sanction.end is None or sanction.end >= sanction.start


@PROPERTY_SETTINGS
@given(procedures())
def test_no_sanction_for_an_incapacity_before_2023_and_the_rate_by_date(case):
    facts, as_of = case
    timeline = evaluate(parse_facts(facts), as_of)
    if facts["incapacity_start"] < "2023-01-01":
        assert timeline.sanctions == ()
    for sanction in timeline.sanctions:
        wanted = 2.5 if sanction.start < date(2026, 1, 1) else 10.0
        if sanction.kind == "suspension":
            assert sanction.start >= date(2026, 1, 1)
            assert sanction.appointment == "medical_examination"
            assert sanction.percentage == 100.0
        else:
            assert sanction.percentage == wanted


def _facts(**extra: Any) -> dict[str, Any]:
    return {"incapacity_start": "2026-01-05", "employment_contract": True, **extra}


@pytest.mark.parametrize(
    ("raw", "where", "problem"),
    [
        (_facts(employer_workers=-1), "employer_workers", "negative"),
        (_facts(employer_workers="20"), "employer_workers", "whole number"),
        (_facts(employer_workers=True), "employer_workers", "whole number"),
        (
            _facts(events=[{"type": "absent", "date": "2026-03-01", "appointment": "party",
                            "justified": False}]),
            "events[0] (absent).appointment",
            "'party' is not one of medical_examination, first_contact",
        ),
        (
            _facts(events=[{"type": "invited", "date": "2026-03-01",
                            "appointment": "first_contact", "mode": "physical"}]),
            "events[0] (invited)",
            "missing required field 'appointment_date'",
        ),
        (
            _facts(events=[{"type": "employment_service_registered", "date": "2026-03-01",
                            "service": "UWV"}]),
            "events[0] (employment_service_registered).service",
            "not one of VDAB, Forem, Actiris, ADG",
        ),
    ],
)  # fmt: skip
def test_bad_new_facts_name_the_field(raw, where, problem):
    with pytest.raises(FactsError) as error:
        parse_facts(raw)
    assert error.value.where == where
    assert problem in error.value.problem


def test_the_number_of_workers_goes_back_into_the_contract():
    facts = parse_facts(_facts(employer_workers=0))
    assert facts.employer_workers == 0
    assert facts.to_json()["employer_workers"] == 0
    assert "employer_workers" not in parse_facts(_facts()).to_json()


def test_facts_without_the_new_events_have_no_sanctions_key():
    timeline = evaluate(parse_facts(_facts()), date(2026, 6, 1))
    assert "sanctions" not in timeline.to_json()
