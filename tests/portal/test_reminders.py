"""The portal's reminders (issue 14: "filling them in online, with reminders"): a questionnaire
saved on the portal but not sent, by e-mail in the person's language, once per term, only to
persons with a portal account and an e-mail address. A follow-up meeting coming up is reminded
to everyone who receives letters by e-mail (tests/caseload/test_reminders.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import TODAY, register
from tnw.dossier import portal
from tnw.dossier.models import Person, QuestionnaireAnswers
from tnw.portal.daily import portal_drafts
from tnw.worklists.daily import run_daily

pytestmark = pytest.mark.django_db


def _email(person, address="jan@example.invalid"):
    Person.objects.filter(pk=person.pk).update(email=address)


@pytest.fixture
def saved_draft(physician, episode, person, insured):
    """The questionnaire sent on 20/11 (return by 4/12); Jan saved a draft on 21/11."""
    register(physician, episode, "questionnaire_sent", date(2026, 11, 20))
    portal.save_questionnaire_draft(user=insured, episode_id=episode.pk,
                                    answers={"health_now": "worse"})  # fmt: skip
    saved = timezone.make_aware(datetime(2026, 11, 21, 18, 0))
    QuestionnaireAnswers.objects.filter(episode=episode).update(updated_at=saved)
    _email(person)
    return episode


def test_a_saved_questionnaire_not_sent_is_reminded_once_per_term(saved_draft):
    assert portal_drafts(date(2026, 11, 22)) == []  # saved yesterday: not yet
    [draft] = portal_drafts(TODAY)
    assert draft.key == f"portal-draft:{saved_draft.pk}:2026-12-04"
    assert draft.to == "jan@example.invalid" and draft.kind == "reminder"
    assert "4 december 2026" in draft.body and "/portal/" in draft.body  # Dutch: his language
    run_daily(today=TODAY)
    run_daily(today=TODAY + timedelta(days=1))
    sent = [m for m in mail.outbox if m.extra_headers["X-TNW-Key"].startswith("portal-draft")]
    assert len(sent) == 1 and sent[0].subject == "Uw vragenlijst is nog niet verstuurd"


def test_no_reminder_once_sent_or_without_an_e_mail_address(saved_draft, insured, person):
    _email(person, "")
    assert portal_drafts(TODAY) == []
    _email(person)
    portal.submit_questionnaire(user=insured, episode_id=saved_draft.pk,
                                expected_version=saved_draft.__class__.objects.get(
                                    pk=saved_draft.pk).version,
                                answers={"health_now": "worse"}, today=TODAY)  # fmt: skip
    assert portal_drafts(TODAY) == []
