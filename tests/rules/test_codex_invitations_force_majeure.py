"""Properties of the CODEX invitations (I.4-73), the appeal term (I.4-63 as cited) and the window
of medical force majeure (art. 34 Employment Contracts Act), and their bad input (docs/rules.md
7.1, 7.2, 9.5). The scenarios with hand-computed dates are in
scenarios/13_codex_invitations_appeal_force_majeure.yaml."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tnw.rules import FactsError, Term, evaluate, parse_facts
from tnw.rules.screening import force_majeure_opens

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("TNW_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NINE, SIX = Term(9, "months"), Term(6, "months")


@st.composite
def invitations(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    """A CODEX trajectory (requested in 2022-2027) with invitations, non-answers and
    sometimes an assessment, at random intervals."""
    start = date(2022, 1, 3) + timedelta(days=draw(st.integers(0, 1800)))
    when = start + timedelta(days=draw(st.integers(0, 60)))
    events: list[dict[str, Any]] = [{"type": "codex_requested", "date": when.isoformat(),
                                     "by": "worker"}]  # fmt: skip
    for _ in range(draw(st.integers(1, 10))):
        when += timedelta(days=draw(st.integers(0, 20)))
        kind = draw(st.sampled_from(["codex_invited", "codex_unanswered", "codex_unanswered",
                                     "codex_assessed"]))  # fmt: skip
        event: dict[str, Any] = {"type": kind, "date": when.isoformat()}
        if kind == "codex_invited":
            event["appointment_date"] = (when + timedelta(days=7)).isoformat()
        if kind == "codex_assessed":
            event["decision"] = "A"
        events.append(event)
    facts = {"incapacity_start": start.isoformat(), "employment_contract": True,
             "events": events}  # fmt: skip
    return facts, when + timedelta(days=draw(st.integers(0, 30)))


def _invitation_dates(facts: dict[str, Any]) -> list[date]:
    return [date.fromisoformat(e["date"]) for e in facts["events"] if e["type"] == "codex_invited"]


@PROPERTY_SETTINGS
@given(invitations())
def test_a_reinvitation_never_opens_less_than_14_days_after_an_invitation(case):
    facts, as_of = case
    timeline = evaluate(parse_facts(facts), as_of)
    invited = _invitation_dates(facts)
    for obligation in timeline.by_code("codex_reinvitation"):
        assert any(obligation.opens >= d + timedelta(days=14) for d in invited)
        if obligation.done_on is not None:
            assert obligation.done_on >= obligation.opens  # an earlier invitation never counts


@PROPERTY_SETTINGS
@given(invitations())
def test_the_trajectory_ends_only_after_three_counted_invitations(case):
    facts, as_of = case
    timeline = evaluate(parse_facts(facts), as_of)
    ends = timeline.by_code("codex_end_unanswered")
    assert len(ends) <= 1
    if ends:
        invited = [d for d in _invitation_dates(facts) if d <= ends[0].opens]
        counted: list[date] = []
        for day in invited:
            if not counted or day >= counted[-1] + timedelta(days=14):
                counted.append(day)
        assert len(counted) >= 3
        # both re-invitations before it were there
        assert len(timeline.by_code("codex_reinvitation")) >= 2


@PROPERTY_SETTINGS
@given(st.integers(0, 2500))
def test_the_force_majeure_window_lies_between_six_and_nine_months(offset):
    """From 28-11-2022 on: never before the 6 months nor after the 9 months of incapacity
    (counted in), never before the procedure existed, and exactly 6 months from 2026 on."""
    start = date(2021, 6, 1) + timedelta(days=offset)
    opens, term, _ = force_majeure_opens(start)
    assert opens is not None and term is not None
    assert opens >= date(2022, 11, 28)
    assert opens >= SIX.after_period(start)
    assert opens <= max(NINE.after_period(start), date(2022, 11, 28))
    if start >= date(2026, 1, 1):
        assert (opens, term) == (SIX.after_period(start), SIX)
    if NINE.after_period(start) < date(2026, 1, 1):
        assert term == NINE


@PROPERTY_SETTINGS
@given(st.integers(0, 2000), st.integers(0, 400))
def test_a_request_is_accepted_exactly_from_the_window(offset, after):
    start = date(2022, 1, 3) + timedelta(days=offset)
    request = start + timedelta(days=after)
    facts = {"incapacity_start": start.isoformat(), "employment_contract": True,
             "events": [{"type": "medical_force_majeure_requested",
                         "date": request.isoformat(), "by": "employer"}]}  # fmt: skip
    timeline = evaluate(parse_facts(facts), request)
    opens, _, _ = force_majeure_opens(start)
    refused = [v.code for v in timeline.violations]
    assert opens is not None
    if request >= opens:
        assert refused == []
        [window] = timeline.by_code("medical_force_majeure_window")
        assert (window.opens, window.done_on) == (opens, request)
    else:
        assert refused == ["medical_force_majeure_not_allowed"]
        assert timeline.by_code("medical_force_majeure_window") == ()


def test_the_window_replayed_under_the_2022_and_2026_regimes():
    facts = parse_facts({
        "incapacity_start": "2025-08-01", "employment_contract": True,
        "events": [{"type": "work_potential_estimated", "date": "2025-10-01",
                    "estimated_by": "occupational_physician", "sufficient": False}],
    })  # fmt: skip
    as_of = date(2026, 1, 15)

    def opens(regimes: dict[str, str] | None) -> list[date]:
        return [o.opens for o in evaluate(facts, as_of, regimes).by_code(
            "medical_force_majeure_window")]  # fmt: skip

    assert opens(None) == [date(2026, 2, 1)]  # 6 months, in force from 1-1-2026
    assert opens({"codex": "2022-10-01"}) == [date(2026, 5, 1)]  # 9 months: 1-8-2025 .. 30-4-2026
    assert opens({"codex": "2026-01-01"}) == [date(2026, 2, 1)]
    assert opens({"codex": "2017-01-01"}) == []  # no separate procedure before 28-11-2022


def _facts(**extra: Any) -> dict[str, Any]:
    return {"incapacity_start": "2026-01-05", "employment_contract": True, **extra}


@pytest.mark.parametrize(
    ("raw", "where", "problem"),
    [
        (_facts(events=[{"type": "codex_invited", "date": "2026-02-03"}]),
         "events[0] (codex_invited)", "missing required field 'appointment_date'"),
        (_facts(events=[{"type": "codex_invited", "date": "2026-02-03",
                         "appointment_date": "10-02-2026"}]),
         "events[0] (codex_invited).appointment_date", "not a valid date"),
        (_facts(events=[{"type": "medical_force_majeure_requested", "date": "2026-08-03",
                         "by": "advising_physician"}]),
         "events[0] (medical_force_majeure_requested).by", "not one of worker, employer"),
        (_facts(events=[{"type": "codex_appealed", "date": "2026-03-03", "decision": "B"}]),
         "events[0] (codex_appealed).decision", "unknown field for codex_appealed"),
    ],
)  # fmt: skip
def test_bad_new_facts_name_the_field(raw, where, problem):
    with pytest.raises(FactsError) as error:
        parse_facts(raw)
    assert error.value.where == where
    assert problem in error.value.problem
