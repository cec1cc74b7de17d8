"""Report pages at scale: every report page and chart, for a manager and for the national view.

    python bench/reports.py --people 100000 [--skip-simulate] [--runs 10] [--no-refresh]
    DATABASE_URL=postgres://... python bench/reports.py --people 1000000 --skip-simulate

SQLite: a database file under --dir (default /tmp/tnw-bench-reports/sqlite-N), loaded with
`tnw simulate --people N` unless --skip-simulate. PostgreSQL: set DATABASE_URL to a database
(empty, or already simulated with --skip-simulate). Each page is requested through Django's
test client in this process, uncached (the report cache is cleared before every request), one
warm-up request and then --runs measured ones; p50/p95/max in milliseconds. The baseline,
measured in the same run the same way, is the manager's existing home page (team counts and
anonymous figures), so the figures read as ratios on a machine shared with other work.
Before the pages, the stored figures are rebuilt as of the bench day (`tnw report refresh`,
timed; --no-refresh keeps the last refresh), so the pages of the default period read them;
`--counted` times the same pages counted directly (the stored figures left aside).
The exports (XLSX of every report, CSV of the compliance) are timed the same way.
Results: JSON on stdout and in bench/results-reports-<db>-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TNW = str(ROOT / ".venv" / "bin" / "tnw")
TODAY = "2026-11-24"  # the day of the simulation (--today)
PAGES = ("dashboard", "barometer", "compliance", "flow")


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]


def timed(client, url: str, runs: int, clear) -> dict:
    client.get(url)  # warm-up: connections, imports, templates
    samples = []
    for _ in range(runs):
        clear()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "runs": runs,
    }


def users():
    """A manager of the largest mutuality and the (national) administrator."""
    from django.db.models import Count

    from tnw.accounts.models import User
    from tnw.accounts.services import create_user
    from tnw.mutualities.models import Mutuality

    largest = Mutuality.objects.annotate(n=Count("people")).order_by("-n").first()
    manager = User.objects.filter(username="bench-manager").first() or create_user(
        username="bench-manager", role="manager", password="bench", mutuality=largest
    )
    admin = User.objects.filter(username="bench-admin").first() or create_user(
        username="bench-admin", role="admin", password="bench", mutuality=None
    )
    return manager, admin


def refresh(today: str) -> dict:
    """`tnw report refresh` as of the bench day, timed (wall clock, in this process)."""
    from datetime import date

    from tnw.dossier import services
    from tnw.dossier.figures import stored_rows

    started = time.monotonic()
    done = services.refresh_report_figures(today=date.fromisoformat(today))
    return {
        "refresh_seconds": round(time.monotonic() - started, 1),
        "stored_rows": stored_rows(),
        "refresh_reported": done["seconds"],
    }


def measure(runs: int, do_refresh: bool, counted: bool, day: str, home_runs: int = 0) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from tnw.dossier.models import Episode, Obligation, Registration

    settings.ALLOWED_HOSTS = ["testserver"]
    manager, admin = users()
    from datetime import date, timedelta

    from tnw.reports.forms import default_start

    out: dict = refresh(day) if do_refresh else {}
    # The stored figures answer only as of their own day: --counted asks for the day before.
    today = date.fromisoformat(day) - timedelta(days=1 if counted else 0)
    settings.TNW_TODAY = today.isoformat()
    out |= {
        "episodes": Episode.objects.count(),
        "registrations": Registration.objects.count(),
        "obligations": Obligation.objects.count(),
    }
    # The default period of the screens: twelve months up to today.
    query = f"?start={default_start(today).isoformat()}&end={today.isoformat()}&grain=month"
    for who, user in (("manager", manager), ("national", admin)):
        client = Client()
        client.force_login(user)
        if who == "manager":
            out["baseline_manager_home"] = timed(client, "/", home_runs or runs, cache.clear)
        for page in PAGES:
            url = f"/reports/{page}/{query}" if page != "dashboard" else f"/reports/{query}"
            out[f"{who}_{page}"] = timed(client, url, runs, cache.clear)
            out[f"{who}_{page}_xlsx"] = timed(
                client, f"/reports/{page}/export.xlsx{query}", runs, cache.clear
            )
        out[f"{who}_compliance_csv"] = timed(
            client, f"/reports/compliance/export.csv{query}", runs, cache.clear
        )
        # A chart request after its page: the figures come from the page's cache entry.
        client.get(f"/reports/{query}")
        out[f"{who}_chart_compliance"] = timed(
            client, f"/reports/dashboard/charts/compliance_by_total.svg{query}", runs, lambda: None
        )
    base = out["baseline_manager_home"]["p95_ms"]
    for key, value in out.items():
        if isinstance(value, dict) and key != "baseline_manager_home":
            value["p95_vs_baseline"] = round(value["p95_ms"] / base, 2)
    return out


def simulate(env: dict[str, str], people: int, today: str) -> dict:
    started = time.monotonic()
    subprocess.run([TNW, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [TNW, "simulate", "--people", str(people), "--today", today, "--workers", "2"],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return {"simulate_seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--dir", default="/tmp/tnw-bench-reports")
    parser.add_argument("--skip-simulate", action="store_true")
    parser.add_argument("--no-refresh", action="store_true")
    parser.add_argument("--counted", action="store_true", help="count directly (no stored)")
    parser.add_argument("--today", default=TODAY, help="the simulation's day (YYYY-MM-DD)")
    parser.add_argument(
        "--home-runs", type=int, default=0, help="runs of the home (default --runs)"
    )
    args = parser.parse_args()
    db = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tnw.settings")
    env.setdefault("TNW_VAR_DIR", str(Path(args.dir) / f"{db}-{args.people}"))
    Path(env["TNW_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    result: dict = {
        "db": db,
        "people": args.people,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()}",
    }
    if not args.skip_simulate:
        result.update(simulate(env, args.people, args.today))
    sys.path.insert(0, str(ROOT / "src"))
    result.update(measure(args.runs, not args.no_refresh, args.counted, args.today, args.home_runs))
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, indent=1)
    suffix = "-counted" if args.counted else ""
    (ROOT / "bench" / f"results-reports-{db}-{args.people}{suffix}.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
