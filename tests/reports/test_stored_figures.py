"""The stored figures (tnw.dossier.figures, refreshed by the daily run) equal the figures counted
directly from the registrations and obligations (statistics.Direct, the reference), on a
simulated population, for every report, scope and period they answer; and a report they do
not answer exactly is counted directly."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.conftest import TODAY
from tnw.dossier import statistics
from tnw.dossier.figure_models import FigureRefresh
from tnw.dossier.figures import Stored
from tnw.mutualities.models import Mutuality
from tnw.reports import periods, registry
from tnw.reports.scope import command_scope
from tnw.worklists.daily import run_daily
from tnw.worklists.simulate import simulate

# (start, end, grain): whole months or quarters, or up to the refresh day (`None`).
WINDOWS = [
    (date(2026, 1, 1), date(2026, 12, 31), "month"),
    (date(2025, 12, 1), None, "month"),
    (date(2025, 10, 1), None, "quarter"),
    (date(2023, 1, 1), date(2026, 12, 31), "quarter"),
    (date(2022, 3, 1), date(2024, 2, 29), "month"),
]


def normal(rows) -> list:
    """Rows as comparable values: periods as dates (SQLite answers strings), sorted."""
    out = []
    for row in rows:
        row = dict(row)
        for key in ("period", "group"):
            if isinstance(row.get(key), str) and len(row[key]) >= 10:
                row[key] = periods.as_date(row[key])
        out.append(tuple(sorted((k, str(v)) for k, v in row.items())))
    return sorted(out)


def quantiles(rows) -> dict[tuple, tuple]:
    """What the reports read of a histogram of days: per code and group, the count, the median
    and the p90 (the stored figures answer a histogram reduced to those)."""
    histograms: dict[tuple, dict[int, int]] = {}
    for row in rows:
        group = row["group"]
        if isinstance(group, str) and len(group) >= 10:
            group = periods.as_date(group)
        days = histograms.setdefault((row["code"], group), {})
        days[row["days"]] = days.get(row["days"], 0) + row["n"]
    return {
        key: (sum(days.values()), nearest(days, 0.5), nearest(days, 0.9))
        for key, days in histograms.items()
    }


def nearest(days: dict[int, int], fraction: float) -> int:
    """Nearest rank, worked out on the whole list of values (not tables.percentile)."""
    values = sorted(day for day, n in days.items() for _ in range(n))
    return values[math.ceil(fraction * len(values)) - 1]


def same_figures(direct, stored) -> None:
    types = ("questionnaire_sent", "first_contact", "plan_drawn_up", "codex_requested")
    assert normal(stored.event_counts(types=types)) == normal(direct.event_counts(types=types))
    for name in ("category_counts", "episode_flows", "active_coordinators", "backlog_ageing",
                 "trajectory_outcomes"):  # fmt: skip
        assert normal(getattr(stored, name)()) == normal(getattr(direct, name)()), name
    for by in ("total", "period", "worker", "mutuality"):
        assert normal(stored.compliance(by=by)) == normal(direct.compliance(by=by)), by
        assert quantiles(stored.completion_days(by=by)) == quantiles(direct.completion_days(by=by))
    answer, reference = stored.funnel(), direct.funnel()
    assert answer["reached"] == reference["reached"]
    assert normal(answer["gaps"]) == normal(reference["gaps"])


def check_every_report(today: date, windows=WINDOWS, some: int | None = None) -> int:
    """Compare the stored and the direct figures and reports (national, and each mutuality or
    `some` of them); the number of scopes compared."""
    compared = 0
    codes = ["", *Mutuality.objects.order_by("code").values_list("code", flat=True)[:some]]
    for start, end, grain in windows:
        for code in codes:
            scope = command_scope(start=start, end=end or today, today=today, grain=grain,
                                  mutuality_code=code)  # fmt: skip
            direct = replace(scope, stored=False)
            assert isinstance(scope.figures, Stored), (start, end, grain)
            assert isinstance(direct.figures, statistics.Direct)
            same_figures(direct.figures, scope.figures)
            for name in registry.REPORTS:
                ours = registry.build(name, scope, cached=False)
                theirs = registry.build(name, direct, cached=False)
                assert ours.meta["refreshed"] is not None and theirs.meta["refreshed"] is None
                assert [t.rows for t in ours.tables] == [t.rows for t in theirs.tables], name
            compared += 1
    return compared


@pytest.fixture(autouse=True)
def english():
    cache.clear()
    with translation.override("en"):
        yield


def test_stored_figures_equal_the_direct_ones_after_registrations_and_daily_runs(db):
    simulate(people=300, today=TODAY, workers=1, seed=11)
    run_daily(today=TODAY, send=False)
    refresh = FigureRefresh.objects.get()
    assert refresh.as_of == TODAY and refresh.rows > 100
    # Something to compare in every kind of figure.
    year = statistics.Direct(statistics.Window(date(2024, 1, 1), date(2026, 12, 31)), TODAY)
    assert year.funnel()["reached"]["first_contact"] > 10
    assert all(len(rows) > 3 for rows in (
        year.compliance(by="worker"), year.completion_days(by="total"), year.backlog_ageing(),
        year.trajectory_outcomes(), year.category_counts(), year.active_coordinators(),
    ))  # fmt: skip
    assert check_every_report(TODAY) == len(WINDOWS) * (1 + Mutuality.objects.count())
    # More people registered, and the next daily runs: a week later (a new month and the
    # first day of it), then the last day of a quarter.
    simulate(people=120, today=TODAY, workers=1, seed=12)
    for later in (TODAY + timedelta(days=7), date(2026, 12, 31)):
        run_daily(today=later, send=False)
        assert FigureRefresh.objects.get().as_of == later
        assert check_every_report(later, WINDOWS[1:3], some=1) == 4


def test_a_report_the_stored_figures_do_not_answer_is_counted_directly(db):
    simulate(people=60, today=TODAY, workers=1, seed=13)
    out = StringIO()
    call_command("report", "refresh", "--as-of", TODAY.isoformat(), stdout=out)
    assert out.getvalue().startswith(f"event=figures_refreshed as_of={TODAY.isoformat()} rows=")
    month = dict(start=date(2026, 1, 1), end=date(2026, 10, 31), grain="month")
    assert isinstance(command_scope(today=TODAY, **month).figures, Stored)
    for other in (
        dict(month, start=date(2026, 1, 2)),  # not the first day of a month
        dict(month, end=date(2026, 10, 30)),  # not the last day of one, nor the refresh day
        dict(month, grain="quarter", start=date(2026, 2, 1)),  # not the first of a quarter
    ):
        assert isinstance(command_scope(today=TODAY, **other).figures, statistics.Direct)
    # As of another day than the refresh's (the status of the obligations differs).
    later = command_scope(today=TODAY + timedelta(days=1), **month)
    assert isinstance(later.figures, statistics.Direct)
    assert registry.build("compliance", later, cached=False).meta["refreshed"] is None
