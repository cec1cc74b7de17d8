"""The daily re-evaluation spread over several processes, on one host or many, against one
PostgreSQL, with no coordinator: the database's row locks are the only shared state. (On
SQLite the same loop is correct but serial: each batch's transaction holds the database's
write lock from BEGIN IMMEDIATE, and SQLite has no FOR UPDATE.)

Every process runs the same loop. It claims a batch of due schedule rows with
`SELECT ... FOR UPDATE OF schedule SKIP LOCKED LIMIT n`, re-evaluates those episodes and
stores their timelines and schedules, and commits; the commit releases the claim. A row stays
due until the transaction that re-evaluated it commits (its next boundary then lies after
today, its version and rules fingerprint are current), so:

- two processes never take the same row (the second skips the locked one);
- a process killed mid-batch (even by SIGKILL) loses its connection, PostgreSQL rolls its
  transaction back and drops its locks, and the rows are due again: the next claim of any
  process takes them over. Nothing is done twice, because nothing of a batch survives but a
  whole committed batch.

The process that also queues and sends the day's messages (the "leader", `tnw daily`) waits at
the end of its own claims for the rows others still hold (`FOR UPDATE` without SKIP LOCKED:
PostgreSQL re-checks each row once its holder commits and skips it when it is no longer due),
so it queues only once every timeline is current; it alone holds the daily run's lock, so the
outbox keeps its exactly-once delivery. Workers (`tnw daily --worker`) only re-evaluate.

Only the schedule rows are locked (`OF self`), never the episodes they join: registrations go
on during the run, and a batch that finds an episode's version moved stores nothing for it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.db.models import Q

from tnw.dossier import obligations
from tnw.dossier.timelines import rules_fingerprint
from tnw.worklists import schedule
from tnw.worklists.models import EpisodeSchedule

# Test hook: seconds to wait after each claim (so that a test can kill a worker mid-batch).
DELAY_ENV = "TNW_TEST_CLAIM_DELAY"


def due(today: date) -> Q:
    """The schedule rows the run of `today` must re-evaluate (see tnw.worklists.schedule)."""
    return (
        Q(next_boundary__lte=today)
        | obligations.registered_since()
        | ~Q(fingerprint=rules_fingerprint())
    )


def prepare(today: date, *, everything: bool = False) -> None:
    """Make every episode to re-evaluate today a due schedule row (idempotent, any process
    may run it): episodes without a schedule get one due today; `everything` makes all due."""
    missing = obligations.episode_ids().filter(schedule__isnull=True).order_by()
    for chunk in schedule.chunked(missing.iterator(chunk_size=5000), 5000):
        EpisodeSchedule.objects.bulk_create(
            [
                EpisodeSchedule(
                    episode_id=pk,
                    next_boundary=today,
                    evaluated_on=today,
                    episode_version=0,
                    fingerprint="",
                )
                for pk in chunk
            ],
            ignore_conflicts=True,
        )
    if everything:
        EpisodeSchedule.objects.exclude(next_boundary__lte=today).update(next_boundary=today)


def claim_batch(today: date, size: int, *, wait: bool) -> schedule.BatchResult | None:
    """Claim up to `size` due rows, re-evaluate them and commit; None when none is left
    (`wait`: also wait for the rows other processes hold, and take over a dead one's)."""
    with transaction.atomic():
        claimed = list(
            EpisodeSchedule.objects.select_for_update(skip_locked=not wait, of=("self",))
            .filter(due(today))
            .order_by("episode_id")
            .values_list("episode_id", flat=True)[:size]
        )
        if not claimed:
            return None
        if delay := float(os.environ.get(DELAY_ENV, "0")):
            # Holding the claim, so that a test can kill a batch halfway and find it again.
            print("claimed", ",".join(map(str, claimed)), file=sys.stderr, flush=True)
            time.sleep(delay)
        return schedule.reevaluate(claimed, today)


def run_claims(
    today: date,
    batch_size: int,
    *,
    leader: bool,
    advance: Callable[[int], None] | None = None,
) -> schedule.BatchResult:
    """Claim and re-evaluate batches until no due row is left; the leader then waits for
    the batches others hold."""
    total = schedule.BatchResult()
    for wait in (False, True) if leader else (False,):
        while (result := claim_batch(today, batch_size, wait=wait)) is not None:
            total.evaluated += result.evaluated
            total.changed += result.changed
            if advance is not None:
                advance(result.evaluated)
    return total
