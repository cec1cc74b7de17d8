"""The outbox: every outgoing e-mail is first a row with a unique idempotency key, then sent.

Queueing is `INSERT ... ON CONFLICT DO NOTHING` on `key`, so queueing the same message twice
(a daily run repeated, or killed and rerun) stores it once. Sending claims the row
(`pending` -> `sending`), sends it, and marks it `sent`; failures are retried with
exponential backoff and end `failed` (the alarm: admin list and an ERROR log line).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tnw.choices import TextChoices


class Status(TextChoices):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed", "failed for good"


class Kind(TextChoices):
    QUESTIONNAIRE = "questionnaire", "questionnaire to send (insured person)"
    REMINDER = "reminder", "reminder (insured person)"
    DIGEST = "digest", "daily digest (user)"
    ITEM = "item", "worklist item (user, immediate)"
    LETTER = "letter", "letter with its PDF (insured person)"
    REGISTER = "register", "coordinator register deadline (coordinator, manager)"


class OutboxMessage(models.Model):
    key = models.CharField(max_length=200, unique=True, help_text="idempotency key")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment = models.CharField(
        max_length=250, blank=True, help_text="reference resolved when sent (attachments.py)"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    episode_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"

    @property
    def message_id(self) -> str:
        """A stable Message-ID: a resend after a crash carries the same one, so a duplicate
        can be recognised (and dropped) by the receiving side."""
        import hashlib

        return f"<{hashlib.sha256(self.key.encode()).hexdigest()[:32]}@tnw-dossier>"


class FailedMessage(OutboxMessage):
    """The alarm list: messages that failed for good (a proxy for the admin)."""

    class Meta:
        proxy = True
        verbose_name = "failed message (alarm)"
        verbose_name_plural = "failed messages (alarm)"


class Delivery(TextChoices):
    IMMEDIATE = "immediate", "immediately, one e-mail per item"
    DIGEST = "digest", "one daily digest"
    NONE = "none", "no e-mail"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="notification_preference",
    )  # fmt: skip
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)

    def __str__(self) -> str:
        return f"{self.user}: {self.delivery}"
