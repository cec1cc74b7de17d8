"""Every URL of the screens, for every role and for an anonymous visitor: 200, 302 or 403;
404 for an id the user may not see, the same as for an id that does not exist.

The table below is written out by hand from the access matrix (docs and tnw.accounts.roles);
a URL added to tnw.web.urls without a row here makes `test_every_url_is_in_the_table` fail.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tnw.accounts.roles import capabilities_for_event, has
from tnw.rules import EVENT_TYPES
from tnw.web import urls as web_urls

ANON = "anonymous"
AP, CO, ST, MA, AD = "advising_physician", "coordinator", "staff", "manager", "admin"
EVERYONE = (ANON, AP, CO, ST, MA, AD)


def expect(ok: tuple[str, ...], anonymous: int = 302) -> dict[str, int]:
    return {role: anonymous if role == ANON else (200 if role in ok else 403) for role in EVERYONE}


# url name -> expected status per role (GET)
TABLE: dict[str, dict[str, int]] = {
    "login": {ANON: 200, AP: 302, CO: 302, ST: 302, MA: 302, AD: 302},
    "home": expect((AP, CO, ST, MA, AD)),
    "search": expect((AP, CO, ST)),
    "person_new": expect((AP, CO)),
    "dossier": expect((AP, CO, ST)),
    "episode_new": expect((AP, CO)),
    "register_menu": expect((AP, CO, ST)),
    "health_new": expect((AP,)),
    "glass_review": expect((MA,)),
}
# Only POST (a GET is refused with 405 for everyone); tested below.
POST_ONLY = {"logout", "language"}
# The registration form is checked per event type in test_register_form_per_event_type.
PER_EVENT = {"register"}
# Breaking the glass (POST only, per episode): tests/web/test_break_glass.py.
BREAK_GLASS = {"break_glass"}
# Confirming a meeting the person proposed (POST only, the episode's coordinator):
# tests/portal/test_plan.py.
PROPOSALS = {"meeting_proposal"}


def _kwargs(name: str, episode) -> dict[str, int]:
    if name in ("dossier", "episode_new"):
        return {"person_id": episode.person_id}
    if name in ("register_menu", "health_new"):
        return {"episode_id": episode.pk}
    return {}


def _client(role, users, client_for):
    return client_for(None if role == ANON else users[role])


def test_every_url_is_in_the_table():
    names = {pattern.name for pattern in web_urls.urlpatterns}
    assert names == set(TABLE) | POST_ONLY | PER_EVENT | BREAK_GLASS | PROPOSALS


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_get_every_url(name, role, users, episode, client_for):
    url = reverse(f"web:{name}", kwargs=_kwargs(name, episode))
    response = _client(role, users, client_for).get(url)
    assert response.status_code == TABLE[name][role], (name, role)
    if response.status_code == 302 and role == ANON:
        assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("name", ["dossier", "episode_new", "register_menu", "health_new"])
@pytest.mark.parametrize("role", [AP, CO, ST])
def test_people_of_another_mutuality_are_refused(name, role, outsiders, episode, client_for):
    """A role that may open the page gets "not found", as for an id that does not exist (no
    403-versus-404 oracle); a role that may not gets 403 whatever the id."""
    client = client_for(outsiders[role])
    url = reverse(f"web:{name}", kwargs=_kwargs(name, episode))
    missing = reverse(f"web:{name}", kwargs=dict.fromkeys(_kwargs(name, episode), 999999))
    expected = 404 if TABLE[name][role] == 200 else 403
    assert client.get(url).status_code == expected
    assert client.get(missing).status_code == expected


def _register_url(episode, event_type: str) -> str:
    url = reverse("web:register", args=[episode.pk, event_type])
    return url + "?purpose=other" if event_type == "contact" else url


@pytest.mark.parametrize("role", EVERYONE)
def test_register_form_per_event_type(role, users, episode, client_for):
    client = _client(role, users, client_for)
    for event_type in EVENT_TYPES:
        response = client.get(_register_url(episode, event_type))
        if role == ANON:
            assert response.status_code == 302, event_type
            continue
        user = users[role]
        allowed = any(has(user, cap) for cap in capabilities_for_event(event_type))
        assert response.status_code == (200 if allowed else 403), (role, event_type)


@pytest.mark.parametrize(
    ("role", "event_type", "status"),
    [
        (CO, "capacity_assessed", 403),  # the physician's categorisation
        (CO, "medical_exemption", 403),
        (CO, "permission_decided", 403),
        (AP, "first_contact", 403),  # the coordinator's contact moments
        (AP, "plan_drawn_up", 403),
        (ST, "plan_drawn_up", 403),
        (ST, "questionnaire_help_contact", 200),  # delegated questionnaire support
        (AP, "capacity_assessed", 200),
        (CO, "first_contact", 200),
        (MA, "questionnaire_received", 403),
        (AD, "questionnaire_received", 403),
    ],
)
def test_register_form_key_cases(role, event_type, status, users, episode, client_for):
    response = client_for(users[role]).get(_register_url(episode, event_type))
    assert response.status_code == status


@pytest.mark.parametrize("role", EVERYONE)
def test_post_only_urls(role, users, client_for):
    client = _client(role, users, client_for)
    for name in sorted(POST_ONLY):
        assert client.get(reverse(f"web:{name}")).status_code == 405
    response = client.post(reverse("web:language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")


def test_a_forbidden_post_stores_nothing(users, episode, client_for):
    from tnw.dossier.models import Registration

    response = client_for(users[CO]).post(
        reverse("web:register", args=[episode.pk, "capacity_assessed"]),
        {"date": "01/10/2026", "category": "4", "medical_exam": "no", "expected_version": "1"},
    )
    assert response.status_code == 403
    assert not Registration.objects.filter(episode=episode).exists()


def test_unknown_event_type_and_unknown_ids_are_404(users, episode, client_for):
    client = client_for(users[CO])
    assert client.get(f"/episodes/{episode.pk}/register/coffee_break/").status_code == 404
    assert client.get("/people/999999/").status_code == 404
    assert client.get("/episodes/999999/register/").status_code == 404
    assert client.get(f"/episodes/{episode.pk}/register/contact/?purpose=chat").status_code == 404
