"""The security pages speak the user's language (NL, FR, DE, EN): every message of the
security catalogue is translated and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "security" / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_message_is_translated_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo_path = po_path.with_suffix(".mo")
    # The compiled catalogue holds every translation (file times mean nothing in a clone).
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))}
    assert all(compiled.get(e.msgid) == e.msgstr for e in po)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Te veel mislukte aanmeldpogingen"), ("fr", "Trop de tentatives"),
     ("de", "Zu viele fehlgeschlagene"), ("en", "Too many wrong log-in attempts")],
)  # fmt: skip
def test_the_lockout_page_in_the_users_language(client, users, language, expected):
    for _ in range(11):
        response = client.post(
            "/login/", {"username": "staff", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE=language
        )
    assert response.status_code == 429
    assert expected in response.content.decode()
