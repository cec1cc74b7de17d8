"""The edit screens: correct and annul a registration, edit a person, close an episode,
withdraw consent; each refuses bad input with a message next to its field in the user's
language, and a double submit stores once."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import register
from tnw.dossier.models import Consent, Episode, Person, Registration


def hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="field-{name}".*?class="field-error"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found[1]).strip() if found else ""


@pytest.fixture
def ziv_start(ziv_episode):
    return Registration.objects.get(episode=ziv_episode, type="ziv_started")


def test_a_correction_from_the_screen_moves_the_date_and_shows_both(
    coordinator, ziv_start, client_for, fixed_today
):
    client = client_for(coordinator, "en")
    url = reverse("caseload:correct", args=[ziv_start.pk])
    page = client.get(url).content.decode()
    assert 'value="01/10/2026"' in page  # the form is filled with what was registered
    posted = {**hidden(page), "date": "08/10/2026", "situation": "A", "engagement_signed": "on",
              "form_reference": "ANNEX-IV-0001", "reason": "typed the wrong day"}  # fmt: skip
    response = client.post(url, posted)
    assert response.status_code == 302
    correction = Registration.objects.get(corrects=ziv_start)
    assert (correction.date, correction.reason) == (date(2026, 10, 8), "typed the wrong day")
    # Back, then Save again: the same form stores nothing more.
    again = client.post(url, posted, follow=True).content.decode()
    assert "This form was already saved" in again
    assert Registration.objects.filter(episode=ziv_start.episode).count() == 6
    dossier = client.get(reverse("web:dossier", args=[ziv_start.episode.person_id])).content
    html = dossier.decode()
    assert "tl-amended" in html and "typed the wrong day" in html
    assert html.count(reverse("caseload:correct", args=[correction.pk])) == 1
    assert reverse("caseload:correct", args=[ziv_start.pk]) not in html  # not in force


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Geef de reden in 10 tot 1.000 tekens."),
        ("fr", "Indiquez le motif en 10 à 1 000 caractères."),
        ("de", "Geben Sie den Grund in 10 bis 1.000 Zeichen an."),
        ("en", "Give the reason in 10 to 1,000 characters."),
    ],
)
def test_an_annulment_without_a_reason_is_refused_in_the_users_language(
    language, message, coordinator, ziv_start, client_for, fixed_today
):
    client = client_for(coordinator, language)
    url = reverse("caseload:annul", args=[ziv_start.pk])
    response = client.post(url, {**hidden(client.get(url).content.decode()), "reason": "oops"})
    assert response.status_code == 200
    assert field_error(response.content.decode(), "reason") == message
    assert not Registration.objects.filter(corrects=ziv_start).exists()


def test_an_annulment_another_registration_needs_is_refused_with_the_reason(
    coordinator, ziv_episode, client_for, fixed_today
):
    first_contact = Registration.objects.get(episode=ziv_episode, type="first_contact")
    client = client_for(coordinator, "en")
    url = reverse("caseload:annul", args=[first_contact.pk])
    posted = {
        **hidden(client.get(url).content.decode()),
        "reason": "registered on the wrong person",
    }
    html = client.post(url, posted).content.decode()
    assert "take the legal effect away" in html and "[" not in re.sub(r"<[^>]+>", "", html)
    assert not Registration.objects.filter(corrects=first_contact).exists()


@pytest.mark.parametrize(
    ("language", "phone", "postal"),
    [
        ("nl", "Geen telefoonnummer", "Een Belgische postcode"),
        ("fr", "Pas un numéro de téléphone", "Un code postal belge"),
        ("de", "Keine Telefonnummer", "Eine belgische Postleitzahl"),
    ],
)
def test_editing_a_person_checks_phone_postal_code_and_birth_date(
    language, phone, postal, coordinator, person, client_for, fixed_today
):
    client = client_for(coordinator, language)
    url = reverse("caseload:person_edit", args=[person.pk])
    form = hidden(client.get(url).content.decode())
    bad = {**form, "first_name": "Jan", "last_name": "Peeters", "language": "nl",
           "phone": "abc", "postal_code": "99999", "birth_date": "01/01/2030"}  # fmt: skip
    html = client.post(url, bad).content.decode()
    assert field_error(html, "phone").startswith(phone)
    assert field_error(html, "postal_code").startswith(postal)
    assert field_error(html, "birth_date")
    assert Person.objects.get(pk=person.pk).version == person.version


def test_editing_a_person_saves_a_new_version(coordinator, person, client_for, fixed_today):
    client = client_for(coordinator, "en")
    url = reverse("caseload:person_edit", args=[person.pk])
    good = {**hidden(client.get(url).content.decode()), "first_name": "Jan",
            "last_name": "Peeters-Lefèbvre", "language": "fr", "phone": "+32 470 12 34 56",
            "postal_code": "9000", "city": "Gent", "birth_date": "30/07/1985"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    saved = Person.objects.get(pk=person.pk)
    assert (saved.last_name, saved.language, saved.phone, saved.version) == (
        "Peeters-Lefèbvre", "fr", "+32 470 12 34 56", person.version + 1,
    )  # fmt: skip
    # A second tab with the old version: a conflict, nothing saved.
    stale = {**good, "form_token": "another-tab", "city": "Brugge"}
    html = client.post(url, stale).content.decode()
    assert "Someone else changed this dossier" in html
    assert Person.objects.get(pk=person.pk).city == "Gent"


def test_the_physician_closes_an_episode(physician, ziv_episode, client_for, fixed_today):
    client = client_for(physician, "en")
    url = reverse("caseload:episode_close", args=[ziv_episode.pk])
    form = hidden(client.get(url).content.decode())
    future = client.post(url, {**form, "date": "01/12/2026"}).content.decode()
    assert field_error(future, "date") == "This date is in the future."
    assert client.post(url, {**form, "date": "20/11/2026"}).status_code == 302
    assert Episode.objects.get(pk=ziv_episode.pk).end == date(2026, 11, 20)


def test_a_coordinator_does_not_close_an_episode(coordinator, ziv_episode, client_for,
                                                 fixed_today):  # fmt: skip
    url = reverse("caseload:episode_close", args=[ziv_episode.pk])
    assert client_for(coordinator, "en").get(url).status_code == 403


def test_withdrawing_consent_from_the_screen(coordinator, ziv_episode, client_for, fixed_today):
    client = client_for(coordinator, "en")
    dossier = client.get(reverse("web:dossier", args=[ziv_episode.person_id])).content.decode()
    url = reverse("caseload:consent_withdraw", args=[ziv_episode.pk])
    assert url in dossier
    form = hidden(client.get(url).content.decode())
    assert (
        client.post(url, {**form, "date": "20/10/2026", "form_reference": "W-1"}).status_code == 302
    )
    assert list(Consent.objects.filter(episode=ziv_episode).values_list("kind", flat=True)) == [
        "given", "withdrawn",
    ]  # fmt: skip
    dossier = client.get(reverse("web:dossier", args=[ziv_episode.person_id])).content.decode()
    assert url not in dossier  # nothing left to withdraw


def test_the_end_of_an_incapacity_registered_by_mistake_is_annulled(
    physician, ziv_episode, client_for, fixed_today
):
    end = register(physician, ziv_episode, "incapacity_ended", date(2026, 11, 10))
    client = client_for(physician, "en")
    url = reverse("caseload:annul", args=[end.pk])
    posted = {**hidden(client.get(url).content.decode()), "reason": "the wrong person's end"}
    assert client.post(url, posted).status_code == 302
    assert Episode.objects.get(pk=ziv_episode.pk).end is None


def test_editing_an_episode_checks_and_saves_a_new_version(
    coordinator, ziv_episode, client_for, fixed_today
):
    client = client_for(coordinator, "en")
    version = Episode.objects.get(pk=ziv_episode.pk).version
    url = reverse("caseload:episode_edit", args=[ziv_episode.pk])
    form = hidden(client.get(url).content.decode())
    bad = {**form, "start": "01/12/2026", "employment_contract": "no", "employer_number": "123"}
    html = client.post(url, bad).content.decode()
    assert field_error(html, "start") == "This date is in the future."
    assert field_error(html, "employer_number").startswith("An enterprise number has ten digits")
    good = {**form, "start": "01/06/2026", "employment_contract": "no",
            "employer_name": "Brouwerij Gent", "employer_number": "0123.456.789"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    saved = Episode.objects.get(pk=ziv_episode.pk)
    assert (saved.employer_name, saved.employer_number) == ("Brouwerij Gent", "0123456789")
    assert saved.version == version + 1


def test_a_dossier_is_reassigned_from_the_screen(
    coordinator, physician, mutuality, ziv_episode, client_for, fixed_today
):
    from tests.conftest import _user

    colleague = _user("coordinator", mutuality, "2")
    client = client_for(coordinator, "en")
    dossier = client.get(reverse("web:dossier", args=[ziv_episode.person_id])).content.decode()
    url = reverse("caseload:episode_assign", args=[ziv_episode.pk])
    assert url in dossier
    form = hidden(client.get(url).content.decode())
    posted = {**form, "coordinator": colleague.pk, "advising_physician": physician.pk}
    assert client.post(url, posted).status_code == 302
    assert Episode.objects.get(pk=ziv_episode.pk).coordinator_id == colleague.pk
