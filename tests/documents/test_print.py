"""The print screen: staff or a coordinator prints the day's letters for paper post as one PDF,
which marks them sent once; a later letter of the same day goes in the next batch; a sent batch
is printed again as it was; everything audited; other roles and mutualities get nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from pypdf import PdfReader

from tests.conftest import TODAY, open_episode
from tests.documents.test_daily import START, _people
from tests.worklists.conftest import new_person
from tnw.audit.models import AuditEntry
from tnw.documents import batch as printing
from tnw.documents.models import PrintBatch, PrintItem
from tnw.worklists.daily import run_daily


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.TNW_TODAY = TODAY


def client(user, language="nl"):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def test_the_screen_prints_the_days_letters_once(users, coordinator, physician):
    _people(coordinator, physician, emails=0, paper=2)
    run_daily(today=TODAY)
    staff = client(users["staff"])
    page = staff.get("/documents/print/").content.decode()
    assert "Brieven om af te drukken" in page and "Druk 2 brieven af" in page
    answer = staff.post(f"/documents/print/{TODAY.isoformat()}/send/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(answer.content)).pages
    assert len(pages) == 1 + 2 * 2  # cover, then address page and letter per letter
    assert "Person100" in pages[1].extract_text()
    batch = PrintBatch.objects.get()
    assert batch.letters == 2 and batch.sent_by == users["staff"] and batch.verify()
    assert not PrintItem.objects.filter(batch__isnull=True).exists()
    # A second click (or a second colleague): nothing is waiting, nothing printed twice.
    again = staff.post(f"/documents/print/{TODAY.isoformat()}/send/", follow=True)
    assert "wachten geen brieven" in again.content.decode()
    assert PrintBatch.objects.count() == 1
    # The sent batch is printed again as it was.
    reprint = client(coordinator).get(f"/documents/print/batches/{batch.pk}/")
    assert reprint.content == answer.content
    page = staff.get("/documents/print/").content.decode()
    assert "Reeks 1: 2 brieven" in page and "niets af te drukken" in page


def test_a_later_letter_goes_in_the_next_batch(users, coordinator, physician):
    _people(coordinator, physician, emails=0, paper=1)
    run_daily(today=TODAY)
    first = printing.send_batch(user=users["staff"], day=TODAY)
    # Later that day someone new gets a letter (a rerun of the daily run).
    person = new_person(coordinator, 300, street="Veldstraat 3", postal_code="9000", city="Gent")
    open_episode(coordinator, person, START, coordinator=coordinator, advising_physician=physician)
    run_daily(today=TODAY)
    second = printing.send_batch(user=users["coordinator"], day=TODAY)
    assert (first.number, first.letters, second.number, second.letters) == (1, 1, 2, 1)
    assert "Person300" in PdfReader(io.BytesIO(bytes(second.pdf))).pages[1].extract_text()
    with pytest.raises(ValidationError, match="No letters of 24/11/2026"):
        printing.send_batch(user=users["staff"], day=TODAY)


def test_printing_is_audited(users, coordinator, physician):
    _people(coordinator, physician, emails=0, paper=2)
    run_daily(today=TODAY)
    batch = printing.send_batch(user=users["staff"], day=TODAY)
    printing.batch_download(user=users["staff"], batch_id=batch.pk)
    entries = AuditEntry.objects.filter(object_type="documents.print_batch",
                                        object_id=str(batch.pk)).order_by("seq")  # fmt: skip
    assert [e.action for e in entries] == ["create", "read"]
    assert entries[0].changes["sha256"] == batch.sha256 and entries[0].changes["letters"] == 2
    # Each letter is read under its person: twice (sent, reprinted).
    letters = AuditEntry.objects.filter(object_type="documents.issued_document",
                                        changes__batch=batch.pk)  # fmt: skip
    assert letters.count() == 4 and len({e.person_id for e in letters}) == 2


def test_only_staff_and_coordinators_of_the_mutuality(users, outsiders, coordinator, physician):
    _people(coordinator, physician, emails=0, paper=1)
    run_daily(today=TODAY)
    for role in ("advising_physician", "manager"):
        with pytest.raises(PermissionDenied):
            printing.send_batch(user=users[role], day=TODAY)
        assert client(users[role]).get("/documents/print/").status_code == 403
    # Another mutuality's staff has nothing of ours to print, and cannot fetch our batch.
    with pytest.raises(ValidationError):
        printing.send_batch(user=outsiders["staff"], day=TODAY)
    batch = printing.send_batch(user=users["staff"], day=TODAY)
    theirs = client(outsiders["staff"])
    assert theirs.get(f"/documents/print/batches/{batch.pk}/").status_code == 404
    assert client(users["staff"]).get("/documents/print/batches/999999/").status_code == 404
    assert client(users["staff"]).post("/documents/print/2026-13-40/send/").status_code == 404
    assert PrintBatch.objects.count() == 1
    # The day before: nothing.
    with pytest.raises(ValidationError):
        printing.send_batch(user=users["staff"], day=TODAY - timedelta(days=1))
