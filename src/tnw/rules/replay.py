"""Replay one episode under another regime (what-if) and compare two timelines.

`parse_regimes("tnw=2026-01-01,codex=2022-10-01")` checks a regime choice against
`parameters/regimes.yaml`; `evaluate(facts, as_of, regimes)` applies it: every rule takes its
dated parameters from the first day of the chosen regime instead of the date of the fact (the
sanction rate, the work-potential duties, the CODEX terms and decision letters). What may be
registered (screening) still follows the law by date: a replay re-reads the registered facts,
it does not change them. `compare(a, b)` says obligation by obligation what differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import parameters
from .facts import FactsError
from .model import Obligation, Sanction, Timeline

FAMILIES = ("tnw", "codex")


def known_regimes() -> dict[str, tuple[str, ...]]:
    return {family: tuple(r.id for r in parameters.all_regimes()[family]) for family in FAMILIES}


def parse_regimes(text: str, where: str = "--regime") -> dict[str, str]:
    """`family=id[,family=id]` into {family: id}, or FactsError naming what is wrong. The word
    `law` (or an empty text) stands for the law by date."""
    chosen: dict[str, str] = {}
    if text.strip() in ("", "law"):
        return chosen
    known = known_regimes()
    for part in text.split(","):
        family, _, regime = part.strip().partition("=")
        family, regime = family.strip(), regime.strip()
        if family not in known:
            raise FactsError(where, f"unknown regime family {family!r}; known: tnw, codex")
        if regime not in known[family]:
            raise FactsError(
                where,
                f"{family} has no regime {regime!r}; known: {', '.join(known[family])}",
            )
        if family in chosen:
            raise FactsError(where, f"the {family} regime is chosen twice")
        chosen[family] = regime
    return chosen


def describe(regimes: Mapping[str, str]) -> str:
    return ",".join(f"{f}={r}" for f, r in sorted(regimes.items())) or "law"


@dataclass(frozen=True)
class Difference:
    """One obligation or sanction that differs between two timelines."""

    kind: str  # "added", "dropped", "changed"
    what: str  # "obligation" or "sanction"
    code: str  # obligation code, or the sanction's appointment
    sequence: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: tuple[str, ...] = ()  # the fields that changed

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "code": self.code,
            "sequence": self.sequence,
            "fields": list(self.fields),
            "before": self.before,
            "after": self.after,
        }


OBLIGATION_FIELDS = ("actor", "opens", "due", "status", "done_on", "late")
SANCTION_FIELDS = ("kind", "start", "end", "percentage", "regime")


def _obligation(obligation: Obligation) -> dict[str, Any]:
    out = obligation.to_json()
    return {name: out.get(name) for name in OBLIGATION_FIELDS}


def _sanction(sanction: Sanction) -> dict[str, Any]:
    out = sanction.to_json()
    return {name: out.get(name) for name in SANCTION_FIELDS}


def _diff(
    what: str,
    before: Mapping[tuple[str, int], dict[str, Any]],
    after: Mapping[tuple[str, int], dict[str, Any]],
) -> Iterable[Difference]:
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old is None:
            yield Difference("added", what, key[0], key[1], None, new)
        elif new is None:
            yield Difference("dropped", what, key[0], key[1], old, None)
        elif old != new:
            fields = tuple(name for name in old if old[name] != new.get(name))
            yield Difference("changed", what, key[0], key[1], old, new, fields)


def _numbered(items: Iterable[tuple[str, dict[str, Any]]]) -> dict[tuple[str, int], Any]:
    counts: dict[str, int] = {}
    out = {}
    for code, value in items:
        counts[code] = counts.get(code, 0) + 1
        out[(code, counts[code])] = value
    return out


def compare(before: Timeline, after: Timeline) -> list[Difference]:
    """What differs between two timelines of the same facts: obligations matched by code and
    occurrence (`sequence`), sanctions by appointment and order."""
    obligations = _diff(
        "obligation",
        {(o.code, o.sequence): _obligation(o) for o in before.obligations},
        {(o.code, o.sequence): _obligation(o) for o in after.obligations},
    )
    sanctions = _diff(
        "sanction",
        _numbered((s.appointment, _sanction(s)) for s in before.sanctions),
        _numbered((s.appointment, _sanction(s)) for s in after.sanctions),
    )
    return [*obligations, *sanctions]


def render(differences: list[Difference], before: str, after: str) -> str:
    """The comparison for people: one line per difference."""
    lines = [f"{before}  ->  {after}"]
    if not differences:
        lines.append("no difference")
    for d in differences:
        name = f"{d.what} {d.code} #{d.sequence}"
        if d.kind == "changed":
            assert d.before is not None and d.after is not None
            changes = ", ".join(f"{f}: {d.before[f]} -> {d.after[f]}" for f in d.fields)
            lines.append(f"changed  {name}: {changes}")
        else:
            shown = d.after if d.kind == "added" else d.before
            assert shown is not None
            summary = ", ".join(f"{k} {v}" for k, v in shown.items() if v is not None)
            lines.append(f"{d.kind:<8} {name}: {summary}")
    return "\n".join(lines)
