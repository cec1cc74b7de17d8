"""The daily run's letters: the questionnaire letter as a PDF attached to the e-mail of a
person with an address, in the print batch of the mutuality for a person without one; twice
in a row, or killed halfway and rerun (a real SIGKILL), nothing is sent or printed twice and
nothing is lost; the batch command and the render command."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from tests.conftest import TODAY, open_episode
from tests.worklists.conftest import new_person
from tests.worklists.test_daily import _database_url, _mail_keys
from tnw.documents.models import IssuedDocument, PrintItem
from tnw.notifications.models import OutboxMessage
from tnw.worklists.daily import run_daily

ROOT = Path(__file__).resolve().parents[2]
# 72 days ago: the questionnaire's term (10 weeks) fell two days ago, within the catch-up.
START = TODAY - timedelta(days=72)


def _people(coordinator, physician, emails: int, paper: int, first: int = 100):
    episodes = []
    for n in range(first, first + emails + paper):
        extra = {"email": f"p{n}@example.invalid"} if n < first + emails else {}
        person = new_person(coordinator, n, street="Kerkstraat 1", postal_code="9000",
                            city="Gent", **extra)  # fmt: skip
        episodes.append(open_episode(coordinator, person, START, coordinator=coordinator,
                                     advising_physician=physician))  # fmt: skip
    return episodes


def _pdf_text(content: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_letters_by_email_with_the_pdf_and_on_paper_in_the_batch(coordinator, physician,
                                                                  tmp_path):  # fmt: skip
    _people(coordinator, physician, emails=1, paper=2)
    summary = run_daily(today=TODAY)
    assert summary.queued["print"] == 2
    [message] = [m for m in mail.outbox if m.extra_headers["X-TNW-Key"].startswith("quest")]
    [(filename, content, mime)] = message.attachments
    assert mime == "application/pdf" and filename.endswith(".nl.pdf")
    text = _pdf_text(content)
    assert "P100 Person100" in text and "Rechtsgrond" in text
    # The PDF is the stored document, unchanged.
    assert IssuedDocument.objects.get(kind="questionnaire_letter").pdf == content
    # Twice in a row: nothing new.
    again = run_daily(today=TODAY)
    assert again.queued["print"] == 0 and again.sent == 0
    assert PrintItem.objects.count() == 2 and IssuedDocument.objects.count() == 1
    # The next day (still in the catch-up window): nothing new either.
    assert run_daily(today=TODAY + timedelta(days=1)).queued["print"] == 0
    # The batch: cover sheet, then an address page and the letter, per letter.
    call_command("documents", "batch", "--date", TODAY.isoformat(), "--output", str(tmp_path))
    [batch] = tmp_path.glob("batch-*.pdf")
    reader = PdfReader(batch)
    assert len(reader.pages) == 1 + 2 * 2
    assert "2 letters" in reader.pages[0].extract_text()
    assert "Person101" in reader.pages[1].extract_text()
    assert "Uw vragenlijst Terug Naar Werk" in reader.pages[2].extract_text()
    stored = IssuedDocument.objects.count()
    call_command("documents", "batch", "--date", TODAY.isoformat(), "--output", str(tmp_path))
    assert IssuedDocument.objects.count() == stored == 3  # a reprint renders nothing new
    assert PdfReader(batch).pages[2].extract_text() == reader.pages[2].extract_text()


@pytest.mark.django_db(transaction=True)
def test_killed_while_sending_letters_and_rerun_each_exactly_once(coordinator, physician,
                                                                   tmp_path):  # fmt: skip
    _people(coordinator, physician, emails=8, paper=0)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings", "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"), "TNW_TEST_SEND_DELAY": "0.3",
    }  # fmt: skip
    command = [sys.executable, "-m", "tnw.cli", "daily", "--today", TODAY.isoformat()]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    letters = OutboxMessage.objects.exclude(attachment="")
    deadline = time.monotonic() + 300
    while letters.filter(status="sent").count() < 3:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 3 <= letters.filter(status="sent").count() < 8  # really halfway

    env["TNW_TEST_SEND_DELAY"] = "0"
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    keys = [k for k in _mail_keys(tmp_path / "mail") if k.startswith("questionnaire:")]
    assert len(keys) == len(set(keys)) == letters.count() == 8  # each exactly once
    assert set(letters.values_list("status", flat=True)) == {"sent"}
    # One stored PDF per letter, whatever the kill did.
    assert IssuedDocument.objects.filter(kind="questionnaire_letter").count() == 8
    assert all(d.verify() for d in IssuedDocument.objects.all())


def test_render_command(questionnaire_episode, tmp_path, capsys):
    out = tmp_path / "letter.pdf"
    call_command("documents", "render", "questionnaire_reminder", "--episode",
                 str(questionnaire_episode.pk), "--language", "de", "--output", str(out),
                 "--today", TODAY.isoformat())  # fmt: skip
    assert "Erinnerung" in _pdf_text(out.read_bytes())
    assert not IssuedDocument.objects.exists()  # rendering is not issuing


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nonsense", "--episode", "{e}", "--language", "nl"], "unknown kind 'nonsense'"),
        (["annex_iii", "--episode", "{e}", "--language", "es"], "unknown language 'es'"),
        (["annex_iii", "--episode", "999999", "--language", "nl"], "no incapacity episode"),
        (["annex_iv", "--episode", "{e}", "--language", "nl"], "does not fit"),
        (["annex_i", "--episode", "{e}", "--language", "nl"], "holds health data"),
    ],
)
def test_render_command_bad_input_exits_2(questionnaire_episode, tmp_path, arguments, message):
    args = [a.replace("{e}", str(questionnaire_episode.pk)) for a in arguments]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings",
           "DATABASE_URL": _database_url()}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "tnw.cli", "documents", "render", *args, "--output",
         str(tmp_path / "x.pdf")], env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_store_one_letter(questionnaire_episode, monkeypatch):
    """Both senders find no stored letter, both render it; the unique key keeps one, and the
    loser returns the winner's document (the PDF attached is the stored one)."""
    import threading

    from django.db import connection

    from tnw.documents import services

    barrier = threading.Barrier(2, timeout=60)
    real_kind_of = services.kind_of

    def kind_of_after_both_looked(code):
        barrier.wait()  # both have seen "not stored yet"
        return real_kind_of(code)

    monkeypatch.setattr(services, "kind_of", kind_of_after_both_looked)
    key = services.letter_key("questionnaire_letter", questionnaire_episode.pk, TODAY, 1)
    results, errors = [], []

    def send():
        try:
            results.append(services.attachment_for(key))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert IssuedDocument.objects.filter(key=key).count() == 1
    (name1, pdf1, _), (name2, pdf2, _) = results
    assert name1 == name2 and pdf1 == pdf2 == bytes(IssuedDocument.objects.get(key=key).pdf)
