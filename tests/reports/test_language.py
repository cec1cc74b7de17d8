"""The reports speak NL, FR and DE (legal terms from docs/glossary.md); the catalogue is complete
and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from tnw.reports import periods

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "reports" / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_message_is_translated_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    active = [entry for entry in po if not entry.obsolete]
    assert len(active) > 100
    assert [entry.msgid for entry in active if not entry.translated()] == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgid, entry.msgstr) for entry in mo}
    assert {(entry.msgid, entry.msgstr) for entry in active} <= compiled


@pytest.mark.parametrize(("language", "quarter", "mutuality"), [
    ("nl", "K2 2026", "Ziekenfonds"),
    ("fr", "T2 2026", "Mutualité"),
    ("de", "Q2 2026", "Krankenkasse"),
])  # fmt: skip
def test_quarters_and_terms(language, quarter, mutuality):
    from datetime import date

    from tnw.reports.barometer import THEMES

    with translation.override(language):
        assert periods.label(date(2026, 4, 1), "quarter") == quarter
        assert str(translation.gettext("Mutuality")) == mutuality
        assert all(not str(theme.title)[3:].startswith(("Inflow", "Active")) for theme in THEMES)
