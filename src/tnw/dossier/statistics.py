"""Aggregates over the TNW-dossier for reports (tnw.reports): counts and day histograms only.

Every function here answers with grouped counts: no person, episode or registration id ever
leaves this module, so a report built on it cannot name anybody. Each is one set-based SQL
query (GROUP BY in the database) that runs the same on SQLite and PostgreSQL. Access is checked
by the caller (tnw.reports.scope) before it asks. Reads follow the database routers (reports
read from a replica when one is configured: tnw.reports.router).

The figures are defined, with their legal or RIZIV source, in docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, TypedDict

from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter

from tnw.dossier.models import Episode, Obligation, ObligationState, Registration
from tnw.dossier.selectors import with_status

GRAINS = {"month": TruncMonth, "quarter": TruncQuarter}
MUTUALITY = "episode__person__mutuality_id"
# Ages of the open backlog (days since the obligation opened): lower bounds of each bucket.
AGE_BUCKETS = ((0, "0-7"), (8, "8-30"), (31, "31-90"), (91, "91+"))
# The steps of the flow, in process order (docs/reports.md, "Flow and lead times").
FUNNEL_STEPS = (
    "questionnaire_sent",
    "questionnaire_received",
    "capacity_assessed",
    "referred_to_coordinator",
    "first_contact",
    "ziv_started",
    "plan_drawn_up",
    "trajectory_ended",
)


@dataclass(frozen=True)
class Window:
    """Which rows a figure counts: dates from `start` to `end` (both included), of the given
    mutualities (None: every mutuality), bucketed by `grain` (month or quarter)."""

    start: date
    end: date
    mutuality_ids: tuple[int, ...] | None = None
    grain: str = "month"

    def scoped(self, queryset: QuerySet, path: str = MUTUALITY) -> QuerySet:
        if self.mutuality_ids is not None:
            queryset = queryset.filter(**{f"{path}__in": self.mutuality_ids})
        return queryset

    def bucket(self, field: str) -> Func:
        return GRAINS[self.grain](field, output_field=DateField())


class DaysBetween(Func):
    """Whole days from the second date to the first (later - earlier), on both databases."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return days_sql(connection.vendor, later, earlier), [*later_params, *earlier_params]


class CountRow(TypedDict):
    """One count of the barometer: how many (`n`) of what (`key`), per period and mutuality."""

    period: date | str  # the period's first day (a string on SQLite: periods.as_date)
    mutuality_id: int
    key: str
    n: int


def _count_row(row: dict[str, Any], key: str) -> CountRow:
    return CountRow(period=row["period"], mutuality_id=row["mutuality_id"], key=key, n=row["n"])


def days_sql(vendor: str, later: str, earlier: str) -> str:
    if vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def event_counts(*, window: Window, types: Iterable[str]) -> list[CountRow]:
    """Episodes with at least one registration of each type dated in the window, per period and
    mutuality: rows {period, mutuality_id, key (the event type), n}."""
    rows = (
        window.scoped(Registration.objects.in_force().filter(type__in=list(types)))
        .filter(date__range=(window.start, window.end))
        .values(period=window.bucket("date"), mutuality_id=F(MUTUALITY), key=F("type"))
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )
    return list(rows)


def category_counts(*, window: Window) -> list[CountRow]:
    """Estimates of the remaining capacities per category (1-4), per period and mutuality."""
    rows = (
        window.scoped(Registration.objects.in_force().filter(type="capacity_assessed"))
        .filter(date__range=(window.start, window.end))
        .values(period=window.bucket("date"), mutuality_id=F(MUTUALITY), key=F("data__category"))
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )
    return [_count_row(row, f"category_{row['key']}") for row in rows]


def episode_flows(*, window: Window) -> list[CountRow]:
    """Inflow (incapacity episodes that start) and outflow (that end) per period and mutuality."""
    out: list[CountRow] = []
    for key, field in (("inflow", "start"), ("outflow", "end")):
        rows = (
            window.scoped(Episode.objects.all(), "person__mutuality_id")
            .filter(**{f"{field}__range": (window.start, window.end)})
            .values(period=window.bucket(field), mutuality_id=F("person__mutuality_id"))
            .annotate(n=Count("id"))
            .order_by()
        )
        out.extend(_count_row(row, key) for row in rows)
    return out


def active_coordinators(*, window: Window) -> list[CountRow]:
    """TNW coordinators who registered at least one step dated in the period (staff, not
    insured people: these counts are not small-cell suppressed)."""
    rows = (
        window.scoped(Registration.objects.filter(registered_by__role="coordinator"))
        .filter(date__range=(window.start, window.end))
        .values(period=window.bucket("date"), mutuality_id=F(MUTUALITY))
        .annotate(n=Count("registered_by", distinct=True))
        .order_by()
    )
    return [_count_row(row, "active_coordinators") for row in rows]


# --- Legal-term compliance ---------------------------------------------------------------------


def _worker() -> Case:
    """The worker an obligation lands on: the episode's coordinator or advising physician."""
    return Case(
        When(actor="coordinator", then=F("episode__coordinator_id")),
        When(actor="advising_physician", then=F("episode__advising_physician_id")),
        default=Value(None),
        output_field=IntegerField(),
    )


def _has_late_on_arrival() -> bool:
    """Issue 17 adds `Obligation.late_on_arrival` (late because an earlier step was late)."""
    return any(field.name == "late_on_arrival" for field in Obligation._meta.get_fields())


def _compliance_base(window: Window, today: date, by: str) -> QuerySet:
    term = Coalesce("due", "opens", output_field=DateField())
    groups = {
        "period": window.bucket("term"),
        "worker": _worker(),
        "mutuality": F(MUTUALITY),
        "total": Value(0),
    }
    return (
        with_status(window.scoped(Obligation.objects.exclude(state=ObligationState.VOID)), today)
        .annotate(term=term)
        .filter(term__range=(window.start, window.end), opens__lte=today)
        .values("code", group=groups[by])
    )


def compliance(*, window: Window, today: date, by: str) -> list[dict[str, Any]]:
    """Obligations whose term (due date, or opening date when there is none) falls in the window,
    per obligation code and `by` (period, worker, mutuality or total): done on time, done late,
    open, overdue as of `today`. Obligations that have not opened yet and void ones are left
    out. Where the store knows that an obligation was already late when it opened, those are
    counted apart (`late_on_arrival`), so the lateness goes to the earlier step."""
    late_here = Q(status="done", late=True)
    counts = {
        "on_time": Count("id", filter=Q(status="done", late=False) | Q(status="done", late=None)),
        "open": Count("id", filter=Q(status="open")),
        "overdue": Count("id", filter=Q(status="overdue")),
    }
    if _has_late_on_arrival():
        # Named apart from the field: an annotation called `late_on_arrival` would shadow it
        # in the other counts' filters (an aggregate inside an aggregate).
        counts["arrived_late"] = Count("id", filter=late_here & Q(late_on_arrival=True))
        late_here &= ~Q(late_on_arrival=True)
    counts["late"] = Count("id", filter=late_here)
    rows = _compliance_base(window, today, by).annotate(**counts).order_by()
    return [{"late_on_arrival": row.pop("arrived_late", 0), **row} for row in rows]


def completion_days(*, window: Window, today: date, by: str) -> list[dict[str, Any]]:
    """Histogram of the days from opening to done of the done obligations counted by
    `compliance`: rows {code, group, days, n} (exact medians and percentiles come from it)."""
    rows = (
        _compliance_base(window, today, by)
        .filter(state=ObligationState.DONE, done_on__isnull=False)
        .annotate(days=DaysBetween("done_on", "opens"))
        .values("code", "group", "days")
        .annotate(n=Count("id"))
        .order_by()
    )
    return list(rows)


def backlog_ageing(*, window: Window, today: date) -> list[dict[str, Any]]:
    """Open and overdue obligations of coordinators and physicians as of `today`, per worker and
    age (days since the obligation opened): rows {worker, age, overdue, n}."""
    age = Case(
        *[
            When(opens__lte=today - timedelta(days=low), then=Value(label))
            for low, label in reversed(AGE_BUCKETS)
        ],
        output_field=CharField(),
    )
    rows = (
        with_status(
            window.scoped(
                Obligation.objects.filter(
                    state=ObligationState.PENDING,
                    opens__lte=today,
                    actor__in=("coordinator", "advising_physician"),
                )
            ),
            today,
        )
        .values(worker=_worker(), age=age)
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(status="overdue")))
        .order_by()
    )
    return list(rows)


# --- Flow ----------------------------------------------------------------------------------


def _first_dates(window: Window) -> QuerySet:
    """Per episode that started in the window: the first date of every step of the flow."""
    firsts = {step: Min("date", filter=Q(type=step)) for step in FUNNEL_STEPS}
    return (
        window.scoped(Registration.objects.in_force().filter(type__in=FUNNEL_STEPS))
        .filter(episode__start__range=(window.start, window.end))
        .values("episode")
        .annotate(**firsts)
        .order_by()
    )


def funnel(*, window: Window) -> dict[str, Any]:
    """The flow of the episodes that started in the window: how many reached each step, and a
    histogram of the days between consecutive steps reached (both dates known, in order).
    Answers {"reached": {step: n}, "gaps": [{step, days, n}]} (step = the later step)."""
    inner, params = _first_dates(window).query.sql_with_params()
    alias = router.db_for_read(Registration)
    vendor = connections[alias].vendor
    reached = [
        f"SELECT 'reached', '{step}', CAST(NULL AS INTEGER), COUNT({step}) FROM p"
        for step in FUNNEL_STEPS
    ]
    gaps = [
        f"SELECT 'gap', '{later}', {days_sql(vendor, later, earlier)}, COUNT(*) FROM p "
        f"WHERE {earlier} IS NOT NULL AND {later} IS NOT NULL GROUP BY 3"
        for earlier, later in pairwise(FUNNEL_STEPS)
    ]
    # One statement, so that the per-episode dates (p) are computed once, not once per part.
    with connections[alias].cursor() as cursor:
        cursor.execute(f"WITH p AS ({inner}) {' UNION ALL '.join([*reached, *gaps])}", params)
        rows = cursor.fetchall()
    counts = {s: n for kind, s, _, n in rows if kind == "reached"}
    histogram = [{"step": s, "days": d, "n": n} for kind, s, d, n in rows if kind == "gap"]
    return {"reached": {step: counts[step] for step in FUNNEL_STEPS}, "gaps": histogram}


def trajectory_outcomes(*, window: Window) -> list[dict[str, Any]]:
    """Trajectories ended in the window, by result: paid work, retraining or other (from the
    episode's paid_work_started / retraining_started registrations); per mutuality. Counted per
    episode in one GROUP BY (not a subquery per registration, which SQLite runs row by row)."""
    per_episode = (
        window.scoped(
            Registration.objects.in_force().filter(
                type__in=("trajectory_ended", "paid_work_started", "retraining_started")
            )
        )
        .values("episode", mutuality_id=F(MUTUALITY))
        .annotate(
            ended=Count(
                "id", filter=Q(type="trajectory_ended", date__range=(window.start, window.end))
            ),
            paid=Count("id", filter=Q(type="paid_work_started")),
            retraining=Count("id", filter=Q(type="retraining_started")),
        )
        .order_by()
    )
    inner, params = per_episode.query.sql_with_params()
    result = (
        "CASE WHEN paid > 0 THEN 'paid_work' WHEN retraining > 0 THEN 'retraining' ELSE 'other' END"
    )
    sql = f"SELECT mutuality_id, {result}, COUNT(*) FROM ({inner}) e WHERE ended > 0 GROUP BY 1, 2"
    with connections[router.db_for_read(Registration)].cursor() as cursor:
        cursor.execute(sql, params)
        return [{"mutuality_id": m, "key": key, "n": n} for m, key, n in cursor.fetchall()]
