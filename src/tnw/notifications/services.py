"""Queueing and delivering e-mail through the outbox.

- `queue(messages)`: insert rows, skipping keys that exist (idempotent).
- `deliver(now=...)`: send the messages that are due, one by one: claim (pending -> sending,
  committed), send through Django's e-mail backend (SMTP in production, console or file in the
  demo), mark sent (committed). A failure is retried with exponential backoff
  (`RETRY_DELAYS`); after the last attempt the message is `failed` and an ERROR line is
  logged: the alarm, also listed in the admin ("failed messages").
- A process killed between claim and mark leaves a row `sending`. Only one delivery runs at a
  time (the daily run's lock), so the next run resets such rows to `pending` and sends them
  again, with the same Message-ID (at-least-once for that one message; a receiver can drop the
  duplicate by its Message-ID). A kill anywhere else loses and duplicates nothing.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from tnw.notifications import attachments
from tnw.notifications.models import Delivery, NotificationPreference, OutboxMessage, Status

logger = logging.getLogger("tnw.notifications")

# Delay before attempt n+1 after n failures; after len(RETRY_DELAYS) + 1 attempts: failed.
RETRY_DELAYS = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
)  # fmt: skip
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Test hook: seconds to wait before each message (so a test can kill a run halfway).
DELAY_ENV = "TNW_TEST_SEND_DELAY"
CLAIM_BATCH = 50


@dataclass
class Draft:
    key: str
    kind: str
    to: str
    subject: str
    body: str
    user_id: int | None = None
    episode_id: int | None = None
    attachment: str = ""


def preference_of(user) -> str:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref.delivery if pref else Delivery.DIGEST


def set_preference(*, user, delivery: str) -> NotificationPreference:
    """Each user chooses: immediate e-mails, one daily digest, or none."""
    if delivery not in Delivery.values:
        raise ValueError(f"delivery must be one of {', '.join(Delivery.values)}")
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"delivery": delivery}
    )
    return pref


def queue(drafts: Iterable[Draft], now: datetime | None = None) -> int:
    """Store the drafts in the outbox; a key that is there already is skipped. Returns the
    number of new rows."""
    now = now or timezone.now()
    rows = [
        OutboxMessage(
            key=d.key, kind=d.kind, to=d.to, subject=d.subject, body=d.body,
            user_id=d.user_id, episode_id=d.episode_id, next_attempt_at=now,
            attachment=d.attachment,
        )
        for d in drafts
    ]  # fmt: skip
    if not rows:
        return 0
    keys = [r.key for r in rows]
    before = OutboxMessage.objects.filter(key__in=keys).count()
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return OutboxMessage.objects.filter(key__in=keys).count() - before


def recover_interrupted() -> int:
    """Reset messages left `sending` by a process that died (call under the run's lock)."""
    stuck = OutboxMessage.objects.filter(status=Status.SENDING)
    count = 0
    for message in stuck:
        logger.warning(
            "event=outbox_recovered id=%s key=%s note=resending_with_same_message_id",
            message.pk, message.key,
        )  # fmt: skip
        count += 1
    stuck.update(status=Status.PENDING)
    return count


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _email(message: OutboxMessage, connection) -> EmailMessage:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        connection=connection,
        headers={"Message-ID": message.message_id, "X-TNW-Key": message.key},
    )
    if message.attachment:
        email.attach(*attachments.resolve(message.attachment))
    return email


def _send_one(message: OutboxMessage, connection, now: datetime, report: DeliveryReport) -> None:
    """Send one claimed message and record the outcome (its own commit)."""
    pk = message.pk
    attempts = message.attempts + 1
    try:
        _email(message, connection).send()
    except Exception as error:  # any backend error: retry or give up
        text = f"{type(error).__name__}: {error}"[:2000]
        if attempts >= MAX_ATTEMPTS:
            OutboxMessage.objects.filter(pk=pk).update(
                status=Status.FAILED, attempts=attempts, last_error=text
            )
            report.failed += 1
            logger.error(
                "event=notification_failed_for_good id=%s key=%s to=%s attempts=%s error=%r",
                pk, message.key, message.to, attempts, text,
            )  # fmt: skip
        else:
            OutboxMessage.objects.filter(pk=pk).update(
                status=Status.PENDING, attempts=attempts, last_error=text,
                next_attempt_at=now + RETRY_DELAYS[attempts - 1],
            )  # fmt: skip
            report.retried += 1
            logger.warning(
                "event=notification_retry id=%s key=%s attempts=%s error=%r",
                pk, message.key, attempts, text,
            )  # fmt: skip
    else:
        OutboxMessage.objects.filter(pk=pk).update(
            status=Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
        )
        report.sent += 1


def deliver(
    *, now: datetime | None = None, limit: int | None = None, progress=None
) -> DeliveryReport:
    """Send the pending messages that are due (see the module docstring)."""
    report = DeliveryReport()
    now = now or timezone.now()
    delay = float(os.environ.get(DELAY_ENV, "0") or 0)
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by(
        "id"
    )
    ids = list(
        due.values_list("id", flat=True)[:limit] if limit else due.values_list("id", flat=True)
    )
    if progress is not None:
        progress.start(len(ids))
    connection = get_connection(fail_silently=False)
    try:
        for offset in range(0, len(ids), CLAIM_BATCH):
            batch = ids[offset : offset + CLAIM_BATCH]
            with transaction.atomic():
                claimed = list(
                    OutboxMessage.objects.filter(pk__in=batch, status=Status.PENDING).values_list(
                        "pk", flat=True
                    )
                )
                OutboxMessage.objects.filter(pk__in=claimed).update(status=Status.SENDING)
            for message in OutboxMessage.objects.filter(pk__in=claimed).order_by("pk"):
                if delay:
                    time.sleep(delay)
                _send_one(message, connection, now, report)
                if progress is not None:
                    progress.advance()
    finally:
        connection.close()
        if progress is not None:
            progress.finish()
    return report
