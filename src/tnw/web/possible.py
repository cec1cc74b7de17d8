"""What the law allows at this point of an episode: which registrations, with which choices.

The rules engine decides; this module only asks it. For each registration type the user may
register, it adds a candidate event dated on the given day to the episode's facts and looks at
the violations the engine reports for it (a dry run: nothing is stored, nothing is audited, and
only yes/no and the violation code leave this module, never the dossier's content).

Contact modes come from the dated parameter `tnw.contact_modes` (circular V).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode
from tnw.rules import EVENT_TYPES, FactsError, evaluate
from tnw.rules import parameters as rule_parameters
from tnw.rules.facts import FieldSpec

# Registration types with a purpose chosen before the form (it decides the allowed modes).
VARIANTS: dict[str, tuple[str, ...]] = {"contact": ("refusal_discussion", "other")}
MODE_KEYS = {
    "first_contact": "first_contact",
    "questionnaire_help_contact": "questionnaire_help_contact",
    "follow_up_meeting": "follow_up_meeting",
}
# Choice fields whose allowed values are asked from the engine (the others are all offered).
PROBED_FIELDS = ("situation", "decision", "by")


@dataclass(frozen=True)
class Possibility:
    event_type: str
    variant: str | None
    allowed: bool
    code: str | None  # the first violation code when not allowed


def contact_modes(event_type: str, variant: str | None, on: date) -> tuple[str, ...]:
    """The contact modes the law allows for this contact moment on `on`."""
    table = rule_parameters.value("tnw.contact_modes", on).value
    if event_type == "contact":
        key = "refusal_discussion" if variant == "refusal_discussion" else "other_contact"
    else:
        key = MODE_KEYS[event_type]
    return tuple(table[key])


def _existing(episode: Episode) -> list[dict[str, Any]]:
    return [r.to_contract() for r in episode.registrations.order_by("position")]


def _sample(name: str, spec: FieldSpec, on: date) -> Any:
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


def _violations(episode: Episode, events: list[dict[str, Any]], new: dict[str, Any], on: date):
    position = len(events)
    try:
        facts = episode_facts(episode, [*events, new])
    except FactsError:
        return ["invalid_input"]
    timeline = evaluate(facts, on)
    return [v.code for v in timeline.violations if v.event_index == position]


def choices_for(
    episode: Episode, event_type: str, variant: str | None, on: date
) -> dict[str, tuple[str, ...]]:
    """For each choice field of the form: the values the law allows on `on`."""
    specs = EVENT_TYPES[event_type]
    events = _existing(episode)
    base = {"type": event_type, "date": on.isoformat()}
    base.update({name: _sample(name, spec, on) for name, spec in specs.items()})
    if variant:
        base["purpose"] = variant
    out: dict[str, tuple[str, ...]] = {}
    if "mode" in specs:
        out["mode"] = contact_modes(event_type, variant, on)
        base["mode"] = out["mode"][0]
    for name, spec in specs.items():
        if name == "mode" or name == "purpose" or not spec.choices:
            continue
        if name not in PROBED_FIELDS:
            out[name] = spec.choices
            continue
        allowed = tuple(
            value
            for value in spec.choices
            if not _violations(episode, events, {**base, name: value}, on)
        )
        out[name] = allowed or spec.choices
    return out


def possibilities(episode: Episode, event_types: list[str], on: date) -> list[Possibility]:
    """Whether each registration type (and variant) would be accepted on `on`."""
    events = _existing(episode)
    found: list[Possibility] = []
    for event_type in event_types:
        for variant in VARIANTS.get(event_type, (None,)):
            found.append(_possibility(episode, events, event_type, variant, on))
    return found


def _possibility(
    episode: Episode, events: list[dict[str, Any]], event_type: str, variant: str | None, on: date
) -> Possibility:
    specs = EVENT_TYPES[event_type]
    base: dict[str, Any] = {"type": event_type, "date": on.isoformat()}
    base.update({name: _sample(name, spec, on) for name, spec in specs.items()})
    if variant:
        base["purpose"] = variant
    options: list[list[tuple[str, Any]]] = []
    for name, spec in specs.items():
        if name == "mode":
            options.append([(name, mode) for mode in contact_modes(event_type, variant, on)][:1])
        elif name in PROBED_FIELDS:
            options.append([(name, value) for value in spec.choices])
    first_code: str | None = None
    for combination in itertools.product(*options) if options else [()]:
        codes = _violations(episode, events, {**base, **dict(combination)}, on)
        if not codes:
            return Possibility(event_type, variant, True, None)
        first_code = first_code or codes[0]
    return Possibility(event_type, variant, False, first_code)
