"""`tnw simulate --people N`: a synthetic national population, in bulk, for load tests.

Each person gets one incapacity episode, started over the past years (more recent ones more
often), following one of the process scenarios of the demo (routing A with its categories,
exemptions, CODEX, routing B with permission granted or refused, ZIV trajectories), with the
dates jittered and about 40% of the questionnaires returned late or left blank (RIZIV barometer
figures). Every episode's events are checked by the real rules engine (an event the engine
refuses ends the episode's story there), and its obligations and its daily-run schedule are
the engine's. Generation runs in worker processes; the main process writes in batches (COPY on
PostgreSQL, executemany on SQLite), one transaction per batch.

Synthetic data only (names from a short list, numbers valid but generated, e-mail addresses
under .invalid). It bypasses the services and therefore the per-row audit: one audit entry
records the load. Run it on an otherwise idle database (ids are assigned by the loader).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connections, transaction

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.audit.services import append
from tnw.dossier import bulk, demo
from tnw.dossier.selectors import search_key
from tnw.dossier.timelines import rules_fingerprint, timeline_of_contract
from tnw.mutualities.models import Mutuality
from tnw.rules import Timeline
from tnw.worklists.models import EpisodeSchedule
from tnw.worklists.progress import Progress
from tnw.worklists.schedule import _messages, next_boundary

EPISODES_PER_COORDINATOR = 500
EPISODES_PER_PHYSICIAN = 1500
EPISODES_PER_STAFF = 20000
MUTUALITY_WEIGHTS = {"203": 45, "216": 20, "228": 15, "235": 20}
LATE_OR_BLANK = 0.33  # + the demo's help scenario: ~40% late or blank in all
NO_EMAIL = 0.3
SCENARIO_WEIGHTS = [weight for *_, weight in demo.SCENARIOS]


# --- Generation (pure: runs in the workers) ------------------------------------------------


def _insz(n: int) -> tuple[str, date]:
    """The n-th synthetic national register number (born 1960-1999, serial 1-997)."""
    birth = date(1960, 1, 1) + timedelta(days=n % 14_600)
    body = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{n // 14_600 + 1:03d}"
    return body + f"{97 - int(body) % 97:02d}", birth


def _questionnaire_variation(steps: list, rng: random.Random) -> list:
    sent = next((s for s in steps if s[1] == "questionnaire_sent"), None)
    if sent is None or rng.random() >= LATE_OR_BLANK:
        return steps
    base = sent[0]
    rest = [
        s for s in steps if s[1] not in ("questionnaire_received", "questionnaire_help_contact")
    ]
    extra: list[tuple[Any, ...]] = [(base + rng.randint(15, 22), "questionnaire_help_contact",
              {"mode": rng.choice(["phone", "mail", "video"])}, "staff", {})]  # fmt: skip
    if rng.random() < 0.5:  # late
        extra.append((base + rng.randint(23, 40), "questionnaire_received", {}, "staff", {}))
    elif rng.random() < 0.5:  # blank: no help contact either
        extra = []
    return sorted([*rest, *extra], key=lambda s: s[0])


def _events(steps: list, start: date, today: date, rng: random.Random) -> list[tuple]:
    out = []
    shift = 0
    for offset, event_type, fields, role, options in steps:
        shift += rng.choice((0, 0, 0, 1, 2, 3, 5, 8))
        on = start + timedelta(days=offset + shift)
        if on > today:
            break
        values = {}
        for name, value in fields.items():
            if isinstance(value, tuple) and value[0] == "+":
                value = (start + timedelta(days=value[1] + shift)).isoformat()
            values[name] = value
        out.append((event_type, on, values, role, options))
    return out


@dataclass
class Chunk:
    people: list[tuple] = field(default_factory=list)
    episodes: list[tuple] = field(default_factory=list)
    registrations: list[tuple] = field(default_factory=list)
    obligations: list[tuple] = field(default_factory=list)
    schedules: list[tuple] = field(default_factory=list)
    refused: int = 0
    late_or_blank: int = 0
    questionnaires: int = 0


def generate(args: tuple) -> Chunk:
    """People `first`..`first+count-1` (ids = INSZ index), with their episodes and rows."""
    first, count, seed, today, teams, fingerprint, now = args
    chunk = Chunk()
    for n in range(first, first + count):
        rng = random.Random(seed * 1_000_003 + n)
        insz, birth = _insz(n)
        language = rng.choices(["nl", "fr", "de"], weights=[60, 38, 2])[0]
        given, family = rng.choice(demo.FIRST[language]), rng.choice(demo.LAST[language])
        postal_code, city = rng.choice(demo.CITIES[language])
        mutuality_id, coordinators, physicians, staff = rng.choices(
            teams, weights=[t[4] for t in teams]
        )[0][:4]
        coordinator = coordinators[n % len(coordinators)]
        physician = physicians[n % len(physicians)]
        helper = staff[n % len(staff)]
        _name, contract, make_steps, _ = rng.choices(demo.SCENARIOS, weights=SCENARIO_WEIGHTS)[0]
        start = today - timedelta(days=min(int(rng.expovariate(1 / 420)), 3000))
        steps = _questionnaire_variation(make_steps(), rng)
        events = _events(steps, start, today, rng)
        email = "" if rng.random() < NO_EMAIL else f"sim{n}@example.invalid"
        base = {
            "incapacity_start": start.isoformat(),
            "employment_contract": contract,
            "birth_date": birth.isoformat(),
        }
        events, timeline, parsed = _lawful(base, events, today, chunk)
        by_role = {"advising_physician": physician, "coordinator": coordinator, "staff": helper}
        chunk.people.append(
            (n, mutuality_id, insz, "nn", given, family, birth, language,
             f"{demo.STREETS[language]} {rng.randrange(1, 200)}", postal_code, city, "BE",
             f"+32 4{rng.randrange(70, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
             email, 1, now, now, search_key(family, given))
        )  # fmt: skip
        end = next((d for t, d, *_ in events if t == "incapacity_ended"), None)
        chunk.episodes.append(
            (n, n, start, end, contract, rng.choice(demo.EMPLOYERS) if contract else "", "",
             coordinator if rng.random() > 0.005 else None, physician, 1 + len(events), now, now)
        )  # fmt: skip
        _registration_rows(chunk, n, events, parsed, insz, by_role, now)
        _timeline_rows(chunk, n, events, timeline, today, fingerprint)
    return chunk


def _lawful(
    base: dict[str, Any], events: list[tuple], today: date, chunk: Chunk
) -> tuple[list[tuple], Timeline, list[dict[str, Any]]]:
    """The events cut before the first one the law refuses (a refused registration is not
    stored), with their timeline and the events as the engine reads them."""
    for _attempt in range(4):
        raw = {**base, "events": [{"type": t, "date": d.isoformat(), **f}
                                  for t, d, f, _r, _o in events]}  # fmt: skip
        timeline, parsed = timeline_of_contract(facts=raw, today=today)
        bad = [v.event_index for v in timeline.violations if v.event_index is not None]
        if not bad:
            break
        chunk.refused += 1
        events = events[: min(bad)]
    return events, timeline, parsed


def _registration_rows(
    chunk: Chunk, n: int, events: list[tuple], parsed: list[dict[str, Any]], insz: str,
    by_role: dict[str, Any], now: Any,
) -> None:  # fmt: skip
    types = set()
    for position, (event_type, on, _fields, role, options) in enumerate(events):
        data = {k: v for k, v in parsed[position].items() if k not in ("type", "date")}
        form = options.get("form_reference", "").format(insz=insz)
        chunk.registrations.append(
            (n, position, event_type, on, json.dumps(data), "", form,
             bool(options.get("shared_with_coordinator")), by_role[role], now)
        )  # fmt: skip
        types.add(event_type)
    if "questionnaire_sent" in types:
        chunk.questionnaires += 1
        if "questionnaire_help_contact" in types or "questionnaire_received" not in types:
            chunk.late_or_blank += 1


def _timeline_rows(
    chunk: Chunk, n: int, events: list[tuple], timeline: Timeline, today: date, fingerprint: str
) -> None:
    for o in timeline.obligations:
        state = o.status if o.status in ("done", "void") else "pending"
        chunk.obligations.append(
            (n, o.code, o.actor, o.sequence, o.opens, o.due, state, o.done_on, o.late,
             o.void_reason or "", json.dumps(list(o.basis)), o.explanation, o.rule,
             json.dumps(list(o.triggered_by)), o.done_by, today, o.late_on_arrival,
             o.late_cause or "", o.target,
             *(None if v is None else json.dumps(v) for v in _messages(o)))
        )  # fmt: skip
    last = max((d for _t, d, *_ in events), default=None)
    chunk.schedules.append(
        (n, next_boundary(timeline, today, last), today, 1 + len(events), fingerprint)
    )


# --- Writing -------------------------------------------------------------------------------

SCHEDULE_COLS = ("episode_id", "next_boundary", "evaluated_on", "episode_version", "fingerprint")


def _ensure_users(people: int) -> list[tuple]:
    """Coordinators, physicians and staff per mutuality, in proportion to the population."""
    demo.ensure_reference_data()
    teams = []
    existing = set(
        User.objects.filter(username__startswith="sim-").values_list("username", flat=True)
    )
    new = []
    for code, weight in MUTUALITY_WEIGHTS.items():
        mutuality = Mutuality.objects.get(code=code)
        share = people * weight / sum(MUTUALITY_WEIGHTS.values())
        wanted = {
            Role.COORDINATOR: max(1, math.ceil(share / EPISODES_PER_COORDINATOR)),
            Role.ADVISING_PHYSICIAN: max(1, math.ceil(share / EPISODES_PER_PHYSICIAN)),
            Role.STAFF: max(1, math.ceil(share / EPISODES_PER_STAFF)),
            Role.MANAGER: 1,
        }
        for role, count in wanted.items():
            for i in range(count):
                username = f"sim-{code}-{role}-{i:05d}"
                if username not in existing:
                    user = User(username=username, role=role, mutuality=mutuality,
                                email=f"{username}@sim.tnw.invalid")  # fmt: skip
                    user.set_unusable_password()
                    new.append(user)
    User.objects.bulk_create(new, batch_size=1000)
    for code, weight in MUTUALITY_WEIGHTS.items():
        mutuality = Mutuality.objects.get(code=code)
        ids = {
            role: list(
                User.objects.filter(username__startswith=f"sim-{code}-{role}-")
                .order_by("username")
                .values_list("pk", flat=True)
            )
            for role in (Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF)
        }
        teams.append((mutuality.pk, ids[Role.COORDINATOR], ids[Role.ADVISING_PHYSICIAN],
                      ids[Role.STAFF], weight))  # fmt: skip
    return teams


@dataclass
class SimulationReport:
    people: int = 0
    registrations: int = 0
    obligations: int = 0
    refused: int = 0
    questionnaires: int = 0
    late_or_blank: int = 0
    first_id: int = 0


def _results(pool, jobs: list[tuple], window: int):
    """The chunks in order; at most `window` jobs in flight, so memory stays bounded."""
    if pool is None:
        yield from map(generate, jobs)
        return
    for start in range(0, len(jobs), window):
        yield from pool.imap(generate, jobs[start : start + window])


def _first_free_id(people: int, taken: set[str]) -> int:
    """The first id after every person and episode whose run of INSZ numbers is free."""
    first = 1 + bulk.last_id()
    while any(_insz(n)[0] in taken for n in range(first, first + people)):
        first += people  # step past a collision with hand-made (demo) people
    return first


def _store(chunk: Chunk, taken: set[str], report: SimulationReport) -> None:
    taken_here = [p for p in chunk.people if p[2] in taken]
    if taken_here:
        raise RuntimeError(f"INSZ {taken_here[0][2]} exists already; rerun with --seed")
    with transaction.atomic():
        bulk.load_people(
            people=chunk.people, episodes=chunk.episodes, registrations=chunk.registrations,
            obligations=chunk.obligations,
        )  # fmt: skip
        bulk.write_rows(EpisodeSchedule, SCHEDULE_COLS, chunk.schedules)
    report.people += len(chunk.people)
    report.registrations += len(chunk.registrations)
    report.obligations += len(chunk.obligations)
    report.refused += chunk.refused
    report.questionnaires += chunk.questionnaires
    report.late_or_blank += chunk.late_or_blank


def simulate(
    *, people: int, today: date, seed: int = 4, workers: int = 2, chunk_size: int = 2000,
    stream=None, tty: bool | None = None,
) -> SimulationReport:  # fmt: skip
    teams = _ensure_users(people)
    taken = bulk.known_insz()
    first = _first_free_id(people, taken)
    report = SimulationReport(first_id=first)
    now = datetime.now(UTC)
    fingerprint = rules_fingerprint()
    jobs = [
        (start, min(chunk_size, first + people - start), seed, today, teams, fingerprint, now)
        for start in range(first, first + people, chunk_size)
    ]
    progress = Progress("simulate", stream, tty)
    progress.start(people)
    pool = None
    if workers > 1:  # (outside any transaction: the workers are forked without connections)
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        for chunk in _results(pool, jobs, window=4 * workers):
            _store(chunk, taken, report)
            progress.advance(len(chunk.people))
    finally:
        if pool:
            pool.close()
            pool.join()
    progress.finish()
    bulk.after_load()
    append(
        actor=None, action="create", object_type="dossier.person", object_id=None,
        person_id=None, channel="command:simulate",
        changes={"simulated_people": report.people, "first_id": first, "seed": seed,
                 "today": today.isoformat()},
    )  # fmt: skip
    return report
