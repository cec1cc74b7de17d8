"""The home page's worklist: the worklists app's API (`tnw.worklists.selectors`), with the
filters the counters link to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tnw.dossier import selectors as dossier
from tnw.web import catalogue, present
from tnw.worklists import selectors as worklists

WEEK = timedelta(days=7)
# The counters of the home page: key -> the worklist filter it shows.
FILTERS = {
    "overdue": {"status": "overdue"},
    "this_week": {"status": "open", "due_from": None, "due_before": None},
    "open": {"status": "open"},
    "upcoming": {"status": "upcoming"},
    "": {},
}


@dataclass(frozen=True)
class Row:
    """A worklist item with its explanation in the user's language."""

    item: worklists.WorklistItem
    why: catalogue.Text

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "item":  # copying, pickling: no recursion
            raise AttributeError(name)
        return getattr(self.item, name)


def items_for(user, today: date, chosen: str) -> list[Row]:
    options = dict(FILTERS.get(chosen, {}))
    if chosen == "this_week":
        options.update(due_from=today, due_before=today + WEEK)
    items = worklists.worklist_for(user, today=today, channel="web", **options)
    parts = (
        dossier.explanation_parts(user=user, obligation_ids=[i.obligation_id for i in items])
        if items
        else {}
    )
    return [
        Row(item, present.explain(parts.get(item.obligation_id), item.explanation))
        for item in items
    ]


def counts_for(user, today: date):
    return worklists.counts_for(user, today)


def team_for(user, today: date):
    return worklists.team_counts(user, today)
