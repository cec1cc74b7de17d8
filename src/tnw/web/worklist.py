"""The home page's worklist: the worklists app's API (`tnw.worklists.selectors`), with the
filters the counters link to."""

from __future__ import annotations

from datetime import date, timedelta

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


def items_for(user, today: date, chosen: str):
    options = dict(FILTERS.get(chosen, {}))
    if chosen == "this_week":
        options.update(due_from=today, due_before=today + WEEK)
    return worklists.worklist_for(user, today=today, channel="web", **options)


def counts_for(user, today: date):
    return worklists.counts_for(user, today)


def team_for(user, today: date):
    return worklists.team_counts(user, today)
