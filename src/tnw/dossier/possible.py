"""What the law allows at this point of an episode: which registrations, with which choices.

The rules engine decides; this module only asks it. For each registration type the user may
register, it adds a candidate event dated on the given day to the episode's facts and looks at
the violations the engine reports for it (a dry run: nothing is stored, and only yes/no and the
violation code leave the dossier package through `tnw.dossier.selectors`).

The contact modes are asked the same way: a mode is offered unless the engine answers
`contact_mode_not_allowed` for it (the dated table of circular V, in the engine's parameters).
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode
from tnw.dossier.types import Possibility
from tnw.rules import EVENT_TYPES, FactsError, evaluate

# Registration types with a purpose chosen before the form (it decides the allowed modes).
VARIANTS: dict[str, tuple[str, ...]] = {"contact": ("refusal_discussion", "other")}
# Choice fields whose allowed values are asked from the engine (the others are all offered),
# with the violation code that refuses a value (None: any violation).
PROBED_FIELDS: dict[str, str | None] = {
    "mode": "contact_mode_not_allowed",
    "situation": None,
    "decision": None,
    "by": None,
}


def _existing(episode: Episode) -> list[dict[str, Any]]:
    return [r.to_contract() for r in episode.registrations.in_force().order_by("position")]


def _sample(spec: Any, on: date) -> Any:
    if spec.kind == "bool":
        return True
    if spec.kind == "date":
        return on.isoformat()
    if spec.kind == "category":
        return 4
    if spec.kind == "str_list":
        return ["-"]
    if spec.choices:
        return spec.choices[0]
    return "-"


def _violations(
    episode: Episode, events: list[dict[str, Any]], new: dict[str, Any], on: date
) -> list[str]:
    position = len(events)
    try:
        facts = episode_facts(episode, [*events, new])
    except FactsError:
        return ["invalid_input"]
    timeline = evaluate(facts, on)
    return [v.code for v in timeline.violations if v.event_index == position]


def _candidate(event_type: str, variant: str | None, on: date) -> dict[str, Any]:
    candidate: dict[str, Any] = {"type": event_type, "date": on.isoformat()}
    candidate.update({name: _sample(spec, on) for name, spec in EVENT_TYPES[event_type].items()})
    if variant:
        candidate["purpose"] = variant
    return candidate


def _allowed_values(
    episode: Episode, events: list[dict[str, Any]], base: dict[str, Any], name: str, on: date
) -> tuple[str, ...]:
    """The values of choice field `name` the engine accepts (all of them when it refuses every
    value for another reason: the form then shows why)."""
    choices = EVENT_TYPES[base["type"]][name].choices
    refusing = PROBED_FIELDS[name]
    allowed = []
    for value in choices:
        codes = _violations(episode, events, {**base, name: value}, on)
        if (refusing not in codes) if refusing else not codes:
            allowed.append(value)
    return tuple(allowed) or choices


def choices_for(
    episode: Episode, event_type: str, variant: str | None, on: date
) -> dict[str, tuple[str, ...]]:
    """For each choice field of the form: the values the law allows on `on`."""
    events = _existing(episode)
    base = _candidate(event_type, variant, on)
    out: dict[str, tuple[str, ...]] = {}
    if "mode" in EVENT_TYPES[event_type]:
        out["mode"] = _allowed_values(episode, events, base, "mode", on)
        base["mode"] = out["mode"][0]
    for name, spec in EVENT_TYPES[event_type].items():
        if name in ("mode", "purpose") or not spec.choices:
            continue
        if name in PROBED_FIELDS:
            out[name] = _allowed_values(episode, events, base, name, on)
        else:
            out[name] = spec.choices
    return out


def possibilities(episode: Episode, event_types: list[str], on: date) -> list[Possibility]:
    """Whether each registration type (and variant) would be accepted on `on`.

    The answer is a function of the facts (the episode's, its person's birth date and the
    registrations in force), the day and the types asked, so it is kept per process under
    exactly those (`_ANSWERS`): a dossier page asks the engine some 70 times for its menu, and
    asks again only when a fact or the day changed."""
    events = _existing(episode)
    key = (
        episode.pk, episode.start, episode.employment_contract, episode.employer_workers,
        episode.person.birth_date, on, tuple(event_types), repr(events),
    )  # fmt: skip
    known = _ANSWERS.get(key)
    if known is not None:
        return list(known)
    found: list[Possibility] = []
    for event_type in event_types:
        for variant in VARIANTS.get(event_type, (None,)):
            found.append(_possibility(episode, events, event_type, variant, on))
    if len(_ANSWERS) >= MAX_ANSWERS:
        _ANSWERS.pop(next(iter(_ANSWERS)))  # the oldest first
    _ANSWERS[key] = tuple(found)
    return found


# The engine's answers by facts, day and types asked (see `possibilities`); bounded.
_ANSWERS: dict[tuple[Any, ...], tuple[Possibility, ...]] = {}
MAX_ANSWERS = 4096


def _possibility(
    episode: Episode, events: list[dict[str, Any]], event_type: str, variant: str | None, on: date
) -> Possibility:
    specs = EVENT_TYPES[event_type]
    base = _candidate(event_type, variant, on)
    options: list[list[tuple[str, Any]]] = []
    for name, spec in specs.items():
        if name == "mode":
            base["mode"] = _allowed_values(episode, events, base, "mode", on)[0]
        elif name in PROBED_FIELDS:
            options.append([(name, value) for value in spec.choices])
    first_code: str | None = None
    for combination in itertools.product(*options) if options else [()]:
        codes = _violations(episode, events, {**base, **dict(combination)}, on)
        if not codes:
            return Possibility(event_type, variant, True, None)
        first_code = first_code or codes[0]
    return Possibility(event_type, variant, False, first_code)
