"""The portal speaks the person's language (NL, FR, DE, EN): every message of the portal's
catalogue is translated (none left fuzzy) and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "portal" / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_message_is_translated_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert all(compiled.get(e.msgid) == e.msgstr for e in po if not e.msgid_plural)
