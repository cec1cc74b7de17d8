"""One person never sees or acts on another's dossier (every portal URL with the ids swapped),
and staff and portal sessions do not cross (issue 14, Tests: isolation)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse

from tnw.dossier import portal, selectors, services
from tnw.dossier.models import Registration

pytestmark = pytest.mark.django_db

EPISODE_URLS = ("portal:questionnaire", "portal:ask", "portal:consent")
POSTS = {
    "portal:questionnaire": {"action": "submit", "health_now": "same"},
    "portal:ask": {},
    "portal:consent": {"password": "Zomerfiets-2026-portaal"},
}


@pytest.mark.parametrize("name", EPISODE_URLS)
def test_another_persons_episode_is_not_found(portal_client, neighbour, name):
    url = reverse(name, args=[neighbour["episode"].pk])
    assert portal_client.get(url).status_code == 404
    assert portal_client.post(url, POSTS[name]).status_code == 404
    assert not Registration.objects.filter(episode=neighbour["episode"]).exists()


@pytest.mark.parametrize("name", EPISODE_URLS)
def test_own_episode_is_found(portal_client, episode, name):
    assert portal_client.get(reverse(name, args=[episode.pk])).status_code == 200


def test_the_services_refuse_another_persons_episode(insured, neighbour):
    theirs = neighbour["episode"].pk
    with pytest.raises(ObjectDoesNotExist):
        portal.questionnaire_draft(user=insured, episode_id=theirs)
    with pytest.raises(ObjectDoesNotExist):
        services.register_event(
            user=insured, episode_id=theirs, expected_version=1,
            event_type="spontaneous_request", on=date(2026, 11, 24), today=date(2026, 11, 24),
        )  # fmt: skip


def test_the_home_page_shows_only_ones_own_dossier(portal_client, neighbour):
    page = portal_client.get(reverse("portal:home")).content.decode()
    assert "Jan" in page and "Els" not in page


def test_the_insured_has_no_staff_capability(insured, person, episode):
    with pytest.raises(PermissionDenied):
        selectors.get_dossier(user=insured, person_id=person.pk)
    with pytest.raises(PermissionDenied):
        services.register_event(
            user=insured, episode_id=episode.pk, expected_version=episode.version,
            event_type="first_contact", on=date(2026, 11, 24),
            fields={"mode": "physical", "consent": True, "outcome": "ziv"},
        )  # fmt: skip


@pytest.mark.parametrize("path", ["/", "/search/", "/reports/", "/admin/", "/people/1/"])
def test_a_portal_session_never_reaches_staff_pages(portal_client, path):
    response = portal_client.get(path)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


@pytest.mark.parametrize("name", ["portal:home", "portal:preferences"])
def test_a_staff_session_is_refused_by_the_portal(client, coordinator, name):
    client.force_login(coordinator)
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_go_to_the_portal_login(client, episode):
    response = client.get(reverse("portal:questionnaire", args=[episode.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
