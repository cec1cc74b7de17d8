"""Scale benchmark: tnw simulate, tnw daily, a full re-evaluation and worklist queries.

    python bench/scale.py --people 1000000 [--db sqlite|postgres] [--today 2026-11-24]

SQLite: a fresh database file under --dir (default /tmp/tnw-bench). PostgreSQL: set
DATABASE_URL to an empty database (e.g. from `source scripts/pg.sh; PG_EXTRA_OPTS="" pg_start`,
a durable server: fsync stays on). Every `tnw` step runs as a child process; its wall time and
peak memory (maxrss from os.wait4) are measured. The worklist queries run in this process:
`worklist_for` (the API the screens call, audit entry included) for the coordinator and the
advising physician with the median number of assigned episodes, 20 warm-up calls then 200
measured calls each; p50/p95 in milliseconds. Results: JSON on stdout and in --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TNW = str(ROOT / ".venv" / "bin" / "tnw")


def run(env: dict[str, str], *args: str) -> dict:
    """Run `tnw args...`; its wall time, peak RSS (MiB) and last stdout line."""
    started = time.monotonic()
    errors = open(Path(env["TNW_VAR_DIR"]) / "stderr.log", "a")  # noqa: SIM115
    process = subprocess.Popen(
        [TNW, *args], env=env, stdout=subprocess.PIPE, stderr=errors, text=True
    )
    output = []
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line.rstrip())
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"tnw {' '.join(args)} failed ({process.returncode}): {output[-5:]}")
    result = {
        "command": "tnw " + " ".join(shlex.quote(a) for a in args),
        "seconds": round(wall, 2),
        "max_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "output": output[-1] if output else "",
    }
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def worklist_timings(today: date, calls: int = 200) -> dict:
    import django

    django.setup()
    from django.db.models import Count

    from tnw.accounts.models import User
    from tnw.worklists.selectors import counts_for, worklist_for

    out = {}
    for role, field in (("coordinator", "coordinated_episodes"),
                        ("advising_physician", "physician_episodes")):  # fmt: skip
        users = list(
            User.objects.filter(role=role, username__startswith="sim-")
            .annotate(n=Count(field))
            .order_by("n", "pk")
            .values_list("pk", "n")
        )
        user_id, episodes = users[len(users) // 2]
        user = User.objects.get(pk=user_id)
        for _ in range(20):
            items = worklist_for(user, today=today)
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            items = worklist_for(user, today=today)
            times.append((time.perf_counter() - started) * 1000)
        overdue = [
            (time.perf_counter(), worklist_for(user, today=today, status="overdue"))
            for _ in range(1)
        ]
        count_times = []
        for _ in range(50):
            started = time.perf_counter()
            counts = counts_for(user, today)
            count_times.append((time.perf_counter() - started) * 1000)
        out[role] = {
            "user": user.username,
            "assigned_episodes": episodes,
            "items_returned": len(items),
            "overdue_items": len(overdue[0][1]),
            "counts": counts.__dict__,
            "worklist_ms_p50": round(statistics.median(times), 2),
            "worklist_ms_p95": round(percentile(times, 95), 2),
            "worklist_ms_max": round(max(times), 2),
            "counts_ms_p50": round(statistics.median(count_times), 2),
            "counts_ms_p95": round(percentile(count_times, 95), 2),
        }
        print(json.dumps({role: out[role]}), file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--dir", default="/tmp/tnw-bench")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--skip-simulate", action="store_true", help="measure an existing set")
    parser.add_argument("--only-simulate", action="store_true", help="load, measure later")
    parser.add_argument(
        "--day-offset", type=int, default=1, help="the measured daily run is on today + N"
    )
    parser.add_argument("--out")
    args = parser.parse_args()

    db = "postgres" if os.environ.get("DATABASE_URL") else "sqlite"
    work = Path(args.dir) / f"{db}-{args.people}"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tnw.settings",
        TNW_VAR_DIR=str(work),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "mail"),
    )
    os.environ.update(env)
    if not os.environ.get("PYTHONPATH"):  # else: a snapshot of the code (see README)
        sys.path.insert(0, str(ROOT / "src"))
    results: dict = {
        "database": db,
        "people": args.people,
        "today": args.today.isoformat(),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "code": os.environ.get("TNW_BENCH_CODE", "working tree"),
        "steps": {},
    }
    steps = results["steps"]
    day1 = args.today + timedelta(days=args.day_offset)
    if not args.skip_simulate:
        steps["migrate"] = run(env, "migrate", "-v0")
        steps["simulate"] = run(
            env, "simulate", "--people", str(args.people), "--today", args.today.isoformat(),
            "--workers", args.workers,
        )  # fmt: skip
        # The first run on the simulated day sends the backlog (every digest, every open
        # questionnaire): measured, but the steady state is the next day's run.
        steps["daily_first"] = run(env, "daily", "--today", args.today.isoformat())
    if args.only_simulate:
        print(json.dumps(results, indent=2, default=str))
        (Path(args.out) if args.out else work / "simulate.json").write_text(
            json.dumps(results, indent=2, default=str) + "\n"
        )
        return
    steps["daily_next_day"] = run(env, "daily", "--today", day1.isoformat())
    steps["daily_rerun_same_day"] = run(env, "daily", "--today", day1.isoformat())
    steps["worklists"] = worklist_timings(day1)
    steps["full_reevaluation"] = run(
        env, "daily", "--all", "--no-send", "--today", day1.isoformat()
    )
    text = json.dumps(results, indent=2, default=str)
    print(text)
    out = Path(args.out) if args.out else ROOT / "bench" / f"results-{db}-{args.people}.json"
    out.write_text(text + "\n")


if __name__ == "__main__":
    main()
