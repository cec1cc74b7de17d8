"""The person's acts go through the dossier services: the engine checks them as for staff,
and the audit trail names the person (issue 14, point 5)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.conftest import TODAY, register
from tnw.audit.models import AuditEntry
from tnw.dossier import portal
from tnw.dossier.models import Consent, Obligation, QuestionnaireAnswers, Registration

pytestmark = pytest.mark.django_db


def violation_text(code: str, language: str) -> str:
    from django.utils import translation

    from tnw.web.labels import violation_message

    with translation.override(language):
        return violation_message(code)


FULL = {
    "health_now": "same", "has_employer": "yes", "relations_at_work": "good",
    "chances_of_return": "later", "expected_workload": "adapted", "education": "secondary",
    "career": "Warehouse worker 2010-2026",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_day(settings):
    settings.TNW_TODAY = TODAY.isoformat()


@pytest.fixture
def sent(physician, episode):
    """Routing A step 2: the questionnaire was sent on 2026-11-20 (return within 2 weeks)."""
    register(physician, episode, "questionnaire_sent", date(2026, 11, 20))
    return episode


def test_a_saved_draft_comes_back_and_stores_no_registration(portal_client, sent):
    url = reverse("portal:questionnaire", args=[sent.pk])
    response = portal_client.post(url, {"action": "save", "health_now": "worse"})
    assert response.status_code == 302
    assert not Registration.objects.filter(type="questionnaire_received").exists()
    assert 'value="worse" checked' in portal_client.get(url).content.decode().replace(
        'checked value="worse"', 'value="worse" checked'
    ) or "worse" in str(portal.questionnaire_draft(user=response.wsgi_request.user,
                                                    episode_id=sent.pk))  # fmt: skip


def test_submitting_registers_the_questionnaire_received_today(portal_client, sent):
    url = reverse("portal:questionnaire", args=[sent.pk])
    portal_client.post(url, {"action": "save", "health_now": "worse"})
    response = portal_client.post(url, {"action": "submit", **FULL})
    assert response.status_code == 302
    received = Registration.objects.get(type="questionnaire_received")
    assert received.date == TODAY and received.data["complete"] is True
    assert received.registered_by.role == "insured"
    answers = QuestionnaireAnswers.objects.get()
    assert answers.submitted_at and answers.registration == received and answers.complete
    done = Obligation.objects.get(episode=sent, code="return_questionnaire")
    assert done.state == "done" and done.done_on == TODAY


def test_an_incomplete_questionnaire_is_registered_as_incomplete(portal_client, sent):
    url = reverse("portal:questionnaire", args=[sent.pk])
    portal_client.post(url, {"action": "submit", "health_now": "same"})
    assert Registration.objects.get(type="questionnaire_received").data["complete"] is False


def test_an_unknown_answer_is_refused_and_nothing_is_stored(insured, sent):
    with pytest.raises(Exception) as error:
        portal.submit_questionnaire(
            user=insured, episode_id=sent.pk, expected_version=sent.version,
            answers={"health_now": "excellent"}, today=TODAY,
        )  # fmt: skip
    assert "health_now" in str(error.value)
    assert not Registration.objects.filter(type="questionnaire_received").exists()
    assert not QuestionnaireAnswers.objects.exists()


def test_asking_for_a_trajectory_registers_the_request(portal_client, episode, insured):
    response = portal_client.post(reverse("portal:ask", args=[episode.pk]))
    assert response.status_code == 302
    request = Registration.objects.get(type="spontaneous_request")
    assert request.registered_by == insured and request.date == TODAY
    entry = AuditEntry.objects.filter(object_type__icontains="registration").last()
    assert entry.actor_id == insured.pk and entry.channel.startswith("portal")


def test_a_refused_act_says_why_in_the_persons_language(portal_client, episode):
    """No questionnaire was sent in this episode: returning one is refused by the engine
    (missing_prior_step), nothing is stored, and the reason is shown in French, without code."""
    url = reverse("portal:questionnaire", args=[episode.pk])
    response = portal_client.post(url, {"action": "submit", **FULL}, HTTP_ACCEPT_LANGUAGE="fr")
    assert not Registration.objects.filter(type="questionnaire_received").exists()
    assert not QuestionnaireAnswers.objects.filter(submitted_at__isnull=False).exists()
    page = response.content.decode()
    error = page.split('class="msg msg-error">')[1].split("</p>")[0]
    assert "missing_prior_step" not in error and "[" not in error
    assert error == escape(violation_text("missing_prior_step", "fr"))


def test_consent_is_signed_with_the_password(portal_client, episode, insured):
    url = reverse("portal:consent", args=[episode.pk])
    wrong = portal_client.post(url, {"password": "not-my-password"})
    assert wrong.status_code == 200 and not Consent.objects.exists()
    portal_client.post(url, {"password": "Zomerfiets-2026-portaal"})
    consent = Consent.objects.get()
    assert consent.kind == "given" and consent.registered_by == insured
    assert "e-signed" in consent.form_reference


def test_the_letter_preference_is_kept(portal_client, insured):
    portal_client.post(reverse("portal:preferences"), {"letters_by_email": "email"})
    assert insured.portal_account.__class__.objects.get(user=insured).letters_by_email
