"""Caseload benchmark: what a coordinator or physician with hundreds of dossiers does, timed at
the size of a population, as ratios to a baseline measured in the same run.

    python bench/caseload.py --people 20000 [--calls 30] [--skip-simulate]

A fresh SQLite file under --dir (default /tmp/tnw-bench/caseload-<db>-N), or the empty
PostgreSQL database of DATABASE_URL; `tnw simulate` loads the population (a child process,
as bench/scale.py). Then, in this process, for the advising physician with the most
dossiers and for the coordinator with the most:

- baseline: the first page of their worklist (`tnw.worklists.pages.worklist_page`, what the
  screen calls, audit entry included);
- the last page of the worklist and of its overdue tasks, sorted on the person (descending),
  filtered on a person's name;
- the search (`selectors.find_people`) on a full name in the worklist's order ("Last First")
  and the other way round, and on a last name without its accents or capitals;
- the agenda of a week (`selectors.agenda`) and the dossier page's read (`get_dossier`);
- a correction (`services.correct_registration`, the date kept: the whole write path, the
  engine twice, the timeline stored) next to a registration of the same size
  (`services.register_event` of a contact), on different episodes.

Each is warmed up, then timed `--calls` times; p50/p95 in milliseconds and the ratio of each
p50 to the baseline's p50 of the same user in the same run. The machine is shared: absolute
times move with its load, the ratios much less. Nothing here asserts a time. Results: JSON on
stdout and in bench/results-caseload-<db>-<N>.json; the figures are in RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ROOT, percentile, run


def timed(call: Callable[[int], object], calls: int, warm: int = 3) -> dict:
    for n in range(warm):
        call(n)
    times = []
    for n in range(calls):
        started = time.perf_counter()
        call(warm + n)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2)}


def busiest(role: str, field: str):
    from django.db.models import Count

    from tnw.accounts.models import User

    return (
        User.objects.filter(role=role, username__startswith="sim-")
        .annotate(n=Count(field))
        .order_by("-n", "pk")
        .first()
    )


def reads(user, today: date, calls: int) -> dict:
    """The worklist, search, agenda and dossier reads of one user."""
    from tnw.dossier import selectors
    from tnw.dossier.models import Episode
    from tnw.worklists import pages

    def page(**options):
        return lambda _n: pages.worklist_page(user, today=today, channel="bench", **options)

    first = pages.worklist_page(user, today=today, channel="bench")
    overdue = pages.worklist_page(user, today=today, status=("overdue",), channel="bench")
    field = "coordinator" if user.role == "coordinator" else "advising_physician"
    episode = Episode.objects.filter(**{field: user}).select_related("person").last()
    person = episode.person
    monday = today - timedelta(days=today.weekday())
    out = {
        "user": user.username,
        "dossiers": user.n,
        "tasks": first.total,
        "overdue_tasks": overdue.total,
        "pages": first.pages,
        "baseline_first_page": timed(page(), calls),
        "last_page": timed(page(page=first.pages), calls),
        "last_overdue_page": timed(page(status=("overdue",), page=overdue.pages), calls),
        "sorted_on_person_desc": timed(page(sort="person", descending=True), calls),
        "filtered_on_a_name": timed(page(person=person.last_name), calls),
    }
    for label, text in (
        ("search_last_first", f"{person.last_name} {person.first_name}"),
        ("search_first_last", f"{person.first_name} {person.last_name}"),
        ("search_folded_last_name", fold(person.last_name)),
    ):
        out[label] = timed(lambda _n, t=text: selectors.find_people(user=user, text=t), calls)
    out["agenda_week"] = timed(
        lambda _n: selectors.agenda(user=user, start=monday, end=monday + timedelta(days=6)),
        calls,
    )
    out["dossier_page_read"] = timed(
        lambda _n: selectors.get_dossier(user=user, person_id=person.pk, today=today), calls
    )
    return out


def fold(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def writes(coordinator, today: date, calls: int) -> dict:
    """A correction next to a registration, each on its own episode (the coordinator's)."""
    from tnw.dossier import services
    from tnw.dossier.models import Episode, Registration

    # Episodes of the coordinator with a first contact in force (a coordinator's step).
    contacts = list(
        Registration.objects.in_force()
        .filter(type="first_contact", episode__coordinator=coordinator, episode__end__isnull=True)
        .order_by("id")[: 2 * (calls + 3)]
    )
    half = len(contacts) // 2
    corrected, registered = contacts[:half], contacts[half:]

    def correct(n: int) -> None:
        original = corrected[n % len(corrected)]
        version = Episode.objects.get(pk=original.episode_id).version
        services.correct_registration(
            user=coordinator, registration_id=original.pk, expected_version=version,
            reason="bench: the same facts again", on=original.date,
            fields=dict(original.data), note=original.note,
            form_reference=original.form_reference or "BENCH", today=today,
        )  # fmt: skip
        corrected[n % len(corrected)] = Registration.objects.get(corrects=original)

    def register(n: int) -> None:
        episode_id = registered[n % len(registered)].episode_id
        services.register_event(
            user=coordinator, episode_id=episode_id,
            expected_version=Episode.objects.get(pk=episode_id).version,
            event_type="contact", on=today, fields={"mode": "phone", "purpose": "other"},
            note="bench", today=today,
        )  # fmt: skip

    available = min(len(corrected), len(registered)) - 3
    if available < 5:
        return {"skipped": f"only {len(contacts)} first contacts in force"}
    n = min(calls, available)
    return {
        "baseline_register_contact": timed(register, n),
        "correct_first_contact": timed(correct, n),
    }


def with_ratios(block: dict, baseline: str) -> dict:
    base = block[baseline]["p50_ms"]
    for value in block.values():
        if isinstance(value, dict) and "p50_ms" in value:
            value["ratio_to_baseline"] = round(value["p50_ms"] / base, 2) if base else None
    return block


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--dir", default="/tmp/tnw-bench")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--skip-simulate", action="store_true", help="measure an existing set")
    parser.add_argument("--out")
    args = parser.parse_args()

    db = "postgres" if os.environ.get("DATABASE_URL") else "sqlite"
    work = Path(args.dir) / f"caseload-{db}-{args.people}"
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tnw.settings", TNW_VAR_DIR=str(work))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    results: dict = {
        "database": db, "people": args.people, "today": args.today.isoformat(),
        "calls": args.calls,
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "steps": {},
    }  # fmt: skip
    if not args.skip_simulate:
        results["steps"]["migrate"] = run(env, "migrate", "-v0")
        results["steps"]["simulate"] = run(
            env, "simulate", "--people", str(args.people), "--today", args.today.isoformat(),
            "--workers", args.workers,
        )  # fmt: skip
    import django

    django.setup()
    physician = busiest("advising_physician", "physician_episodes")
    coordinator = busiest("coordinator", "coordinated_episodes")
    for role, user in (("advising_physician", physician), ("coordinator", coordinator)):
        results[role] = with_ratios(reads(user, args.today, args.calls), "baseline_first_page")
        print(json.dumps({role: results[role]}), file=sys.stderr, flush=True)
    results["writes"] = writes(coordinator, args.today, args.calls)
    if "skipped" not in results["writes"]:
        with_ratios(results["writes"], "baseline_register_contact")
    text = json.dumps(results, indent=2, default=str)
    print(text)
    out = (
        Path(args.out) if args.out else ROOT / "bench" / f"results-caseload-{db}-{args.people}.json"
    )
    out.write_text(text + "\n")


if __name__ == "__main__":
    main()
