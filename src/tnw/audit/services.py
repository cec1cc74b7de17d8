"""Writing the audit trail. Every service write and every dossier read calls in here, inside
the same transaction as the change itself, so a rolled-back change leaves no entry and a
committed change always has one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from tnw.audit.chain import GENESIS, digest_of, to_json_value
from tnw.audit.models import Action, AuditEntry, AuditHead
from tnw.audit.sealing import seal

# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_PG_LOCK_KEY = 7_462_001


def snapshot(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[name] = value
    return to_json_value(out)


def lock_chain() -> None:
    """Serialise appends to the chain until the end of the current transaction.

    Services that lock rows (`tnw.dossier.concurrency.claim`) call this *before* taking the
    row lock, so every writer takes the locks in the same order: no deadlocks.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: every write transaction holds the database lock from BEGIN (IMMEDIATE mode),
    # so appends are serialised already.


def append(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int | None,
    person_id: int | None,
    channel: str,
    changes: dict[str, Any] | None = None,
    medical: bool = False,
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction, or its own)."""
    with transaction.atomic():
        lock_chain()
        head = _head()
        entry = _chained(
            head, actor=actor, action=action, object_type=object_type, object_id=object_id,
            person_id=person_id, channel=channel, changes=changes, medical=medical,
        )  # fmt: skip
        entry.save()
        head.save()
    return entry


def _head() -> AuditHead:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        last = AuditEntry.objects.order_by("-seq").first()
        head = AuditHead(
            pk=1,
            last_seq=last.seq if last else 0,
            last_hash=last.hash if last else GENESIS,
        )
    return head


def _chained(
    head: AuditHead,
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int | None,
    person_id: int | None,
    channel: str,
    changes: dict[str, Any] | None,
    medical: bool,
    at=None,
) -> AuditEntry:
    """The next entry of the chain (not saved); moves `head` on to it."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    values = to_json_value(changes or {})
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=at or timezone.now(),
        actor_id=actor_id,
        actor_username=getattr(actor, "username", "") if actor_id else "",
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        person_id=person_id,
        channel=channel,
        # Health data only sealed (tnw.audit.sealing); the chain covers the sealed form.
        changes=seal(values) if medical else values,
        medical=medical,
        prev_hash=head.last_hash,
    )
    entry.hash = digest_of(entry)
    head.last_seq = entry.seq
    head.last_hash = entry.hash
    return entry


def append_many(*, actor, channel: str, records: list[dict[str, Any]]) -> int:
    """Append many entries in one go (a bulk import): the same chain as `append` one by one,
    written with one INSERT per thousand entries. Each record has the keyword arguments of
    `append` but actor and channel (action, object_type, object_id, person_id, changes,
    medical)."""
    if not records:
        return 0
    with transaction.atomic():
        lock_chain()
        head = _head()
        now = timezone.now()
        entries = [
            _chained(head, actor=actor, channel=channel, at=now, **{"medical": False, **record})
            for record in records
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        head.save()
    return len(entries)


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _person_of(obj: models.Model) -> int | None:
    for attribute in ("audit_person_id",):
        value = getattr(obj, attribute, None)
        if value is not None:
            return value
    return None


def audit_write(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    channel: str,
    person_id: int | None = None,
    medical: bool = False,
) -> AuditEntry:
    """Record a write: who, when, what, old and new values."""
    changes: dict[str, Any] = {}
    if before is not None:
        changes["before"] = before
    if after is not None:
        changes["after"] = after
    return append(
        actor=actor,
        action=action,
        object_type=_label(obj),
        object_id=obj.pk,
        person_id=person_id if person_id is not None else _person_of(obj),
        channel=channel,
        changes=changes,
        medical=medical,
    )


def save_audited(
    obj: models.Model,
    *,
    actor,
    fields: tuple[str, ...] | list[str],
    channel: str,
    before: dict[str, Any] | None = None,
    clean: bool = True,
    update_fields: list[str] | None = None,
    person_id: int | None = None,
    medical: bool = False,
) -> AuditEntry:
    """Validate (`full_clean`, unless `clean=False`), save and audit one row: a "create"
    entry when `before` is None, else an "update" from `before`; the entry's "after" is the
    snapshot of `fields` once saved. The services' one way to store a row with its audit."""
    if clean:
        obj.full_clean()
    obj.save(update_fields=update_fields)
    return audit_write(
        actor=actor, action="create" if before is None else "update", obj=obj, before=before,
        after=snapshot(obj, fields), channel=channel, person_id=person_id, medical=medical,
    )  # fmt: skip


def audit_read(*, actor, person_id: int, what: str, channel: str) -> AuditEntry:
    """Record a read of a person's dossier: who looked at whose dossier, when, through what."""
    return append(
        actor=actor,
        action=Action.READ,
        object_type="dossier.person",
        object_id=person_id,
        person_id=person_id,
        channel=channel,
        changes={"read": what},
    )
