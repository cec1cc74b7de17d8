"""The engine's explanations, void reasons and presumption ends in the user's language: every
key has a sentence, translated in NL, FR and DE; dates dd/mm/yyyy, terms in the language, the
medical exemption reason only for the advising physician."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.conftest import register
from tests.rules.test_messages import engine_messages
from tnw.web import catalogue

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "web" / "locale"
LATER_LAW_LOCALE = Path(__file__).resolve().parents[2] / "src" / "tnw" / "sanctions" / "locale"
PLAN_OUTCOMES_LOCALE = LATER_LAW_LOCALE.parents[1] / "planoutcomes" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _msgid(key: str) -> str:
    with translation.override("en"):
        return str(catalogue.MESSAGES[key])


def timeline_messages() -> dict[str, str]:
    """The sentences of obligations, void reasons and presumption ends (the screens say a
    violation by its code, labels.VIOLATION_MESSAGES)."""
    return {
        key: template
        for key, template in engine_messages().items()
        if not key.startswith(("violation.", "plan.lacks."))
    }


def test_every_engine_key_has_a_sentence_with_the_same_parameters():
    messages = timeline_messages()
    assert len(messages) >= 60
    assert set(catalogue.MESSAGES) == set(messages)
    for key, template in messages.items():
        wanted = set(re.findall(r"\{(\w+)\}", template))
        assert set(PLACEHOLDER.findall(_msgid(key))) == wanted, key


def test_the_msgid_is_the_engine_sentence_itself():
    """One copy of each sentence: the catalogue reads the engine's table."""
    assert catalogue.MESSAGES["ziv.plan_follow_up"] == (
        "every %(term)s: the last follow-up was on %(last)s"
    )
    assert catalogue.msgid("{term} after the plan (100% sure)") == (
        "%(term)s after the plan (100%% sure)"
    )
    source = (Path(catalogue.__file__)).read_text("utf-8")
    assert "the last follow-up was on" not in source


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_sentence_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    # The sentences of the law after 2022 live in tnw.sanctions' own catalogue.
    later_law = polib.pofile(str(LATER_LAW_LOCALE / language / "LC_MESSAGES" / "django.po"))
    # The plan's outcomes (issue 16, circular IV 4.2) in tnw.planoutcomes' catalogue.
    outcomes = polib.pofile(str(PLAN_OUTCOMES_LOCALE / language / "LC_MESSAGES" / "django.po"))
    translated = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in [*po, *later_law, *outcomes]
        if not entry.obsolete and not entry.msgid_plural
    }
    plurals = {entry.msgid: entry.msgstr_plural for entry in po if entry.msgid_plural}
    for key in timeline_messages():
        msgid = _msgid(key)
        msgstr = translated.get((None, msgid), "")
        assert msgstr.strip(), f"{key}: no {language} translation of {msgid!r}"
        assert set(PLACEHOLDER.findall(msgstr)) == set(PLACEHOLDER.findall(msgid)), key
    for unit in ("calendar day", "week", "month", "working day", "day"):
        assert all(plurals[f"%(n)d {unit}"].values()), (language, unit)
    assert translated[(None, "a medical reason")]
    assert translated[("list separator", "; ")]


@pytest.mark.parametrize(
    ("language", "terms"),
    [
        ("nl", ["10 weken", "40 werkdagen", "1 maand", "3 maanden", "49 kalenderdagen"]),
        ("fr", ["10 semaines", "40 jours ouvrables", "1 mois", "3 mois", "49 jours calendrier"]),
        ("de", ["10 Wochen", "40 Arbeitstage", "1 Monat", "3 Monate", "49 Kalendertage"]),
        ("en", ["10 weeks", "40 working days", "1 month", "3 months", "49 calendar days"]),
    ],
)
def test_terms_in_the_language(language, terms):
    units = [(10, "weeks"), (40, "working_days"), (1, "months"), (3, "months"), (49, "days")]
    with translation.override(language):
        assert [catalogue.term_text(n, unit) for n, unit in units] == terms


def test_a_sentence_with_dates_terms_and_codes():
    parts = [
        {
            "key": "routing_a.send_questionnaire",
            "params": {"start": "2025-01-06", "term": {"amount": 10, "unit": "weeks"}},
        }
    ]
    void = {"key": "void.medical_exemption", "params": {"date": "2025-02-01", "reason": "coma"}}
    with translation.override("nl"):
        text = catalogue.explanation(parts, "english")
        assert (text.text, text.lang) == (
            "10 weken na het begin van de arbeidsongeschiktheid (06/01/2025)",
            "",
        )
        assert "(coma)" in catalogue.message_text(void, "").text
    with translation.override("fr"):
        assert catalogue.message_text(void, "").text == (
            "non-envoi du questionnaire pour raisons médicales (coma) enregistré le 01/02/2025"
        )
        redacted = {"key": "void.medical_exemption", "params": {"date": "2025-02-01"}}
        assert "(une raison médicale)" in catalogue.message_text(redacted, "").text


def test_an_unknown_key_falls_back_to_the_english_text():
    with translation.override("fr"):
        text = catalogue.explanation([{"key": "new.key", "params": {}}], "due on 2026-01-02")
        assert (text.text, text.lang) == ("due on 02/01/2026", "en")
        # A row stored before the keys existed: no parts, the English text.
        assert catalogue.explanation([], "old text").lang == "en"
        assert catalogue.message_text({"key": "new.key", "params": {}}, "gone").lang == "en"
        assert catalogue.message_text(None, "").text == ""


def _exempted(users, episode):
    register(
        users["advising_physician"], episode, "medical_exemption", date(2026, 7, 1),
        reason="severe_oncology",
    )  # fmt: skip
    return episode


def test_dossier_in_french_shows_translated_explanation_and_void_reason(users, episode, client_for):
    _exempted(users, episode)
    html = (
        client_for(users["coordinator"], "fr")
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    assert "10 semaines après le début de l&#x27;incapacité de travail (01/06/2026)" in html
    assert "non-envoi du questionnaire pour raisons médicales" in html
    assert "enregistré le 01/07/2026" in html
    # Only the language button is marked English, no engine text.
    assert 'lang="en"' not in re.sub(r"<button[^>]*>", "", html)
    assert "2026-06-01" not in html


@pytest.mark.parametrize("role", ["advising_physician", "coordinator"])
def test_the_exemption_reason_is_shown_to_the_physician_only(role, users, episode, client_for):
    _exempted(users, episode)
    html = (
        client_for(users[role], "fr")
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    assert ("pathologie oncologique grave" in html) is (role == "advising_physician")
    assert ("une raison médicale" in html) is (role == "coordinator")
    assert "severe" not in html


def test_staff_only_read_that_a_step_is_no_longer_required(users, episode, client_for):
    _exempted(users, episode)
    html = (
        client_for(users["staff"], "nl")
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    assert "niet meer nodig" in html
    assert "medische" not in html


def test_presumption_end_in_the_language(ziv_episode, coordinator, client_for):
    register(
        coordinator, ziv_episode, "plan_drawn_up", date(2026, 10, 20), objectives=["a"],
        end_result="b", actions=["c"], next_appointment="2026-11-20",
    )  # fmt: skip
    html = (
        client_for(coordinator, "de")
        .get(reverse("web:dossier", args=[ziv_episode.person_id]))
        .content.decode()
    )
    assert "6 Monate nach dem Plan" in html


def test_worklist_shows_the_translated_explanation(referred_episode, coordinator, client_for):
    response = client_for(coordinator, "fr").get(reverse("web:home"))
    [item] = [i for i in response.context["worklist"] if i.code == "first_contact"]
    assert item.why.lang == ""
    # The category was not shared with the coordinator: the neutral sentence, translated.
    assert "après la première estimation : premier contact au plus tard pendant le 6e mois" in (
        item.why.text
    )
    assert "catégorie" not in item.why.text
    assert escape(item.why.text) in response.content.decode()
