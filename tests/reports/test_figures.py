"""Every report figure against the small world of conftest.py, counted by hand."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from tnw.dossier import services, statistics
from tnw.dossier.figure_models import FigureRefresh
from tnw.reports import registry
from tnw.reports.scope import scope_for

TODAY = date(2026, 11, 24)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def english():
    cache.clear()
    with translation.override("en"):
        yield


# Every figure twice: counted from the registrations and obligations, and from the stored
# figures of a refresh as of the report day (tnw.dossier.figures: they must be the same).
@pytest.fixture(autouse=True, params=["counted", "stored"])
def figures_from(request):
    if request.param == "stored" and "world" in request.fixturenames:
        request.getfixturevalue("world")
        services.refresh_report_figures(today=TODAY)
    return request.param


def build(user, name: str, period=YEAR, grain: str = "month", mutuality_code: str = ""):
    scope = scope_for(
        user=user, start=period[0], end=period[1], today=TODAY, grain=grain,
        mutuality_code=mutuality_code,
    )  # fmt: skip
    report = registry.build(name, scope, cached=False)
    stored = FigureRefresh.objects.exists()
    assert (report.meta["refreshed"] is not None) == stored
    return report


def rows_by(table, *keys):
    return {tuple(row[k] for k in keys): row for row in table.rows}


# --- Barometer ------------------------------------------------------------------------------


def test_barometer_for_the_manager_counts_only_their_mutuality(world):
    report = build(world.users["manager"], "barometer")
    flows = rows_by(report.table("inflow_outflow"), "period")
    assert flows[("03/2026",)]["inflow"] == 6
    assert flows[("04/2026",)]["inflow"] == "<5"  # e7, e8
    assert flows[("05/2026",)]["outflow"] == "<5"  # e7, e8 ended in May
    assert flows[("01/2026",)]["inflow"] == 0
    assert len(flows) == 12  # every month of the year, empty ones too
    estimates = rows_by(report.table("estimates"), "period")
    # e1..e6 of A; e9 is B's and must not count for A's manager.
    assert estimates[("05/2026",)]["questionnaire_sent"] == 6
    assert estimates[("05/2026",)]["questionnaire_received"] == 5
    assert estimates[("06/2026",)]["capacity_assessed"] == 5
    categories = rows_by(report.table("categories"), "period")
    assert categories[("06/2026",)]["category_2"] == 5
    assert categories[("06/2026",)]["category_1"] == 0
    referrals = rows_by(report.table("referrals"), "period")
    assert referrals[("06/2026",)]["referred_to_coordinator"] == 5
    assert referrals[("06/2026",)]["first_contact"] == 5
    plans = rows_by(report.table("plans"), "period")
    assert plans[("06/2026",)]["ziv_started"] == "<5"  # e1, e2
    assert plans[("07/2026",)]["ziv_started"] == "<5"  # e3, e4, e5
    assert plans[("07/2026",)]["plan_drawn_up"] == 5
    coordinators = rows_by(report.table("coordinators"), "period")
    # One coordinator registered steps in June-October (staff: not suppressed).
    assert [coordinators[(f"{m:02d}/2026",)]["active_coordinators"] for m in range(5, 12)] == [
        0, 1, 1, 1, 1, 1, 0,
    ]  # fmt: skip
    assert all("216" not in row["mutuality"] for t in report.tables for row in t.rows)


def test_barometer_per_quarter(world):
    report = build(world.users["manager"], "barometer", grain="quarter")
    estimates = rows_by(report.table("estimates"), "period")
    assert list(estimates) == [("Q1 2026",), ("Q2 2026",), ("Q3 2026",), ("Q4 2026",)]
    assert estimates[("Q2 2026",)]["questionnaire_sent"] == 6
    plans = rows_by(report.table("plans"), "period")
    assert plans[("Q2 2026",)]["ziv_started"] == "<5"
    assert plans[("Q3 2026",)]["ziv_started"] == "<5"
    assert plans[("Q3 2026",)]["plan_drawn_up"] == 5
    coordinators = rows_by(report.table("coordinators"), "period")
    assert coordinators[("Q3 2026",)]["active_coordinators"] == 1  # one person, not three months


def test_national_view_has_every_mutuality_and_a_total(world):
    report = build(world.users["admin"], "barometer")
    flows = rows_by(report.table("inflow_outflow"), "period", "mutuality")
    a, b = "203 Vlaams & Neutraal Ziekenfonds", "216 La Mutualité Neutre"
    # March: A 6, B 2.
    assert flows[("03/2026", b)]["inflow"] == "<5"
    assert flows[("03/2026", a)]["inflow"] == 6
    assert flows[("03/2026", "Total")]["inflow"] == 8
    estimates = rows_by(report.table("estimates"), "period", "mutuality")
    assert estimates[("05/2026", "Total")]["questionnaire_sent"] == 7
    assert estimates[("06/2026", a)]["capacity_assessed"] == 5
    assert estimates[("06/2026", b)]["capacity_assessed"] == 0


def test_national_view_of_one_mutuality(world):
    report = build(world.users["admin"], "barometer", mutuality_code="216")
    table = report.table("inflow_outflow")
    assert [c.key for c in table.columns] == ["period", "inflow", "outflow"]
    flows = rows_by(table, "period")
    assert flows[("03/2026",)]["inflow"] == "<5"  # e9, e10 of B; A's six are not counted
    assert flows[("04/2026",)]["inflow"] == 0


# --- Legal-term compliance -------------------------------------------------------------------


def test_compliance_per_obligation(world):
    table = build(world.users["manager"], "compliance").table("compliance_by_total")
    rows = rows_by(table, "obligation")
    first_contact = rows[("First contact moment",)]
    assert {k: first_contact[k] for k in ("on_time", "late", "open", "overdue", "total")} == {
        "on_time": 5, "late": "<5", "open": "<5", "overdue": "<5", "total": 8,
    }  # fmt: skip
    assert first_contact["pct_on_time"] == 62.5  # 5 of 8
    assert first_contact["pct_late"] == "<5"
    # Days opening to done: 7, 10, 9, 10, 14, 49 -> sorted 7 9 10 10 14 49: rank 3 and rank 6.
    assert (first_contact["median_days"], first_contact["p90_days"]) == (10, 49)
    questionnaire = rows[("Send the questionnaire",)]
    assert questionnaire["on_time"] == 6 and questionnaire["pct_on_time"] == 100.0
    assert (questionnaire["median_days"], questionnaire["p90_days"]) == (1, 3)  # 0 0 1 1 2 3
    estimate = rows[("First estimate of the remaining capacities",)]
    assert (estimate["open"], estimate["total"], estimate["pct_open"]) == (5, 5, 100.0)
    assert estimate["median_days"] is None
    # The void one and the one that has not opened yet are not counted at all.
    assert ("Refer to the TNW coordinator",) not in rows
    assert all(row["late_on_arrival"] == 0 for row in table.rows)


def test_compliance_per_period_worker_and_mutuality(world):
    report = build(world.users["manager"], "compliance")
    by_period = rows_by(report.table("compliance_by_period"), "period", "obligation")
    july = by_period[("07/2026", "First contact moment")]
    assert (july["on_time"], july["late"], july["overdue"], july["total"]) == (5, "<5", "<5", 7)
    december = by_period[("12/2026", "First contact moment")]
    assert (december["open"], december["pct_open"]) == ("<5", "<5")
    by_worker = rows_by(report.table("compliance_by_worker"), "worker", "obligation")
    assert by_worker[("coordinator (TNW coordinator)", "First contact moment")]["total"] == 8
    physician = "advising_physician (Advising physician)"
    assert by_worker[(physician, "Send the questionnaire")]["on_time"] == 6
    by_mutuality = rows_by(report.table("compliance_by_mutuality"), "mutuality", "obligation")
    assert set(by_mutuality) == {
        ("203 Vlaams & Neutraal Ziekenfonds", code)
        for code in ("First contact moment", "Send the questionnaire",
                     "First estimate of the remaining capacities")
    }  # fmt: skip


def test_national_compliance_per_mutuality(world):
    report = build(world.users["admin"], "compliance")
    by_mutuality = rows_by(report.table("compliance_by_mutuality"), "mutuality", "obligation")
    assert by_mutuality[("216 La Mutualité Neutre", "First contact moment")]["on_time"] == "<5"
    total = rows_by(report.table("compliance_by_total"), "obligation")
    assert total[("First contact moment",)]["on_time"] == 6  # 5 of A and 1 of B
    assert total[("First contact moment",)]["total"] == 9


# --- Flow and lead times --------------------------------------------------------------------


def test_funnel_and_lead_times(world):
    table = build(world.users["manager"], "flow", period=MARCH).table("funnel")
    steps = [(r["reached"], r["median_days"], r["p90_days"]) for r in table.rows]
    assert steps == [
        (6, None, None),  # questionnaire sent: e1..e6
        (5, 10, 14),      # received: 8 10 10 10 14
        (5, 16, 21),      # category: 11 14 16 19 21
        (5, 1, 3),        # referral: 1 1 1 2 3
        (5, 10, 14),      # first contact: 7 9 10 10 14
        (5, 10, 11),      # ZIV start: 10 10 10 11 11
        (5, 14, 21),      # plan: 11 14 14 14 21
        (5, 62, 73),      # ended: 62 62 62 63 73
    ]  # fmt: skip
    assert table.rows[0]["pct_cohort"] == 100.0  # e1..e6 started in March
    assert table.rows[1]["pct_cohort"] == 83.3  # 5 of 6


def test_funnel_counts_only_the_cohort_of_the_period(world):
    april = statistics.Window(start=date(2026, 4, 1), end=date(2026, 4, 30))
    answer = statistics.source(window=april, today=TODAY).funnel()
    assert answer["reached"]["questionnaire_sent"] == 0  # e7, e8 had no steps
    march = statistics.Window(start=MARCH[0], end=MARCH[1])
    national = statistics.source(window=march, today=TODAY).funnel()
    assert national["reached"]["questionnaire_sent"] == 7  # with e9 of B


def test_outcomes_of_ended_trajectories(world):
    window = statistics.Window(start=YEAR[0], end=YEAR[1])
    source = statistics.source(window=window, today=TODAY)
    assert (source.refreshed is not None) == FigureRefresh.objects.exists()
    counts = {row["key"]: row["n"] for row in source.trajectory_outcomes()}
    assert counts == {"paid_work": 2, "retraining": 1, "other": 2}
    table = build(world.users["manager"], "flow").table("outcomes")
    assert [row["n"] for row in table.rows] == ["<5", "<5", "<5"]


def test_backlog_ageing_per_worker(world):
    table = build(world.users["manager"], "flow").table("backlog")
    rows = {row["worker"]: row for row in table.rows}
    physician = rows["advising_physician"]
    assert (physician["0-7"], physician["total"], physician["overdue"]) == (5, 5, 0)
    coordinator = rows["coordinator"]  # e8 opened 23 days ago, e7 146 days ago (overdue)
    assert (coordinator["8-30"], coordinator["91+"], coordinator["31-90"]) == ("<5", "<5", 0)
    assert (coordinator["total"], coordinator["overdue"]) == ("<5", "<5")
    assert not any(name.endswith("_other") for name in rows)
