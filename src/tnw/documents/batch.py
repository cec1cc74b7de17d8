"""The print batch of one day and mutuality: one PDF with a cover sheet, then for every letter
an address page (for a window envelope) followed by the letter itself.

The letters are the stored documents of the print items (rendered and stored the first time a
batch is printed, found after), so a reprint gives the very same letters.
"""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from tnw.documents.models import IssuedDocument, PrintItem
from tnw.documents.render import pdf_of
from tnw.documents.services import issue_letter


def batches_of(day: date) -> list[int]:
    """The mutualities with letters to print on `day`."""
    return sorted(set(PrintItem.objects.filter(day=day).values_list("mutuality_id", flat=True)))


def _letters(day: date, mutuality_id: int) -> list[IssuedDocument]:
    items = PrintItem.objects.filter(day=day, mutuality_id=mutuality_id).order_by("id")
    return [
        issue_letter(key=i.document_key, kind=i.kind, episode_id=i.episode_id, today=day)
        for i in items
    ]


def print_batch(day: date, mutuality_id: int) -> tuple[bytes, int]:
    """The batch PDF and its number of letters."""
    letters = _letters(day, mutuality_id)
    mutuality = letters[0].facts["mutuality"] if letters else {"name": "", "code": ""}
    html = render_to_string("documents/batch.html", {
        "day": day, "mutuality": mutuality, "letters": letters,
        "rows": [(d, d.facts["person"]) for d in letters],
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
    return out.getvalue(), len(letters)
