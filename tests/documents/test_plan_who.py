"""The plan letter names who does each action (issue 16), in the letter's language; so does the
person's copy of the dossier. Read back with pdftotext."""

from __future__ import annotations

import os
import pathlib

import pytest

from tests.conftest import TODAY
from tests.documents.test_coordinator_copy import pdftotext
from tnw.documents import services

WHO = {"nl": ("Actie Wie", "gewestelijke dienst", "werkgever"),
       "fr": ("Action Qui", "service régional", "employeur"),
       "de": ("Maßnahme Wer", "regionaler Dienst", "Arbeitgeber"),
       "en": ("Action Who", "regional service", "employer")}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_plan_letter_says_who_does_each_action(plan_episode, coordinator, language):
    document = services.issue(user=coordinator, episode_id=plan_episode.pk, kind="plan",
                              language=language, today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    if os.environ.get("TNW_DOCUMENTS_OUT"):  # to look at them: pdftoppm -png
        out = pathlib.Path(os.environ["TNW_DOCUMENTS_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        (out / f"plan_who.{language}.pdf").write_bytes(bytes(document.pdf))
    header, service, employer = WHO[language]
    assert header in text
    assert f"Opleiding Excel {service} (VDAB" in text
    assert f"Werkpost aanpassen {employer}" in text
    assert document.facts["plans"][-1]["action_by"] == ["regional_service", "employer"]


def test_the_dossier_copy_says_who_too(plan_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=plan_episode.pk, kind="dossier_copy",
                              language="fr", today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    assert "Werkpost aanpassen (qui : employeur)" in text
