"""The status of a stored obligation as of a day: one definition for Python and for SQL.

The dossier stores `pending`, `done` or `void`; whether a pending obligation is upcoming, open or
overdue follows from the date, so nothing needs a nightly job to become overdue. The conditions
below are written once, as ORM lookups in order of precedence (the first that holds gives the
status); `status_of` evaluates them on a row in Python, `status_q` and `status_case` turn them
into SQL, so a worklist filter, a count and a page can never disagree.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

from django.db.models import Case, CharField, Q, Value, When

# "today" in a condition: the day the status is asked for.
TODAY = object()

# (status, lookups that must all hold), in order of precedence; the last one holds always.
CONDITIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("done", {"state": "done"}),
    ("void", {"state": "void"}),
    ("upcoming", {"opens__gt": TODAY}),
    ("overdue", {"due__lt": TODAY}),
    ("open", {}),
)
STATUSES = tuple(status for status, _ in CONDITIONS)
PENDING_STATUSES = ("upcoming", "open", "overdue")
# The order of urgency of a pending obligation: overdue first, then open, then upcoming (the
# worklist's sort in SQL, `tnw.dossier.obligations.urgency`, and a page's sort in Python,
# `urgency_rank`).
URGENCY = {"overdue": 0, "open": 1, "upcoming": 2}
WEEK = timedelta(days=7)

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "lt": operator.lt,
    "gte": operator.ge,
    "lte": operator.le,
}


class StoredObligation(Protocol):
    state: str
    opens: date
    due: date | None


def _holds(row: Any, lookups: dict[str, Any], today: date) -> bool:
    for lookup, wanted in lookups.items():
        name, _, op = lookup.partition("__")
        value = row[name] if isinstance(row, dict) else getattr(row, name)
        wanted = today if wanted is TODAY else wanted
        # SQL semantics: a comparison with NULL (no legal term) never holds.
        if value is None or not _OPERATORS[op or "exact"](value, wanted):
            return False
    return True


def status_of(obligation: StoredObligation | dict[str, Any], today: date) -> str:
    """done / void / upcoming / open / overdue as of `today` (a model row or a dict with
    state, opens and due)."""
    for status, lookups in CONDITIONS:
        if _holds(obligation, lookups, today):
            return status
    raise AssertionError("the last condition always holds")  # pragma: no cover


def urgency_rank(status: str) -> int:
    """0 overdue, 1 open, 2 upcoming (a sort key); ValueError for another status."""
    try:
        return URGENCY[status]
    except KeyError:
        raise ValueError(f"not a pending status {status!r}; one of {', '.join(URGENCY)}") from None


def _q(lookups: dict[str, Any], today: date, prefix: str) -> Q:
    return Q(**{prefix + k: (today if v is TODAY else v) for k, v in lookups.items()})


def status_q(status: str, today: date, prefix: str = "") -> Q:
    """The SQL condition of one status (e.g. for a worklist filter or a count); `prefix`
    reaches the obligation through a relation ("obligations__")."""
    condition = Q()
    for name, lookups in CONDITIONS:
        if name == status:
            return condition & _q(lookups, today, prefix)
        condition &= ~_q(lookups, today, prefix)
    raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")


def statuses_q(statuses: tuple[str, ...], today: date) -> Q:
    """Any of these statuses."""
    condition = Q(pk__in=[])
    for status in statuses:
        condition |= status_q(status, today)
    return condition


def status_case(today: date) -> Case:
    """The status as a SQL expression (to annotate, group or sort on)."""
    return Case(
        *(When(_q(lookups, today, ""), then=Value(status)) for status, lookups in CONDITIONS[:-1]),
        default=Value(CONDITIONS[-1][0]),
        output_field=CharField(),
    )


def due_this_week_q(today: date) -> Q:
    """Open and due within the coming week (today included)."""
    return status_q("open", today) & Q(due__gte=today, due__lte=today + WEEK)


def no_term_q(today: date) -> Q:
    """Open without a legal term."""
    return status_q("open", today) & Q(due__isnull=True)
