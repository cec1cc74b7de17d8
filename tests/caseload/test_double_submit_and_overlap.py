"""A double submit stores once; an overlapping incapacity episode is refused with a clear
reason in the user's language."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import open_episode, register
from tnw.dossier.models import Episode, Registration


def form_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_submitting_the_same_form_twice_stores_one_registration(
    coordinator, consented_episode, client_for
):
    client = client_for(coordinator, "en")
    url = reverse("web:register", args=[consented_episode.pk, "contact"]) + "?purpose=other"
    hidden = form_of(client.get(url).content.decode())
    assert hidden["form_token"]
    posted = {**hidden, "date": "20/11/2026", "mode": "phone", "note": "called"}
    before = Registration.objects.filter(episode=consented_episode, type="contact").count()
    first = client.post(url, posted)
    assert first.status_code == 302
    # Back, then Register again: the same form (same token) is posted a second time.
    again = client.post(url, posted, follow=True)
    assert "This form was already saved" in again.content.decode()
    after = Registration.objects.filter(episode=consented_episode, type="contact").count()
    assert after == before + 1


def test_a_second_click_after_a_conflict_does_not_store_twice(
    coordinator, consented_episode, client_for
):
    client = client_for(coordinator, "en")
    url = reverse("web:register", args=[consented_episode.pk, "contact"]) + "?purpose=other"
    posted = {**form_of(client.get(url).content.decode()), "date": "20/11/2026",
              "mode": "phone", "note": "called"}  # fmt: skip
    assert client.post(url, posted).status_code == 302
    # The stale version gives the conflict page only when the token is new: a fresh form.
    fresh = {**posted, "form_token": "another-form"}
    conflict = client.post(url, fresh)
    assert conflict.status_code == 200
    count = Registration.objects.filter(episode=consented_episode, type="contact").count()
    assert count == 1


def test_an_overlapping_episode_is_refused_by_the_service(coordinator, person, episode):
    with pytest.raises(ValidationError) as refused:
        open_episode(coordinator, person, date(2026, 8, 1))
    assert refused.value.code == "overlapping_episode"
    assert Episode.objects.filter(person=person).count() == 1


def test_a_new_episode_after_the_end_of_the_last_one_is_accepted(
    coordinator, physician, person, episode
):
    register(physician, episode, "incapacity_ended", date(2026, 9, 30))
    later = open_episode(coordinator, person, date(2026, 10, 15))
    assert later.start == date(2026, 10, 15)
    with pytest.raises(ValidationError):
        open_episode(coordinator, person, date(2026, 9, 30))  # the last day of the first one


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "overlapt met de arbeidsongeschiktheid vanaf 01/06/2026"),
        ("fr", "chevauche l'incapacité de travail à partir du 01/06/2026"),
        ("de", "überschneidet sich mit der Arbeitsunfähigkeit ab dem 01/06/2026"),
        ("en", "overlaps the incapacity from 01/06/2026"),
    ],
)
def test_the_screen_says_why_next_to_the_start_field(
    language, text, coordinator, person, episode, client_for
):
    response = client_for(coordinator, language).post(
        reverse("web:episode_new", args=[person.pk]),
        {"start": "01/09/2026", "employment_contract": "no", "coordinator": coordinator.pk},
    )  # fmt: skip
    html = response.content.decode()
    assert text in html.replace("&#x27;", "'")
    assert "overlapping_episode" not in html
    assert Episode.objects.filter(person=person).count() == 1
