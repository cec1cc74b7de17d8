"""Bounded input (issue 18, "Low": a 1 MB note was accepted and one dossier page grew to
24 MB): free text in the forms is bounded with a message next to the field; any value over
5,000 characters, in any form or API call, is refused before a view runs with a page (or a
problem+json answer) in the user's language that names the field. Nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tnw.audit.models import AuditEntry
from tnw.audit.selectors import verify_chain
from tnw.dossier.models import Person, Registration

pytestmark = pytest.mark.django_db

PLAN = {
    "date": "20/10/2026", "objectives": "stage in een ziekenhuis",
    "end_result": "administratief bediende", "action_1": "opleiding", "action_by_1": "person",
    "next_appointment": "05/11/2026",
}  # fmt: skip


def _post_plan(user, episode, note: str, language: str = "nl"):
    from tnw.dossier.models import Episode

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    version = Episode.objects.get(pk=episode.pk).version
    url = reverse("web:register", args=[episode.pk, "plan_drawn_up"])
    return client.post(url, {**PLAN, "note": note, "expected_version": version})


def test_a_one_megabyte_note_is_refused_before_anything_is_stored(ziv_episode, coordinator):
    last = AuditEntry.objects.latest("seq").seq
    response = _post_plan(coordinator, ziv_episode, "x" * 1_000_000)
    assert response.status_code == 400
    page = response.content.decode()
    assert "note" in page and "1000000" in page and "5000" in page, page
    assert "niets opgeslagen" in page  # in the user's language (Dutch)
    assert not Registration.objects.filter(episode=ziv_episode, type="plan_drawn_up").exists()
    # (force_login's log-in is audited; nothing else is)
    assert not AuditEntry.objects.filter(seq__gt=last).exclude(action="login").exists()
    assert verify_chain().ok


def test_a_long_note_gets_the_forms_own_message_next_to_the_field(ziv_episode, coordinator):
    response = _post_plan(coordinator, ziv_episode, "x" * 4001, language="en")
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Ensure this value has at most 4000 characters (it has 4001)."
    ]
    assert not Registration.objects.filter(episode=ziv_episode, type="plan_drawn_up").exists()


def test_a_note_at_the_limit_is_kept_whole(ziv_episode, coordinator):
    response = _post_plan(coordinator, ziv_episode, "y" * 4000)
    assert response.status_code == 302
    registration = Registration.objects.get(episode=ziv_episode, type="plan_drawn_up")
    assert registration.note == "y" * 4000


def test_the_api_refuses_an_overlong_value_with_a_problem_naming_it(mutuality):
    from tnw.api.services import create_client

    issued = create_client(name="limits", mutuality_code=mutuality.code, scopes=["events.write"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}", HTTP_ACCEPT_LANGUAGE="fr")
    body = {"insz": "85073003328", "first_name": "Marie", "last_name": "D" * 6000,
            "language": "fr"}  # fmt: skip
    response = client.post("/api/v1/people/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["invalid_params"][0]["name"] == "last_name"
    assert "6000" in problem["detail"] and "rien n’a été enregistré" in problem["detail"]
    assert not Person.objects.exists()


def test_every_other_form_is_bounded_too(db):
    """A form that bounds nothing itself (the portal's log-in) still never takes 5,001."""
    response = Client().post("/portal/login/", {"username": "1" * 5001, "password": "x"})
    assert response.status_code == 400


def test_plausible_dates_run_from_1900_to_ten_years_ahead():
    from datetime import date

    from django.core.exceptions import ValidationError

    from tnw.security.validators import latest_plausible, plausible_date

    assert latest_plausible(date(2026, 12, 2)) == date(2036, 12, 31)
    plausible_date(date(1900, 1, 1))  # the first plausible day: no error
    for wrong in (date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            plausible_date(wrong)


def test_an_episode_starting_on_01_01_0001_is_refused_with_a_reason(person, coordinator):
    from tnw.dossier.models import Episode

    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(coordinator)
    url = reverse("web:episode_new", args=[person.pk])
    response = client.post(url, {"start": "01/01/0001", "employment_contract": ""})
    assert response.status_code == 200
    (message,) = response.context["form"].errors["start"]
    assert message.startswith("Geef een datum tussen 01/01/1900 en 31/12/")
    assert not Episode.objects.filter(person=person).exists()


def test_the_api_refuses_an_implausible_registration_date(episode, mutuality):
    from tnw.api.services import create_client

    issued = create_client(name="dates", mutuality_code=mutuality.code, scopes=["events.write"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}", HTTP_ACCEPT_LANGUAGE="en")
    before = Registration.objects.count()
    response = client.post(
        f"/api/v1/episodes/{episode.pk}/registrations/",
        json.dumps({"type": "spontaneous_request", "date": "9999-12-31"}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert names == ["date"], response.json()
    assert Registration.objects.count() == before


@pytest.mark.parametrize(
    "role, url",
    [("coordinator", "/worklist/?due_from=0001-01-01&due_before=9999-12-31"),
     ("manager", "/reports/dashboard/?start=0001-01-01&end=9999-12-31")],
)  # fmt: skip
def test_filters_with_implausible_dates_answer_with_a_reason_not_a_server_error(users, role, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users[role])
    response = client.get(url)
    assert response.status_code in (200, 400), response.status_code  # the reports answer 400
    assert "Enter a date between 01/01/1900 and 31/12/" in response.content.decode()


# --- one limit for the screens and the API (the API capped a note at 2,000, the form 4,000) ---


def _api(mutuality, language="en"):
    from tnw.api.services import create_client

    issued = create_client(name="notes", mutuality_code=mutuality.code, scopes=["events.write"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}", HTTP_ACCEPT_LANGUAGE=language)


def _api_register(client, episode, body):
    from tnw.dossier.models import Episode

    url = f"/api/v1/episodes/{episode.pk}/registrations/"
    body = {**body, "expected_version": Episode.objects.get(pk=episode.pk).version}
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_keeps_a_note_as_long_as_the_form_does(episode, mutuality):
    from tnw.security.limits import MAX_TEXT_CHARS
    from tnw.web.forms import MAX_TEXT

    assert MAX_TEXT == MAX_TEXT_CHARS == 4000  # one limit, from one place
    client = _api(mutuality)
    body = {"type": "spontaneous_request", "date": "2026-09-01", "note": "n" * 4001}
    refused = _api_register(client, episode, body)
    assert refused.status_code == 400, refused.content
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["note"]
    assert not Registration.objects.filter(episode=episode).exists()
    kept = _api_register(client, episode, {**body, "note": "n" * 4000})
    assert kept.status_code == 201, kept.content  # refused before: over the old 2,000
    assert Registration.objects.get(episode=episode).note == "n" * 4000


def test_the_api_bounds_a_registrations_free_text_as_the_form_does(ziv_episode, mutuality):
    client = _api(mutuality, language="nl")
    body = {"type": "plan_drawn_up", "date": "2026-10-20",
            "fields": {"objectives": ["o" * 2000, "p" * 2001], "actions": ["opleiding"],
                       "end_result": "bediende", "next_appointment": "2026-11-05"}}  # fmt: skip
    before = Registration.objects.count()
    response = _api_register(client, ziv_episode, body)
    assert response.status_code == 400, response.content
    (param,) = response.json()["invalid_params"]
    assert param["name"] == "fields.objectives"
    assert "4000" in param["reason"]
    assert Registration.objects.count() == before


# --- the "value too long" page in the portal's own layout ----------------------------------


def test_the_too_long_page_of_the_portal_is_in_the_portals_layout(db):
    portal = Client(HTTP_ACCEPT_LANGUAGE="fr").post(
        "/portal/login/", {"username": "1" * 5001, "password": "x"}
    )
    assert portal.status_code == 400
    assert [t.name for t in portal.templates][:2] == ["security/too_long.html", "portal/base.html"]
    assert "portal/portal.css" in portal.content.decode()
    staff = Client(HTTP_ACCEPT_LANGUAGE="fr").post("/login/", {"username": "1" * 5001})
    assert staff.status_code == 400
    assert [t.name for t in staff.templates][:2] == ["security/too_long.html", "web/base.html"]


# --- dates written as the user's language writes them --------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Geben Sie ein Datum zwischen dem 01.01.1900 und dem 31.12."),
     ("nl", "Geef een datum tussen 01/01/1900 en 31/12/"),
     ("fr", "Indiquez une date entre le 01/01/1900 et le 31/12/"),
     ("en", "Enter a date between 01/01/1900 and 31/12/")],
)  # fmt: skip
def test_the_implausible_date_message_writes_dates_in_the_users_format(language, expected):
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.utils import translation

    from tnw.security.validators import plausible_date

    with translation.override(language), pytest.raises(ValidationError) as refused:
        plausible_date(date(1, 1, 1))
    with translation.override(language):
        (message,) = refused.value.messages
    assert message.startswith(expected), message


@pytest.mark.parametrize(
    ("language", "placeholder", "example"),
    [("de", "TT.MM.JJJJ", "24.11.2026"), ("nl", "dd/mm/jjjj", "24/11/2026"),
     ("fr", "jj/mm/aaaa", "24/11/2026"), ("en", "dd/mm/yyyy", "24/11/2026")],
)  # fmt: skip
def test_a_date_field_shows_the_format_users_of_the_language_read(
    person, coordinator, language, placeholder, example
):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(coordinator)
    page = client.get(reverse("web:episode_new", args=[person.pk])).content.decode()
    assert f'placeholder="{placeholder}"' in page
    typed = {"start": example.replace("/", "."), "employment_contract": "no"}
    dotted = client.post(reverse("web:episode_new", args=[person.pk]), typed)
    assert dotted.status_code == 302  # the dotted form is read in every language


# --- only the methods the application serves (TRACE and OPTIONS were served as reads) ------


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PROPFIND"])
def test_a_screen_answers_only_get_head_and_post(person, coordinator, method):
    client = Client()
    client.force_login(coordinator)
    last = AuditEntry.objects.latest("seq").seq
    for path in (f"/people/{person.pk}/", "/login/", "/portal/", "/"):
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD, POST"
    assert not AuditEntry.objects.filter(seq__gt=last).exists()  # no read audited
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert AuditEntry.objects.filter(seq__gt=last, action="read").exists()


def test_the_api_keeps_its_methods_but_not_trace(mutuality):
    from tnw.api.services import create_client

    issued = create_client(name="methods", mutuality_code=mutuality.code, scopes=["events.write"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    assert client.generic("TRACE", "/api/v1/people/").status_code == 405
    assert client.options("/api/v1/people/").status_code == 200
