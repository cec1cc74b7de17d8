"""The caseload screens in NL, FR and DE: every message translated and compiled, and no
English text of this app on a Dutch, French or German page."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "caseload" / "locale"


def catalogue(language: str) -> list[polib.POEntry]:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return [entry for entry in po if not entry.obsolete]


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_message_is_translated_and_compiled(language):
    active = catalogue(language)
    assert active and [e.msgid for e in active if not e.translated()] == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgid, e.msgstr) for e in mo if not e.msgid_plural}
    assert {(e.msgid, e.msgstr) for e in active if not e.msgid_plural} <= compiled


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_worklist_page_has_no_english_of_its_own(language, team, caseload, client_for):
    html = client_for(team["co1"], language).get("/worklist/", {"view": "team"}).content.decode()
    english = {
        e.msgid for e in catalogue(language)
        if e.msgstr != e.msgid and len(e.msgid) > 5 and "%" not in e.msgid
    }  # fmt: skip
    assert [text for text in english if f">{text}<" in html] == []
    assert {"nl": "Alle taken", "fr": "Toutes les tâches", "de": "Alle Aufgaben"}[language] in html


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_what_next_panel_has_no_english_of_its_own(language, coordinator, ziv_episode,
                                                       client_for):  # fmt: skip
    url = f"/people/{ziv_episode.person_id}/"
    html = client_for(coordinator, language).get(url).content.decode()
    english = {
        e.msgid for e in catalogue(language)
        if e.msgstr != e.msgid and len(e.msgid) > 2 and "%" not in e.msgid
    }  # fmt: skip
    assert [text for text in english if f">{text}<" in html or f"{text}:" in html] == []


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_search_results_have_no_english_of_their_own(language, coordinator, episode,
                                                          client_for):  # fmt: skip
    html = client_for(coordinator, language).get("/search/", {"q": "peeters"}).content.decode()
    assert "Peeters Jan" in html
    assert "people match" not in html and "person matches" not in html
    assert {"nl": "1 persoon gevonden", "fr": "1 personne trouvée", "de": "1 Person gefunden"}[
        language
    ] in html
