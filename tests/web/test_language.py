"""Language: chosen per user (stored), per session (cookie) or by the browser; every label
and message exists in NL, FR and DE; dates in Belgian format."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tnw.web import labels
from tnw.web.models import Preference

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "web" / "locale"
HOME = {"nl": "Mijn werklijst", "fr": "Ma liste de travail", "de": "Meine Arbeitsliste",
        "en": "My worklist"}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_browser_language_is_used_before_login(language, client_for):
    html = client_for(None, language).get(reverse("web:login")).content.decode()
    assert f'<html lang="{language}">' in html


def test_default_language_is_dutch(db):
    from django.test import Client

    html = Client().get(reverse("web:login")).content.decode()
    assert '<html lang="nl">' in html
    assert "Aanmelden" in html


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_switch_language_is_stored_for_the_user(language, coordinator, client_for):
    client = client_for(coordinator, "nl")
    response = client.post(reverse("web:language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert Preference.objects.get(user=coordinator).language == language
    # A new session in a browser that asks for another language keeps the user's choice.
    other = client_for(coordinator, "nl" if language != "nl" else "fr")
    assert HOME[language] in other.get(reverse("web:home")).content.decode()


def test_switch_before_login_uses_a_cookie(client_for):
    client = client_for(None, "nl")
    client.post(reverse("web:language"), {"language": "fr", "next": reverse("web:login")})
    assert "Se connecter" in client.get(reverse("web:login")).content.decode()


def test_next_must_stay_on_this_site(client_for, db):
    response = client_for(None).post(
        reverse("web:language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_message_is_translated_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    active = [entry for entry in po if not entry.obsolete]
    assert active, "no messages"
    untranslated = [entry.msgid for entry in active if not entry.translated()]
    assert untranslated == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgid, entry.msgstr) for entry in mo if not entry.msgid_plural}
    wanted = {(entry.msgid, entry.msgstr) for entry in active if not entry.msgid_plural}
    assert wanted <= compiled, "the .mo file is older than the .po file: compile it"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Er is geen geldige schriftelijke toestemming van de persoon"),
        ("fr", "Il n'y a pas de consentement écrit en vigueur"),
        ("de", "Es liegt keine gültige schriftliche Einwilligung"),
        ("en", "There is no written consent of the person in force"),
    ],
)
def test_violation_messages_by_code(language, message):
    with translation.override(language):
        assert labels.violation_message("no_consent").startswith(message)


def test_glossary_terms(db):
    with translation.override("nl"):
        assert str(labels.ACTOR_LABELS["advising_physician"]) == "adviserend arts"
        assert str(labels.EVENT_LABELS["follow_up_meeting"]) == "Opvolggesprek"
    with translation.override("fr"):
        assert str(labels.ACTOR_LABELS["advising_physician"]) == "médecin-conseil"
        assert str(labels.ROLE_LABELS["coordinator"]) == "Coordinateur Retour Au Travail"
    with translation.override("de"):
        assert str(labels.ACTOR_LABELS["advising_physician"]) == "beratender Arzt"


def test_dates_are_belgian(coordinator, consented_episode, client_for):
    html = (
        client_for(coordinator, "fr")
        .get(reverse("web:dossier", args=[consented_episode.person_id]))
        .content.decode()
    )
    assert "15/09/2026" in html
    assert "2026-09-15" not in html
    assert "Incapacité de travail depuis le 01/06/2026" in html
