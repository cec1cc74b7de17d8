"""Running an import: rows checked one by one, stored per batch of rows in one transaction
each. Semantics (docs/api.md):

- a row is checked as a whole; a refused row is reported (line, key, field, code, reason) and
  nothing of it is stored; the other rows of its batch are stored;
- each batch (default 1,000 rows) is one transaction: a killed import keeps the batches it
  committed, and running the same file again skips them as unchanged (no duplicates);
- idempotent by the source system's key (per mutuality): the same row again is unchanged; a
  changed row updates the episode through the dossier's services (start, employment contract,
  employer, its number of workers when the row gives one; an end not registered before is
  registered); identity data are not changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tnw.dossier import bulk, selectors, services
from tnw.dossier.errors import ConflictError, NotFound, RegistrationRefused
from tnw.imports.models import ImportBatch, SourceRecord
from tnw.imports.rows import Parsed, Problem, checked
from tnw.web.labels import violation_message

BATCH_SIZE = 1000


@dataclass
class Chunk:
    items: list[Parsed | list[Problem]] = field(default_factory=list)


def _reason(code: str, english: str) -> str:
    own = {
        "future_start": _("the incapacity cannot start in the future"),
        "not_allowed": _("this account may not register the end of an incapacity"),
        "duplicate_key": _("this source key is in the file twice"),
    }
    return str(own.get(code) or violation_message(code) or english)


def run_import(
    *,
    user,
    records: Iterable[tuple[int, dict[str, Any] | str]],
    source: str,
    channel: str,
    batch_size: int = BATCH_SIZE,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Import `records` ((line, values) pairs) for the user's mutuality; the report is the
    returned ImportBatch (also stored)."""
    today = today or timezone.localdate()
    batch = ImportBatch.objects.create(
        mutuality_id=user.mutuality_id, started_by=user, source=source[:300]
    )
    chunk: list[Parsed | list[Problem]] = []
    try:
        for item in checked(records):
            chunk.append(item)
            if len(chunk) >= batch_size:
                _store(user, batch, chunk, today, channel)
                if progress:
                    progress(len(chunk))
                chunk = []
        _store(user, batch, chunk, today, channel)
        if progress and chunk:
            progress(len(chunk))
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED)
        raise
    batch.state = ImportBatch.State.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["state", "finished_at"])
    return batch


def _refuse(batch: ImportBatch, problems: list[Problem]) -> None:
    batch.refused += 1
    batch.refusals.extend(p.as_dict() for p in problems)


@transaction.atomic
def _store(user, batch: ImportBatch, chunk: list, today: date, channel: str) -> None:
    parsed: list[Parsed] = []
    seen: set[str] = set()
    for item in chunk:
        if isinstance(item, list):
            _refuse(batch, item)
        elif item.key in seen:
            _refuse(batch, [Problem(item.line, item.key, "source_key", "duplicate_key",
                                    _reason("duplicate_key", ""))])  # fmt: skip
        else:
            seen.add(item.key)
            parsed.append(item)
    known = {
        r.key: r
        for r in SourceRecord.objects.filter(
            mutuality_id=user.mutuality_id, key__in=[p.key for p in parsed]
        )
    }
    new = [p for p in parsed if p.key not in known]
    for item in parsed:
        record = known.get(item.key)
        if record is None:
            continue
        if record.row_hash == item.digest:
            batch.unchanged += 1
        else:
            _update(user, batch, item, record, today, channel)
    _create(user, batch, new, today, channel)
    batch.save()


def _create(user, batch: ImportBatch, new: list[Parsed], today: date, channel: str) -> None:
    results = bulk.import_episodes(user=user, rows=[p.row for p in new], today=today,
                                   channel=channel)  # fmt: skip
    records = []
    for item, result in zip(new, results, strict=True):
        if isinstance(result, bulk.Refusal):
            _refuse(batch, [Problem(item.line, item.key, result.field, result.code,
                                    _reason(result.code, result.message))])  # fmt: skip
            continue
        batch.stored += 1
        records.append(
            SourceRecord(
                mutuality_id=user.mutuality_id,
                key=item.key,
                episode_id=result,
                row_hash=item.digest,
                batch=batch,
            )
        )
    SourceRecord.objects.bulk_create(records, batch_size=1000)


def _update(user, batch, item: Parsed, record: SourceRecord, today: date, channel: str) -> None:
    """A changed row, through the dossier's services (rare: one row at a time)."""
    row = item.row
    try:
        with transaction.atomic():
            header = selectors.access_episode_by_id(
                user=user, episode_id=record.episode_id, what="import", channel=channel
            )
            # An empty number of workers leaves the one stored (a source of the earlier
            # format does not know it; the screens may have set it).
            workers = {} if row.employer_workers is None else {
                "employer_workers": row.employer_workers}  # fmt: skip
            episode = services.update_episode(
                user=user, episode_id=header.id, expected_version=header.version,
                today=today, channel=channel, start=row.start,
                employment_contract=row.employment_contract,
                employer_name=row.employer_name, employer_number=row.employer_number, **workers,
            )  # fmt: skip
            if row.end and episode.end is None:
                services.register_event(
                    user=user, episode_id=header.id, expected_version=episode.version,
                    event_type=bulk.END, on=row.end, today=today, channel=channel,
                )  # fmt: skip
            record.row_hash = item.digest
            record.save(update_fields=["row_hash"])
    except RegistrationRefused as refusal:
        first = refusal.violations[0]
        _refuse(batch, [Problem(item.line, item.key, first.field or "end", first.code,
                                _reason(first.code, first.message))])  # fmt: skip
        return
    except (ValidationError, PermissionDenied, ConflictError) as error:
        code = getattr(error, "code", None) or "invalid"
        text = "; ".join(getattr(error, "messages", [str(error)]))
        _refuse(batch, [Problem(item.line, item.key, "row", code, _reason(code, text))])
        return
    batch.updated += 1


def import_report(*, user, import_id: int) -> ImportBatch:
    """An import's report, for an account of the same mutuality (NotFound otherwise)."""
    batch = ImportBatch.objects.filter(pk=import_id, mutuality_id=user.mutuality_id).first()
    if batch is None or user.mutuality_id is None:
        raise NotFound("import")
    return batch
