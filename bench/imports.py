"""Bulk import benchmark: `tnw import episodes` against a plain bulk insert of the same rows.

    python bench/imports.py --rows 100000 [--batch-size 1000] [--dir /tmp/tnw-bench-import]

Both run on fresh SQLite databases (or, with DATABASE_URL, on that empty PostgreSQL database,
one after the other: the baseline's rows are deleted first) in child processes, in the same
run, on the same generated file:

- `baseline`: Person and Episode rows inserted with `bulk_create` (1,000 a statement, one
  transaction per 1,000 rows), nothing else: no checks, no engine, no audit, no timelines;
- `import`: `tnw import episodes FILE` as a physicians' system's service account (so the 10%
  of rows with an end register it): every row checked, the rules engine once per episode,
  people, episodes, registrations and obligations in bulk, the audit chain in one append per
  batch;
- `reimport`: the same file again (everything unchanged: the idempotency check);
- the baseline again, after the import, on a fresh database: the machine's load may change
  during a long run, so the ratios are taken against the mean of both baselines.

Each step reports its wall time, its CPU time (user + system of the child process, which
depends much less on other processes' load) and the load average before and after. The
figures that matter are the ratios import / baseline (wall and CPU); no time is asserted.
Results: JSON on stdout and in --out; the measured figures are in bench/RESULTS-import.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TNW = str(ROOT / ".venv" / "bin" / "tnw")
COLUMNS = ("source_key", "insz", "first_name", "last_name", "language", "birth_date", "start",
           "employment_contract", "employer_name", "employer_number", "end")  # fmt: skip


def insz(n: int) -> str:
    """The n-th valid national register number (born 1950-2004, serial and check digits)."""
    born = date(1950, 1, 1) + timedelta(days=(n * 7919) % 20000)
    serial = (n // 20000) * 2 + 1
    base = f"{born:%y%m%d}{serial:03d}"
    number = int(("2" if born.year >= 2000 else "") + base)
    return base + f"{97 - number % 97:02d}"


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for n in range(rows):
            start = date(2024, 1, 1) + timedelta(days=n % 600)
            end = start + timedelta(days=60 + n % 300) if n % 10 == 0 else None
            out.writerow([
                f"BEN-{n:07d}", insz(n), f"Voornaam{n}", f"Naam{n % 5000}",
                ("nl", "fr", "de")[n % 3], "", start.isoformat(), "yes" if n % 4 else "no",
                f"Werkgever {n % 997}" if n % 4 else "", "", end.isoformat() if end else "",
            ])  # fmt: skip


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(env: dict[str, str], *command: str) -> dict:
    load = os.getloadavg()[0]
    cpu = _cpu()
    started = time.monotonic()
    process = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = round(time.monotonic() - started, 2)
    cpu_seconds = round(_cpu() - cpu, 2)
    # tnw import exits 1 when rows were refused: the report says how many.
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr[-2000:]}")
    # `tnw shell` first says how many objects it imported automatically: not our output.
    lines = [line for line in process.stdout.strip().splitlines()
             if line and "imported automatically" not in line]  # fmt: skip
    result = {
        "seconds": seconds, "cpu_seconds": cpu_seconds, "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1), "output": lines[0] if lines else "",
    }  # fmt: skip
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def prepared(base: dict[str, str], work: Path, name: str) -> dict[str, str]:
    """A fresh database (SQLite file under work/name) migrated, with a mutuality and the
    importing service account."""
    env = {**base, "TNW_VAR_DIR": str(work / name)}
    (work / name).mkdir(parents=True, exist_ok=True)
    for stale in (work / name).glob("tnw.sqlite3*"):
        stale.unlink()
    subprocess.run([TNW, "migrate", "-v", "0"], env=env, check=True)
    setup = (
        "from tnw.mutualities.models import Mutuality\n"
        "from tnw.api.services import create_client\n"
        "Mutuality.objects.get_or_create(code='203', defaults={'name': 'Bench'})\n"
        "create_client(name='bench', mutuality_code='203',"
        " scopes=['imports.write', 'health.read'])\n"
    )
    subprocess.run([TNW, "shell", "-c", setup], env=env, check=True)
    return env


BASELINE = """
import csv, sys
from datetime import date
from django.db import transaction
from tnw.dossier.models import Episode, Person
from tnw.mutualities.models import Mutuality

mutuality = Mutuality.objects.get(code="203")
with open(sys.argv[1]) as handle:
    rows = list(csv.DictReader(handle))
for i in range(0, len(rows), 1000):
    chunk = rows[i:i + 1000]
    with transaction.atomic():
        people = Person.objects.bulk_create([
            Person(mutuality=mutuality, insz=r["insz"], number_kind="nn",
                   first_name=r["first_name"], last_name=r["last_name"], language=r["language"])
            for r in chunk
        ])
        Episode.objects.bulk_create([
            Episode(person=p, start=date.fromisoformat(r["start"]),
                    end=date.fromisoformat(r["end"]) if r["end"] else None,
                    employment_contract=r["employment_contract"] == "yes",
                    employer_name=r["employer_name"])
            for p, r in zip(people, chunk)
        ])
print(f"{len(rows)} rows inserted")
"""


def _baseline(base: dict[str, str], work: Path, data: Path, script: Path) -> dict:
    env = prepared(base, work, "baseline")
    code = f"import sys; sys.argv = ['', {str(data)!r}]; exec(open({str(script)!r}).read())"
    result = timed(env, TNW, "shell", "-c", code)
    if "DATABASE_URL" in os.environ:
        subprocess.run([TNW, "flush", "--no-input"], env=env, check=True)
    return result


def _ratios(baselines: list[dict], imported: dict, again: dict) -> dict:
    """Against the mean of the baselines run before and after the import (the machine's
    load can change in between; both are in the result)."""
    wall = sum(b["seconds"] for b in baselines) / len(baselines)
    cpu = sum(b["cpu_seconds"] for b in baselines) / len(baselines)
    return {
        "ratio_import_to_baseline": round(imported["seconds"] / wall, 2),
        "ratio_import_to_baseline_cpu": round(imported["cpu_seconds"] / cpu, 2),
        "ratio_reimport_to_baseline": round(again["seconds"] / wall, 2),
        "ratio_reimport_to_baseline_cpu": round(again["cpu_seconds"] / cpu, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/tnw-bench-import")
    parser.add_argument("--out")
    args = parser.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings"}
    data = work / f"episodes-{args.rows}.csv"
    write_rows(data, args.rows)
    script = work / "baseline.py"
    script.write_text(BASELINE)

    before = _baseline(base, work, data, script)
    env = prepared(base, work, "import")
    command = (TNW, "import", "episodes", str(data), "--as", "api.bench",
               "--batch-size", str(args.batch_size))  # fmt: skip
    imported = timed(env, *command)
    again = timed(env, *command)
    if "DATABASE_URL" in os.environ:
        subprocess.run([TNW, "flush", "--no-input"], env=env, check=True)
    after = _baseline(base, work, data, script)
    commit = (
        os.environ.get("TNW_BENCH_COMMIT")
        or subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    )
    result = {
        "rows": args.rows, "batch_size": args.batch_size,
        "database": "postgresql" if "DATABASE_URL" in os.environ else "sqlite",
        "commit": commit, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "baseline_before": before, "import": imported, "reimport": again,
        "baseline_after": after, **_ratios([before, after], imported, again),
        "import_rows_per_second": round(args.rows / imported["seconds"]),
    }  # fmt: skip
    text = json.dumps(result, indent=2)
    print(text)
    Path(args.out or work / f"result-{args.rows}.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
