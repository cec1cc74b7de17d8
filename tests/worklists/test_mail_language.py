"""The daily run's e-mails are in their recipient's language (issue 10 point 6): a staff
member's digest and immediate notices in the language they chose for the screens (Dutch when
none), the insured person's questionnaire and reminder in the person's language; Belgian dates
(dd/mm/yyyy, as the screens), the obligations' names as the screens show them, absolute links.
The expected texts are written out by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import TODAY, make_insz, open_episode, register
from tests.notifications.test_staff_mail_language import english_of
from tnw.dossier.services import create_person
from tnw.notifications.models import Delivery, NotificationPreference
from tnw.web.models import Preference
from tnw.worklists.daily import _insured_drafts, _user_drafts

# The words of the old English-only texts, and an ISO date.
OLD_ENGLISH = re.compile(
    r"overdue|\bdue |worklist|Most urgent|send questionnaire|no term|open since|opened"
    r"|return questionnaire|codex plan answer|\d{4}-\d{2}-\d{2}",
    re.I,
)
BASE = "http://127.0.0.1:8000"


def _person(user, n: int, language: str):
    return create_person(
        user=user, insz=make_insz(n), first_name=f"P{n}", last_name=f"Person{n:03d}",
        language=language, email=f"p{n}@example.invalid",
    )  # fmt: skip


@pytest.fixture
def late(team):
    """One episode of team 1 started on 1 June 2026: on 24/11/2026 the physician's questionnaire
    (due 10/08/2026, S + 10 weeks: 106 days late) and first estimate (due 30/09/2026, the end of
    the fourth month: 55 days late) are overdue."""
    person = _person(team["co1"], 21, "nl")
    episode = open_episode(team["co1"], person, date(2026, 6, 1), coordinator=team["co1"],
                           advising_physician=team["ap1"])  # fmt: skip
    return f"{BASE}/people/{person.pk}/#episode-{episode.pk}"


DIGESTS = {
    "nl": ("TNW-werklijst 24/11/2026: 2 te laat, 0 uiterlijk deze week",
           "Uw TNW-werklijst op 24/11/2026:\n"
           "  te laat: 2\n"
           "  uiterlijk deze week: 0\n"
           "\n"
           "Meest dringend:\n"
           "- Vragenlijst versturen: uiterlijk 10/08/2026 (-106 d) {link}\n"
           "- Eerste inschatting van de restcapaciteiten: uiterlijk 30/09/2026 (-55 d) {link}\n"),
    "fr": ("Liste de travail TNW du 24/11/2026 : 2 en retard, 0 à échéance cette semaine",
           "Votre liste de travail TNW au 24/11/2026 :\n"
           "  en retard : 2\n"
           "  échéance cette semaine : 0\n"
           "\n"
           "Les plus urgents :\n"
           "- Envoyer le questionnaire : échéance le 10/08/2026 (-106 j) {link}\n"
           "- Première estimation des capacités restantes : échéance le 30/09/2026 (-55 j) "
           "{link}\n"),
    "de": ("TNW-Arbeitsliste 24/11/2026: 2 überfällig, 0 diese Woche fällig",
           "Ihre TNW-Arbeitsliste am 24/11/2026:\n"
           "  überfällig: 2\n"
           "  diese Woche fällig: 0\n"
           "\n"
           "Am dringendsten:\n"
           "- Fragebogen verschicken: fällig am 10/08/2026 (-106 T) {link}\n"
           "- Erste Einschätzung der verbleibenden Fähigkeiten: fällig am 30/09/2026 (-55 T) "
           "{link}\n"),
    "en": ("TNW worklist 24/11/2026: 2 overdue, 0 due this week",
           "Your TNW worklist on 24/11/2026:\n"
           "  overdue: 2\n"
           "  due this week: 0\n"
           "\n"
           "Most urgent:\n"
           "- Send the questionnaire: due 10/08/2026 (-106 d) {link}\n"
           "- First estimate of the remaining capacities: due 30/09/2026 (-55 d) {link}\n"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_physicians_digest_in_their_language(team, late, language) -> None:
    Preference.objects.create(user=team["ap1"], language=language)
    [digest] = [d for d in _user_drafts(TODAY) if d.user_id == team["ap1"].pk]
    subject, body = DIGESTS[language]
    assert digest.key == f"digest:{team['ap1'].pk}:2026-11-24"  # the key as before
    assert digest.subject == subject
    assert digest.body == body.format(link=late)


def test_without_a_choice_the_digest_is_dutch(team, late) -> None:
    [digest] = [d for d in _user_drafts(TODAY) if d.user_id == team["ap1"].pk]
    assert digest.subject == DIGESTS["nl"][0]


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [("nl", "TNW – te laat: Vragenlijst versturen",
      "- Vragenlijst versturen: uiterlijk 10/11/2026 (-3 d)"),
     ("fr", "TNW – en retard : Envoyer le questionnaire",
      "- Envoyer le questionnaire : échéance le 10/11/2026 (-3 j)"),
     ("de", "TNW – überfällig: Fragebogen verschicken",
      "- Fragebogen verschicken: fällig am 10/11/2026 (-3 T)"),
     ("en", "TNW: Send the questionnaire overdue",
      "- Send the questionnaire: due 10/11/2026 (-3 d)")],
)  # fmt: skip
def test_the_immediate_notice_in_the_users_language(team, language, subject, line) -> None:
    # Started on 1 September: the questionnaire was due on 10/11/2026 (S + 10 weeks), overdue
    # from 11/11, within the three days caught up on 13/11/2026.
    person = _person(team["co1"], 22, "nl")
    episode = open_episode(team["co1"], person, date(2026, 9, 1), coordinator=team["co1"],
                           advising_physician=team["ap1"])  # fmt: skip
    Preference.objects.create(user=team["ap1"], language=language)
    NotificationPreference.objects.create(user=team["ap1"], delivery=Delivery.IMMEDIATE)
    mine = [d for d in _user_drafts(date(2026, 11, 13)) if d.user_id == team["ap1"].pk]
    notice = next(d for d in mine if d.key.endswith(":overdue:2026-11-11"))
    assert notice.subject == subject
    assert notice.body == f"{line} {BASE}/people/{person.pk}/#episode-{episode.pk}\n"


def test_the_insured_persons_mails_in_french(team) -> None:
    co1, ap1 = team["co1"], team["ap1"]
    # Started on 1 September: the questionnaire is to be sent by 10/11/2026 (S + 10 weeks).
    first = _person(co1, 23, "fr")
    open_episode(co1, first, date(2026, 9, 1), coordinator=co1, advising_physician=ap1)
    # Sent on 12/11/2026: to return within two weeks, by 26/11/2026 (a reminder 3 days ahead).
    second = _person(co1, 24, "fr")
    episode = open_episode(co1, second, date(2026, 6, 1), coordinator=co1, advising_physician=ap1)
    register(ap1, episode, "questionnaire_sent", date(2026, 11, 12))
    drafts = {d.to: d for d in _insured_drafts(TODAY)}
    questionnaire = drafts["p23@example.invalid"]
    assert questionnaire.subject == "Votre questionnaire Retour au travail"
    reminder = drafts["p24@example.invalid"]
    assert reminder.subject == "Rappel : votre réponse est attendue pour le 26/11/2026"
    assert reminder.body == (
        "Madame, Monsieur P24 Person024,\n\nNous vous rappelons que votre réponse (Renvoyer le "
        "questionnaire complété) est attendue au plus tard le 26/11/2026.\n"
    )
    assert reminder.key == f"reminder:{episode.pk}:return_questionnaire:1:2026-11-26"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_no_english_and_no_iso_date_in_the_mails(team, caseload, late, language) -> None:
    for key in ("co1", "ap1", "staff"):
        Preference.objects.create(user=team[key], language=language)
    co2, ap2 = team["co2"], team["ap2"]  # ap2: immediate notices
    NotificationPreference.objects.create(user=ap2, delivery=Delivery.IMMEDIATE)
    Preference.objects.create(user=ap2, language=language)
    person = _person(co2, 26, "nl")  # the questionnaire overdue from 11/11/2026
    open_episode(co2, person, date(2026, 9, 1), coordinator=co2, advising_physician=ap2)
    person = _person(team["co1"], 25, language)
    episode = open_episode(team["co1"], person, date(2026, 6, 1), coordinator=team["co1"],
                           advising_physician=team["ap1"])  # fmt: skip
    register(team["ap1"], episode, "questionnaire_sent", date(2026, 11, 12))
    staff = [d for d in _user_drafts(TODAY) if d.user_id != ap2.pk]
    staff += [d for d in _user_drafts(date(2026, 11, 13)) if d.user_id == ap2.pk]
    insured = [d for d in _insured_drafts(TODAY) if d.to == "p25@example.invalid"]
    kinds = {d.key.split(":")[0] for d in staff + insured}
    assert kinds == {"digest", "item", "reminder"}, kinds  # not vacuous
    for draft in staff + insured:
        text = f"{draft.subject}\n{draft.body}"
        assert OLD_ENGLISH.findall(text) == [], text
        assert english_of(text, "worklists", language) == [], text
    # The scan finds the old English words (so the checks above can fail).
    assert OLD_ENGLISH.findall("TNW worklist 2026-11-24: 1 overdue") == [
        "worklist", "2026-11-24", "overdue",
    ]  # fmt: skip
