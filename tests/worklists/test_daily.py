"""`tnw daily`: twice in a row sends nothing twice; killed halfway (a real SIGKILL of a real
process) and rerun, it loses nothing and sends nothing twice."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from tests.conftest import TODAY, open_episode, register
from tests.worklists.conftest import new_person
from tnw.notifications.models import OutboxMessage
from tnw.notifications.services import Draft, queue
from tnw.worklists.daily import run_daily
from tnw.worklists.progress import Progress
from tnw.worklists.selectors import worklist_for
from tnw.worklists.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]


def test_run_twice_sends_nothing_twice(team, caseload):
    first = run_daily(today=TODAY, stream=StringIO(), tty=False)
    sent = [m.extra_headers["X-TNW-Key"] for m in mail.outbox]
    assert first.sent == len(sent) > 0
    kinds = {key.split(":")[0] for key in sent}
    assert {"digest", "questionnaire"} <= kinds
    second = run_daily(today=TODAY, stream=StringIO(), tty=False)
    assert second.sent == 0 and second.queued["new"] == 0
    assert len(mail.outbox) == len(sent) == len(set(sent))
    # The next day: new digests, nothing of yesterday again.
    run_daily(today=TODAY + timedelta(days=1), stream=StringIO(), tty=False)
    keys = [m.extra_headers["X-TNW-Key"] for m in mail.outbox]
    assert len(keys) == len(set(keys)) > len(sent)
    assert OutboxMessage.objects.count() == len(keys)


def test_digest_holds_the_users_overdue_and_due_this_week_items_without_names(team, caseload):
    run_daily(today=TODAY, stream=StringIO(), tty=False)
    digests = {m.to[0]: m for m in mail.outbox if m.extra_headers["X-TNW-Key"].startswith("digest")}
    physician = digests["ap1@example.invalid"]
    assert "te laat" in physician.subject  # Dutch: no language chosen (test_mail_language)
    assert "Vragenlijst versturen" in physician.body
    assert "Person00" not in physician.body  # links, not names
    assert f"/people/{caseload['new'].person_id}/" in physician.body


def test_questionnaire_goes_to_the_insured_person(team, caseload):
    run_daily(today=TODAY, stream=StringIO(), tty=False)
    questionnaires = [m for m in mail.outbox if m.extra_headers["X-TNW-Key"].startswith("quest")]
    assert [m.to for m in questionnaires] == [["p1@example.invalid"]]
    assert questionnaires[0].subject == "Uw vragenlijst Terug Naar Werk"


def test_command_prints_a_summary_and_progress(team, caseload, capsys):
    out = StringIO()
    call_command("daily", "--today", TODAY.isoformat(), stdout=out)
    line = out.getvalue().strip().splitlines()[-1]
    assert line.startswith("event=summary today=2026-11-24 ")
    assert "sent=" in line and "reevaluated=" in line
    assert "event=phase_end phase=reevaluate" in capsys.readouterr().err  # not a terminal


def test_progress_bar_on_a_terminal_and_key_value_lines_otherwise():
    tty = StringIO()
    bar = Progress("send", tty, tty=True)
    bar.start(4)
    for _ in range(4):
        bar.advance()
    bar.finish()
    assert "\r" in tty.getvalue() and "[" + "#" * 30 + "] 4/4" in tty.getvalue()
    plain = StringIO()
    lines = Progress("send", plain, tty=False)
    lines.start(20)
    for _ in range(20):
        lines.advance()
    lines.finish()
    text = plain.getvalue()
    assert "\r" not in text and "#" not in text
    assert text.splitlines()[0] == "event=phase_start phase=send total=20"
    assert text.splitlines()[-1].startswith("event=phase_end phase=send done=20 seconds=")


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def _mail_keys(directory: Path) -> list[str]:
    keys = []
    for path in directory.glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip() + "\n")
                keys.append(message["X-TNW-Key"])
    return keys


@pytest.mark.django_db(transaction=True)
def test_killed_halfway_and_rerun_every_message_exactly_once(tmp_path):
    simulate(people=300, today=TODAY, workers=1, seed=5)
    # Plus a batch of queued messages, so the run has plenty to send.
    queue([Draft(key=f"test:{n}", kind="item", to=f"u{n}@example.invalid", subject="s",
                 body="b") for n in range(40)])  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tnw.settings",
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "TNW_TEST_SEND_DELAY": "0.1",
    }
    command = [sys.executable, "-m", "tnw.cli", "daily", "--today", TODAY.isoformat()]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 120
    while OutboxMessage.objects.filter(status="sent").count() < 15:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    total = OutboxMessage.objects.count()
    sent_before = OutboxMessage.objects.filter(status="sent").count()
    assert 15 <= sent_before < total  # really halfway
    assert len(_mail_keys(tmp_path / "mail")) == sent_before

    env["TNW_TEST_SEND_DELAY"] = "0"
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "event=summary" in rerun.stdout
    keys = _mail_keys(tmp_path / "mail")
    outbox = list(OutboxMessage.objects.values_list("key", "status"))
    assert {status for _, status in outbox} == {"sent"}
    assert sorted(keys) == sorted(key for key, _ in outbox)  # each exactly once
    assert len(keys) == len(set(keys)) == total
    # And a third run sends nothing.
    again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0 and "sent=0" in again.stdout
    assert len(_mail_keys(tmp_path / "mail")) == total


@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_one_runs_is_refused(tmp_path):
    from tnw.worklists.daily import run_lock

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tnw.settings",
        "DATABASE_URL": _database_url(),
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    command = [sys.executable, "-m", "tnw.cli", "daily", "--today", TODAY.isoformat()]
    with run_lock():
        refused = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "another `tnw daily` is running" in refused.stderr
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "event=summary" in done.stdout


def test_staff_get_a_digest_of_the_open_help_contacts(team, caseload):
    co1, ap1 = team["co1"], team["ap1"]
    person = new_person(co1, 9)
    episode = open_episode(co1, person, date(2026, 6, 1), coordinator=co1, advising_physician=ap1)
    register(ap1, episode, "questionnaire_sent", date(2026, 8, 10))
    run_daily(today=TODAY, stream=StringIO(), tty=False)
    digest = next(m for m in mail.outbox if m.to == ["staff@example.invalid"])
    assert "geen termijn: 1" in digest.body  # Dutch: no language chosen
    assert f"/people/{person.pk}/#episode-{episode.pk}" in digest.body


def test_digest_items_are_each_users_most_urgent_worklist_items(team, caseload):
    from tnw.dossier import obligations

    ranked = obligations.digest_items(TODAY, 2)
    for key in ("co1", "ap1", "co2", "ap2"):
        user = team[key]
        expected = [
            (i.code, i.episode_id)
            for i in worklist_for(user, today=TODAY)
            if i.status != "upcoming" and (i.due is None or i.due <= TODAY + timedelta(7))
        ][:2]
        assert [(row["code"], row["episode_id"]) for row in ranked.get(user.pk, [])] == expected
    assert ranked[team["ap1"].pk]  # not vacuous
