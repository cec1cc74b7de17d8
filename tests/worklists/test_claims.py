"""The daily re-evaluation shared by several processes that claim batches of rows (SELECT ...
FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the same claims, one batch at a time): one
worker killed with SIGKILL mid-batch, its batch taken over, nothing done twice, and the same
stored state as one process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import TODAY
from tests.worklists.test_schedule import engine_disagrees
from tnw.audit.models import AuditEntry
from tnw.notifications.models import OutboxMessage
from tnw.worklists import claims
from tnw.worklists.daily import run_daily
from tnw.worklists.models import EpisodeSchedule
from tnw.worklists.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
LATER = TODAY + timedelta(days=45)


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _worker(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "tnw.cli", "daily", "--worker", f"--today={LATER}",
               "--batch-size=15"]  # fmt: skip
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _next_claim(worker: subprocess.Popen) -> list[int]:
    """The episode ids of the batch the worker has just claimed (it says so under the test
    hook, then holds the claim for the hook's delay)."""
    seen = []
    for line in worker.stderr:
        if line.startswith(b"claimed "):
            return [int(pk) for pk in line.split()[1].split(b",")]
        seen.append(line.decode(errors="replace"))
    raise AssertionError("the worker ended without claiming:\n" + "".join(seen[-15:]))


# Several processes sharing the work is SKIP LOCKED's behaviour: on SQLite the claims take
# turns, so whether another process gets a batch before the leader ends is a race there.
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_workers_one_killed_give_the_state_of_one_process(tmp_path):
    simulate(people=160, today=TODAY, workers=1, seed=7)
    claims.prepare(LATER, everything=True)
    due = EpisodeSchedule.objects.filter(claims.due(LATER)).count()
    assert due == EpisodeSchedule.objects.count() > 100
    assert engine_disagrees(LATER) != []  # there is work that changes stored timelines
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings", "DATABASE_URL":
           _database_url(), "TNW_TEST_CLAIM_DELAY": "0.5"}  # fmt: skip
    workers = [_worker(env) for _ in range(4)]
    victim = workers[0]
    held = _next_claim(victim)
    victim.send_signal(signal.SIGKILL)  # inside its batch: claimed, not committed
    assert victim.wait(timeout=30) == -signal.SIGKILL
    assert EpisodeSchedule.objects.filter(claims.due(LATER), episode_id__in=held).count() == len(
        held
    )  # its batch is due again, for another process to take over
    # The leader (this process) claims too, then waits for the batches the others hold.
    summary = run_daily(today=LATER, batch_size=15, send=False)
    helped = 0
    for worker in workers[1:]:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
        helped += int(out.decode().split("reevaluated=")[1].split()[0])
    assert helped > 0 and summary.reevaluated + helped == due  # shared, each row once

    # Every row evaluated, and the stored timelines are exactly the engine's (one process's).
    assert EpisodeSchedule.objects.filter(claims.due(LATER)).count() == 0
    assert set(EpisodeSchedule.objects.values_list("evaluated_on", flat=True)) == {LATER}
    assert engine_disagrees(LATER) == []
    # Nothing done twice: each episode's timeline was stored by exactly one batch.
    stored = Counter(
        change["episode"]
        for entry in AuditEntry.objects.filter(channel="command:daily:timeline")
        for change in entry.changes["episodes"]
    )
    assert stored and max(stored.values()) == 1
    # The leader alone queued the day's messages, each once.
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys))


@pytest.mark.django_db(transaction=True)
def test_a_worker_alone_reevaluates_what_is_due_and_stops():
    simulate(people=40, today=TODAY, workers=1, seed=3)
    claims.prepare(LATER)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings",
           "DATABASE_URL": _database_url()}  # fmt: skip
    out, err = _worker(env).communicate(timeout=300)
    assert b"reevaluated=" in out, err.decode()
    assert EpisodeSchedule.objects.filter(claims.due(LATER)).count() == 0
    assert engine_disagrees(LATER) == []
