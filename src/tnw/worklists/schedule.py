"""Which episodes does the daily run re-evaluate, and the re-evaluation itself.

The stored timeline of an episode (`dossier.Obligation`) changes when something is registered
(the dossier services recompute it then) or, with no new registration, only when the date
crosses a boundary of the engine's evaluation: an obligation opens (and may appear), a due date
passes (the general exceptions are then checked on the due date, a help contact appears the
day after the two weeks), or a rule regime starts. `next_boundary(timeline, as_of)` is the
earliest such date; the daily run re-evaluates only the episodes whose boundary has come,
whose version changed since their last evaluation, that have none yet, or that were evaluated
with other rules (`rules_fingerprint`).

Re-evaluation reads a batch of episodes in bulk, asks the engine through the dossier's door
(`tnw.dossier.timelines`), and compares the timeline's digest with the one stored on the
episode. Only the timelines that differ go to the dossier service `store_timelines`, which
stores them by difference with one audit entry for the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from tnw.dossier import obligations
from tnw.dossier import services as dossier_services
from tnw.dossier.obligations import MESSAGE_FIELDS
from tnw.dossier.timelines import regime_starts, rules_fingerprint, timeline_of
from tnw.rules import Timeline
from tnw.worklists.models import EpisodeSchedule

CHANNEL = "command:daily"
ONE_DAY = timedelta(days=1)


def next_boundary(timeline: Timeline, as_of: date, last_event: date | None = None) -> date | None:
    """The earliest date after `as_of` on which the timeline can change without a new
    registration (see the module docstring). A done obligation is final; a pending or void
    one can change when it opens and the day after it is due. A period that an event dated
    `as_of` closes (a trajectory ended today) still counts today and no longer tomorrow, so an
    event on `as_of` makes the next day a boundary too."""
    candidates: list[date] = []
    if last_event is not None and last_event >= as_of:
        candidates.append(last_event + ONE_DAY)
    for obligation in timeline.obligations:
        if obligation.status == "done":
            continue
        if obligation.opens > as_of:
            candidates.append(obligation.opens)
        if obligation.due is not None and obligation.due >= as_of:
            candidates.append(obligation.due + ONE_DAY)
    candidates.extend(start for start in regime_starts() if start > as_of)
    return min(candidates) if candidates else None


def last_event_date(events: list[dict[str, Any]]) -> date | None:
    return max((date.fromisoformat(e["date"]) for e in events), default=None)


def _state(status: str) -> str:
    return status if status in ("done", "void") else "pending"


def _messages(o) -> tuple:
    """The engine's structured messages, as the dossier stores them (MESSAGE_FIELDS)."""
    return ([part.to_json() for part in o.why], o.void.to_json() if o.void is not None else None)


def stored_form(timeline: Timeline) -> list[tuple]:
    """What the dossier stores of a timeline (all but `computed_on`), for comparison: a new
    explanation or basis after a rules update is a change too."""
    return sorted(
        (o.code, o.sequence, o.actor, o.opens, o.due, _state(o.status), o.done_on, o.late,
         o.void_reason or "", list(o.basis), o.explanation, o.rule, list(o.triggered_by),
         o.done_by, o.late_on_arrival, o.late_cause or "", o.target, *_messages(o))
        for o in timeline.obligations
    )  # fmt: skip


STORED_FIELDS = (
    "episode_id", "code", "sequence", "actor", "opens", "due", "state", "done_on", "late",
    "void_reason", "basis", "explanation", "rule", "triggered_by", "done_by", "late_on_arrival",
    "late_cause", "target", *MESSAGE_FIELDS,
)  # fmt: skip


@dataclass
class BatchResult:
    evaluated: int = 0
    changed: int = 0


def reevaluate(episode_ids: list[int], today: date) -> BatchResult:
    """Re-evaluate these episodes as of `today` (one transaction): store the timelines whose
    digest differs from the stored one through the dossier service (by difference, one audit
    entry for the batch), and store their new schedule. The facts are read with one query per
    batch; the stored obligations are not read at all for an unchanged timeline."""
    result = BatchResult()
    fingerprint = rules_fingerprint()
    with transaction.atomic():
        episodes, events = obligations.episodes_with_events(episode_ids)
        schedules, changed = [], {}
        for episode in episodes:
            timeline = timeline_of(episode=episode, events=events[episode.pk], today=today)
            if dossier_services.timeline_digest(timeline) != episode.timeline_digest:
                changed[episode.pk] = timeline
            schedules.append(
                EpisodeSchedule(
                    episode_id=episode.pk,
                    next_boundary=next_boundary(
                        timeline, today, last_event_date(events[episode.pk])
                    ),
                    evaluated_on=today,
                    episode_version=episode.version,
                    fingerprint=fingerprint,
                )
            )
            result.evaluated += 1
        result.changed = dossier_services.store_timelines(
            timelines=changed,
            versions={e.pk: e.version for e in episodes if e.pk in changed},
            today=today,
            channel=CHANNEL,
        )
        save_schedules(schedules)
    return result


def save_schedules(schedules: list[EpisodeSchedule]) -> None:
    EpisodeSchedule.objects.bulk_create(
        schedules,
        update_conflicts=True,
        unique_fields=["episode"],
        update_fields=["next_boundary", "evaluated_on", "episode_version", "fingerprint"],
    )


def due_for_reevaluation(today: date, *, everything: bool = False) -> list[int]:
    """The ids of the episodes the daily run must re-evaluate on `today` (sorted)."""
    from tnw.worklists.models import RulesState

    if everything:
        return list(obligations.episode_ids())
    ids: set[int] = set()
    ids.update(
        EpisodeSchedule.objects.filter(next_boundary__lte=today).values_list(
            "episode_id", flat=True
        )
    )
    # Registered since (the episode's version moved on) or never evaluated.
    ids.update(
        EpisodeSchedule.objects.filter(obligations.registered_since()).values_list(
            "episode_id", flat=True
        )
    )
    ids.update(obligations.episode_ids().filter(schedule__isnull=True).order_by())
    state = RulesState.objects.filter(pk=1).first()
    if state is None or state.fingerprint != rules_fingerprint():
        ids.update(
            EpisodeSchedule.objects.exclude(fingerprint=rules_fingerprint()).values_list(
                "episode_id", flat=True
            )
        )
    return sorted(ids)


def mark_rules_current(today: date) -> None:
    from tnw.worklists.models import RulesState

    RulesState.objects.update_or_create(
        pk=1, defaults={"fingerprint": rules_fingerprint(), "completed_on": today}
    )


def batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
