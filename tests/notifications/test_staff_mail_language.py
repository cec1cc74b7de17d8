"""The e-mails to staff of the coordinator register (II 2.1) and of a change of mutuality are in
the recipient's language (the one they chose for the screens; Dutch when none), with Belgian
dates and links that work from a mail client. A Dutch, French or German e-mail holds no English:
scanned with the letters' English-word check (tests/documents/test_render.ENGLISH) and for every
English sentence of the app's own catalogue, as the caseload pages are."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests.conftest import TODAY
from tests.coordinators.test_screens import team  # noqa: F401 (fixture)
from tests.documents.test_render import ENGLISH
from tnw.coordinators.daily import reminder_drafts
from tnw.notifications.models import OutboxMessage
from tnw.transfers.services import transfer
from tnw.web.models import Preference

SRC = Path(__file__).resolve().parents[2] / "src" / "tnw"
LINK = re.compile(r"^http://127\.0\.0\.1:8000/\S+$", re.M)


def english_of(text: str, app: str, language: str) -> list[str]:
    """The English in a Dutch, French or German text: common English words, and the app's own
    English sentences (the msgids whose translation differs)."""
    found = ENGLISH.findall(text)
    po = polib.pofile(str(SRC / app / "locale" / language / "LC_MESSAGES" / "django.po"))
    for entry in po:
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            first = re.split(r"%\(\w+\)[sd]", msgid)[0].strip()
            if len(first) > 12 and first != entry.msgstr[: len(first)] and first in text:
                found.append(first)
    return found


def _speaks(user, language: str) -> None:
    Preference.objects.update_or_create(user=user, defaults={"language": language})


@pytest.mark.parametrize(
    ("language", "lapsed", "exam"),
    [("nl", "kwalificatie van Lea Laps is vervallen", "RIZIV-examen Disability Management"),
     ("fr", "la qualification de Lea Laps a expiré", "l'examen Disability Management"),
     ("de", "die Qualifikation von Lea Laps ist erloschen", "Prüfung Disability Management")],
)  # fmt: skip
def test_the_register_reminders_speak_the_recipients_language(team, users, language, lapsed,  # noqa: F811
                                                              exam) -> None:  # fmt: skip
    manager = users["manager"]
    manager.email = "manager@example.org"
    manager.save()
    _speaks(manager, language)
    drafts = {d.key: d for d in reminder_drafts(TODAY)}
    mine = [d for d in drafts.values() if d.user_id == manager.pk]
    assert len(mine) == 2  # the lapsed coordinator and the one short of intervision
    for draft in mine:
        text = f"{draft.subject}\n{draft.body}"
        assert english_of(text, "coordinators", language) == [], text
        assert LINK.search(draft.body), draft.body  # absolute
    lapsed_mail = next(d for d in mine if "lapsed" in d.key)
    assert lapsed in lapsed_mail.subject
    assert "24/11/2026" in lapsed_mail.body and exam in lapsed_mail.body
    assert f"/coordinators/{team['lapsed'].pk}/" in lapsed_mail.body
    intervision = next(d for d in mine if "lapsed" not in d.key)
    assert "31/12/2026" in intervision.subject and "2026-12-31" not in intervision.body
    # The coordinator without a choice of language gets it in Dutch, the default.
    own = drafts[next(k for k in drafts if k.endswith(f":{team['lapsed'].pk}"))]
    assert "is vervallen" in own.subject and english_of(own.body, "coordinators", "nl") == []


def test_in_english_the_reminder_reads_as_before(team, users) -> None:  # noqa: F811
    manager = users["manager"]
    manager.email = "manager@example.org"
    manager.save()
    _speaks(manager, "en")
    [draft] = [d for d in reminder_drafts(TODAY) if d.user_id == manager.pk and "lapsed" in d.key]
    assert draft.subject == "TNW coordinator register: the qualification of Lea Laps has lapsed"
    assert "lapsed on 24/11/2026 (circular II 2.1): the RIZIV Disability Management exam" in (
        draft.body
    )
    # The scan finds this English in a text that should be Dutch (so the checks above can fail).
    found = english_of(f"{draft.subject}\n{draft.body}", "coordinators", "nl")
    assert "the" in [w.lower() for w in found]
    assert "TNW coordinator register: the qualification of" in found


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "verhuisd naar"), ("fr", "transféré vers"), ("de", "übertragen"),
     ("en", "moved to")],
)  # fmt: skip
def test_the_transfer_notice_speaks_the_managers_language(
    ziv_episode, coordinator, outsiders, language, words
) -> None:
    manager = outsiders["manager"]
    manager.email = "manager@other.example"
    manager.save()
    _speaks(manager, language)
    transfer(
        user=coordinator, person_id=ziv_episode.person_id, to_code="216", on=TODAY,
        reason="the person joined La Mutualité Neutre", today=TODAY,
    )  # fmt: skip
    notice = OutboxMessage.objects.get(key__startswith="transfer:")
    text = f"{notice.subject}\n{notice.body}"
    assert words in notice.subject and f"TNW-{ziv_episode.person_id}" in notice.subject
    assert "24/11/2026" in notice.body and "2026-11-24" not in notice.body
    assert "http://127.0.0.1:8000/transfers/" in notice.body
    if language != "en":
        assert english_of(text, "transfers", language) == [], text
