"""Webhooks: the mutuality's other systems follow registrations and obligations that become
due, without polling.

- `subscribe(client_name=..., url=..., events=...)` stores a subscription of one API client
  and returns its signing secret once (`tnw apiclient webhook`).
- `collect(now=...)` finds, per active subscription, the events since its last scan, through
  the dossier's selectors as the client's service account (so the client sees only its
  mutuality, health-data obligations only with `health.read`, and the read is audited), and
  queues one delivery row per (subscription, event id): `INSERT ... ON CONFLICT DO NOTHING`,
  so the same event found twice is queued once. Each scan looks back `OVERLAP` before the
  previous one, so a registration whose transaction committed late is not missed.
- `deliver(now=...)` claims due rows (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL: any
  number of processes on any host, no coordinator; a claim is a lease), POSTs each signed
  payload, and marks it `delivered` on a 2xx. Otherwise it is retried with backoff
  (`RETRY_DELAYS`) and ends `failed`. A process killed after sending but before marking lets
  the lease expire and the row is sent again with the same event id: the receiver keeps the
  first of each `TNW-Event-Id` (documented in docs/api.md), so each event is taken once.

Signature: `TNW-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tnw.api.models import ApiClient, WebhookDelivery, WebhookSubscription
from tnw.api.scopes import TIMELINES_READ
from tnw.audit.services import audit_write, snapshot
from tnw.dossier import selectors

logger = logging.getLogger("tnw.api.webhooks")

REGISTRATION_CREATED = "registration.created"
OBLIGATION_DUE = "obligation.due"
EVENT_TYPES = (REGISTRATION_CREATED, OBLIGATION_DUE)
CHANNEL = "webhooks"
OVERLAP = timedelta(minutes=10)
LEASE = timedelta(minutes=2)
TIMEOUT_SECONDS = 10
RETRY_DELAYS = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=6),
)  # fmt: skip
CLAIM_BATCH = 20
Status = WebhookDelivery.Status


@dataclass(frozen=True)
class Subscribed:
    subscription: WebhookSubscription
    secret: str  # shown once


@dataclass
class Report:
    queued: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _check(url: str, events: list[str]) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"not an http(s) URL: {url!r}")
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown or not events:
        raise ValidationError(
            f"unknown events: {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(EVENT_TYPES)}"
        )
    return sorted(set(events))


@transaction.atomic
def subscribe(*, client_name: str, url: str, events: list[str]) -> Subscribed:
    """A subscription of an active client with `timelines.read`; its secret, once."""
    events = _check(url, events)
    client = ApiClient.objects.filter(name=client_name, revoked_at__isnull=True).first()
    if client is None:
        raise ValidationError(f"no active API client named {client_name!r}")
    if TIMELINES_READ not in client.scopes:
        raise ValidationError(f"webhooks need the scope {TIMELINES_READ}")
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(
        client=client, url=url, events=events, secret=secret, scanned_at=timezone.now()
    )
    audit_write(
        actor=None, action="create", obj=subscription, before=None,
        after=snapshot(subscription, ("client_id", "url", "events", "active")),
        channel="command:apiclient",
    )  # fmt: skip
    return Subscribed(subscription, secret)


@transaction.atomic
def unsubscribe(*, subscription_id: int) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.select_for_update().filter(pk=subscription_id)
    found = subscription.first()
    if found is None:
        raise ValidationError(f"no webhook subscription {subscription_id}")
    before = snapshot(found, ("active",))
    found.active = False
    found.save(update_fields=["active"])
    audit_write(actor=None, action="update", obj=found, before=before,
                after=snapshot(found, ("active",)), channel="command:apiclient")  # fmt: skip
    return found


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does (and the tests): recompute the signature of `header`'s time."""
    values = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not values.get("t", "").isdigit():
        return False
    return hmac.compare_digest(sign(secret, int(values["t"]), body), header)


# --- Finding events ----------------------------------------------------------------------------


def _registration_events(user, since: datetime) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"registration:{row['id']}", {
            "type": REGISTRATION_CREATED, "episode": row["episode_id"],
            "person": row["person_id"], "registration": row["id"],
            "registration_type": row["type"], "date": row["date"],
            "registered_at": row["registered_at"],
        })
        for row in selectors.registration_events(user=user, since=since, channel=CHANNEL)
    ]  # fmt: skip


def _obligation_events(user, since: datetime, now: datetime) -> list[tuple[str, dict]]:
    today = timezone.localdate(now)
    opens_from = timezone.localdate(since)
    rows = selectors.due_obligation_events(
        user=user, opens_from=opens_from, today=today, channel=CHANNEL
    )
    return [
        (f"obligation:{r['episode_id']}:{r['code']}:{r['sequence']}:{r['opens']}", {
            "type": OBLIGATION_DUE, "episode": r["episode_id"], "person": r["person_id"],
            "obligation": r["code"], "actor": r["actor"], "sequence": r["sequence"],
            "opens": r["opens"], "due": r["due"],
        })
        for r in rows
    ]  # fmt: skip


def _collect_one(subscription: WebhookSubscription, now: datetime) -> int:
    user = subscription.client.user
    since = (subscription.scanned_at or subscription.created_at) - OVERLAP
    found: list[tuple[str, dict[str, Any]]] = []
    if REGISTRATION_CREATED in subscription.events:
        # Registrations made before the subscription are not news to it.
        found += _registration_events(user, max(since, subscription.created_at))
    if OBLIGATION_DUE in subscription.events:
        found += _obligation_events(user, max(since, subscription.created_at), now)
    rows = [
        WebhookDelivery(
            subscription=subscription, event_id=event_id, event_type=payload["type"],
            payload=json.loads(json.dumps({"id": event_id, **payload}, cls=DjangoJSONEncoder)),
            next_attempt_at=now,
        )
        for event_id, payload in found
    ]  # fmt: skip
    before = subscription.deliveries.count()
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    subscription.scanned_at = now
    subscription.save(update_fields=["scanned_at"])
    return subscription.deliveries.count() - before


def collect(*, now: datetime | None = None) -> int:
    """Queue the events of every active subscription since its last scan; how many new."""
    now = now or timezone.now()
    queued = 0
    subscriptions = WebhookSubscription.objects.filter(
        active=True, client__revoked_at__isnull=True, client__user__is_active=True
    ).select_related("client__user")
    for subscription in subscriptions:
        with transaction.atomic():
            locked = WebhookSubscription.objects.select_for_update(skip_locked=True)
            if locked.filter(pk=subscription.pk).exists():
                queued += _collect_one(subscription, now)
    return queued


# --- Delivering --------------------------------------------------------------------------------


def _claim(now: datetime, size: int) -> tuple[str, list[WebhookDelivery]]:
    """Take up to `size` due rows under a lease: pending ones whose time came, and rows whose
    lease ran out (their process died). Committed at once: the lease is the claim."""
    token = secrets.token_hex(8)
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_until__lt=now
    )
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claim=token, claimed_until=now + LEASE
        )
    claimed = WebhookDelivery.objects.filter(pk__in=ids, claim=token).select_related("subscription")
    return token, list(claimed)


def _post(delivery: WebhookDelivery, now: datetime) -> str | None:
    """POST the signed payload; None on a 2xx, else what went wrong."""
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    request = urllib.request.Request(
        delivery.subscription.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json", "User-Agent": "TNW-dossier-webhooks",
            "TNW-Event-Id": delivery.event_id, "TNW-Event-Type": delivery.event_type,
            "TNW-Signature": sign(delivery.subscription.secret, timestamp, body),
        },
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return None if 200 <= response.status < 300 else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"{type(error).__name__}: {error}"[:500]


def _settle(delivery: WebhookDelivery, token: str, error: str | None, now: datetime) -> str:
    """Record the attempt, only while the claim is still this process's (a lease that ran
    out was taken over: then "lost", and nothing is written)."""
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, claim=token, status=Status.SENDING)
    attempts = delivery.attempts + 1
    if error is None:
        outcome = "delivered"
        changes: dict[str, Any] = {"status": Status.DELIVERED, "delivered_at": now,
                                   "last_error": ""}  # fmt: skip
    elif attempts > len(RETRY_DELAYS):
        outcome, changes = "failed", {"status": Status.FAILED, "last_error": error}
    else:
        outcome = "retried"
        changes = {"status": Status.PENDING, "last_error": error,
                   "next_attempt_at": now + RETRY_DELAYS[attempts - 1]}  # fmt: skip
    if not mine.update(attempts=attempts, claimed_until=None, **changes):
        return "lost"
    if outcome == "failed":
        logger.error("webhook %s to %s failed for good: %s", delivery.event_id,
                     delivery.subscription.url, error)  # fmt: skip
    return outcome


def deliver(*, now: datetime | None = None, size: int = CLAIM_BATCH) -> Report:
    """Send every due delivery, claim by claim, until none is due."""
    report = Report()
    while True:
        moment = now or timezone.now()
        token, claimed = _claim(moment, size)
        if not claimed:
            return report
        for delivery in claimed:
            error = _post(delivery, moment)
            outcome = _settle(delivery, token, error, now or timezone.now())
            if outcome != "lost":
                setattr(report, outcome, getattr(report, outcome) + 1)
            if error:
                report.errors.append(f"{delivery.event_id}: {error}")


def run(*, now: datetime | None = None) -> Report:
    """`tnw webhooks run`: collect, then deliver."""
    queued = collect(now=now)
    report = deliver(now=now)
    report.queued = queued
    return report
