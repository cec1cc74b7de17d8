"""The reports' figures, precomputed (tnw.dossier.figure_models), so that a report page reads a
few thousand aggregate rows instead of counting the registrations and obligations.

`refresh(today=)` rebuilds them in one transaction, set-based (INSERT ... SELECT of the same
GROUP BY queries as tnw.dossier.statistics, run over every month or quarter at once): the
daily run does it after its re-evaluation, and `tnw report refresh` on demand.

They are kept **exact**, not estimated: each figure is stored per whole month (or quarter, for
the counts of distinct episodes or coordinators, which do not add up over months) and, for the
refresh day's month and quarter, per part up to that day. `stored()` answers only a report
whose figures are sums of those chunks: as of the refresh day (the status of the obligations
and the backlog's ages depend on it), starting on the first day of a month (quarter) and
ending on the last day of one or on the refresh day. Any other report is counted directly
(`statistics.Direct`), as before. Medians and percentiles come from stored day histograms,
so they are exact too. Registrations made after the refresh count from the next one: a page
says when its figures were refreshed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum, Value
from django.utils import timezone

from tnw.dossier import statistics as st
from tnw.dossier.figure_models import ComplianceFigure, Figure, FigureRefresh
from tnw.dossier.models import ObligationState, Registration

EVER = (date(1900, 1, 1), date(2999, 12, 31))
STATES = ("on_time", "late", "late_on_arrival", "open", "overdue")
RESULTS = ("paid_work_started", "retraining_started")


def first_of(day: date, grain: str) -> date:
    month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    return date(day.year, month, 1)


def last_of(day: date, grain: str) -> date:
    first = first_of(day, grain)
    month = first.month - 1 + (1 if grain == "month" else 3)
    return date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _as_date(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value if type(value) is date else value.date()


def _chunks(as_of: date, grain: str) -> list[tuple[st.Window, bool]]:
    """Every whole month (quarter), and the part of the refresh day's one up to that day."""
    out = [(st.Window(*EVER, grain=grain), True)]
    if as_of != last_of(as_of, grain):
        out.append((st.Window(first_of(as_of, grain), as_of, grain=grain), False))
    return out


# --- The rebuild ---------------------------------------------------------------------------


def _insert(model, queryset: QuerySet | tuple[str, list], columns: dict[str, str],
            constants: dict[str, Any]) -> int:  # fmt: skip
    """INSERT INTO `model` the rows of `queryset` (or of SQL with its params), in the database:
    `columns` maps the model's columns to the query's, `constants` gives the others."""
    inner, params = queryset if isinstance(queryset, tuple) else queryset.query.sql_with_params()
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in [*constants, *columns])
    values = ", ".join(["%s"] * len(constants) + [f"q.{quote(c)}" for c in columns.values()])
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT {values} FROM ({inner}) q"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), *params])
        return max(cursor.rowcount, 0)


COUNT_COLUMNS = {"period": "period", "mutuality_id": "mutuality_id", "key": "key", "n": "n"}


def _barometer(as_of: date) -> int:
    rows = 0
    for grain in st.GRAINS:
        for window, full in _chunks(as_of, grain):
            for topic, query in (
                ("event", st.event_query(window, None)),
                ("category", st.category_query(window)),
                ("flow", st.flow_query(window, "inflow")),
                ("flow", st.flow_query(window, "outflow")),
                ("coordinators", st.coordinator_query(window)),
            ):
                constants = {"topic": topic, "grain": grain, "full": full, "state": ""}
                rows += _insert(Figure, query, COUNT_COLUMNS, constants)
    return rows


def _compliance(as_of: date) -> int:
    """Per month of the term, mutuality, worker and code; then the same summed over the workers
    (apart, so that the figures in total, per period and per mutuality read fewer rows)."""
    rows = 0
    for window, full in _chunks(as_of, "month"):
        groups = st.compliance_groups(window)
        chunk = {name: groups[name] for name in ("period", "mutuality", "worker")}
        terms = st.terms(window, as_of)
        counts = terms.values("code", **chunk).annotate(**st.compliance_counts()).order_by()
        columns = {"period": "period", "mutuality_id": "mutuality", "worker_id": "worker",
                   "code": "code", **{s: s for s in STATES if s != "late_on_arrival"},
                   "late_on_arrival": "arrived_late"}  # fmt: skip
        rows += _insert(ComplianceFigure, counts, columns, {"full": full, "per_worker": True})
        days = (
            terms.filter(state=ObligationState.DONE, done_on__isnull=False)
            .annotate(days=st.DaysBetween("done_on", "opens"))
            .values("code", "days", **chunk)
            .annotate(n=Count("id"))
            .order_by()
        )
        columns = {"period": "period", "mutuality_id": "mutuality", "worker_id": "worker",
                   "key": "code", "days": "days", "n": "n"}  # fmt: skip
        constants = {"topic": "wcompletion", "grain": "month", "full": full, "state": ""}
        rows += _insert(Figure, days, columns, constants)
    return rows + _summed_over_workers()


def _summed_over_workers() -> int:
    per_worker = ComplianceFigure.objects.filter(per_worker=True)
    sums = {state: Sum(state) for state in STATES}
    counts = per_worker.values("period", "full", "mutuality_id", "code").annotate(**sums)
    columns = {name: name for name in ("period", "full", "mutuality_id", "code", *STATES)}
    rows = _insert(ComplianceFigure, counts.order_by(), columns, {"per_worker": False})
    days = (
        Figure.objects.filter(topic="wcompletion")
        .values("grain", "period", "full", "mutuality_id", "key", "state", "days")
        .annotate(total=Sum("n"))
        .order_by()
    )
    columns = {name: name for name in ("grain", "period", "full", "mutuality_id", "key", "state",
                                       "days")} | {"n": "total"}  # fmt: skip
    return rows + _insert(Figure, days, columns, {"topic": "completion"})


def _funnel(as_of: date) -> int:
    rows = 0
    for window, full in _chunks(as_of, "month"):
        sql, params = st.funnel_sql(window=window, chunked=True)
        columns = {"topic": "kind", "key": "step", "days": "days", "n": "n",
                   "period": "started", "mutuality_id": "mutuality"}  # fmt: skip
        filtered = (f"SELECT * FROM ({sql}) f WHERE n > 0", params)
        rows += _insert(Figure, filtered, columns, {"grain": "month", "full": full, "state": ""})
    return rows


def _ended_per_episode() -> QuerySet:
    ended = Q(type="trajectory_ended")
    return (
        Registration.objects.in_force()
        .filter(type__in=("trajectory_ended", *RESULTS))
        .values(ended_episode=F("episode"), mutuality_id=F(st.MUTUALITY))
        .annotate(
            first=Min("date", filter=ended),
            dates=Count("date", filter=ended, distinct=True),
            paid=Count("id", filter=Q(type="paid_work_started")),
            retraining=Count("id", filter=Q(type="retraining_started")),
        )
        .order_by()
    )


RESULT_SQL = (
    "CASE WHEN paid > 0 THEN 'paid_work' WHEN retraining > 0 THEN 'retraining' ELSE 'other' END"
)


def _outcomes() -> int:
    """Ended trajectories by result, per day ended; an episode ended on several days (rare) is
    stored with all its days, so that a period counts it once."""
    inner, params = _ended_per_episode().query.sql_with_params()
    single = (f"SELECT mutuality_id, {RESULT_SQL} AS result, first, COUNT(*) AS n FROM ({inner}) e "
              "WHERE dates = 1 GROUP BY 1, 2, 3", params)  # fmt: skip
    columns = {"mutuality_id": "mutuality_id", "key": "result", "period": "first", "n": "n"}
    rows = _insert(Figure, single, columns, {"topic": "outcome", "grain": "", "full": True,
                                             "state": ""})  # fmt: skip
    several = f"SELECT ended_episode, mutuality_id, {RESULT_SQL} FROM ({inner}) e WHERE dates > 1"
    with connections[router.db_for_write(Figure)].cursor() as cursor:
        cursor.execute(several, params)
        found = {episode: (m, result) for episode, m, result in cursor.fetchall()}
    days: dict[int, set[date]] = defaultdict(set)
    for episode, on in (
        Registration.objects.in_force()
        .filter(episode__in=list(found), type="trajectory_ended")
        .values_list("episode", "date")
    ):
        days[episode].add(on)
    grouped: dict[tuple, int] = defaultdict(int)
    for episode, (mutuality, result) in found.items():
        grouped[(mutuality, result, ",".join(d.isoformat() for d in sorted(days[episode])))] += 1
    Figure.objects.bulk_create(
        Figure(topic="outcome", period=date.fromisoformat(state[:10]), mutuality_id=m, key=r,
               state=state, n=n)
        for (m, r, state), n in grouped.items()
    )  # fmt: skip
    return rows + len(grouped)


def _backlog(as_of: date) -> int:
    figures = []
    for row in st.backlog_ageing(window=st.Window(*EVER), today=as_of, per_mutuality=True):
        for state in ("all", "overdue"):
            n = row["n"] if state == "all" else row["overdue"]
            figures.append(Figure(topic="backlog", mutuality_id=row["mutuality_id"],
                                  worker_id=row["worker"], key=row["age"], state=state,
                                  n=n))  # fmt: skip
    Figure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


@transaction.atomic
def refresh(*, today: date) -> FigureRefresh:
    """Rebuild every figure as of `today` (readers see the old ones until the commit)."""
    started = time.monotonic()
    connection = connections[router.db_for_write(Figure)]
    with connection.cursor() as cursor:
        for model in (Figure, ComplianceFigure):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    rows = _barometer(today) + _compliance(today) + _funnel(today) + _outcomes()
    rows += _backlog(today)
    FigureRefresh.objects.all().delete()
    return FigureRefresh.objects.create(
        as_of=today, finished_at=timezone.now(), seconds=round(time.monotonic() - started, 2),
        rows=rows,
    )  # fmt: skip


# --- Reading -------------------------------------------------------------------------------


def stored(*, window: st.Window, today: date) -> Stored | None:
    """The stored figures for `window` as of `today`, when they answer it exactly (see the
    module's docstring); None otherwise."""
    latest = FigureRefresh.objects.first()
    if latest is None or latest.as_of != today:
        return None
    if window.start != first_of(window.start, window.grain):
        return None
    if window.end not in (last_of(window.end, window.grain), latest.as_of):
        return None
    return Stored(window, latest)


class Stored:
    """The figures of `statistics.Direct`, in the same shapes, read from the stored ones."""

    def __init__(self, window: st.Window, latest: FigureRefresh) -> None:
        self.window = window
        self.refreshed = latest.finished_at
        self.as_of = latest.as_of

    def _chunks(self, grain: str, *, of_grain: bool = True) -> Q:
        """The stored chunks (whole months or quarters, and the refresh day's part of the last
        one) that make up the window."""
        start, end = self.window.start, self.window.end
        final = first_of(end, grain)
        whole = Q(full=True, period__gte=start, period__lt=final)
        chunks = whole | Q(period=final, full=end == last_of(end, grain))
        return Q(grain=grain) & chunks if of_grain else chunks

    def _scoped(self, queryset: QuerySet) -> QuerySet:
        if self.window.mutuality_ids is not None:
            queryset = queryset.filter(mutuality_id__in=self.window.mutuality_ids)
        return queryset

    def _counts(self, topic: str, keys: list[str] | None = None) -> list[st.CountRow]:
        rows = self._scoped(Figure.objects.filter(self._chunks(self.window.grain), topic=topic))
        if keys is not None:
            rows = rows.filter(key__in=keys)
        return list(rows.values("period", "mutuality_id", "key", "n").order_by())

    def event_counts(self, *, types: Any) -> list[st.CountRow]:
        return self._counts("event", list(types))

    def category_counts(self) -> list[st.CountRow]:
        return self._counts("category")

    def episode_flows(self) -> list[st.CountRow]:
        return self._counts("flow")

    def active_coordinators(self) -> list[st.CountRow]:
        return self._counts("coordinators")

    def _group(self, by: str) -> Any:
        # The stored periods are months: per month they are the groups themselves.
        month = self.window.grain == "month"
        return {
            "period": F("period") if month else self.window.bucket("period"),
            "worker": F("worker_id"),
            "mutuality": F("mutuality_id"),
            "total": Value(0),
        }[by]

    def compliance(self, *, by: str) -> list[st.ComplianceRow]:
        rows = self._scoped(ComplianceFigure.objects.filter(self._chunks("month", of_grain=False)))
        rows = rows.filter(per_worker=by == "worker")
        sums = {state: Sum(state) for state in STATES}
        return list(rows.values("code", group=self._group(by)).annotate(**sums).order_by())

    def completion_days(self, *, by: str) -> list[st.CompletionRow]:
        """The histogram of the days opening to done reduced, in the database, to what the
        reports read of it: per code and group, its count, median and p90 (nearest rank), as
        a histogram of at most two values with the same count, median and p90."""
        topic = "wcompletion" if by == "worker" else "completion"
        rows = self._scoped(Figure.objects.filter(self._chunks("month"), topic=topic))
        grouped = rows.values(code=F("key"), group=self._group(by), days_=F("days"))
        inner, params = grouped.annotate(total=Sum("n")).order_by().query.sql_with_params()
        out: list[st.CompletionRow] = []
        for code, group, total, median, p90 in _quantiles(inner, params):
            if by == "period":  # raw rows: an ISO date on SQLite, a timestamp on PostgreSQL
                group = _as_date(group)
            total = int(total)  # PostgreSQL sums integers as numeric
            first = (total + 1) // 2  # ceil(total / 2) values at or below the median
            out.append({"code": code, "group": group, "days": median, "n": first})
            if total > first:
                out.append({"code": code, "group": group, "days": p90, "n": total - first})
        return out

    def backlog_ageing(self) -> list[st.BacklogRow]:
        rows = self._scoped(Figure.objects.filter(topic="backlog"))
        sums = {
            "all": Sum("n", filter=Q(state="all")),
            "overdue": Sum("n", filter=Q(state="overdue")),
        }
        grouped = rows.values(worker=F("worker_id"), age=F("key")).annotate(**sums).order_by()
        return [
            {"worker": r["worker"], "age": r["age"], "n": r["all"], "overdue": r["overdue"]}
            for r in grouped
        ]

    def funnel(self) -> st.Funnel:
        rows = self._scoped(
            Figure.objects.filter(self._chunks("month"), topic__in=("reached", "gap"))
        )
        grouped = rows.values("topic", "key", "days").annotate(total=Sum("n")).order_by()
        return st.funnel_answer(
            (row["topic"], row["key"], row["days"], row["total"]) for row in grouped
        )

    def trajectory_outcomes(self) -> list[st.OutcomeRow]:
        start, end = self.window.start, self.window.end
        rows = self._scoped(Figure.objects.filter(topic="outcome"))
        counts: dict[tuple, int] = defaultdict(int)
        single = rows.filter(state="", period__range=(start, end))
        for row in single.values("mutuality_id", "key").annotate(total=Sum("n")).order_by():
            counts[(row["mutuality_id"], row["key"])] += row["total"]
        for row in rows.exclude(state="").filter(period__lte=end).values():
            days = [date.fromisoformat(day) for day in row["state"].split(",")]
            if any(start <= day <= end for day in days):
                counts[(row["mutuality_id"], row["key"])] += row["n"]
        return [{"mutuality_id": m, "key": key, "n": n} for (m, key), n in counts.items()]


def _quantiles(histogram: str, params: Any) -> list[tuple]:
    """(code, group, n, median, p90) of each group of a histogram query (code, group, days_,
    total): nearest rank, the smallest days with at least half (nine tenths) of the values at
    or below it, by running sums (window functions, on SQLite and PostgreSQL)."""
    connection = connections[router.db_for_read(Figure)]
    group = connection.ops.quote_name("group")
    sql = (
        f"WITH h AS ({histogram}), c AS (SELECT code, {group} AS g, days_, "
        f"SUM(total) OVER (PARTITION BY code, {group} ORDER BY days_) AS below, "
        f"SUM(total) OVER (PARTITION BY code, {group}) AS n FROM h) "
        "SELECT code, g, MAX(n), MIN(CASE WHEN 2 * below >= n THEN days_ END), "
        "MIN(CASE WHEN 10 * below >= 9 * n THEN days_ END) FROM c GROUP BY code, g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stored_rows() -> int:
    return Figure.objects.count() + ComplianceFigure.objects.count()
