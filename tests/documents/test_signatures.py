"""Signed forms: a registration the circular ties to a signed form cannot be completed without
it, and `register_signed` needs every party's signature (Annex III: the insured person;
Annex IV: coordinator, advising physician and insured person)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import TODAY, register
from tnw.documents import services
from tnw.documents.models import ImmutableError, Signature
from tnw.dossier.models import Episode, Registration

PDF_SCAN = b"%PDF-1.4\n% a scan\n"
PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def test_plain_registration_needs_the_signed_form_reference(consented_episode, coordinator):
    with pytest.raises(ValidationError) as error:
        register(coordinator, consented_episode, "ziv_started", date(2026, 10, 1), situation="A")
    assert error.value.code == "signature_required"
    assert "Annex IV" in error.value.messages[0]
    assert not Registration.objects.filter(episode=consented_episode, type="ziv_started").exists()


def test_consent_at_first_contact_needs_annex_iii(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    with pytest.raises(ValidationError, match="Annex III"):
        register(coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical",
                 consent=True, outcome="ziv")  # fmt: skip
    # Without consent no form is needed.
    register(coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical",
             consent=False, outcome="none")  # fmt: skip


def _annex_iv(coordinator, episode):
    return services.issue(user=coordinator, episode_id=episode.pk, kind="annex_iv",
                          language="fr", today=TODAY)  # fmt: skip


def test_annex_iv_registers_only_when_all_three_signed(consented_episode, users):
    coordinator, physician = users["coordinator"], users["advising_physician"]
    document = _annex_iv(coordinator, consented_episode)
    version = Episode.objects.get(pk=consented_episode.pk).version

    def attempt():
        return services.register_with_form(
            user=coordinator, document_id=document.pk, expected_version=version,
            on=date(2026, 10, 1), fields={"situation": "A"}, today=TODAY,
        )  # fmt: skip

    with pytest.raises(
        ValidationError,
        match="not signed yet by: the TNW coordinator, the advising physician, the insured",
    ):
        attempt()
    services.sign(user=coordinator, document_id=document.pk, party="coordinator",
                  method="electronic", signed_on=TODAY, password="test-password")  # fmt: skip
    services.sign(user=physician, document_id=document.pk, party="advising_physician",
                  method="electronic", signed_on=TODAY, password="test-password")  # fmt: skip
    with pytest.raises(ValidationError, match="insured person"):
        attempt()
    signature = services.sign(user=coordinator, document_id=document.pk, party="insured",
                              method="paper", signed_on=TODAY, scan=PNG_SCAN)  # fmt: skip
    assert signature.scan_type == "image/png" and len(signature.scan_sha256) == 64
    registration = attempt()
    assert registration.type == "ziv_started"
    assert registration.form_reference == document.reference


def test_electronic_signature_needs_reauthentication_and_the_signer(consented_episode, users):
    coordinator = users["coordinator"]
    document = _annex_iv(coordinator, consented_episode)
    with pytest.raises(PermissionDenied, match="password"):
        services.sign(user=coordinator, document_id=document.pk, party="coordinator",
                      method="electronic", signed_on=TODAY, password="wrong")  # fmt: skip
    with pytest.raises(PermissionDenied, match="signatory themselves"):
        services.sign(user=coordinator, document_id=document.pk, party="advising_physician",
                      method="electronic", signed_on=TODAY, password="test-password")  # fmt: skip
    with pytest.raises(ValidationError, match="paper"):
        services.sign(user=coordinator, document_id=document.pk, party="insured",
                      method="electronic", signed_on=TODAY, password="test-password")  # fmt: skip
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("scan", "message"),
    [(b"GIF89a....", "PDF, PNG or JPEG"), (b"", "Upload"),
     (b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB")],
)  # fmt: skip
def test_paper_scan_is_checked(consented_episode, coordinator, scan, message):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="nl", today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        services.sign(user=coordinator, document_id=document.pk, party="insured",
                      method="paper", signed_on=TODAY, scan=scan)  # fmt: skip


def test_consent_registered_with_the_signed_annex_iii(consented_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="de", today=TODAY)  # fmt: skip
    services.sign(user=coordinator, document_id=document.pk, party="insured", method="paper",
                  signed_on=TODAY, scan=PDF_SCAN)  # fmt: skip
    with pytest.raises(ValidationError, match="signed already"):
        services.sign(user=coordinator, document_id=document.pk, party="insured",
                      method="paper", signed_on=TODAY, scan=PDF_SCAN)  # fmt: skip
    registration = services.register_with_form(
        user=coordinator, document_id=document.pk,
        expected_version=Episode.objects.get(pk=consented_episode.pk).version,
        on=date(2026, 11, 20), today=TODAY,
    )  # fmt: skip
    assert registration.type == "consent_given"
    assert registration.consent_record.form_reference == document.reference


def test_signatures_and_documents_are_immutable(consented_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="nl", today=TODAY)  # fmt: skip
    signature = services.sign(user=coordinator, document_id=document.pk, party="insured",
                              method="paper", signed_on=TODAY, scan=PDF_SCAN)  # fmt: skip
    for record in (document, signature):
        with pytest.raises(ImmutableError):
            record.save()
        with pytest.raises(ImmutableError):
            record.delete()
        with pytest.raises(ImmutableError):
            type(record).objects.filter(pk=record.pk).update(pk=record.pk)
