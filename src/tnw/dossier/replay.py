"""How many dossiers a change of regime moves, and how (issue 9): every open episode of a
mutuality (or all) evaluated under the law by date and under the chosen regimes
(tnw.rules.replay). Like tnw.dossier.statistics it answers with counts only: no person,
episode or registration id leaves this module. Access is the caller's (the operator's command
`tnw regime_impact`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import TypedDict

from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode, in_force
from tnw.rules import FactsError, evaluate, replay
from tnw.rules.facts import parse_date

# What the apps need to read a regime choice and a date (the engine stays behind this door).
parse_regimes = replay.parse_regimes
__all__ = ["FactsError", "RegimeImpact", "parse_date", "parse_regimes", "regime_impact"]


class ImpactRow(TypedDict):
    change: str  # added, dropped or changed (tnw.rules.replay.compare)
    what: str  # obligation or sanction
    code: str  # the obligation code, or the sanction's appointment
    episodes: int  # how many episodes show it


class RegimeImpact(TypedDict):
    regime: str  # the regimes compared, as tnw.rules.replay.describe writes them
    as_of: str  # ISO date
    episodes: int  # evaluated
    episodes_changed: int
    changes: list[ImpactRow]  # by (change, what, code)


def regime_impact(
    *, regimes: Mapping[str, str], today: date, mutuality_ids: tuple[int, ...] | None = None
) -> RegimeImpact:
    """Counts: episodes evaluated, episodes with a difference, and per (change, what, code)."""
    episodes = Episode.objects.select_related("person").prefetch_related("registrations")
    if mutuality_ids is not None:
        episodes = episodes.filter(person__mutuality_id__in=mutuality_ids)
    evaluated = moved = 0
    changes: Counter[tuple[str, str, str]] = Counter()
    for episode in episodes.iterator(chunk_size=500):
        events = [r.to_contract() for r in in_force(list(episode.registrations.all()))]
        facts = episode_facts(episode, events)
        differences = replay.compare(evaluate(facts, today), evaluate(facts, today, regimes))
        evaluated += 1
        moved += bool(differences)
        changes.update((d.kind, d.what, d.code) for d in differences)
    return RegimeImpact(
        regime=replay.describe(regimes),
        as_of=today.isoformat(),
        episodes=evaluated,
        episodes_changed=moved,
        changes=[
            ImpactRow(change=kind, what=what, code=code, episodes=count)
            for (kind, what, code), count in sorted(changes.items())
        ],
    )
