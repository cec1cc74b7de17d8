"""The person sees the current re-integration plan and its next appointment, and adds the
appointment to their calendar (circular IV 4.3; issue 14, point 3)."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse

from tnw.dossier import portal, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(ziv_episode, coordinator):
    for on, actions, appointment in (
        (date(2026, 10, 10), ["internship"], date(2026, 11, 10)),
        (date(2026, 11, 12), ["internship at 50%", "therapy"], date(2026, 12, 15)),
    ):
        version = type(ziv_episode).objects.get(pk=ziv_episode.pk).version
        services.draw_up_plan(
            user=coordinator, episode_id=ziv_episode.pk, expected_version=version, on=on,
            objectives=["build up hours"], end_result="office work at 80%", actions=actions,
            next_appointment=appointment, reason="adjusted" if len(actions) > 1 else "",
            today=date(2026, 11, 24),
        )  # fmt: skip
    return ziv_episode


def test_the_current_plan_and_its_next_appointment(client, insured, planned):
    client.force_login(insured)
    page = client.get(reverse("portal:plan", args=[planned.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert "internship at 50%" in text and "therapy" in text
    assert "Versie 2" in text and "15 december 2026" in text
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:plan", args=[planned.pk]) in home


def test_the_appointment_as_an_icalendar_file(client, insured, planned):
    client.force_login(insured)
    response = client.get(reverse("portal:ics", args=[planned.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == date(2026, 12, 15)
    assert str(event.get("summary"))


def test_no_plan_yet(client, insured, episode):
    client.force_login(insured)
    assert client.get(reverse("portal:ics", args=[episode.pk])).status_code == 404
    page = client.get(reverse("portal:plan", args=[episode.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "pas encore de plan" in page.content.decode()


def test_the_person_proposes_a_meeting_and_the_coordinator_confirms(
    client, insured, planned, coordinator, settings
):
    settings.TNW_TODAY = "2026-11-24"
    client.force_login(insured)
    url = reverse("portal:plan", args=[planned.pk])
    assert client.post(url, {"on": "2027-01-14", "note": "mornings"}).status_code == 302
    staff = type(client)()
    staff.force_login(coordinator)
    dossier = staff.get(reverse("web:dossier", args=[planned.person_id])).content.decode()
    assert "mornings" in dossier
    proposal = portal.meeting_proposals(user=coordinator, episode_id=planned.pk)[0]
    decide = reverse("web:meeting_proposal", args=[planned.pk, proposal.id])
    assert staff.post(decide, {"decision": "confirm"}).status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "14 januari 2027: bevestigd" in page


@pytest.mark.parametrize("day", ["2026-11-23", "2027-06-30", "14-01"])
def test_a_proposal_outside_the_next_six_months_is_refused(client, insured, planned, settings, day):
    settings.TNW_TODAY = "2026-11-24"
    client.force_login(insured)
    response = client.post(reverse("portal:plan", args=[planned.pk]), {"on": day},
                           HTTP_ACCEPT_LANGUAGE="fr")  # fmt: skip
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert portal.meeting_proposals(user=insured, episode_id=planned.pk) == []


def test_only_the_assigned_coordinator_decides(insured, planned, users, outsiders):
    proposal = portal.propose_meeting(
        user=insured, episode_id=planned.pk, on=date(2027, 1, 14), note="", today=date(2026, 11, 24)
    )
    for user in (users["staff"], users["advising_physician"], outsiders["coordinator"], insured):
        with pytest.raises((PermissionDenied, ObjectDoesNotExist)):
            portal.decide_meeting_proposal(
                user=user, episode_id=planned.pk, proposal_id=proposal.id, confirm=True
            )
