"""A private iCalendar feed per user: the due dates of their worklist (the same items as the
worklist screen, `tnw.worklists.selectors.worklist_for`), for their calendar application.

The feed's URL holds a random token; only its SHA-256 is stored. `tnw calendar issue USER`
prints a new URL (the old one stops working), `tnw calendar revoke USER` ends the feed. A feed
of an inactive user, or a user whose role has no worklist, is a 404 as an unknown token.
Calendar applications copy what they fetch to other servers, so an event names the
obligation, the dossier number and the link to it, never the insured person's name.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from tnw.accounts.models import User
from tnw.api.models import CalendarFeed
from tnw.audit.services import audit_write, snapshot
from tnw.web.labels import obligation_label
from tnw.worklists.selectors import worklist_for

CHANNEL = "calendar"
FIELDS = ("user_id", "revoked_at")
LIMIT = 1000


@dataclass(frozen=True)
class Issued:
    feed: CalendarFeed
    token: str  # shown once, never stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_feed(*, username: str) -> Issued:
    """A new feed token for an active user with a worklist; replaces any earlier one."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or user.role not in ("coordinator", "advising_physician", "staff"):
        raise ValidationError(f"no active user {username!r} with a worklist")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.filter(user=user).first()
    before = snapshot(feed, FIELDS) if feed else None
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token_hash, feed.revoked_at = _hash(token), None
    feed.save()
    audit_write(actor=None, action="update" if before else "create", obj=feed, before=before,
                after=snapshot(feed, FIELDS), channel="command:calendar")  # fmt: skip
    return Issued(feed, token)


@transaction.atomic
def revoke_feed(*, username: str) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user__username=username, revoked_at__isnull=True).first()
    if feed is None:
        raise ValidationError(f"no calendar feed of {username!r}")
    before = snapshot(feed, FIELDS)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_write(actor=None, action="update", obj=feed, before=before,
                after=snapshot(feed, FIELDS), channel="command:calendar")  # fmt: skip
    return feed


def _event(item, stamp: datetime, base_url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"tnw-{item.episode_id}-{item.code}-{item.sequence}@tnw-dossier")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due)
    event.add("dtend", item.due + timedelta(days=1))
    event.add("summary", f"{obligation_label(item.code)} (dossier {item.episode_id})")
    event.add("description", f"{base_url}{item.dossier_url}")
    event.add("transp", "TRANSPARENT")
    return event


def feed_ics(*, token: str, today: date, base_url: str, language: str) -> bytes | None:
    """The feed of `token` as iCalendar; None for an unknown or revoked token. The read is
    audited as a worklist read of the user (channel `calendar`)."""
    feed = CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
    found = feed.select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    user = found.user
    try:
        items = worklist_for(user, today=today, limit=LIMIT, channel=CHANNEL)
    except PermissionDenied:
        return None
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//TNW-dossier//worklist//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"TNW {user.username}")
    stamp = timezone.now()
    with translation.override(language):
        for item in items:
            if item.due is not None:
                calendar.add_component(_event(item, stamp, base_url))
    return calendar.to_ical()
