"""Integrator clients (one service account each) and the idempotency keys of their POSTs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiClient(models.Model):
    """An integrator's system. It acts through its own service account (`user`), which belongs
    to one mutuality, so the dossier package's access checks and audit apply to it as to a
    person. Only the SHA-256 of the secret is stored; the token is shown once."""

    name = models.CharField(max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    key_id = models.CharField(max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first response to a POST with an `Idempotency-Key`: a retry gets it back and
    nothing is stored twice; the same key with another body is refused."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="uniq_idempotency_key"),
        ]


class WebhookSubscription(models.Model):
    """An integrator's endpoint for event notifications (tnw.api.webhooks). The secret signs
    each payload (HMAC-SHA256); it is kept because signing needs it, and shown once."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="event types, see webhooks.EVENT_TYPES")
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    scanned_at = models.DateTimeField(null=True, blank=True, help_text="last event scan")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.client} -> {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription: the queue row. Unique per (subscription, event id), so
    finding the same event again queues nothing; claimed with FOR UPDATE SKIP LOCKED (on
    PostgreSQL) and a lease, retried with backoff, `delivered` once a 2xx came back."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        DELIVERED = "delivered"
        FAILED = "failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="uniq_webhook_event"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]


class CalendarFeed(models.Model):
    """A user's private iCalendar feed of their worklist's due dates: only the SHA-256 of the
    URL's token is stored; a new token replaces the old one, and revoking ends the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar of {self.user}"
