"""The reports' precomputed figures: aggregates of the registrations and obligations, rebuilt by
the daily run and by `tnw report refresh` (tnw.dossier.figures), read by the reports through
`tnw.dossier.statistics.source`. Counts only: no person, episode or registration id is stored
(a worker id is a member of staff: the compliance and backlog per coordinator or physician)."""

from __future__ import annotations

from django.db import models


class FigureRefresh(models.Model):
    """One rebuild of the figures: as of which day (the status of the obligations, the ages of
    the backlog), when, and how long it took."""

    as_of = models.DateField()
    finished_at = models.DateTimeField()
    seconds = models.FloatField()
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-id"]


class Figure(models.Model):
    """One aggregate: `n` of `topic`/`key` in the month or quarter (`grain`) that starts on
    `period`: the whole of it (`full`), or the part of it up to the refresh day (not `full`);
    per mutuality and, for the completion days and the backlog, per worker.

    topic       key                    state                          days
    event       event type (R(type): episodes with one dated in the period)
    category    category_1..4
    flow        inflow, outflow
    coordinators active_coordinators
    completion  obligation code                                       days opening to done
    wcompletion the same per worker
    reached     funnel step            (period: the episode's start month)
    gap         funnel step                                           days since previous step
    outcome     paid_work, ...         several ended days, if so      (period: the ended day)
    backlog     age bucket             all, overdue                   (no period)
    """

    topic = models.CharField(max_length=12)
    grain = models.CharField(max_length=7, blank=True)
    period = models.DateField(null=True)
    full = models.BooleanField(default=True)
    mutuality_id = models.IntegerField(null=True)
    worker_id = models.IntegerField(null=True)
    key = models.CharField(max_length=60)
    state = models.TextField(blank=True, default="")
    days = models.IntegerField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["topic", "grain", "period"], name="figure_chunk"),
            models.Index(fields=["topic", "mutuality_id", "period"], name="figure_mutuality"),
        ]


class ComplianceFigure(models.Model):
    """The compliance counts of the obligations whose term falls in the month `period` (all of
    it when `full`, else up to the refresh day), per mutuality and obligation code, and (rows
    `per_worker`) per worker too."""

    period = models.DateField()
    full = models.BooleanField(default=True)
    per_worker = models.BooleanField(default=False)
    mutuality_id = models.IntegerField(null=True)
    worker_id = models.IntegerField(null=True)
    code = models.CharField(max_length=60)
    on_time = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    late_on_arrival = models.PositiveIntegerField()
    open = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["per_worker", "period"], name="compliancefigure_period"),
            models.Index(
                fields=["per_worker", "mutuality_id", "period"], name="compliancefigure_mutuality"
            ),
        ]
