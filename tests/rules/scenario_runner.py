"""Loads the scenario files (tests/rules/scenarios/*.yaml) and checks one scenario.

A scenario file holds a list of scenarios a lawyer can read: the facts, the evaluation date,
and what the law expects. Only what a scenario names is checked:

- `obligations`: each entry names a `code` and the fields to check (opens, due, status,
  done_on, late, actor, void_reason_contains). When the code occurs more than once, `nth`
  (1 = the first one to open) or `opens` says which one.
- `absent`: obligation codes that must not appear at all.
- `presumptions`: the full list of expected periods (kind, start, end).
- `violations`: the full list of expected violations (event index and code); an empty list
  means "no violations".
- `regimes`: the expected regimes.
- `sanctions`: the full list of expected reduction or suspension periods (kind, appointment,
  start, end, percentage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tnw.rules import Obligation, Timeline, evaluate, parse_facts

SCENARIO_DIR = Path(__file__).parent / "scenarios"


@dataclass(frozen=True)
class Scenario:
    file: str
    title: str
    legal: str
    facts: dict[str, Any]
    as_of: date
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}: {self.title}"


def load_scenarios() -> list[Scenario]:
    scenarios = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text("utf-8")):
            scenarios.append(
                Scenario(
                    file=path.name,
                    title=raw["title"],
                    legal=raw.get("legal", ""),
                    facts=raw["facts"],
                    as_of=raw["as_of"],
                    expect=raw.get("expect", {}),
                )
            )
    return scenarios


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _pick(timeline: Timeline, wanted: dict[str, Any]) -> Obligation:
    code = wanted["code"]
    found = sorted(timeline.by_code(code), key=lambda o: (o.opens, o.sequence))
    if "opens" in wanted:
        found = [o for o in found if o.opens == wanted["opens"]]
    if "nth" in wanted:
        position = wanted["nth"] - 1
        assert position < len(found), (
            f"{code}: only {len(found)} occurrence(s), wanted nth {wanted['nth']}"
        )
        return found[position]
    assert found, (
        f"expected an obligation {code}"
        + (f" opening {wanted['opens']}" if "opens" in wanted else "")
        + f"; got {[o.code for o in timeline.obligations]}"
    )
    assert len(found) == 1, f"{code} occurs {len(found)} times: say `nth` or `opens`"
    return found[0]


def check(scenario: Scenario) -> None:
    timeline = evaluate(parse_facts(scenario.facts), scenario.as_of)
    expect = scenario.expect
    for wanted in expect.get("obligations", []):
        obligation = _pick(timeline, wanted)
        got = obligation.to_json()
        for name, value in wanted.items():
            if name in ("code", "nth"):
                continue
            if name == "void_reason_contains":
                assert obligation.void_reason and value in obligation.void_reason, (
                    f"{obligation.code}: void reason {obligation.void_reason!r} lacks {value!r}"
                )
                continue
            assert got.get(name) == _text(value), (
                f"{obligation.code} (opens {obligation.opens}): {name} is {got.get(name)!r}, "
                f"expected {_text(value)!r}; explanation: {obligation.explanation}; "
                f"void: {obligation.void_reason}"
            )
    for code in expect.get("absent", []):
        assert not timeline.by_code(code), f"{code} should not appear: {timeline.by_code(code)}"
    if "presumptions" in expect:
        got_periods = [
            {"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in timeline.presumptions
        ]
        wanted_periods = [
            {key: _text(value) for key, value in p.items()} for p in expect["presumptions"]
        ]
        assert got_periods == wanted_periods
    if "violations" in expect:
        got_violations = sorted((v.event_index, v.code) for v in timeline.violations)
        wanted_violations = sorted((v["event"], v["code"]) for v in expect["violations"])
        assert got_violations == wanted_violations, [v.message for v in timeline.violations]
    if "sanctions" in expect:
        fields = ("kind", "appointment", "start", "end", "percentage")
        got_sanctions = [{k: s.to_json()[k] for k in fields} for s in timeline.sanctions]
        wanted_sanctions = [{k: _text(s[k]) for k in fields} for s in expect["sanctions"]]
        assert got_sanctions == wanted_sanctions
    if "regimes" in expect:
        assert timeline.regimes == {k: _text(v) for k, v in expect["regimes"].items()}
