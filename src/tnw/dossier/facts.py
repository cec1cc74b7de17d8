"""The bridge to the rules engine: an episode and its registrations as `Facts`."""

from __future__ import annotations

from typing import Any

from tnw.dossier.models import Episode
from tnw.rules import Facts, parse_facts

# What `episode_facts` reads of an episode and its person: a bulk read loads these fields
# (`tnw.dossier.obligations.episodes_with_events`); one left out is a query per episode.
EPISODE_FACT_FIELDS = (
    "start", "employment_contract", "employer_workers", "person__birth_date",
)  # fmt: skip


def episode_facts(episode: Episode, events: list[dict[str, Any]]) -> Facts:
    """The facts of `episode` with `events` (contract dicts, in position order)."""
    person = episode.person
    raw: dict[str, Any] = {
        "incapacity_start": episode.start.isoformat(),
        "employment_contract": episode.employment_contract,
        "events": events,
    }
    if episode.employer_workers is not None:
        raw["employer_workers"] = episode.employer_workers
    if person.birth_date is not None and person.birth_date <= episode.start:
        raw["birth_date"] = person.birth_date.isoformat()
    return parse_facts(raw)
