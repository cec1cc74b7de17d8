"""Break the glass on the screens: a coordinator or physician who is not assigned to an episode
gets a page that explains it and asks for a reason; after it they may act; the manager reviews
the accesses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tnw.audit.models import AuditEntry


@pytest.fixture
def colleague(mutuality):
    from tnw.accounts.services import create_user

    return create_user(
        username="coordinator2", role="coordinator", password="pw-long-enough-1",
        mutuality=mutuality,
    )  # fmt: skip


def test_an_unassigned_coordinator_breaks_the_glass(colleague, users, episode, client_for):
    client = client_for(colleague, "en")
    menu = reverse("web:register_menu", args=[episode.pk])
    dossier = client.get(reverse("web:dossier", args=[episode.person_id])).content.decode()
    assert "Not assigned to you: break the glass" in dossier
    assert menu in dossier
    page = client.get(menu)
    assert page.status_code == 403
    assert "Not assigned to you" in page.content.decode()
    url = reverse("web:break_glass", args=[episode.pk])
    refused = client.post(url, {"reason": "short", "next": menu})
    assert refused.status_code == 400
    assert not AuditEntry.objects.filter(object_type="dossier.glassbreak").exists()
    response = client.post(url, {"reason": "the insured person is at the desk", "next": menu})
    assert response.status_code == 302 and response["Location"] == menu
    assert client.get(menu).status_code == 200
    html = client.get(reverse("web:dossier", args=[episode.person_id])).content.decode()
    assert "You broke the glass for this episode" in html
    review = client_for(users["manager"], "en").get(reverse("web:glass_review"))
    assert review.status_code == 200
    assert "the insured person is at the desk" in review.content.decode()
    assert f"TNW-{episode.person_id}" in review.content.decode()


def test_the_next_address_stays_on_this_site(colleague, episode, client_for):
    response = client_for(colleague).post(
        reverse("web:break_glass", args=[episode.pk]),
        {"reason": "the insured person is at the desk", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:dossier", args=[episode.person_id])


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_other_roles_cannot_break_the_glass(role, users, episode, client_for):
    response = client_for(users[role]).post(
        reverse("web:break_glass", args=[episode.pk]), {"reason": "x" * 30}
    )
    assert response.status_code == 403


def test_an_unassigned_physician_sees_no_health_data_on_the_page(
    mutuality, physician, referred_episode, client_for
):
    from tnw.accounts.services import create_user
    from tnw.dossier import services

    services.record_health(
        user=physician, episode_id=referred_episode.pk, kind="diagnosis", text="SECRET-DX",
        recorded_on=referred_episode.start,
    )  # fmt: skip
    other = create_user(username="arts2", role="advising_physician", password="pw-long-enough-1",
                        mutuality=mutuality)  # fmt: skip
    url = reverse("web:dossier", args=[referred_episode.person_id])
    assert "SECRET-DX" in client_for(physician).get(url).content.decode()
    assert "SECRET-DX" not in client_for(other).get(url).content.decode()
    health = client_for(other).get(reverse("web:health_new", args=[referred_episode.pk]))
    assert health.status_code == 403
