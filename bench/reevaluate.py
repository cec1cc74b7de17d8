"""The full re-evaluation next to a set-based SQL pass over the same rows, in one run (issue 11
point 4: at most 2x).

    DATABASE_URL=... .venv/bin/python bench/reevaluate.py --today 2026-12-01

On the database given (a copy: it writes), it times
  1. `tnw daily --all --no-send --today D`: every episode read in bulk, evaluated by the
     engine and compared with its stored digest (changed timelines stored by difference).
     Run twice: a data set written in bulk (`tnw simulate`) has no digests yet, and the first
     run stores them; the second is the steady state, the figure compared;
  2. the set-based pass over the same rows, in SQL only: one statement that reads every
     registration (the facts the engine reads) and one UPDATE that rewrites every obligation
     row (what a recompute of every timeline would write), in one transaction.
and prints both with their ratio (JSON). The figures go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TNW = [sys.executable, "-m", "tnw.cli"]

SET_BASED = """
import django, json, time
django.setup()
from django.db import connection, transaction
started = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT count(*), sum(length(CAST(data AS TEXT))) FROM dossier_registration")
    registrations = cursor.fetchone()[0]
    cursor.execute("UPDATE dossier_obligation SET late = late")
    obligations = cursor.rowcount
print(json.dumps({"seconds": time.perf_counter() - started, "registrations": registrations,
                  "obligations": obligations}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--today", required=True)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if "DATABASE_URL" not in env:
        sys.exit("give the DATABASE_URL of a copy (the bench writes)")
    database = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        daily = subprocess.run(
            [*TNW, "daily", "--all", "--no-send", "--today", args.today],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        runs.append(time.perf_counter() - started)
    full = runs[-1]
    # The re-evaluation phase as the run reports it (without the process start, the imports
    # and the queueing of the day's messages).
    phase = float(re.search(r"reevaluate:([\d.]+)", daily.stdout).group(1))
    out = subprocess.run([sys.executable, "-c", SET_BASED], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)  # fmt: skip
    set_based = json.loads(out.stdout)
    report = {
        "database": database,
        "full_reevaluation_first_s": round(runs[0], 2),
        "full_reevaluation_s": round(full, 2),
        "daily_summary": daily.stdout.strip().splitlines()[-12:],
        "set_based_s": round(set_based["seconds"], 2),
        "registrations": set_based["registrations"],
        "obligations": set_based["obligations"],
        "reevaluate_phase_s": phase,
        "ratio": round(phase / set_based["seconds"], 2),
        "ratio_whole_run": round(full / set_based["seconds"], 2),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
