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

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
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
    # The due cell as HTML (every text escaped): the legal due date or "no term", then "late
    # on arrival" and its working target, "in 3 days" / "open for 5 days", "from dd/mm/yyyy".
    due_cell: SafeString

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


class _Texts:
    """The texts of the rows of one page, each computed once per value."""

    def __init__(self) -> None:
        self.status = _once(lambda code: str(labels.STATUS_LABELS.get(code, code)))
        self.task = _once(labels.obligation_label)
        self.day = _once(bedate)
        self.left, self.opened = _once(days_left), _once(age)
        self.working = _once(lambda d: _("working target %(day)s") % {"day": bedate(d)})
        self.starts = _once(lambda d: _("from %(day)s") % {"day": bedate(d)})
        self.late = _("late on arrival")
        self.no_term = format_html('<span class="muted">{}</span>', _("no term"))

    def due_cell(self, item: worklists.WorklistItem) -> SafeString:
        lines = [conditional_escape(self.day(item.due)) if item.due else self.no_term]
        notes = []
        if item.due and item.late_on_arrival:
            lines.append(format_html('<span class="small late">{}</span>', self.late))
            notes.append(self.working(item.target) if item.target else "")
        else:
            notes.append(self.left(item.days_left) if item.due else self.opened(item.age_days))
        notes.append(self.starts(item.opens) if item.status == "upcoming" else "")
        lines += [format_html('<span class="muted small">{}</span>', n) for n in notes if n]
        return mark_safe("<br>".join(lines))  # each part escaped above


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
    texts = _Texts()
    return [
        Row(
            item, present.explain(parts.get(item.obligation_id), item.explanation),
            status_label=texts.status(item.status), task=texts.task(item.code),
            due_cell=texts.due_cell(item),
        )
        for item in items
    ]  # fmt: skip


def counts_for(user, today: date):
    return worklists.counts_for(user, today)


def team_for(user, today: date):
    return worklists.team_counts(user, today)
