"""Imports: each run with its report, and which episode each source system's key became
(so importing the same file twice changes nothing, and a killed import resumes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    class State(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    mutuality = models.ForeignKey("mutualities.Mutuality", on_delete=models.PROTECT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    source = models.CharField(max_length=300, help_text="file name, or 'api'")
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stored = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # One entry per refused row: {line, key, field, code, reason}.
    refusals = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]


class SourceRecord(models.Model):
    """The episode a source system's key became, and the row it was made from (its hash)."""

    mutuality = models.ForeignKey("mutualities.Mutuality", on_delete=models.PROTECT)
    key = models.CharField(max_length=100)
    episode_id = models.BigIntegerField()
    row_hash = models.CharField(max_length=64)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mutuality", "key"], name="uniq_source_key"),
        ]
