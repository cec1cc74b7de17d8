"""The person's letters on the portal: only their own, every read audited; the engagement
declaration (Annex IV) signed with their password, stored once, seen by the coordinator, and
then registered by the coordinator with the form signed by all three (issue 14, point 3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse

from tests.conftest import TODAY
from tests.portal.conftest import PORTAL_PASSWORD
from tnw.audit.models import AuditEntry
from tnw.documents import portal as documents
from tnw.documents import selectors, services
from tnw.documents.kinds import KINDS
from tnw.documents.models import IssuedDocument, Signature
from tnw.dossier.models import Episode, Registration
from tnw.portal import texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day(settings):
    settings.TNW_TODAY = TODAY.isoformat()


@pytest.fixture
def annex_iv(consented_episode, coordinator, insured):
    """The engagement declaration the coordinator issued for Jan (routing B, consent given)."""
    return services.issue(user=coordinator, episode_id=consented_episode.pk, kind="annex_iv",
                          language="nl", today=TODAY)  # fmt: skip


@pytest.fixture
def refused_episode_for_portal(episode, coordinator, physician, insured):
    """Routing B: the physician refuses the start (Annex II, with a coordinator's copy)."""
    from tests.conftest import register

    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical",
             consent=True, outcome="ziv", form_reference="ANNEX-III-0001")  # fmt: skip
    register(coordinator, episode, "permission_requested", date(2026, 9, 16))
    register(physician, episode, "permission_decided", date(2026, 9, 20), granted=False)
    return episode


@pytest.fixture
def invitation(consented_episode, coordinator, insured):
    return services.issue(
        user=coordinator, episode_id=consented_episode.pk, kind="invitation", language="nl",
        inputs={"appointment_date": "2026-12-03", "appointment_time": "10:30",
                "mode": "physical"}, today=TODAY,
    )  # fmt: skip


def test_the_list_shows_ones_own_letters_and_audits_the_read(portal_client, insured, annex_iv,
                                                             invitation):  # fmt: skip
    page = portal_client.get(reverse("portal:letters")).content.decode()
    assert annex_iv.reference in page and invitation.reference in page
    assert reverse("portal:sign", args=[annex_iv.pk]) in page  # Annex IV: to sign
    assert reverse("portal:sign", args=[invitation.pk]) not in page  # nothing to sign
    read = AuditEntry.objects.filter(actor_id=insured.pk, action="read", channel="portal")
    assert read.filter(changes__read="portal letters").exists()


def test_reading_a_letter_gives_the_stored_pdf_and_is_audited(portal_client, insured, annex_iv):
    response = portal_client.get(reverse("portal:letter_pdf", args=[annex_iv.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(annex_iv.pdf)
    assert response["Content-Disposition"].startswith("inline;")
    entry = AuditEntry.objects.filter(object_type="documents.issued_document",
                                      object_id=str(annex_iv.pk), action="read").get()  # fmt: skip
    assert entry.actor_id == insured.pk and entry.channel == "portal"
    assert entry.person_id == annex_iv.person_id
    download = portal_client.get(reverse("portal:letter_pdf", args=[annex_iv.pk]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")


def test_another_persons_letter_is_not_found(portal_client, neighbour, coordinator, annex_iv):
    from tests.conftest import register

    episode = neighbour["episode"]
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    theirs = services.issue(user=coordinator, episode_id=episode.pk, kind="invitation",
                            language="fr", inputs={"appointment_date": "2026-12-03",
                                                   "appointment_time": "10:30",
                                                   "mode": "phone"}, today=TODAY)  # fmt: skip
    assert theirs.reference not in portal_client.get(reverse("portal:letters")).content.decode()
    for name in ("portal:letter_pdf", "portal:sign", "portal:letter_signed"):
        assert portal_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    response = portal_client.post(reverse("portal:sign", args=[theirs.pk]),
                                  {"password": PORTAL_PASSWORD})  # fmt: skip
    assert response.status_code == 404 and not Signature.objects.exists()
    with pytest.raises(ObjectDoesNotExist):
        documents.own_download(user=neighbour["user"], document_id=annex_iv.pk)


def test_signing_needs_the_password_and_is_stored_once(portal_client, insured, annex_iv):
    url = reverse("portal:sign", args=[annex_iv.pk])
    assert portal_client.get(url).status_code == 200
    wrong = portal_client.post(url, {"password": "not-my-password"})
    assert wrong.status_code == 200 and not Signature.objects.exists()
    assert portal_client.post(url, {"password": PORTAL_PASSWORD}).status_code == 302
    signature = Signature.objects.get()
    assert (signature.document_id, signature.party, signature.method) == (
        annex_iv.pk,
        "insured",
        "electronic",
    )
    assert signature.recorded_by == insured and signature.signed_on == TODAY
    # A second try (another tab) changes nothing.
    portal_client.post(url, {"password": PORTAL_PASSWORD})
    with pytest.raises(ValidationError) as again:
        documents.sign_own(user=insured, document_id=annex_iv.pk, password=PORTAL_PASSWORD,
                           today=TODAY)  # fmt: skip
    assert again.value.code == "signed" and Signature.objects.count() == 1
    entry = AuditEntry.objects.get(object_type="documents.signature")
    assert entry.actor_id == insured.pk and entry.channel == "portal"
    assert entry.changes["sha256"] == annex_iv.sha256


def test_a_letter_the_person_does_not_sign_cannot_be_signed(insured, invitation):
    with pytest.raises(ValidationError) as error:
        documents.sign_own(user=insured, document_id=invitation.pk, password=PORTAL_PASSWORD,
                           today=TODAY)  # fmt: skip
    assert error.value.code == "not_signed_by_you" and not Signature.objects.exists()


def test_the_coordinator_sees_the_signature_and_registers_the_ziv_start(
    portal_client, users, annex_iv, consented_episode
):
    coordinator, physician = users["coordinator"], users["advising_physician"]
    portal_client.post(reverse("portal:sign", args=[annex_iv.pk]), {"password": PORTAL_PASSWORD})
    rows = selectors.documents_of(user=coordinator, episode_id=consented_episode.pk)
    assert [r.signed_by for r in rows if r.id == annex_iv.pk] == [("insured",)]
    for user, party in ((coordinator, "coordinator"), (physician, "advising_physician")):
        services.sign(user=user, document_id=annex_iv.pk, party=party, method="electronic",
                      signed_on=TODAY, password="test-password")  # fmt: skip
    registration = services.register_with_form(
        user=coordinator, document_id=annex_iv.pk,
        expected_version=Episode.objects.get(pk=consented_episode.pk).version,
        on=TODAY, fields={"situation": "A"}, today=TODAY,
    )  # fmt: skip
    assert registration.type == "ziv_started" and registration.form_reference == annex_iv.reference
    assert Registration.objects.filter(episode=consented_episode, type="ziv_started").count() == 1


def test_the_home_page_asks_for_the_signature_until_it_is_given(portal_client, annex_iv):
    sign_url = reverse("portal:sign", args=[annex_iv.pk])
    assert sign_url in portal_client.get(reverse("portal:home")).content.decode()
    portal_client.post(sign_url, {"password": PORTAL_PASSWORD})
    assert sign_url not in portal_client.get(reverse("portal:home")).content.decode()


def test_every_letter_for_the_person_is_a_known_kind_with_plain_words():
    assert set(KINDS) >= documents.FOR_THE_PERSON
    assert set(texts.DOCUMENTS) >= documents.FOR_THE_PERSON
    signed_by_the_person = {k for k, kind in KINDS.items() if "insured" in kind.signers}
    assert signed_by_the_person == {"annex_iii", "annex_iv"}
    assert signed_by_the_person <= documents.FOR_THE_PERSON


def test_the_person_gets_the_physicians_letter_not_the_coordinators_copy(
    portal_client, insured, refused_episode_for_portal, physician
):
    original = services.issue(user=physician, episode_id=refused_episode_for_portal.pk,
                              kind="annex_ii", language="nl",
                              inputs={"motivation": "Nog niet haalbaar"}, today=TODAY)  # fmt: skip
    copy = IssuedDocument.objects.get(copy_of=original)
    assert [d.id for d in documents.own_documents(user=insured)] == [original.pk]
    assert portal_client.get(reverse("portal:letter_pdf", args=[copy.pk])).status_code == 404
    response = portal_client.get(reverse("portal:letter_pdf", args=[original.pk]))
    assert response.content == bytes(original.pdf)


def test_the_signed_version_is_the_document_followed_by_its_signature_record(
    portal_client, neighbour, annex_iv
):
    import io

    from pypdf import PdfReader

    url = reverse("portal:letter_signed", args=[annex_iv.pk])
    assert portal_client.get(url).status_code == 404  # nobody signed yet
    portal_client.post(reverse("portal:sign", args=[annex_iv.pk]), {"password": PORTAL_PASSWORD})
    response = portal_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.nl.signed.pdf"')
    signed = PdfReader(io.BytesIO(response.content))
    original = PdfReader(io.BytesIO(bytes(annex_iv.pdf)))
    assert len(signed.pages) == len(original.pages) + 1
    assert signed.pages[0].extract_text() == original.pages[0].extract_text()
    record = signed.pages[-1].extract_text().replace("\n", " ")
    assert annex_iv.reference in record and annex_iv.sha256[:32] in record.replace(" ", "")
    assert "de verzekerde" in record and "elektronisch" in record  # Dutch, as the document
    other = neighbour["user"]
    portal_client.force_login(other)
    assert portal_client.get(url).status_code == 404
