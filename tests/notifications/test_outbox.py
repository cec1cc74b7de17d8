"""The outbox: idempotent queueing, retries with backoff, the alarm for permanent failures,
recovery after a crash, and each user's choice between immediate e-mails and a digest."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import TODAY, open_episode
from tests.notifications.backends import FAILURES
from tests.worklists.conftest import new_person
from tnw.notifications.models import FailedMessage, OutboxMessage
from tnw.notifications.services import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    Draft,
    deliver,
    queue,
    recover_interrupted,
    set_preference,
)
from tnw.worklists.daily import run_daily

NOW = timezone.now()


def draft(n: int = 1) -> Draft:
    return Draft(key=f"test:{n}", kind="item", to=f"u{n}@example.invalid", subject="s", body="b")


def test_queueing_the_same_key_twice_stores_it_once(db):
    assert queue([draft(1), draft(2)], now=NOW) == 2
    assert queue([draft(1), draft(2), draft(3)], now=NOW) == 1
    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == [
        "test:1", "test:2", "test:3"
    ]  # fmt: skip


def test_sent_once_with_a_stable_message_id(db):
    queue([draft(1)], now=NOW)
    assert deliver(now=NOW).sent == 1
    assert deliver(now=NOW).sent == 0
    assert len(mail.outbox) == 1
    message = OutboxMessage.objects.get()
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id
    assert message.message_id == OutboxMessage(key="test:1").message_id


def test_a_failure_is_retried_with_backoff(db, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingAtFirst"
    FAILURES["left"] = 2
    queue([draft(1)], now=NOW)
    report = deliver(now=NOW)
    assert (report.sent, report.retried) == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at == NOW + RETRY_DELAYS[0]
    assert "SMTPRecipientsRefused" in message.last_error
    assert deliver(now=NOW + RETRY_DELAYS[0] - timedelta(seconds=1)).retried == 0  # not yet
    later = NOW + RETRY_DELAYS[0]
    assert deliver(now=later).retried == 1
    message.refresh_from_db()
    assert message.next_attempt_at == later + RETRY_DELAYS[1] and message.attempts == 2
    assert deliver(now=later + RETRY_DELAYS[1]).sent == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3 and message.last_error == ""
    assert len(mail.outbox) == 1


def test_a_message_that_fails_for_good_raises_the_alarm(team, settings, caplog, client):
    settings.EMAIL_BACKEND = "tests.notifications.backends.AlwaysFailing"
    queue([draft(1), draft(2)], now=NOW)
    now = NOW
    with caplog.at_level(logging.WARNING, logger="tnw.notifications"):
        for attempt in range(MAX_ATTEMPTS):
            report = deliver(now=now)
            if attempt < MAX_ATTEMPTS - 1:
                assert report.retried == 2
                now += RETRY_DELAYS[attempt]
    assert report.failed == 2
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {
        ("failed", MAX_ATTEMPTS)
    }
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and "notification_failed_for_good" in errors[0].getMessage()
    assert deliver(now=now + timedelta(days=1)).failed == 0  # no more attempts
    # The alarm list in the admin.
    assert FailedMessage.objects.filter(status="failed").count() == 2
    client.force_login(team["admin"])
    page = client.get("/admin/notifications/failedmessage/")
    assert page.status_code == 200
    assert b"u1@example.invalid" in page.content and b"SMTPServerDisconnected" in page.content


def test_a_message_left_sending_by_a_dead_process_is_sent_again(db):
    queue([draft(1), draft(2)], now=NOW)
    OutboxMessage.objects.filter(key="test:1").update(status="sending")
    assert deliver(now=NOW).sent == 1  # only the pending one
    assert recover_interrupted() == 1
    assert deliver(now=NOW).sent == 1
    assert sorted(m.extra_headers["X-TNW-Key"] for m in mail.outbox) == ["test:1", "test:2"]


@pytest.fixture
def opens_today(team):
    """An episode whose questionnaire (S + 10 weeks) opens and is due today."""
    co1, ap1 = team["co1"], team["ap1"]
    person = new_person(co1, 20)
    return open_episode(co1, person, TODAY - timedelta(weeks=10), coordinator=co1,
                        advising_physician=ap1)  # fmt: skip


@pytest.mark.parametrize("delivery", ["immediate", "digest", "none"])
def test_each_user_chooses_immediate_or_digest(team, caseload, opens_today, delivery):
    ap1 = team["ap1"]
    set_preference(user=ap1, delivery=delivery)
    run_daily(today=TODAY, stream=StringIO(), tty=False)
    mine = [m for m in mail.outbox if m.to == [ap1.email]]
    kinds = {m.extra_headers["X-TNW-Key"].split(":")[0] for m in mine}
    if delivery == "digest":
        assert len(mine) == 1 and kinds == {"digest"}
    elif delivery == "immediate":
        assert mine and kinds == {"item"}
        assert any(f"/people/{opens_today.person_id}/" in m.body for m in mine)
        # Dutch: no language chosen (tests/worklists/test_mail_language.py)
        assert any(m.subject == "TNW – nieuw te doen: Vragenlijst versturen" for m in mine)
    else:
        assert mine == []
    # Others keep the default (the digest).
    assert (
        next(m for m in mail.outbox if m.to == [team["co1"].email])
        .extra_headers["X-TNW-Key"]
        .startswith("digest:")
    )


def test_immediate_notices_are_not_repeated_the_next_days(team, caseload, opens_today):
    set_preference(user=team["ap1"], delivery="immediate")
    for offset in range(4):
        run_daily(today=TODAY + timedelta(days=offset), stream=StringIO(), tty=False)
    keys = [m.extra_headers["X-TNW-Key"] for m in mail.outbox]
    assert len(keys) == len(set(keys))
    mine = [k for k in keys if k.startswith(f"item:{team['ap1'].pk}:{opens_today.pk}:")]
    # Opened today, overdue tomorrow: two notices over four runs, each once.
    assert [k.split(":")[-2] for k in sorted(mine)] == ["opened", "overdue"]


def test_unknown_preference_is_refused(team):
    with pytest.raises(ValueError):
        set_preference(user=team["co1"], delivery="sms")
