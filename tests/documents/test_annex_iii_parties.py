"""The consent form (Annex III) names the third parties the person's consent covers on the day
it is issued, with the purposes (circular II 2.2.1, IV 4.2; tnw.thirdparties), in the form's
language. Read back from the PDF with pdftotext, as a reader of the form would see it."""

from __future__ import annotations

import os
import pathlib
from datetime import date

import pytest

from tests.conftest import TODAY
from tests.documents.test_coordinator_copy import pdftotext
from tnw.audit.models import AuditEntry
from tnw.documents import services
from tnw.thirdparties import services as thirdparties
from tnw.thirdparties.models import Party

# The regional service's name in each language, the kind and the purposes as the form says them.
VDAB = {"nl": "VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)",
        "fr": "VDAB (Office flamand de l'emploi et de la formation professionnelle)",
        "de": "VDAB (Flämisches Amt für Arbeitsvermittlung und Berufsausbildung)",
        "en": "VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)"}  # fmt: skip
GUIDANCE = {"nl": "begeleiding, opleiding of zoeken naar werk",
            "fr": "accompagnement, formation ou recherche d'emploi",
            "de": "Begleitung, Ausbildung oder Arbeitssuche",
            "en": "guidance, training or job search"}  # fmt: skip
PLAN = {"nl": "opmaak en opvolging van het re-integratieplan",
        "fr": "établissement et suivi du plan de réintégration",
        "de": "Erstellung und Nachverfolgung des Wiedereingliederungsplans",
        "en": "drawing up and following up the re-integration plan"}  # fmt: skip
HEADING = {"nl": "Partijen met wie de coördinator contact mag opnemen",
           "fr": "Parties que le coordinateur peut contacter",
           "de": "Parteien, mit denen der Koordinator Kontakt aufnehmen darf",
           "en": "Parties the coordinator may contact"}  # fmt: skip
NONE_YET = {"nl": "Er is nog geen partij genoemd", "fr": "Aucune partie n'est encore désignée",
            "de": "Noch ist keine Partei genannt", "en": "No party is named yet"}  # fmt: skip


def _consent(coordinator, episode, party, purposes, on):
    return thirdparties.give_consent(
        user=coordinator, episode_id=episode.pk, party_id=party.pk, purposes=purposes,
        given_on=on, form_reference="ANNEX-III-0042", today=TODAY,
    )  # fmt: skip


@pytest.fixture
def parties(consented_episode, coordinator):
    """VDAB for guidance (in force), the treating physician for the plan (in force), the
    employer (withdrawn before the form is issued)."""
    vdab = Party.objects.get(kind="regional_service", name__startswith="VDAB")
    episode = consented_episode
    doctor = thirdparties.add_personal_party(
        user=coordinator, episode_id=episode.pk, kind="treating_physician", name="Dr. An Verbeke"
    )
    employer = thirdparties.add_personal_party(
        user=coordinator, episode_id=episode.pk, kind="employer", name="Drukkerij Van Hoof"
    )
    _consent(coordinator, episode, vdab, ["guidance"], date(2026, 10, 1))
    _consent(coordinator, episode, doctor, ["plan"], date(2026, 10, 2))
    withdrawn = _consent(coordinator, episode, employer, ["work_adaptation"], date(2026, 10, 3))
    thirdparties.withdraw_consent(
        user=coordinator, episode_id=episode.pk, consent_id=withdrawn.pk, on=date(2026, 11, 1),
        today=TODAY,
    )  # fmt: skip
    return episode


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_consent_form_names_the_consented_parties(parties, coordinator, language):
    document = services.issue(user=coordinator, episode_id=parties.pk, kind="annex_iii",
                              language=language, today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    if os.environ.get("TNW_DOCUMENTS_OUT"):  # to look at them: pdftoppm -png
        out = pathlib.Path(os.environ["TNW_DOCUMENTS_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        (out / f"annex_iii_parties.{language}.pdf").write_bytes(bytes(document.pdf))
    assert HEADING[language] in text
    assert f"{VDAB[language]}" in text and GUIDANCE[language] in text
    assert "Dr. An Verbeke" in text and PLAN[language] in text
    assert "01/10/2026" in text and "02/10/2026" in text  # since when
    # The withdrawn consent is not named, and neither is "no party yet".
    assert "Van Hoof" not in text and NONE_YET[language] not in text
    assert [p["name"] for p in document.facts["third_parties"]] == [
        VDAB["nl"], "Dr. An Verbeke",
    ]  # fmt: skip


def test_before_any_party_the_form_says_none_is_named(consented_episode, coordinator):
    document = services.issue(user=coordinator, episode_id=consented_episode.pk,
                              kind="annex_iii", language="nl", today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    assert NONE_YET["nl"] in text and "VDAB" not in text
    assert document.facts["third_parties"] == []


def test_a_form_issued_before_a_consent_does_not_name_it(parties, coordinator):
    """The parties are those in force on the day of the form: VDAB from 1/10 only."""
    document = services.issue(user=coordinator, episode_id=parties.pk, kind="annex_iii",
                              language="en", today=date(2026, 10, 1))  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    assert "VDAB" in text and "Verbeke" not in text and "Van Hoof" not in text


def test_the_read_of_the_parties_is_audited(parties, coordinator):
    before = AuditEntry.objects.filter(changes__read="consented third parties").count()
    services.issue(user=coordinator, episode_id=parties.pk, kind="annex_iii", language="fr",
                   today=TODAY)  # fmt: skip
    read = AuditEntry.objects.filter(changes__read="consented third parties")
    assert read.count() == before + 1
    assert read.last().person_id == parties.person_id


def test_the_render_command_names_them_too(parties, tmp_path):
    """`tnw documents render annex_iii` (no user): the same parties, the read audited under the
    command's channel."""
    from django.core.management import call_command

    out = tmp_path / "annex.pdf"
    call_command(
        "documents", "render", "annex_iii", "--episode", str(parties.pk), "--language", "de",
        "--output", str(out), "--today", TODAY.isoformat(),
    )  # fmt: skip
    text = pdftotext(out.read_bytes())
    assert VDAB["de"] in text and GUIDANCE["de"] in text and "Dr. An Verbeke" in text
    assert "Van Hoof" not in text
    read = AuditEntry.objects.filter(changes__read="consented third parties").last()
    assert read.actor_id is None and read.channel == "command:documents:2026-11-24"


def test_the_dossier_copy_names_the_parties_and_who_received_data(parties, coordinator):
    """The person's copy of the dossier (GDPR art. 15.1.c: the recipients) names the consents
    in force and every consultation: date, party, purpose, what was shared; never the note."""
    vdab = Party.objects.get(kind="regional_service", name__startswith="VDAB")
    thirdparties.register_consultation(
        user=coordinator, episode_id=parties.pk, party_id=vdab.pk, on=date(2026, 10, 15),
        mode="phone", purpose="guidance", shared=("identity", "career"),
        note="private remark of the coordinator", today=TODAY,
    )  # fmt: skip
    document = services.issue(user=coordinator, episode_id=parties.pk, kind="dossier_copy",
                              language="nl", today=TODAY)  # fmt: skip
    text = pdftotext(bytes(document.pdf))
    assert "U gaf toestemming dat de coördinator contact opneemt met:" in text
    assert "Dr. An Verbeke (behandelend arts)" in text
    assert "Wie gegevens uit uw dossier ontving:" in text
    assert (f"15/10/2026 {VDAB['nl']}: {GUIDANCE['nl']} (identiteits- en contactgegevens; "
            "loopbaangegevens)") in text  # fmt: skip
    assert "private remark" not in text
