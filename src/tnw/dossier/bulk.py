"""The bulk import of incapacity episodes (tnw.imports calls in here: the one door).

Per batch, in the caller's transaction: the people already known to the user's mutuality are
found with one query, new people and episodes are inserted with one INSERT each (per thousand
rows), the rules engine evaluates each episode once (that evaluation both checks the row and
gives its timeline), obligations are inserted in bulk, and the audit entries are appended to
the hash chain in one go (`tnw.audit.services.append_many`): one entry per person created,
episode opened, registration and timeline, as the services write one by one.

The synthetic population of `tnw simulate` (tnw.worklists.simulate) is loaded through here
too, straight into the tables (COPY on PostgreSQL, executemany on SQLite), in the columns
below: `write_rows`, `load_people`, `after_load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, capabilities_for_event, has, require
from tnw.audit.services import append_many, snapshot
from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode, Obligation, Person, Registration
from tnw.dossier.obligations import MESSAGE_FIELDS
from tnw.dossier.services import (
    EPISODE_FIELDS,
    PERSON_FIELDS,
    REGISTRATION_FIELDS,
    obligation_rows,
    timeline_digest,
)
from tnw.rules import Timeline, evaluate

END = "incapacity_ended"


@dataclass(frozen=True)
class EpisodeRow:
    """One validated row: a person (INSZ as 11 digits) and one incapacity episode."""

    insz: str
    number_kind: str  # nn | bis
    first_name: str
    last_name: str
    language: str
    birth_date: date | None
    start: date
    employment_contract: bool
    employer_name: str = ""
    employer_number: str = ""
    end: date | None = None
    employer_workers: int | None = None  # CODEX 2026: 20 or more must request a trajectory


@dataclass(frozen=True)
class Refusal:
    field: str
    code: str
    message: str  # English; the caller shows its own text by code where it has one


def _events(row: EpisodeRow) -> list[dict[str, str]]:
    return [{"type": END, "date": row.end.isoformat()}] if row.end else []


def _check(user: User, row: EpisodeRow, episode: Episode, today: date) -> Timeline | Refusal:
    """The row's one engine evaluation: its timeline, or why the law refuses it."""
    if row.start > today:
        return Refusal("start", "future_start", "the incapacity cannot start in the future")
    if row.end and not any(has(user, cap) for cap in capabilities_for_event(END)):
        return Refusal("end", "not_allowed", "this account may not register the end of an "
                       "incapacity (the advising physician's registration)")  # fmt: skip
    timeline = evaluate(episode_facts(episode, _events(row)), today)
    own = [v for v in timeline.violations if v.event_index == 0]
    if own:
        return Refusal("end", own[0].code, own[0].message)
    return timeline


def _people(user: User, rows: list[EpisodeRow]) -> dict[str, Person]:
    """The mutuality's people by INSZ: the known ones, and new (unsaved) ones."""
    wanted = {row.insz for row in rows}
    known = {
        p.insz: p for p in Person.objects.filter(mutuality_id=user.mutuality_id, insz__in=wanted)
    }
    for row in rows:
        if row.insz not in known:
            known[row.insz] = Person(
                mutuality_id=user.mutuality_id, insz=row.insz, number_kind=row.number_kind,
                first_name=row.first_name, last_name=row.last_name, language=row.language,
                birth_date=row.birth_date,
            )  # fmt: skip
    return known


def import_episodes(
    *, user: User, rows: list[EpisodeRow], today: date, channel: str
) -> list[int | Refusal]:
    """Store `rows` (call inside a transaction); per row its new episode's id or a Refusal.
    A refused row stores nothing, not even its person."""
    require(user, Cap.EDIT_PERSON, mutuality_id=user.mutuality_id)
    people = _people(user, rows)
    episodes = [
        Episode(
            person=people[row.insz],
            start=row.start,
            end=row.end,
            employment_contract=row.employment_contract,
            employer_name=row.employer_name,
            employer_number=row.employer_number,
            employer_workers=row.employer_workers,
        )
        for row in rows
    ]
    checked = [_check(user, row, e, today) for row, e in zip(rows, episodes, strict=True)]
    lawful = {i: result for i, result in enumerate(checked) if isinstance(result, Timeline)}
    accepted = list(lawful)
    for i in accepted:  # what the daily run compares with, so it need not store them again
        episodes[i].timeline_digest = timeline_digest(lawful[i])
    new_people = list({id(p): p for i in accepted
                       if (p := episodes[i].person).pk is None}.values())  # fmt: skip
    Person.objects.bulk_create(new_people, batch_size=1000)
    Episode.objects.bulk_create([episodes[i] for i in accepted], batch_size=1000)
    registrations = [
        Registration(
            episode=episodes[i], position=0, type=END, date=rows[i].end, data={}, registered_by=user
        )
        for i in accepted
        if rows[i].end
    ]
    Registration.objects.bulk_create(registrations, batch_size=1000)
    timelines = [obligation_rows(episodes[i], lawful[i], today) for i in accepted]
    Obligation.objects.bulk_create([o for rows_ in timelines for o in rows_], batch_size=2000)
    _audit(user, channel, new_people, [episodes[i] for i in accepted], registrations,
           timelines, len(rows))  # fmt: skip
    return [episodes[i].pk if isinstance(c, Timeline) else c for i, c in enumerate(checked)]


def _audit(user, channel, people, episodes, registrations, timelines, asked: int) -> None:
    def created(obj, fields, person_id) -> dict:
        return {"action": "create", "object_type": f"dossier.{obj._meta.model_name}",
                "object_id": obj.pk, "person_id": person_id,
                "changes": {"after": snapshot(obj, fields)}}  # fmt: skip

    records = [{"action": "read", "object_type": "dossier.insz_check", "object_id": None,
                "person_id": None, "changes": {"read": "INSZ check (bulk import)",
                                               "rows": asked}}]  # fmt: skip
    records += [created(p, PERSON_FIELDS, p.pk) for p in people]
    records += [created(e, EPISODE_FIELDS, e.person_id) for e in episodes]
    records += [created(r, REGISTRATION_FIELDS, r.episode.person_id) for r in registrations]
    records += [
        {
            "action": "update",
            "object_type": "dossier.episode",
            "object_id": e.pk,
            "person_id": e.person_id,
            "changes": {
                "before": {"obligations": []},
                "after": {
                    "obligations": sorted(f"{o.code}#{o.sequence}:{o.state}:{o.due}" for o in t)
                },
            },
        }
        for e, t in zip(episodes, timelines, strict=True)
    ]
    append_many(actor=user, channel=channel, records=records)


# --- The synthetic population (tnw simulate): rows straight into the tables ------------------

PERSON_COLS = ("id", "mutuality_id", "insz", "number_kind", "first_name", "last_name",
               "birth_date", "language", "street", "postal_code", "city", "country", "phone",
               "email", "version", "created_at", "updated_at", "search_name")  # fmt: skip
EPISODE_COLS = ("id", "person_id", "start", "end", "employment_contract", "employer_name",
                "employer_number", "coordinator_id", "advising_physician_id", "version",
                "created_at", "updated_at")  # fmt: skip
REGISTRATION_COLS = ("episode_id", "position", "type", "date", "data", "note", "form_reference",
                     "shared_with_coordinator", "registered_by_id", "registered_at")  # fmt: skip
OBLIGATION_COLS = ("episode_id", "code", "actor", "sequence", "opens", "due", "state",
                   "done_on", "late", "void_reason", "basis", "explanation", "rule",
                   "triggered_by", "done_by", "computed_on", "late_on_arrival", "late_cause",
                   "target", *MESSAGE_FIELDS)  # fmt: skip


def known_insz() -> set[str]:
    """Every national register number in the dossier (any mutuality)."""
    return set(Person.objects.values_list("insz", flat=True))


def last_id() -> int:
    """The highest id of any person or episode (0 when there is none)."""
    return max(
        Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        Episode.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    )


def load_people(
    *, people: list[tuple[Any, ...]], episodes: list[tuple[Any, ...]],
    registrations: list[tuple[Any, ...]], obligations: list[tuple[Any, ...]],
) -> None:  # fmt: skip
    """Insert rows in the columns above, in the caller's transaction; no audit (the caller
    writes one entry for the load)."""
    write_rows(Person, PERSON_COLS, people)
    write_rows(Episode, EPISODE_COLS, episodes)
    write_rows(Registration, REGISTRATION_COLS, registrations)
    write_rows(Obligation, OBLIGATION_COLS, obligations)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows into a model's table as they are (COPY on PostgreSQL)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        connection.ensure_connection()
        raw = connection.connection
        raw.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})",
            [tuple(_sqlite_value(v) for v in row) for row in rows],
        )


def after_load() -> None:
    """Move PostgreSQL's id sequences past the loaded ids; refresh the planner statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Person, Episode):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        cursor.execute("ANALYZE")
