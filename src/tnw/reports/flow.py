"""Flow and lead times: the funnel from questionnaire to outcome with the median days between
steps, the results of ended trajectories, and the ageing of each worker's open backlog
(definitions: docs/reports.md)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from tnw.accounts.models import User
from tnw.dossier import statistics
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
from tnw.web.labels import EVENT_LABELS, ROLE_LABELS

FLOW_SOURCE = _("Circular V.I. 2022/383 III-IV: routings A and B and the ZIV trajectory")
OUTCOMES = {
    "paid_work": _("Paid work"),
    "retraining": _("Vocational retraining"),
    "other": _("Other result"),
}
AGE_LABELS = {
    "0-7": _("Open 0-7 days"),
    "8-30": _("Open 8-30 days"),
    "31-90": _("Open 31-90 days"),
    "91+": _("Open over 90 days"),
}


def _funnel_table(scope: Scope) -> Table:
    answer = scope.figures.funnel()
    gaps: dict[str, dict[int, int]] = defaultdict(dict)
    for row in answer["gaps"]:
        gaps[row["step"]][row["days"]] = gaps[row["step"]].get(row["days"], 0) + row["n"]
    cohort = sum(row["n"] for row in scope.figures.episode_flows()
                 if row["key"] == "inflow")  # fmt: skip
    rows = []
    for index, step in enumerate(statistics.FUNNEL_STEPS):
        reached = answer["reached"][step]
        rows.append({
            "step": str(EVENT_LABELS[step]),
            "reached": people(reached),
            "pct_cohort": share(reached, cohort),
            "median_days": percentile(gaps[step], 0.5) if index else None,
            "p90_days": percentile(gaps[step], 0.9) if index else None,
        })  # fmt: skip
    columns = [
        Column("step", _("Step")),
        Column("reached", _("Incapacities that reached the step")),
        Column("pct_cohort", _("% of the incapacities that started")),
        Column("median_days", _("Median days since the previous step")),
        Column("p90_days", _("P90 days since the previous step")),
    ]
    note = _("Incapacities that started in the period; days between two steps count only "
             "incapacities that reached both.")  # fmt: skip
    return Table("funnel", _("From questionnaire to outcome"), columns, rows, FLOW_SOURCE, note,
                 Chart("funnel", "step", ["reached"]))  # fmt: skip


def _outcomes_table(scope: Scope) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for row in scope.figures.trajectory_outcomes():
        counts[row["key"]] += row["n"]
    total = sum(counts.values())
    rows = [
        {"result": str(label), "n": people(counts[key]), "pct": share(counts[key], total)}
        for key, label in OUTCOMES.items()
    ]
    columns = [
        Column("result", _("Result")),
        Column("n", _("Trajectories ended")),
        Column("pct", _("% of ended trajectories")),
    ]
    return Table("outcomes", _("Results of ended trajectories"), columns, rows,
                 _("Circular IV 4.4: the end of the trajectory and its result"), "",
                 Chart("stacked", "result", ["n"]))  # fmt: skip


def _backlog_table(scope: Scope) -> Table:
    grid: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in scope.figures.backlog_ageing():
        cells = grid[row["worker"]]
        cells[row["age"]] += row["n"]
        cells["overdue"] += row["overdue"]
        cells["total"] += row["n"]
    users = {u.pk: u for u in User.objects.filter(pk__in=[w for w in grid if w])}
    rows = []
    for worker, cells in grid.items():
        user = users.get(worker) if worker else None
        row = {
            "worker": user.username if user else str(_("not assigned")),
            "role": str(ROLE_LABELS.get(user.role, user.role)) if user else "",
            **{age: people(cells[age]) for age in AGE_LABELS},
            "total": people(cells["total"]),
            "overdue": people(cells["overdue"]),
        }
        rows.append(row)
    rows.sort(key=lambda row: row["worker"])
    columns = [Column("worker", _("Coordinator or physician")), Column("role", _("Role"))]
    columns += [Column(age, label) for age, label in AGE_LABELS.items()]
    columns += [Column("total", _("Open in total")), Column("overdue", _("Of which overdue"))]
    note = _("Open obligations of coordinators and advising physicians on the day of the report, "
             "by days since they opened.")  # fmt: skip
    return Table("backlog", _("Backlog ageing per worker"), columns, rows, FLOW_SOURCE, note,
                 Chart("stacked", "worker", list(AGE_LABELS)))  # fmt: skip


def flow(scope: Scope) -> Report:
    tables = [_funnel_table(scope), _outcomes_table(scope), _backlog_table(scope)]
    return Report("flow", _("Flow and lead times"), tables)
