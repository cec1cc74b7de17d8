"""The RIZIV "Barometer Terug Naar Werk": eight themes per month or quarter, per mutuality and
in total (definitions and sources: docs/reports.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tnw.reports import periods
from tnw.reports.scope import Scope
from tnw.reports.tables import Chart, Column, Report, Table, people

BAROMETER_SOURCE = _("RIZIV, Barometer Terug Naar Werk (23-10-2024, update 15-12-2025)")


@dataclass(frozen=True)
class Theme:
    key: str
    title: Any
    measures: tuple[tuple[str, Any], ...]
    source: Any


THEMES = (
    Theme("inflow_outflow", _("1. Inflow and outflow of incapacity"),
          (("inflow", _("Incapacities started")), ("outflow", _("Incapacities ended"))),
          _("Incapacity episodes by start and end date (KB 3-7-1996 art. 215octies)")),
    Theme("coordinators", _("2. Active TNW coordinators"),
          (("active_coordinators", _("Coordinators who registered a step")),),
          _("Circular V.I. 2022/383 II 2.2: the TNW coordinator registers every action")),
    Theme("estimates", _("3. Capacity estimates"),
          (("questionnaire_sent", _("Questionnaires sent")),
           ("questionnaire_received", _("Questionnaires received")),
           ("capacity_assessed", _("Remaining capacities estimated"))),
          _("KB 3-7-1996 art. 215octies; circular III 3.1 steps 2-4 (questionnaire, estimate)")),
    Theme("categories", _("4. Categories"),
          (("category_1", _("Category 1")), ("category_2", _("Category 2")),
           ("category_3", _("Category 3")), ("category_4", _("Category 4"))),
          _("Circular III 3.1 steps 4-5: categorisation by remaining capacities")),
    Theme("referrals", _("5. Referrals and TNW registrations"),
          (("referred_to_coordinator", _("Referrals to the TNW coordinator")),
           ("spontaneous_request", _("Spontaneous requests")),
           ("first_contact", _("First contact moments"))),
          _("Circular III 3.1 step 6 (referral), 3.2 (own request), step 7 (first contact)")),
    Theme("plans", _("6. Engagement declarations and plans"),
          (("ziv_started", _("ZIV trajectories started (engagement declaration)")),
           ("plan_drawn_up", _("Re-integration plans drawn up or adjusted"))),
          _("KB 3-7-1996 art. 215novies; circular IV 4.2-4.3 (Annex IV, the plan)")),
    Theme("part_time", _("7. Part-time resumption"),
          (("permission_requested", _("Permissions requested")),
           ("authorised_work_started", _("Authorised work started"))),
          _("Art. 100 §2 coordinated law 14-7-1994 (authorised work)")),
    Theme("codex", _("8. CODEX trajectories"),
          (("codex_requested", _("CODEX re-integration requests")),
           ("codex_ended", _("CODEX trajectories ended"))),
          _("Codex on well-being at work, book I title 4 chapter VI")),
)  # fmt: skip
# Staff, not insured people: not small-cell suppressed.
STAFF_MEASURES = frozenset({"active_coordinators"})
EVENT_MEASURES = tuple(
    key
    for theme in THEMES
    if theme.key in {"estimates", "referrals", "plans", "part_time", "codex"}
    for key, _label in theme.measures
)


def figures(scope: Scope) -> dict[tuple, int]:
    """{(period, mutuality_id, measure): n} for every theme."""
    source = scope.figures
    rows = [
        *source.event_counts(types=EVENT_MEASURES),
        *source.category_counts(),
        *source.episode_flows(),
        *source.active_coordinators(),
    ]
    grid: dict[tuple, int] = defaultdict(int)
    for row in rows:
        grid[(periods.as_date(row["period"]), row["mutuality_id"], row["key"])] += row["n"]
    return grid


def _theme_table(theme: Theme, grid: dict[tuple, int], scope: Scope) -> Table:
    mutualities = scope.mutualities()
    several = len(mutualities) > 1
    columns = [Column("period", _("Period"))]
    columns += [Column("mutuality", _("Mutuality"))] if several else []
    columns += [Column(key, label) for key, label in theme.measures]
    rows = []
    for bucket in periods.buckets(scope.start, scope.end, scope.grain):
        name = periods.label(bucket, scope.grain)
        block = [{"period": name, "mutuality": f"{m.code} {m.name}"} for m in mutualities]
        total: dict[str, Any] = {"period": name, "mutuality": str(_("Total")), "_chart": True}
        for key, _label in theme.measures:
            counts = [grid.get((bucket, m.pk, key), 0) for m in mutualities]
            for row, n in zip(block, counts, strict=True):
                row[key] = _shown(key, n)
            total[key] = _shown(key, sum(counts))
        rows.extend([*block, total] if several else [total])
    chart = Chart("line", "period", [key for key, _label in theme.measures], True)
    return Table(theme.key, theme.title, columns, rows, theme.source, BAROMETER_SOURCE, chart)


def _shown(key: str, n: int) -> int | str:
    return n if key in STAFF_MEASURES else people(n)


def barometer(scope: Scope) -> Report:
    grid = figures(scope)
    tables = [_theme_table(theme, grid, scope) for theme in THEMES]
    return Report("barometer", _("Barometer Terug Naar Werk"), tables)
