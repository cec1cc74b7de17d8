"""Property tests of the engine over wide, random input (hypothesis)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.strategies import facts_and_as_of
from tnw.rules import Timeline, evaluate, parse_facts

# TNW_PROPERTY_EXAMPLES=5000 runs a deeper search than the default kept for CI.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("TNW_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _identity(raw_events: list[dict[str, Any]], index: int | None) -> str | None:
    """An event named by its content, so results can be compared across orderings."""
    if index is None:
        return None
    return json.dumps(raw_events[index], sort_keys=True)


def _canonical(timeline: Timeline, raw_events: list[dict[str, Any]]) -> Any:
    def name(index: int | None) -> str | None:
        return _identity(raw_events, index)

    obligations = sorted(
        json.dumps(
            {
                **{k: v for k, v in o.to_json().items() if k not in ("triggered_by", "done_by")},
                "triggered_by": sorted(name(i) or "" for i in o.triggered_by),
                "done_by": name(o.done_by),
            },
            sort_keys=True,
        )
        for o in timeline.obligations
    )
    violations = sorted((name(v.event_index) or "", v.code) for v in timeline.violations)
    presumptions = sorted(
        (p.kind, p.start.isoformat(), p.end.isoformat(), p.ends_because)
        for p in timeline.presumptions
    )
    return obligations, violations, presumptions, timeline.regimes


@PROPERTY_SETTINGS
@given(facts_and_as_of())
def test_evaluation_is_deterministic(case: tuple[dict[str, Any], date]) -> None:
    raw, as_of = case
    first = evaluate(parse_facts(raw), as_of).to_json()
    second = evaluate(parse_facts(json.loads(json.dumps(raw))), as_of).to_json()
    assert first == second


@PROPERTY_SETTINGS
@given(facts_and_as_of(), st.randoms(use_true_random=False))
def test_evaluation_does_not_depend_on_event_order(
    case: tuple[dict[str, Any], date], random: Any
) -> None:
    raw, as_of = case
    shuffled = dict(raw, events=list(raw["events"]))
    random.shuffle(shuffled["events"])
    original = _canonical(evaluate(parse_facts(raw), as_of), raw["events"])
    reordered = _canonical(evaluate(parse_facts(shuffled), as_of), shuffled["events"])
    assert original == reordered


@PROPERTY_SETTINGS
@given(facts_and_as_of())
def test_no_obligation_opens_or_is_due_before_the_incapacity(
    case: tuple[dict[str, Any], date],
) -> None:
    raw, as_of = case
    facts = parse_facts(raw)
    for obligation in evaluate(facts, as_of).obligations:
        assert obligation.opens >= facts.incapacity_start, obligation
        assert obligation.due is None or obligation.due >= facts.incapacity_start, obligation


@PROPERTY_SETTINGS
@given(facts_and_as_of())
def test_status_is_consistent_with_dates_and_as_of(case: tuple[dict[str, Any], date]) -> None:
    raw, as_of = case
    timeline = evaluate(parse_facts(raw), as_of)
    for o in timeline.obligations:
        if o.status == "done":
            assert o.done_on is not None and o.done_on <= as_of
            assert o.late == (o.due is not None and o.done_on > o.due)
        elif o.status == "void":
            assert o.void_reason
        elif o.status == "upcoming":
            assert as_of < o.opens
        elif o.status == "overdue":
            assert o.due is not None and as_of > o.due and as_of >= o.opens
        else:
            assert o.status == "open"
            assert o.opens <= as_of and (o.due is None or as_of <= o.due)
        if o.status != "done":
            assert o.done_on is None and o.late is None


@PROPERTY_SETTINGS
@given(facts_and_as_of())
def test_late_on_arrival_is_exactly_a_due_date_before_the_opening(
    case: tuple[dict[str, Any], date],
) -> None:
    """Issue 17 point 9: an obligation is late on arrival exactly when its legal due date lies
    before the day it opens; it then names the earlier step and has a working target within a
    month of its opening (one month by Ger.W. art. 54 is 28 to 31 days), the legal due date
    kept."""
    raw, as_of = case
    for o in evaluate(parse_facts(raw), as_of).obligations:
        arrived_late = o.due is not None and o.due < o.opens
        assert o.late_on_arrival == arrived_late, o.to_json()
        if arrived_late:
            causes = {
                "routing_a.first_contact": "refer_to_coordinator",
                "routing_a.category3_examination": "first_capacity_assessment",
                "sanctions.registered_letter_examination": "absent",
                "sanctions.registered_letter_first_contact": "absent",
                "codex_2026.trajectory_request": "work_potential_estimated",
            }
            assert o.late_cause == causes.get(o.rule), (o.rule, o.late_cause)
            assert o.arrival is not None and o.arrival.key.startswith("late_on_arrival.")
            assert o.target is not None and 28 <= (o.target - o.opens).days <= 31
            assert "late_on_arrival" in o.to_json() and o.to_json()["due"] == o.due.isoformat()
        else:
            assert o.target is None and o.late_cause is None
            assert "late_on_arrival" not in o.to_json()


@PROPERTY_SETTINGS
@given(facts_and_as_of())
def test_violations_name_real_events(case: tuple[dict[str, Any], date]) -> None:
    raw, as_of = case
    timeline = evaluate(parse_facts(raw), as_of)
    for violation in timeline.violations:
        assert violation.event_index is not None
        assert 0 <= violation.event_index < len(raw["events"])
        assert violation.message


@PROPERTY_SETTINGS
@given(facts_and_as_of(), facts_and_as_of())
def test_a_later_event_never_changes_a_done_obligation(
    case: tuple[dict[str, Any], date], donor: tuple[dict[str, Any], date]
) -> None:
    raw, as_of = case
    extra_events = donor[0]["events"]
    if not extra_events:
        return
    last = max(
        [date.fromisoformat(raw["incapacity_start"])]
        + [date.fromisoformat(e["date"]) for e in raw["events"]]
    )
    later = dict(extra_events[0], date=(last + timedelta(days=1)).isoformat())
    as_of = max(as_of, last + timedelta(days=1))
    before = evaluate(parse_facts(raw), as_of)
    after = evaluate(parse_facts(dict(raw, events=[*raw["events"], later])), as_of)
    after_done = {
        (o.code, o.opens, o.triggered_by): o.to_json()
        for o in after.obligations
        if o.status == "done"
    }
    for o in before.obligations:
        if o.status == "done":
            key = (o.code, o.opens, o.triggered_by)
            assert after_done.get(key) == o.to_json(), (key, later)
