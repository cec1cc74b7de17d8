"""Hypothesis strategies: random but well-formed facts of one incapacity episode."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from tnw.rules.facts import EVENT_TYPES, FieldSpec

starts = st.one_of(
    st.dates(min_value=date(1998, 1, 1), max_value=date(2027, 12, 31)),
    st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)),
)
short_texts = st.sampled_from(["", " ", "improve concentration", "training", "80% job"])


def field_value(spec: FieldSpec, around: date) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "category":
        return st.integers(min_value=1, max_value=4)
    if spec.kind == "date":
        return st.integers(min_value=-30, max_value=200).map(
            lambda days: (around + timedelta(days=days)).isoformat()
        )
    if spec.kind == "str_list":
        return st.lists(short_texts, max_size=3)
    if spec.choices:
        return st.sampled_from(spec.choices)
    return short_texts


def _with_action_by(draw: st.DrawFn, event: dict[str, Any]) -> None:
    """A plan names who does each action, or nobody (the field's own rule: one per action)."""
    if event["type"] != "plan_drawn_up" or not draw(st.booleans()):
        event.pop("action_by", None)
        return
    n = len(event["actions"])
    choices = EVENT_TYPES["plan_drawn_up"]["action_by"].choices
    event["action_by"] = draw(st.lists(st.sampled_from(choices), min_size=n, max_size=n))


@st.composite
def events_for(draw: st.DrawFn, start: date, max_events: int = 14) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=0, max_value=max_events))
    events = []
    # Most events fall on or after the start; a few before it, to exercise that rule.
    for _ in range(count):
        event_type = draw(st.sampled_from(sorted(EVENT_TYPES)))
        offset = draw(st.integers(min_value=-20, max_value=900))
        when = start + timedelta(days=offset)
        event: dict[str, Any] = {"type": event_type, "date": when.isoformat()}
        for name, spec in EVENT_TYPES[event_type].items():
            if spec.required or draw(st.booleans()):
                event[name] = draw(field_value(spec, when))
        _with_action_by(draw, event)
        events.append(event)
    return events


@st.composite
def raw_facts(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(starts)
    contract = draw(st.booleans())
    walk = process_walk(start, contract)
    events = draw(st.one_of(events_for(start), walk, walk, walk))
    facts: dict[str, Any] = {
        "incapacity_start": start.isoformat(),
        "employment_contract": contract,
        "events": events,
    }
    if draw(st.booleans()):
        age_days = draw(st.integers(min_value=18 * 365, max_value=70 * 365))
        facts["birth_date"] = (start - timedelta(days=age_days)).isoformat()
    return facts


@st.composite
def facts_and_as_of(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    facts = draw(raw_facts())
    start = date.fromisoformat(facts["incapacity_start"])
    last = max([start] + [date.fromisoformat(e["date"]) for e in facts["events"]])
    # Mostly after the last event (everything known), sometimes anywhere (events in the future).
    anchor = draw(st.sampled_from([last, last, start]))
    as_of = anchor + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
    return facts, as_of


# A walk through the process: each step is chosen among the event types whose earlier steps
# have happened, so that most generated events are valid and deep states (ZIV trajectories,
# suspensions, CODEX plans, presumptions) are reached.
def _allowed(event_type: str, seen: set[str], ziv: bool, suspended: bool, codex: bool) -> bool:
    from tnw.rules.screening import NEEDS_RUNNING_CODEX, NEEDS_RUNNING_ZIV, PRIOR_STEPS

    prior = PRIOR_STEPS.get(event_type)
    if prior and not seen.intersection(prior):
        return False
    if event_type in NEEDS_RUNNING_ZIV and not ziv:
        return False
    if event_type == "ziv_resumed" and not suspended:
        return False
    if event_type == "ziv_suspended" and suspended:
        return False
    if event_type == "ziv_started" and ziv:
        return False
    if event_type in NEEDS_RUNNING_CODEX and not codex:
        return False
    return not (event_type == "codex_requested" and codex)


GOOD_MODES = {
    "first_contact": ["physical", "video"],
    "follow_up_meeting": ["physical", "video", "phone"],
    "contact": ["physical", "video"],
    "questionnaire_help_contact": ["physical", "video", "phone", "mail"],
    "invited": ["physical", "video", "phone", "mail"],
}


def _lawful(draw: st.DrawFn, event_type: str, name: str, contract: bool, when: date) -> Any:
    """A value the law allows, for the walk's mostly-valid steps."""
    if name == "mode":
        return draw(st.sampled_from(GOOD_MODES[event_type]))
    if name in ("consent", "granted", "complete", "agreed", "medical_exam"):
        return True
    if name in ("objectives", "actions"):
        return ["a concrete step"]
    if name == "end_result":
        return "80% job in an office"
    if name == "next_appointment":
        return (when + timedelta(days=draw(st.integers(0, 60)))).isoformat()
    if name == "situation":
        return draw(st.sampled_from(["B", "C"] if contract else ["A"]))
    if name == "by":
        allowed = EVENT_TYPES[event_type]["by"].choices
        return draw(st.sampled_from([c for c in ("worker", "treating_physician", "employer")
                                     if c in allowed]))  # fmt: skip
    if name == "outcome" and event_type == "first_contact":
        return draw(st.sampled_from(["ziv", "ziv", "occupational_physician", "pending", "none"]))
    if name == "category":
        return draw(st.sampled_from([4, 4, 1, 3, 2]))
    return None


PROGRESS = frozenset(
    {
        "capacity_assessed",
        "referred_to_coordinator",
        "spontaneous_request",
        "first_contact",
        "permission_requested",
        "permission_decided",
        "ziv_started",
        "follow_up_meeting",
        "plan_drawn_up",
        "plan_reviewed",
        "ziv_suspended",
        "ziv_resumed",
        "codex_assessed",
        "codex_plan_delivered",
        "codex_plan_answered",
        "trajectory_ended",
        "paid_work_started",
    }
)


@st.composite
def process_walk(
    draw: st.DrawFn, start: date, contract: bool = True, max_events: int = 26
) -> list[dict[str, Any]]:
    seen: set[str] = set()
    ziv = suspended = codex = False
    when = start
    events: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(min_value=6, max_value=max_events))):
        candidates = [
            t
            for t in sorted(EVENT_TYPES)
            if t != "incapacity_ended" and _allowed(t, seen, ziv, suspended, codex)
        ]
        # Favour the steps that move the process on, so that deep states are reached.
        candidates += [t for t in candidates if t in PROGRESS] * 3
        if draw(st.integers(min_value=0, max_value=30)) == 0:
            candidates.append("incapacity_ended")
        event_type = draw(st.sampled_from(candidates))
        when = when + timedelta(days=draw(st.integers(min_value=0, max_value=75)))
        event: dict[str, Any] = {"type": event_type, "date": when.isoformat()}
        for name, spec in EVENT_TYPES[event_type].items():
            lawful = _lawful(draw, event_type, name, contract, when)
            if lawful is not None and draw(st.integers(0, 6)) > 0:
                event[name] = lawful
            elif spec.required or draw(st.booleans()):
                event[name] = draw(field_value(spec, when))
        _with_action_by(draw, event)
        seen.add(event_type)
        if event_type == "ziv_started":
            ziv, suspended = True, False
        elif event_type == "ziv_suspended":
            suspended = True
        elif event_type == "ziv_resumed":
            suspended = False
        elif event_type == "trajectory_ended":
            ziv = suspended = False
        elif event_type == "codex_requested":
            codex = True
        elif event_type in ("codex_ended", "work_resumed"):
            codex = False
        events.append(event)
    return events
