"""The letter preference chosen on the portal steers the daily run's letters (issue 14:
"Choose e-mail or paper for letters"): "on paper" prints even with an e-mail address, "by
e-mail" never prints: the PDF rides on the e-mail or, without an address, is published on the
portal once per occurrence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from tests.conftest import TODAY, open_episode
from tests.portal.conftest import activate
from tests.worklists.conftest import new_person
from tnw.documents import portal as documents
from tnw.documents.daily import route
from tnw.documents.models import IssuedDocument, PrintItem
from tnw.dossier import portal
from tnw.worklists.daily import run_daily

pytestmark = pytest.mark.django_db

# 72 days ago: the questionnaire's term (10 weeks) fell two days ago, within the catch-up.
START = TODAY - timedelta(days=72)


@pytest.mark.parametrize(
    ("portal_choice", "email", "way"),
    [(None, True, "email"), (None, False, "paper"), (False, True, "paper"),
     (False, False, "paper"), (True, True, "email"), (True, False, "portal")],
)  # fmt: skip
def test_the_way_a_letter_goes(portal_choice, email, way):
    assert route({"portal": portal_choice, "email": email}) == way


def _person(coordinator, physician, n: int, email: bool, by_email: bool | None):
    extra = {"email": f"p{n}@example.invalid"} if email else {}
    person = new_person(coordinator, n, street="Kerkstraat 1", postal_code="9000", city="Gent",
                        **extra)  # fmt: skip
    episode = open_episode(coordinator, person, START, coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    user = None
    if by_email is not None:
        user = activate(coordinator, person)
        portal.set_letter_preference(user=user, by_email=by_email)
    return episode, user


def test_the_portal_choice_comes_before_the_e_mail_address(coordinator, physician):
    paper_with_email, _ = _person(coordinator, physician, 200, email=True, by_email=False)
    online_no_email, online_user = _person(coordinator, physician, 201, email=False,
                                           by_email=True)  # fmt: skip
    online_with_email, _ = _person(coordinator, physician, 202, email=True, by_email=True)
    no_account, _ = _person(coordinator, physician, 203, email=False, by_email=None)
    summary = run_daily(today=TODAY)
    printed = set(PrintItem.objects.values_list("episode_id", flat=True))
    assert printed == {paper_with_email.pk, no_account.pk}
    assert summary.queued["print"] == 2
    # Paper chosen: the e-mail still goes, without the PDF.
    [message] = [m for m in mail.outbox if m.to == ["p200@example.invalid"]]
    assert message.attachments == []
    # E-mail chosen, with an address: the PDF rides on the e-mail.
    [message] = [m for m in mail.outbox if m.to == ["p202@example.invalid"]]
    assert [a[2] for a in message.attachments] == ["application/pdf"]
    # E-mail chosen, no address: published on the portal, where the person finds it.
    published = IssuedDocument.objects.get(episode_id=online_no_email.pk)
    assert published.kind == "questionnaire_letter" and published.key.startswith("portal:")
    assert [d.id for d in documents.own_documents(user=online_user)] == [published.pk]
    assert not IssuedDocument.objects.filter(episode_id=no_account.pk).exists()
    assert not IssuedDocument.objects.filter(episode_id=online_with_email.pk,
                                             key__startswith="portal:").exists()  # fmt: skip


def test_a_letter_is_published_once_across_reruns_and_catch_up_days(coordinator, physician):
    episode, _ = _person(coordinator, physician, 210, email=False, by_email=True)
    run_daily(today=TODAY)
    run_daily(today=TODAY)
    run_daily(today=TODAY + timedelta(days=1))
    assert IssuedDocument.objects.filter(episode_id=episode.pk).count() == 1
    assert not PrintItem.objects.exists()
