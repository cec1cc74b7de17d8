"""Legal-term compliance per obligation code: shares done on time, late, still open and overdue,
and the median and p90 days from opening to done; in total, per month or quarter, per
coordinator or physician, and per mutuality (definitions: docs/reports.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from tnw.accounts.models import User
from tnw.mutualities.models import Mutuality
from tnw.reports import periods
from tnw.reports.scope import Scope
from tnw.reports.tables import (
    Chart,
    Column,
    Report,
    Table,
    people,
    percentile,
    share,
)
from tnw.web.labels import OBLIGATION_LABELS, ROLE_LABELS, obligation_label

SOURCE = _("Terms of the rules engine (docs/rules.md): KB 3-7-1996 art. 215octies-novies, "
           "circular V.I. 2022/383, Codex book I title 4 chapter VI")  # fmt: skip
STATES = ("on_time", "late", "late_on_arrival", "open", "overdue")
COUNT_COLUMNS = [
    Column("on_time", _("Done on time")),
    Column("late", _("Done late")),
    Column("late_on_arrival", _("Late on arrival (earlier step late)")),
    Column("open", _("Open")),
    Column("overdue", _("Overdue")),
    Column("total", _("Total")),
    Column("pct_on_time", _("% on time")),
    Column("pct_late", _("% late")),
    Column("pct_open", _("% open")),
    Column("pct_overdue", _("% overdue")),
    Column("median_days", _("Median days opening to done")),
    Column("p90_days", _("P90 days opening to done")),
]
CODE_ORDER = {code: index for index, code in enumerate(OBLIGATION_LABELS)}
NOT_ASSIGNED = _("not assigned to a coordinator or physician")


def _row(counts: dict[str, int], days: dict[int, int]) -> dict[str, Any]:
    total = sum(counts[state] for state in STATES)
    row: dict[str, Any] = {state: people(counts[state]) for state in STATES}
    row["total"] = people(total)
    # Late on arrival is the earlier step's lateness: no share of this step's own.
    for state in ("on_time", "late", "open", "overdue"):
        row[f"pct_{state}"] = share(counts[state], total)
    row["median_days"] = percentile(days, 0.5)
    row["p90_days"] = percentile(days, 0.9)
    return row


def _grouped(scope: Scope, by: str) -> dict[tuple, tuple[dict[str, int], dict[int, int]]]:
    """{(group, code): (counts per state, histogram of days)} from the statistics."""
    source = scope.figures
    out: dict[tuple, tuple[dict[str, int], dict[int, int]]] = defaultdict(
        lambda: (dict.fromkeys(STATES, 0), {})
    )
    for row in source.compliance(by=by):
        counts, _days = out[(row["group"], row["code"])]
        for state in STATES:
            counts[state] += row[state]
    for row in source.completion_days(by=by):
        _counts, days = out[(row["group"], row["code"])]
        days[row["days"]] = days.get(row["days"], 0) + row["n"]
    return out


def _table(scope: Scope, by: str, group: Column | None, name: Callable[[Any], str]) -> Table:
    grouped = _grouped(scope, by)
    columns = [*([group] if group else []), Column("obligation", _("Obligation")), *COUNT_COLUMNS]

    def order(key: tuple) -> tuple:
        group_order = str(key[0]) if by == "period" else name(key[0])
        return (group_order, CODE_ORDER.get(key[1], 999), key[1])

    ordered = sorted(grouped, key=order)
    rows = []
    for key in ordered:
        row = {"obligation": obligation_label(key[1]), **_row(*grouped[key])}
        if group:
            row[group.key] = name(key[0])
        rows.append(row)
    return Table(f"compliance_by_{by}", TITLES[by], columns, rows, SOURCE)


TITLES = {
    "total": _("Compliance per obligation"),
    "period": _("Compliance per obligation and period"),
    "worker": _("Compliance per coordinator or physician"),
    "mutuality": _("Compliance per obligation and mutuality"),
}


def _worker_names(scope: Scope) -> Callable[[Any], str]:
    users = {u.pk: u for u in User.objects.only("id", "username", "role")}

    def name(worker_id: int | None) -> str:
        user = users.get(worker_id) if worker_id else None
        if user is None:
            return str(NOT_ASSIGNED)
        return f"{user.username} ({ROLE_LABELS.get(user.role, user.role)})"

    return name


def total_table(scope: Scope) -> Table:
    """Compliance per obligation code over the whole scope, with its stacked-bar chart."""
    total = _table(scope, "total", None, lambda _group: "")
    total.chart = Chart(
        "stacked", "obligation", ["pct_on_time", "pct_late", "pct_open", "pct_overdue"]
    )
    return total


def compliance(scope: Scope) -> Report:
    mutualities = {m.pk: f"{m.code} {m.name}" for m in Mutuality.objects.all()}
    tables = [
        total_table(scope),
        _table(scope, "period", Column("period", _("Period")),
               lambda value: periods.label(periods.as_date(value), scope.grain)),
        _table(scope, "worker", Column("worker", _("Coordinator or physician")),
               _worker_names(scope)),
        _table(scope, "mutuality", Column("mutuality", _("Mutuality")),
               lambda value: mutualities.get(value, str(value))),
    ]  # fmt: skip
    return Report("compliance", _("Legal-term compliance"), tables)
