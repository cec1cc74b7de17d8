"""The print batch of one day and mutuality: one PDF with a cover sheet, then for every letter
an address page (for a window envelope) followed by the letter itself.

The letters are the stored documents of the print items (rendered and stored the first time a
batch is printed, found after), so a reprint gives the very same letters.

On the screens (`send_batch`) a staff member or coordinator prints the letters of a day that
are not sent yet: they become one `PrintBatch`, stored with its PDF and hash and marked sent,
once; every item is in at most one batch, so no letter is posted twice. A batch is downloaded
again as it was (`batch_download`). Both are audited. `tnw documents batch` reprints all the
letters of a day (sent or not) without marking anything.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, has
from tnw.audit.services import append, append_many
from tnw.documents.models import IssuedDocument, PrintBatch, PrintItem
from tnw.documents.render import pdf_of
from tnw.documents.services import CHANNEL, issue_letter

# Kinds sent as registered mail (aangetekend / recommandé / Einschreiben): the cover sheet and
# the address page say so, the post office needs to know.
REGISTERED = frozenset({"registered_letter"})


def batches_of(day: date) -> list[int]:
    """The mutualities with letters to print on `day`."""
    return sorted(set(PrintItem.objects.filter(day=day).values_list("mutuality_id", flat=True)))


def _letters(day: date, items: Iterable[PrintItem]) -> list[IssuedDocument]:
    return [
        issue_letter(key=i.document_key, kind=i.kind, episode_id=i.episode_id, today=day)
        for i in items
    ]


def _assemble(day: date, letters: list[IssuedDocument], number: int | None = None) -> bytes:
    mutuality = letters[0].facts["mutuality"] if letters else {"name": "", "code": ""}
    html = render_to_string("documents/batch.html", {
        "day": day, "mutuality": mutuality, "letters": letters, "number": number,
        "rows": [(d, d.facts["person"], d.kind in REGISTERED) for d in letters],
    })  # fmt: skip
    pages, _count = pdf_of(html)
    front = PdfReader(io.BytesIO(pages))
    writer = PdfWriter()
    writer.add_page(front.pages[0])  # the cover sheet
    for n, document in enumerate(letters, start=1):
        writer.add_page(front.pages[n])  # its address page
        for page in PdfReader(io.BytesIO(bytes(document.pdf))).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_batch(day: date, mutuality_id: int) -> tuple[bytes, int]:
    """The batch PDF of every letter of the day and its number of letters (the CLI's reprint)."""
    items = PrintItem.objects.filter(day=day, mutuality_id=mutuality_id).order_by("id")
    letters = _letters(day, items)
    return _assemble(day, letters), len(letters)


def _check_printer(user: User) -> int:
    """Staff and coordinators print their own mutuality's letters (the letters hold identity
    and address, never health data)."""
    if not has(user, Cap.REGISTER_QUESTIONNAIRE_SUPPORT) or user.mutuality_id is None:
        raise PermissionDenied(_("Only staff and coordinators print the letters."))
    return user.mutuality_id


@transaction.atomic
def send_batch(*, user: User, day: date) -> PrintBatch:
    """Print the day's letters not sent yet as one batch and mark them sent, once: the items
    are locked, so two clicks at once make one batch and the second finds nothing left."""
    mutuality_id = _check_printer(user)
    waiting = PrintItem.objects.select_for_update().filter(
        day=day, mutuality_id=mutuality_id, batch__isnull=True
    )
    items = list(waiting.order_by("id"))
    if not items:
        raise ValidationError(
            _("No letters of %(day)s are waiting to be printed.")
            % {"day": day.strftime("%d/%m/%Y")},
            code="nothing_to_print",
        )
    number = PrintBatch.objects.filter(day=day, mutuality_id=mutuality_id).count() + 1
    pdf = _assemble(day, _letters(day, items), number)
    batch = PrintBatch.objects.create(
        day=day, mutuality_id=mutuality_id, number=number, letters=len(items), pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(), sent_by=user,
    )  # fmt: skip
    PrintItem.objects.filter(pk__in=[i.pk for i in items]).update(batch=batch)
    _audit(user, "create", batch, "sent")
    return batch


def _audit(user: User, action: str, batch: PrintBatch, what: str) -> None:
    """The batch, and a read of each letter in it under the person it is about."""
    keys = list(batch.items.values_list("document_key", flat=True))
    letters = list(IssuedDocument.objects.filter(key__in=keys).values_list("pk", "person_id"))
    append(
        actor=user, action=action, object_type="documents.print_batch", object_id=batch.pk,
        person_id=None, channel=CHANNEL,
        changes={"day": batch.day.isoformat(), "number": batch.number, "what": what,
                 "letters": batch.letters, "sha256": batch.sha256},
    )  # fmt: skip
    append_many(actor=user, channel=CHANNEL, records=[
        {"action": "read", "object_type": "documents.issued_document", "object_id": pk,
         "person_id": person_id, "changes": {"read": f"print batch {what}", "batch": batch.pk}}
        for pk, person_id in letters
    ])  # fmt: skip


@dataclass(frozen=True)
class BatchFile:
    filename: str
    content: bytes
    sha256: str


def batch_filename(batch: PrintBatch) -> str:
    return f"print-batch-{batch.day.isoformat()}-{batch.number}.pdf"


@transaction.atomic
def batch_download(*, user: User, batch_id: int) -> BatchFile:
    """A sent batch again, as it was printed (its hash checked); the reprint is audited."""
    mutuality_id = _check_printer(user)
    batch = PrintBatch.objects.filter(pk=batch_id, mutuality_id=mutuality_id).first()
    if batch is None:
        raise PrintBatch.DoesNotExist("print batch")
    if not batch.verify():
        raise ValidationError(_("This stored print batch fails its integrity check."))
    _audit(user, "read", batch, "reprinted")
    return BatchFile(batch_filename(batch), bytes(batch.pdf), batch.sha256)


@dataclass(frozen=True)
class PrintDay:
    day: date
    waiting: int
    batches: list[PrintBatch]


def print_days(*, user: User, days: list[date]) -> list[PrintDay]:
    """Per day: the letters waiting to be printed and the batches sent (the print screen)."""
    mutuality_id = _check_printer(user)
    items = PrintItem.objects.filter(mutuality_id=mutuality_id, day__in=days)
    waiting: dict[date, int] = {}
    for day in items.filter(batch__isnull=True).values_list("day", flat=True):
        waiting[day] = waiting.get(day, 0) + 1
    sent: dict[date, list[PrintBatch]] = {}
    batches = PrintBatch.objects.filter(mutuality_id=mutuality_id, day__in=days).defer("pdf")
    for batch in batches.select_related("sent_by"):
        sent.setdefault(batch.day, []).append(batch)
    return [PrintDay(d, waiting.get(d, 0), sent.get(d, [])) for d in days]
