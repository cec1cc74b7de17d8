"""Every kind renders in every language: the text read back from the PDF holds the person's
name, the dates and the legal basis, and no template key or English leaks into NL/FR/DE."""

from __future__ import annotations

import io
import os
import pathlib
import re

import pytest
from pypdf import PdfReader

from tests.conftest import TODAY
from tests.documents.conftest import CASES, INPUTS
from tnw.documents import services
from tnw.documents.kinds import KINDS, LANGUAGES, SANCTION_KINDS

LEGAL_BASIS = {"nl": "Rechtsgrond", "fr": "Base légale", "de": "Rechtsgrundlage",
               "en": "Legal basis"}  # fmt: skip
CIRCULAR = {"nl": "omzendbrief", "fr": "circulaire", "de": "Rundschreiben", "en": "circular"}
# English words that would betray an untranslated sentence in a Dutch, French or German letter.
ENGLISH = re.compile(r"\b(the|and|your|you|with|date of|legal basis|our reference|insured)\b", re.I)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_every_kind_has_a_case():
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(CASES))
def test_renders(kind, language, request, users):
    fixture, role = CASES[kind]
    episode = request.getfixturevalue(fixture)
    document = services.issue(
        user=users[role], episode_id=episode.pk, kind=kind, language=language,
        inputs=INPUTS.get(kind), today=TODAY,
    )  # fmt: skip
    text = " ".join(text_of(bytes(document.pdf)).split())
    assert "Jan Peeters" in text or "Peeters" in text
    assert "24/11/2026" in text  # the issue date, Belgian format
    assert "85.07.30-033.28" in text  # the INSZ
    assert LEGAL_BASIS[language] in text
    assert CIRCULAR[language] in text
    if kind in SANCTION_KINDS:  # the sanction law cited by its date (2026 law: 1-6-2026 start)
        assert "3-7-1996" in text and "1-1-2023" in text and "19-12-2025" in text
    assert "{{" not in text and "{%" not in text and "_" not in text.replace("___", "")
    if language != "en":
        assert not ENGLISH.findall(text), ENGLISH.findall(text)
    assert document.verify()
    assert document.language == language
    if os.environ.get("TNW_DOCUMENTS_OUT"):  # to look at them: pdftoppm -png
        out = pathlib.Path(os.environ["TNW_DOCUMENTS_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{kind}.{language}.pdf").write_bytes(bytes(document.pdf))
