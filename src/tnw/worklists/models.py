"""Worklists: the schedule that tells the daily run which episodes to re-evaluate, and the
record of reassignments (absence cover).

The worklists themselves are not stored: they are queries over the stored obligations of
`tnw.dossier` (see `tnw.worklists.selectors`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EpisodeSchedule(models.Model):
    """When an episode's stored timeline may change by the passing of time alone.

    `next_boundary` is the earliest future date on which evaluating the episode's facts can
    give a different stored timeline (an obligation opens, a due date passes, a rule regime
    starts); null when no date can change it. `episode_version` is the episode's version when
    it was evaluated: any registration claims the episode (version + 1), so a stale schedule is
    seen at once. `fingerprint` identifies the rules (parameters and engine) it was computed
    with: after a rules update every episode is re-evaluated once.

    Stop-gap: this belongs on `dossier.Episode` (set by the dossier's recompute); see
    bench/README.md ("changes wanted in tnw.dossier").
    """

    episode = models.OneToOneField(
        "dossier.Episode", on_delete=models.CASCADE, primary_key=True, related_name="schedule"
    )
    next_boundary = models.DateField(null=True, blank=True)
    evaluated_on = models.DateField()
    episode_version = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["next_boundary"], name="schedule_next_boundary")]

    def __str__(self) -> str:
        return f"episode {self.episode_id}: next boundary {self.next_boundary}"


class RulesState(models.Model):
    """A single row: the rules fingerprint the last complete daily run evaluated with."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    fingerprint = models.CharField(max_length=16)
    completed_on = models.DateField(null=True, blank=True)


class Reassignment(models.Model):
    """One episode moved from one assignee to another (absence cover), so it can be moved
    back when the absence ends. Episodes are moved through `dossier.services.assign_episode`
    (checked and audited there); this is the cover's bookkeeping."""

    batch = models.CharField(max_length=32, db_index=True)
    episode = models.ForeignKey("dossier.Episode", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=32)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
