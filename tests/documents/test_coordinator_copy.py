"""The coordinator's copy of a physician's Annex I or II: the same letter without the medical
details. The text is read back with poppler's pdftotext (as a reader of the PDF would see it):
the category and the physician's motivation never appear in it, nor the redaction marker."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import TODAY
from tnw.audit.models import AuditEntry
from tnw.documents import selectors, services
from tnw.documents.models import IssuedDocument
from tnw.dossier.types import REDACTED

MOTIVATION = "Ernstige rugletsels na de hernia-operatie"
CATEGORY = {"nl": "categorie 2", "fr": "catégorie 2", "de": "Kategorie 2", "en": "category 2"}
COPY = {"nl": "Kopie voor de Terug Naar Werk-coördinator", "fr": "Copie pour le coordinateur",
        "de": "Kopie für den Rückkehr-zur-Arbeit-Koordinator",
        "en": "Copy for the TNW coordinator"}  # fmt: skip


def pdftotext(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)  # fmt: skip
    return " ".join(out.stdout.decode().split())


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("kind,fixture", [("annex_i", "assessed_episode"),
                                          ("annex_ii", "refused_episode")])  # fmt: skip
def test_the_copy_has_no_medical_details(kind, fixture, language, request, users):
    episode = request.getfixturevalue(fixture)
    physician = users["advising_physician"]
    original = services.issue(user=physician, episode_id=episode.pk, kind=kind,
                              language=language, inputs={"motivation": MOTIVATION},
                              today=TODAY)  # fmt: skip
    copy = IssuedDocument.objects.get(copy_of=original)
    assert original.medical and not copy.medical and copy.verify()
    full, redacted = pdftotext(bytes(original.pdf)), pdftotext(bytes(copy.pdf))
    # The physician's letter holds them (so the test can fail) ...
    assert MOTIVATION in full
    if kind == "annex_i":
        assert CATEGORY[language] in full
    # ... the coordinator's copy does not, and says why.
    assert MOTIVATION not in redacted and CATEGORY[language] not in redacted
    assert REDACTED not in redacted and "restricted" not in redacted
    assert COPY[language] in redacted and COPY[language] not in full
    assert "Peeters" in redacted
    assert MOTIVATION not in str(copy.facts) and "'category': 2" not in str(copy.facts)
    # Same letter: same date and number.
    [number] = re.findall(kind.upper().replace("_", "-") + r"-[0-9a-f]{8}", full)
    assert number in redacted
    assert "24/11/2026" in redacted


def test_the_coordinator_downloads_the_copy_only(assessed_episode, users):
    physician, coordinator = users["advising_physician"], users["coordinator"]
    original = services.issue(user=physician, episode_id=assessed_episode.pk, kind="annex_i",
                              language="nl", inputs={"motivation": MOTIVATION},
                              today=TODAY)  # fmt: skip
    [row] = selectors.documents_of(user=coordinator, episode_id=assessed_episode.pk)
    assert row.id == original.pk and row.restricted and row.copy_id
    with pytest.raises(PermissionDenied):
        services.download(user=coordinator, document_id=original.pk)
    got = services.download(user=coordinator, document_id=row.copy_id)
    assert MOTIVATION not in pdftotext(got.content)
    read = AuditEntry.objects.filter(object_type="documents.issued_document",
                                     object_id=str(row.copy_id), action="read")  # fmt: skip
    assert read.get().actor_id == coordinator.pk
    # The physician sees the one row too, with the copy beside it.
    [own] = selectors.documents_of(user=physician, episode_id=assessed_episode.pk)
    assert not own.restricted and own.copy_id == row.copy_id


def test_a_coordinators_own_letter_has_no_copy(consented_episode, coordinator):
    services.issue(user=coordinator, episode_id=consented_episode.pk, kind="annex_iii",
                   language="nl", today=TODAY)  # fmt: skip
    assert IssuedDocument.objects.count() == 1


def test_the_gdpr_copy_holds_health_data_only_from_the_physician(assessed_episode, users):
    """The person's copy of the whole dossier (GDPR art. 15): issued by the coordinator it has
    no health data and says where to ask for it; the physician's holds the category, is medical,
    and its coordinator's copy drops the category again."""
    physician, coordinator = users["advising_physician"], users["coordinator"]
    plain = services.issue(user=coordinator, episode_id=assessed_episode.pk,
                           kind="dossier_copy", language="nl", today=TODAY)  # fmt: skip
    text = pdftotext(bytes(plain.pdf))
    assert not plain.medical and "categorie 2" not in text and REDACTED not in text
    assert "vraag ze aan de adviserend arts" in text
    assert "Vragenlijst verstuurd" in text or "vragenlijst" in text.lower()
    full = services.issue(user=physician, episode_id=assessed_episode.pk, kind="dossier_copy",
                          language="nl", today=TODAY)  # fmt: skip
    assert full.medical and "categorie 2" in pdftotext(bytes(full.pdf))
    copy = IssuedDocument.objects.get(copy_of=full)
    assert "categorie 2" not in pdftotext(bytes(copy.pdf))
