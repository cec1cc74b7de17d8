"""The documents screens: the panel on the dossier page, issuing, preview and download, the
signature page; the language of the user's screens, the document's own language."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.conftest import TODAY
from tnw.documents.models import IssuedDocument


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.TNW_TODAY = TODAY


def client(user, language):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def test_coordinator_issues_a_french_invitation_and_downloads_it(consented_episode, coordinator):
    c = client(coordinator, "fr")
    page = c.get(f"/people/{consented_episode.person_id}/").content.decode()
    assert "Invitation au premier moment de contact" in page  # offered, in the screen language
    url = f"/documents/episodes/{consented_episode.pk}/issue/invitation/"
    # Missing appointment: a message in French, nothing stored.
    answer = c.post(url, {"language": "fr", "mode": "phone"})
    assert answer.status_code == 200 and "Ce champ est obligatoire" in answer.content.decode()
    assert not IssuedDocument.objects.exists()
    answer = c.post(url, {"language": "fr", "appointment_date": "03/12/2026",
                          "appointment_time": "10:30", "mode": "phone", "place": ""})  # fmt: skip
    assert answer.status_code == 302
    document = IssuedDocument.objects.get()
    pdf = c.get(f"/documents/{document.pk}/download/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "03/12/2026" in text and "par téléphone" in text
    page = c.get(f"/people/{consented_episode.person_id}/").content.decode()
    assert document.reference in page


def test_physician_issues_annex_i_in_dutch(assessed_episode, physician, coordinator):
    c = client(physician, "nl")
    answer = c.post(f"/documents/episodes/{assessed_episode.pk}/issue/annex_i/",
                    {"language": "nl", "motivation": ""})  # fmt: skip
    assert answer.status_code == 302
    document = IssuedDocument.objects.get(kind="annex_i", copy_of=None)
    assert c.get(f"/documents/{document.pk}/preview/")["Content-Disposition"].startswith("inline")
    # The coordinator sees the entry but not its content: only the copy without medical details.
    other = client(coordinator, "nl")
    page = other.get(f"/people/{assessed_episode.person_id}/").content.decode()
    assert "alleen de adviserend arts" in page
    assert other.get(f"/documents/{document.pk}/download/").status_code == 403
    copy = IssuedDocument.objects.get(copy_of=document)
    assert f"/documents/{copy.pk}/download/" in page and "Kopie coördinator" in page
    assert other.get(f"/documents/{copy.pk}/download/").status_code == 200


def test_a_kind_that_does_not_fit_is_not_found(episode, coordinator, outsiders):
    c = client(coordinator, "nl")
    assert c.get(f"/documents/episodes/{episode.pk}/issue/annex_iv/").status_code == 404
    assert c.get(f"/documents/episodes/{episode.pk}/issue/nonsense/").status_code == 404
    stranger = client(outsiders["coordinator"], "nl")
    assert stranger.get(f"/documents/episodes/{episode.pk}/issue/annex_iii/").status_code == 404


PAPER = {"party": "insured", "method": "paper", "insured-paper-signed_on": "20/11/2026"}


def test_signature_page_records_a_paper_signature(consented_episode, coordinator):
    c = client(coordinator, "de")
    c.post(f"/documents/episodes/{consented_episode.pk}/issue/annex_iii/", {"language": "de"})
    document = IssuedDocument.objects.get()
    url = f"/documents/{document.pk}/sign/"
    scan = io.BytesIO(b"GIF89a not a scan")
    scan.name = "scan.pdf"
    answer = c.post(url, {**PAPER, "insured-paper-scan": scan})
    assert "PDF-, PNG- oder JPEG-Datei" in answer.content.decode()
    scan = io.BytesIO(b"%PDF-1.4 signed")
    scan.name = "scan.pdf"
    answer = c.post(url, {**PAPER, "insured-paper-scan": scan})
    assert answer.status_code == 302
    page = c.get(url).content.decode()
    assert "Mit diesem unterzeichneten Formular erfassen" in page


def test_first_contact_with_consent_asks_the_signed_forms_reference(referred_episode_docs,
                                                                     coordinator):  # fmt: skip
    from tnw.dossier.models import Episode, Registration

    c = client(coordinator, "nl")
    episode = referred_episode_docs
    url = f"/episodes/{episode.pk}/register/first_contact/"
    data = {"date": "01/10/2026", "mode": "physical", "consent": "yes", "outcome": "ziv",
            "expected_version": Episode.objects.get(pk=episode.pk).version}  # fmt: skip
    answer = c.post(url, data)
    assert answer.status_code == 200
    html = answer.content.decode()
    at = html.find('id="field-form_reference"')
    assert "has-error" in html[at - 40 : at], html[at - 40 : at + 900]
    assert not Registration.objects.filter(episode=episode, type="first_contact").exists()
    assert c.post(url, {**data, "form_reference": "ANNEX-III-9"}).status_code == 302
