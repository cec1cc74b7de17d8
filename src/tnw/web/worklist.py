"""The home page's worklist: the worklists app's API (`tnw.worklists.selectors`), with the
filters the counters link to.

The page shows the first `HOME_ROWS` items (the most urgent; every item is on the paged
worklist screen, tnw.caseload). What a row shows is worked out here, once per kind and value
in the request's language (a status, a task, "in 3 days"), so that the template only prints
strings: a template lookup or a translation per cell and row was most of the page's CPU."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from tnw.dossier import selectors as dossier
from tnw.web import catalogue, labels, present
from tnw.web.templatetags.tnw_web import age, bedate, days_left
from tnw.worklists import selectors as worklists

WEEK = timedelta(days=7)
HOME_ROWS = 50
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
    """A worklist item with what its row shows, in the user's language."""

    item: worklists.WorklistItem
    why: catalogue.Text
    status_label: str
    task: str
    due_text: str  # dd/mm/yyyy, or "no term"
    due_note: str  # "in 3 days", "2 days late", "open for 5 days"
    target_text: str  # the working target of a task late on arrival
    from_text: str  # an upcoming task: "from dd/mm/yyyy"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "item":  # copying, pickling: no recursion
            raise AttributeError(name)
        return getattr(self.item, name)


def _once(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """`function` computed once per value within one page (the active language is fixed)."""
    memo: dict[Any, str] = {}

    def cached(value: Any) -> str:
        if value not in memo:
            memo[value] = function(value)
        return memo[value]

    return cached


def items_for(user, today: date, chosen: str) -> list[Row]:
    options = dict(FILTERS.get(chosen, {}))
    if chosen == "this_week":
        options.update(due_from=today, due_before=today + WEEK)
    items = worklists.worklist_for(user, today=today, channel="web", limit=HOME_ROWS, **options)
    parts = (
        dossier.explanation_parts(user=user, obligation_ids=[i.obligation_id for i in items])
        if items
        else {}
    )
    status, task, day = (
        _once(lambda code: str(labels.STATUS_LABELS.get(code, code))),
        _once(labels.obligation_label),
        _once(bedate),
    )
    left, opened = _once(days_left), _once(age)
    working = _once(lambda d: _("working target %(day)s") % {"day": bedate(d)})
    starts = _once(lambda d: _("from %(day)s") % {"day": bedate(d)})
    return [
        Row(
            item, present.explain(parts.get(item.obligation_id), item.explanation),
            status_label=status(item.status), task=task(item.code),
            due_text=day(item.due) if item.due else _("no term"),
            due_note=(
                "" if item.late_on_arrival and item.due
                else left(item.days_left) if item.due else opened(item.age_days)
            ),
            target_text=working(item.target) if item.late_on_arrival and item.target else "",
            from_text=starts(item.opens) if item.status == "upcoming" else "",
        )
        for item in items
    ]  # fmt: skip


def counts_for(user, today: date):
    return worklists.counts_for(user, today)


def team_for(user, today: date):
    return worklists.team_counts(user, today)
