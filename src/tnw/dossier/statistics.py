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
from typing import Any, NotRequired, TypedDict, cast

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
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth, TruncQuarter

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


class ComplianceRow(TypedDict):
    """Obligations of one code and group whose term falls in the window (`compliance`)."""

    code: str
    group: date | str | int | None  # a period, a worker's user id, a mutuality id, or 0 (total)
    on_time: int
    late: int  # done late, the lateness this step's own
    late_on_arrival: int  # done late, already late when it opened (an earlier step's delay)
    open: int
    overdue: int


class CompletionRow(TypedDict):
    """How many (`n`) done obligations of one code and group took `days` from opening to done."""

    code: str
    group: date | str | int | None
    days: int
    n: int


class BacklogRow(TypedDict):
    """Pending obligations of one worker (user id; None: unassigned) of one age bucket."""

    worker: int | None
    age: str  # one of the labels of AGE_BUCKETS
    n: int
    overdue: int
    mutuality_id: NotRequired[int]  # per_mutuality only


class GapRow(TypedDict):
    """How many episodes (`n`) took `days` from the step before `step` to `step`."""

    step: str
    days: int
    n: int


class Funnel(TypedDict):
    reached: dict[str, int]  # step -> episodes that reached it, in FUNNEL_STEPS order
    gaps: list[GapRow]


class OutcomeRow(TypedDict):
    """Trajectories ended in the window of one mutuality by result (`key`)."""

    mutuality_id: int
    key: str  # paid_work, retraining or other
    n: int


def days_sql(vendor: str, later: str, earlier: str) -> str:
    if vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def event_query(window: Window, types: Iterable[str] | None) -> QuerySet:
    """The rows of `event_counts` (every event type when `types` is None) as a queryset."""
    registrations = Registration.objects.in_force()
    if types is not None:
        registrations = registrations.filter(type__in=list(types))
    return (
        window.scoped(registrations)
        .filter(date__range=(window.start, window.end))
        .values(period=window.bucket("date"), mutuality_id=F(MUTUALITY), key=F("type"))
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )


def event_counts(*, window: Window, types: Iterable[str]) -> list[CountRow]:
    """Episodes with at least one registration of each type dated in the window, per period and
    mutuality: rows {period, mutuality_id, key (the event type), n}."""
    return list(event_query(window, types))


def category_query(window: Window) -> QuerySet:
    category = Cast(KeyTextTransform("category", "data"), CharField())
    return (
        window.scoped(Registration.objects.in_force().filter(type="capacity_assessed"))
        .filter(date__range=(window.start, window.end))
        .values(
            period=window.bucket("date"),
            mutuality_id=F(MUTUALITY),
            key=Concat(Value("category_"), category, output_field=CharField()),
        )
        .annotate(n=Count("episode", distinct=True))
        .order_by()
    )


def category_counts(*, window: Window) -> list[CountRow]:
    """Estimates of the remaining capacities per category (1-4), per period and mutuality."""
    return list(category_query(window))


def flow_query(window: Window, key: str) -> QuerySet:
    """Incapacity episodes that start (`key` inflow) or end (outflow) per period and mutuality."""
    field = {"inflow": "start", "outflow": "end"}[key]
    return (
        window.scoped(Episode.objects.all(), "person__mutuality_id")
        .filter(**{f"{field}__range": (window.start, window.end)})
        .values(
            period=window.bucket(field),
            mutuality_id=F("person__mutuality_id"),
            key=Value(key, output_field=CharField()),
        )
        .annotate(n=Count("id"))
        .order_by()
    )


def episode_flows(*, window: Window) -> list[CountRow]:
    """Inflow (incapacity episodes that start) and outflow (that end) per period and mutuality."""
    return [*flow_query(window, "inflow"), *flow_query(window, "outflow")]


def coordinator_query(window: Window) -> QuerySet:
    return (
        window.scoped(Registration.objects.filter(registered_by__role="coordinator"))
        .filter(date__range=(window.start, window.end))
        .values(
            period=window.bucket("date"),
            mutuality_id=F(MUTUALITY),
            key=Value("active_coordinators", output_field=CharField()),
        )
        .annotate(n=Count("registered_by", distinct=True))
        .order_by()
    )


def active_coordinators(*, window: Window) -> list[CountRow]:
    """TNW coordinators who registered at least one step dated in the period (staff, not
    insured people: these counts are not small-cell suppressed)."""
    return list(coordinator_query(window))


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


def terms(window: Window, today: date) -> QuerySet:
    """The obligations counted by the compliance figures, with their `term` and `status`."""
    term = Coalesce("due", "opens", output_field=DateField())
    return (
        with_status(window.scoped(Obligation.objects.exclude(state=ObligationState.VOID)), today)
        .annotate(term=term)
        .filter(term__range=(window.start, window.end), opens__lte=today)
    )


def compliance_groups(window: Window) -> dict[str, Any]:
    return {
        "period": window.bucket("term"),
        "worker": _worker(),
        "mutuality": F(MUTUALITY),
        "total": Value(0),
    }


def _compliance_base(window: Window, today: date, by: str) -> QuerySet:
    return terms(window, today).values("code", group=compliance_groups(window)[by])


def compliance_counts() -> dict[str, Count]:
    """The counts of `compliance`, per state (`arrived_late`: late on arrival, when stored)."""
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
    return counts


def compliance(*, window: Window, today: date, by: str) -> list[ComplianceRow]:
    """Obligations whose term (due date, or opening date when there is none) falls in the window,
    per obligation code and `by` (period, worker, mutuality or total): done on time, done late,
    open, overdue as of `today`. Obligations that have not opened yet and void ones are left
    out. Where the store knows that an obligation was already late when it opened, those are
    counted apart (`late_on_arrival`), so the lateness goes to the earlier step."""
    rows = _compliance_base(window, today, by).annotate(**compliance_counts()).order_by()
    return [
        cast(ComplianceRow, {"late_on_arrival": row.pop("arrived_late", 0), **row}) for row in rows
    ]


def completion_days(*, window: Window, today: date, by: str) -> list[CompletionRow]:
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


def backlog_ageing(*, window: Window, today: date, per_mutuality: bool = False) -> list[BacklogRow]:
    """Open and overdue obligations of coordinators and physicians as of `today`, per worker and
    age (days since the obligation opened): rows {worker, age, overdue, n} (and mutuality_id
    when `per_mutuality`)."""
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
        .values(
            worker=_worker(), age=age, **({"mutuality_id": F(MUTUALITY)} if per_mutuality else {})
        )
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(status="overdue")))
        .order_by()
    )
    return list(rows)


# --- Flow ----------------------------------------------------------------------------------


def _first_dates(window: Window, chunked: bool) -> QuerySet:
    """Per episode that started in the window: the first date of every step of the flow (and,
    when `chunked`, the month it started and its mutuality)."""
    firsts = {step: Min("date", filter=Q(type=step)) for step in FUNNEL_STEPS}
    chunk = {"started": TruncMonth("episode__start", output_field=DateField()),
             "mutuality": F(MUTUALITY)} if chunked else {}  # fmt: skip
    return (
        window.scoped(Registration.objects.in_force().filter(type__in=FUNNEL_STEPS))
        .filter(episode__start__range=(window.start, window.end))
        .values("episode", **chunk)
        .annotate(**firsts)
        .order_by()
    )


def funnel_sql(*, window: Window, chunked: bool = False) -> tuple[str, list]:
    """The SQL of `funnel`, rows (kind, step, days, n[, started, mutuality]): kind 'reached'
    (days NULL) or 'gap'; per month of the episode's start and mutuality when `chunked`."""
    inner, params = _first_dates(window, chunked).query.sql_with_params()
    vendor = connections[router.db_for_read(Registration)].vendor
    extra, group = (", started, mutuality", " GROUP BY started, mutuality") if chunked else ("", "")
    reached = [
        f"SELECT 'reached' AS kind, '{step}' AS step, CAST(NULL AS INTEGER) AS days, "
        f"COUNT({step}) AS n{extra} FROM p{group}"
        for step in FUNNEL_STEPS
    ]
    gaps = [
        f"SELECT 'gap', '{later}', {days_sql(vendor, later, earlier)}, COUNT(*){extra} FROM p "
        f"WHERE {earlier} IS NOT NULL AND {later} IS NOT NULL GROUP BY 3{extra}"
        for earlier, later in pairwise(FUNNEL_STEPS)
    ]
    # One statement, so that the per-episode dates (p) are computed once, not once per part.
    return f"WITH p AS ({inner}) {' UNION ALL '.join([*reached, *gaps])}", list(params)


def funnel_answer(rows: Iterable[tuple]) -> Funnel:
    counts: dict[str, int] = dict.fromkeys(FUNNEL_STEPS, 0)
    histogram: list[GapRow] = []
    for kind, step, days, n, *_chunk in rows:
        if kind == "reached":
            counts[step] += n
        else:
            histogram.append(GapRow(step=step, days=days, n=n))
    return Funnel(reached=counts, gaps=histogram)


def funnel(*, window: Window) -> Funnel:
    """The flow of the episodes that started in the window: how many reached each step, and a
    histogram of the days between consecutive steps reached (both dates known, in order).
    Answers {"reached": {step: n}, "gaps": [{step, days, n}]} (step = the later step)."""
    sql, params = funnel_sql(window=window)
    with connections[router.db_for_read(Registration)].cursor() as cursor:
        cursor.execute(sql, params)
        return funnel_answer(cursor.fetchall())


def trajectory_outcomes(*, window: Window) -> list[OutcomeRow]:
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
        return [OutcomeRow(mutuality_id=m, key=key, n=n) for m, key, n in cursor.fetchall()]


# --- Where the reports read their figures --------------------------------------------------


class Direct:
    """The figures of one window as of `today`, counted now from the registrations and
    obligations (the reference; tnw.dossier.figures.Stored answers the same from stored ones)."""

    refreshed = None
    as_of = None

    def __init__(self, window: Window, today: date) -> None:
        self.window = window
        self.today = today

    def event_counts(self, *, types: Iterable[str]) -> list[CountRow]:
        return event_counts(window=self.window, types=types)

    def category_counts(self) -> list[CountRow]:
        return category_counts(window=self.window)

    def episode_flows(self) -> list[CountRow]:
        return episode_flows(window=self.window)

    def active_coordinators(self) -> list[CountRow]:
        return active_coordinators(window=self.window)

    def compliance(self, *, by: str) -> list[ComplianceRow]:
        return compliance(window=self.window, today=self.today, by=by)

    def completion_days(self, *, by: str) -> list[CompletionRow]:
        return completion_days(window=self.window, today=self.today, by=by)

    def backlog_ageing(self) -> list[BacklogRow]:
        return backlog_ageing(window=self.window, today=self.today)

    def funnel(self) -> Funnel:
        return funnel(window=self.window)

    def trajectory_outcomes(self) -> list[OutcomeRow]:
        return trajectory_outcomes(window=self.window)


def source(*, window: Window, today: date, stored: bool = True) -> Any:
    """Where a report reads the figures of `window` as of `today`: the stored figures of the
    last refresh when they answer it exactly (tnw.dossier.figures), else `Direct`. Both have
    the same methods and answer in the same shapes; `refreshed` is when the stored ones were
    made (None: counted now)."""
    if stored:
        from tnw.dossier import figures  # it builds on this module's queries

        found = figures.stored(window=window, today=today)
        if found is not None:
            return found
    return Direct(window, today)
