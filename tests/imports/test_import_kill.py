"""A real kill (SIGKILL) of `tnw import episodes` halfway, then the same file again: the
committed batches stay whole, the rerun stores the rest, and nothing is stored twice."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ROWS, BATCH = 1000, 20


def _insz(n: int) -> str:
    born = date(1970, 1, 1) + timedelta(days=n // 400)
    base = f"{born:%y%m%d}{2 * (n % 400) + 1:03d}"
    return base + f"{97 - int(base) % 97:02d}"


def _write(path: Path) -> None:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source_key", "insz", "first_name", "last_name", "language", "start",
                      "employment_contract"])  # fmt: skip
        for n in range(ROWS):
            start = date(2026, 1, 5) + timedelta(days=n % 200)
            out.writerow([f"K-{n:05d}", _insz(n), f"Voornaam{n}", f"Naam{n}", "nl",
                          start.isoformat(), "ja" if n % 2 else "nee"])  # fmt: skip


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_resumes_without_duplicates(mutuality, tmp_path):
    from tnw.api.services import create_client
    from tnw.dossier.models import Episode, Person
    from tnw.imports.models import SourceRecord

    create_client(name="benefits", mutuality_code=mutuality.code, scopes=["imports.write"])
    data = tmp_path / "episodes.csv"
    _write(data)
    # This checkout's code (a worktree's venv may be installed from another checkout).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings",
           "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    command = [sys.executable, "-m", "tnw.cli", "import", "episodes", str(data), "--as",
               "api.benefits", "--batch-size", str(BATCH)]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 300
    while Episode.objects.count() < 3 * BATCH:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    kept = Episode.objects.count()
    assert 3 * BATCH <= kept < ROWS  # really halfway
    assert kept % BATCH == 0  # whole batches only: a batch is one transaction
    assert Person.objects.count() == SourceRecord.objects.count() == kept

    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{ROWS - kept} stored, 0 updated, {kept} unchanged, 0 refused" in rerun.stdout
    assert Episode.objects.count() == Person.objects.count() == ROWS
    keys = list(SourceRecord.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == ROWS
    call_command("audit", "verify")  # the chain is whole after the kill
