"""The private iCalendar feed per user: the worklist's due dates, no names, revocable."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import open_episode
from tnw.api import calendar
from tnw.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def physicians_episode(coordinator, physician, person):
    """Routing A from 1 June 2026: the physician sends the questionnaire by 10 August
    (10 weeks) and makes the first estimate between 1 and 30 September."""
    return open_episode(coordinator, person, date(2026, 6, 1), coordinator=coordinator,
                        advising_physician=physician)  # fmt: skip


def _url(token: str) -> str:
    return f"/api/v1/calendar/{token}.ics"


def test_the_feed_holds_the_due_dates_without_names(client, physician, physicians_episode):
    issued = calendar.issue_feed(username=physician.username)
    response = client.get(_url(issued.token), {"lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    by_day = {e.decoded("dtstart"): str(e["summary"]) for e in events}
    # As of today (after September 2026) both are overdue and still on the worklist.
    assert timezone.localdate() > date(2026, 9, 30)
    assert set(by_day) == {date(2026, 8, 10), date(2026, 9, 30)}
    assert all(f"dossier {physicians_episode.pk}" in s for s in by_day.values())
    assert b"Peeters" not in response.content and b"Jan" not in response.content
    entry = AuditEntry.objects.filter(channel="calendar").latest("seq")
    assert entry.actor_id == physician.pk and entry.changes["people"] == [
        physicians_episode.person_id
    ]


def test_a_new_token_replaces_the_old_and_revoke_ends_the_feed(client, physician,
                                                               physicians_episode):  # fmt: skip
    first = calendar.issue_feed(username=physician.username)
    second = calendar.issue_feed(username=physician.username)
    assert client.get(_url(first.token)).status_code == 404
    assert client.get(_url(second.token)).status_code == 200
    calendar.revoke_feed(username=physician.username)
    assert client.get(_url(second.token)).status_code == 404
    assert client.get(_url("made-up")).status_code == 404


def test_an_inactive_user_has_no_feed(client, physician, physicians_episode):
    issued = calendar.issue_feed(username=physician.username)
    type(physician).objects.filter(pk=physician.pk).update(is_active=False)
    assert client.get(_url(issued.token)).status_code == 404


def test_the_command(capsys, physician, users):
    call_command("calendar", "issue", physician.username, "--base-url", "https://tnw.example")
    out = capsys.readouterr().out
    assert "https://tnw.example/api/v1/calendar/" in out and out.strip().endswith(".ics")
    with pytest.raises(Exception, match="no active user"):
        call_command("calendar", "issue", users["manager"].username)
    call_command("calendar", "revoke", physician.username)
    with pytest.raises(Exception, match="no calendar feed"):
        call_command("calendar", "revoke", physician.username)
