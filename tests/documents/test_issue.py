"""Issuing: roles, the dossier's state, medical secrecy, the audit trail, hash verification."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from pypdf import PdfReader

from tests.conftest import TODAY
from tnw.audit.models import AuditEntry
from tnw.documents import selectors, services
from tnw.documents.models import IssuedDocument
from tnw.dossier.errors import NotFound
from tnw.dossier.types import REDACTED


def _text(document) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(document.pdf))).pages)


def test_bad_input_is_refused_with_a_clear_message(episode, coordinator):
    with pytest.raises(ValidationError, match="Unknown document kind letter_x; known kinds"):
        services.issue(user=coordinator, episode_id=episode.pk, kind="letter_x", language="nl")
    with pytest.raises(ValidationError, match="Unknown language es"):
        services.issue(user=coordinator, episode_id=episode.pk, kind="annex_iii", language="es")
    # A fresh episode has no referral or request yet: no consent form fits.
    with pytest.raises(ValidationError, match="does not fit"):
        services.issue(user=coordinator, episode_id=episode.pk, kind="annex_iii", language="nl")
    assert not IssuedDocument.objects.exists()


def test_invitation_needs_its_appointment(consented_episode, coordinator):
    with translation.override("fr"), pytest.raises(ValidationError, match="À compléter"):
        services.issue(user=coordinator, episode_id=consented_episode.pk, kind="invitation",
                       language="fr", inputs={"mode": "phone"})  # fmt: skip


def test_roles_issue_only_their_kinds(assessed_episode, users, outsiders):
    with pytest.raises(PermissionDenied):
        services.issue(user=users["coordinator"], episode_id=assessed_episode.pk,
                       kind="annex_i", language="nl")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.issue(user=users["manager"], episode_id=assessed_episode.pk,
                       kind="questionnaire_letter", language="nl")  # fmt: skip
    with pytest.raises(NotFound):
        services.issue(user=outsiders["advising_physician"], episode_id=assessed_episode.pk,
                       kind="annex_i", language="nl")  # fmt: skip


def test_medical_content_only_for_the_physician(assessed_episode, users):
    physician, coordinator = users["advising_physician"], users["coordinator"]
    document = services.issue(user=physician, episode_id=assessed_episode.pk, kind="annex_i",
                              language="nl", today=TODAY)  # fmt: skip
    assert document.medical and "categorie 2" in _text(document)
    assert services.download(user=physician, document_id=document.pk).content == document.pdf
    [row] = selectors.documents_of(user=coordinator, episode_id=assessed_episode.pk)
    assert row.restricted
    with pytest.raises(PermissionDenied):
        services.download(user=coordinator, document_id=document.pk)
    # The facts stored with a coordinator's letter hold no category either.
    letter = services.issue(user=coordinator, episode_id=assessed_episode.pk,
                            kind="questionnaire_letter", language="nl", today=TODAY)  # fmt: skip
    assessed = [r for r in letter.facts["registrations"] if r["type"] == "capacity_assessed"]
    assert assessed[0]["data"]["category"] == REDACTED and not letter.medical


def test_issue_and_download_are_audited(consented_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="nl", today=TODAY)  # fmt: skip
    services.download(user=coordinator, document_id=document.pk)
    entries = AuditEntry.objects.filter(object_type="documents.issued_document",
                                        object_id=str(document.pk))  # fmt: skip
    assert [e.action for e in entries.order_by("seq")] == ["create", "read"]
    assert entries.first().changes["sha256"] == document.sha256


def test_a_tampered_document_fails_its_check(consented_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="nl", today=TODAY)  # fmt: skip
    # Tampering bypasses the model (as a database user could).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE documents_issueddocument SET pdf = %s WHERE id = %s",
                       [b"%PDF-forged", document.pk])  # fmt: skip
    forged = IssuedDocument.objects.get(pk=document.pk)
    assert not forged.verify()
    with pytest.raises(ValidationError, match="integrity"):
        services.download(user=coordinator, document_id=document.pk)


def test_offered_kinds_follow_the_dossier(withdrawn_episode, users):
    codes = {k.code for k in selectors.offered_kinds(user=users["coordinator"],
                                                     episode_id=withdrawn_episode.pk)}  # fmt: skip
    assert {"invitation", "annex_iii", "annex_iv", "consent_withdrawal"} <= codes
    assert "annex_i" not in codes and "plan" not in codes  # no estimate, no plan yet
