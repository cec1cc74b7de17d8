"""The dossier's door to the rules engine for what is not a stored dossier: the background
jobs (daily run, simulation) and the API's evaluation of facts sent in the contract.

The dossier package alone calls the engine: the other apps ask here for an episode's timeline,
for the timeline of facts in the JSON contract (FactsError when malformed), for the rules'
fingerprint and for the dates on which a rule regime starts, and never import `tnw.rules`'
evaluation or its parameters.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tnw import rules
from tnw.dossier.facts import episode_facts
from tnw.rules import FactsError, Timeline, evaluate, parse_facts
from tnw.rules.parameters import all_regimes

__all__ = [
    "FactsError",
    "regime_starts",
    "rules_fingerprint",
    "timeline_of",
    "timeline_of_contract",
]

if TYPE_CHECKING:
    from datetime import date

    from tnw.dossier.models import Episode


def timeline_of(*, episode: Episode, events: list[dict[str, Any]], today: date) -> Timeline:
    """The engine's timeline of `episode` with these registrations (contract form), as of
    `today`. The episode needs `start`, `employment_contract` and `person.birth_date`."""
    return evaluate(episode_facts(episode, events), today)


def timeline_of_contract(
    *, facts: dict[str, Any], today: date
) -> tuple[Timeline, list[dict[str, Any]]]:
    """The engine's timeline of facts in the JSON contract (FactsError when malformed), and
    the events as the engine reads them (contract form, in the order of `facts.events`)."""
    parsed = parse_facts(facts)
    return evaluate(parsed, today), [event.to_json() for event in parsed.events]


@cache
def rules_fingerprint() -> str:
    """A short hash of the rules package (parameters and code): changes when the rules do."""
    root = Path(rules.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.glob("parameters/*.yaml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def regime_starts() -> tuple[date, ...]:
    """The start dates of every rule regime (TNW and CODEX), from the engine's parameters."""
    return tuple(sorted({r.since for regimes in all_regimes().values() for r in regimes}))
