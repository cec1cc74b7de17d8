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


@pytest.fixture
def mdt(mutuality):
    return create_user(username="mdt", role="mdt", password="pw-long-1", mutuality=mutuality)


FIND = {"nl": ("Een persoon zoeken voor een contact evaluatie arbeidsongeschiktheid",
               "sinds 01/06/2026"),
        "fr": ("Trouver une personne pour un contact d'évaluation de l'incapacité",
               "depuis le 01/06/2026"),
        "de": ("Eine Person für einen Kontakt zur Bewertung der Arbeitsunfähigkeit finden",
               "seit dem 01/06/2026"),
        "en": ("Find a person for an incapacity-evaluation contact",
               "since 01/06/2026")}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_team_finds_the_person_and_opens_the_episodes_contacts(mdt, episode, language):
    """The team's non-physician lands on the search (not on a worklist it cannot use), finds
    the person by name and opens the evaluation contacts of the episode; the search is
    audited; the page shows no more than who the person is and the episode."""
    web = client(mdt, language)
    assert web.get("/").url == "/evaluation/"
    heading, since = FIND[language]
    page = web.get("/evaluation/").content.decode()
    assert heading in page and "Peeters" not in page  # nothing without a question
    html = web.get("/evaluation/", {"q": "jan peeters"}).content.decode()
    assert "Peeters Jan" in html and since in html
    assert f'href="/evaluation/episodes/{episode.pk}/"' in html
    assert "85.07.30" not in html and "85073003328" not in html  # no INSZ shown
    search = AuditEntry.objects.filter(object_type="dossier.search").latest("seq")
    assert search.actor_id == mdt.pk and search.changes["found"] == [episode.person_id]
    assert web.get(f"/evaluation/episodes/{episode.pk}/").status_code == 200


def test_roles_without_evaluation_contacts_get_no_search(users, episode):
    for role in ("coordinator", "staff", "manager"):
        assert client(users[role]).get("/evaluation/", {"q": "peeters"}).status_code == 403
    assert not AuditEntry.objects.filter(object_type="dossier.search").exists()
