"""Freeze the engine's output, and compare the engine against the frozen output.

The safety net of the rules layout (issue 8): the timelines of every scenario in
tests/rules/scenarios and of a synthetic population, as JSON lines. A refactoring must give the
same output byte for byte; the only difference allowed is a field that was added.

    python -m tests.rules.frozen.freeze write    # deliberately refresh the frozen output
    python -m tests.rules.frozen.freeze check    # compare (also run by test_frozen_output.py)

The population reuses the generator of `tnw simulate` (the demo's process scenarios, jittered,
about 40% late or blank questionnaires), seeded, without a database, and adds "wild" episodes
whose events are drawn at random from every event type, so that violations are frozen too.
"""

from __future__ import annotations

import json
import lzma
import os
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FROZEN = HERE / "timelines.jsonl.xz"
SEED = 20261201
POPULATION = 20_000
WILD = 5_000
TODAY = date(2026, 12, 1)
LATER_LAW_TYPES = {
    "invited",
    "absent",
    "registered_letter_sent",
    "contacted_after_absence",
    "work_potential_requested",
    "work_potential_estimated",
    "employment_service_registered",
    "codex_invited",
    "codex_unanswered",
    "codex_appealed",
    "medical_force_majeure_requested",
}
# Fields added to an event type after the freeze (no legal effect): left out of the wild inputs,
# so that these stay those frozen before them. The plan's `action_by` (issue 16) names who does
# each action.
LATER_FIELDS = {("plan_drawn_up", "action_by")}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tnw.settings.test")
    import django

    django.setup()


def scenario_cases() -> Iterator[tuple[str, dict[str, Any], date]]:
    from tests.rules.scenario_runner import load_scenarios

    for scenario in load_scenarios():
        yield f"scenario {scenario.id}", scenario.facts, scenario.as_of


def population_cases(count: int = POPULATION) -> Iterator[tuple[str, dict[str, Any], date]]:
    """Episodes as `tnw simulate` draws them (same generator, fixed seed and date)."""
    from tnw.dossier import demo
    from tnw.worklists.simulate import SCENARIO_WEIGHTS, _events, _questionnaire_variation

    for n in range(count):
        rng = random.Random(SEED * 1_000_003 + n)
        _name, contract, make_steps, _ = rng.choices(demo.SCENARIOS, weights=SCENARIO_WEIGHTS)[0]
        start = TODAY - timedelta(days=min(int(rng.expovariate(1 / 420)), 3000))
        events = _events(_questionnaire_variation(make_steps(), rng), start, TODAY, rng)
        facts = {
            "incapacity_start": start.isoformat(),
            "employment_contract": contract,
            "birth_date": (start - timedelta(days=rng.randint(18 * 365, 66 * 365))).isoformat(),
            "events": [{"type": t, "date": d.isoformat(), **f} for t, d, f, _r, _o in events],
        }
        # Evaluated at the end of the story and in the middle of it.
        yield f"population {n}", facts, TODAY
        yield f"population {n} midway", facts, start + timedelta(days=rng.randint(0, 500))


def _wild_value(rng: random.Random, kind: str, choices: tuple[str, ...], when: date) -> Any:
    if kind == "bool":
        return rng.random() < 0.7
    if kind == "category":
        return rng.choice([1, 2, 3, 4, 4])
    if kind == "date":
        return (when + timedelta(days=rng.randint(-30, 200))).isoformat()
    if kind == "str_list":
        return rng.choice([[], ["a step"], [" "], ["a", "b"]])
    if choices:
        return rng.choice(choices)
    return rng.choice(["", "training", "80% job"])


def wild_cases(count: int = WILD) -> Iterator[tuple[str, dict[str, Any], date]]:
    """Random events of every type: mostly violations, some deep states."""
    from tnw.rules.facts import EVENT_TYPES

    # The event types of the law after 2022 (issue 9) are left out, so that the wild inputs stay
    # those frozen before them; their scenarios (10_sanctions, 11_work_potential_codex_2026)
    # are frozen with the other scenarios.
    types = sorted(set(EVENT_TYPES) - LATER_LAW_TYPES)
    for n in range(count):
        rng = random.Random(SEED + 7 * n)
        start = date(2021, 6, 1) + timedelta(days=rng.randint(0, 2000))
        events = []
        for _ in range(rng.randint(0, 18)):
            event_type = rng.choice(types)
            when = start + timedelta(days=rng.randint(-10, 700))
            event: dict[str, Any] = {"type": event_type, "date": when.isoformat()}
            for name, spec in EVENT_TYPES[event_type].items():
                if (event_type, name) in LATER_FIELDS:
                    continue
                if spec.required or rng.random() < 0.5:
                    event[name] = _wild_value(rng, spec.kind, spec.choices, when)
            events.append(event)
        facts = {
            "incapacity_start": start.isoformat(),
            "employment_contract": rng.random() < 0.6,
            "events": events,
        }
        yield f"wild {n}", facts, start + timedelta(days=rng.randint(0, 900))


def cases() -> Iterator[tuple[str, dict[str, Any], date]]:
    yield from scenario_cases()
    yield from population_cases()
    yield from wild_cases()


def outputs() -> Iterator[tuple[str, str]]:
    from tnw.rules import evaluate, parse_facts

    for name, facts, as_of in cases():
        timeline = evaluate(parse_facts(facts), as_of)
        yield name, json.dumps(timeline.to_json(), sort_keys=True, ensure_ascii=False)


def write() -> int:
    count = 0
    with lzma.open(FROZEN, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        for name, text in outputs():
            out.write(json.dumps(name) + "\t" + text + "\n")
            count += 1
    return count


def only_added(old: Any, new: Any) -> bool:
    """`new` equals `old` except for dictionary keys that `new` adds."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(
            key in new and only_added(value, new[key]) for key, value in old.items()
        )
    if isinstance(old, list):
        return (
            isinstance(new, list)
            and len(old) == len(new)
            and all(only_added(a, b) for a, b in zip(old, new, strict=True))
        )
    return type(old) is type(new) and old == new


def compare() -> tuple[int, int, int, list[str]]:
    """(identical, only fields added, total, differences: the first few case names)."""
    identical = added = total = 0
    differences: list[str] = []
    with lzma.open(FROZEN, "rt", encoding="utf-8") as frozen:
        for line, (name, text) in zip(frozen, outputs(), strict=True):
            total += 1
            old_name, old_text = line.rstrip("\n").split("\t", 1)
            assert json.loads(old_name) == name, (old_name, name)
            if old_text == text:
                identical += 1
            elif only_added(json.loads(old_text), json.loads(text)):
                added += 1
            elif len(differences) < 20:
                differences.append(name)
            else:
                differences.append("...")
                break
    return identical, added, total, differences


def main(argv: list[str]) -> int:
    _django()
    if argv[:1] == ["write"]:
        print(f"froze {write()} timelines in {FROZEN}")
        return 0
    identical, added, total, differences = compare()
    print(f"{total} timelines: {identical} byte-identical, {added} with added fields only")
    for name in differences:
        print(f"DIFFERENT: {name}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
