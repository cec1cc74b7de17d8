"""The incapacity-evaluation contacts' screen (circular VII): the coordinator who also works in
the multidisciplinary team is offered only preparatory contacts, and any other kind is refused
with the reason in the user's language; the physician registers every kind; each is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import TODAY
from tnw.accounts.services import create_user
from tnw.audit.models import AuditEntry
from tnw.evaluation.models import EvaluationContact


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.TNW_TODAY = TODAY


@pytest.fixture
def both(mutuality):
    user = create_user(username="both", role="coordinator", password="pw-long-1",
                       mutuality=mutuality)  # fmt: skip
    user.mdt_non_physician = True
    user.save()
    return user


def client(user, language="nl") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def post(user, episode, kind, language="nl"):
    return client(user, language).post(
        f"/evaluation/episodes/{episode.pk}/",
        {"kind": kind, "on": "02/11/2026", "mode": "phone", "note": "x"},
    )


def test_the_coordinator_in_the_team_is_offered_preparatory_contacts_only(both, episode):
    html = client(both).get(f"/evaluation/episodes/{episode.pk}/").content.decode()
    assert 'value="preparatory"' in html
    assert 'value="interim"' not in html and 'value="invalidity_extension"' not in html
    assert "enkel voorbereidende contacten (omzendbrief VII)" in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "pas de contacts de prolongation de l&#x27;invalidité"),
        ("de", "keine Kontakte zur Verlängerung der Invalidität"),
        ("en", "no contacts for the extension of invalidity"),
    ],
)
def test_an_other_kind_is_refused_with_the_reason(both, episode, language, text):
    page = post(both, episode, "invalidity_extension", language)
    assert page.status_code == 400 and text in page.content.decode()
    assert not EvaluationContact.objects.exists()


def test_the_preparatory_contact_and_the_physicians_interim_contact_are_registered(
    both, episode, physician
):
    assert post(both, episode, "preparatory").status_code == 302
    assert post(physician, episode, "interim").status_code == 302
    assert list(EvaluationContact.objects.values_list("kind", "registered_by__username")) == [
        ("preparatory", "both"), ("interim", physician.username),
    ]  # fmt: skip
    written = AuditEntry.objects.filter(object_type="evaluation.evaluationcontact")
    assert written.count() == 2 and {e.person_id for e in written} == {episode.person_id}


def test_a_plain_coordinator_has_no_such_screen(episode, coordinator):
    assert client(coordinator).get(f"/evaluation/episodes/{episode.pk}/").status_code == 403
