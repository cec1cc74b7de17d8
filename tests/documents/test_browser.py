"""In real headless Chromium: a coordinator issues an invitation and an engagement declaration
in French from the dossier page and downloads the PDF; a physician issues an Annex I in Dutch.
Screenshots in var/screenshots/ (documents-*)."""

from __future__ import annotations

import io
from datetime import date as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import TODAY, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.TNW_TODAY = TODAY


def _issue(s, title: str, language: str, fields: dict) -> None:
    s.page.click(f'section[id^=documents-] a:has-text("{title}")')
    s.page.wait_for_load_state()
    s.page.select_option("select[name=language]", language)
    s.fill(fields)
    s.submit()


@pytest.fixture
def assessed_episode(coordinator, physician):
    """Category 2 after a medical examination (Annex I), for a second person: one person
    cannot have two overlapping incapacity episodes."""
    from tests.conftest import make_insz, open_episode
    from tnw.dossier.services import create_person

    other = create_person(user=coordinator, insz=make_insz(21), first_name="Marie",
                          last_name="Claes", language="nl")  # fmt: skip
    episode = open_episode(coordinator, other, D(2026, 6, 1), coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    register(physician, episode, "questionnaire_sent", D(2026, 8, 10), today=D(2026, 8, 12))
    register(physician, episode, "questionnaire_received", D(2026, 8, 20))
    register(physician, episode, "capacity_assessed", D(2026, 9, 15), category=2,
             medical_exam=True)  # fmt: skip
    return episode


def test_coordinator_in_french_and_physician_in_dutch(open_screen, consented_episode,
                                                      assessed_episode):  # fmt: skip
    s = open_screen("fr-BE")
    s.login("coordinator")
    s.go(f"/people/{consented_episode.person_id}/#documents-{consented_episode.pk}")
    panel = f"#documents-{consented_episode.pk}"
    _issue(s, "Invitation au premier moment de contact",
           "fr", {"appointment_date": "03/12/2026", "appointment_time": "10:30",
            "place": "Kerkstraat 12, Gent"})  # fmt: skip
    assert "Le document a été établi" in s.page.inner_text("body")
    s.go(f"/people/{consented_episode.person_id}/")
    _issue(s, "Annexe IV", "fr", {})
    s.go(f"/people/{consented_episode.person_id}/")
    rows = s.page.locator(f"{panel} tbody tr")
    assert rows.count() == 2
    s.page.locator(panel).scroll_into_view_if_needed()
    s.shot("documents-panel-fr")
    with s.page.expect_download() as info:
        s.page.locator(f"{panel} tbody tr").first.locator("a:has-text('Télécharger')").click()
    pdf = Path(info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Déclaration d'engagement positive" in text and "Jan Peeters" in text

    doctor = open_screen("nl-BE")
    doctor.login("advising_physician")
    doctor.go(f"/people/{assessed_episode.person_id}/")
    doctor.page.click(f"#documents-{assessed_episode.pk} a:has-text('Bijlage I:')")
    doctor.page.wait_for_load_state()
    doctor.fill({"motivation": "Hervatting niet haalbaar binnen 6 maanden."})
    doctor.submit()
    assert "Het document is opgemaakt" in doctor.page.inner_text("body")
    doctor.shot("documents-annex-i-nl")


def test_staff_prints_the_days_letters(open_screen, coordinator, physician):
    """The menu's "Letters to print": one click downloads the day's batch and marks it sent;
    the page then offers only the reprint."""
    from tests.documents.test_daily import _people
    from tnw.worklists.daily import run_daily

    _people(coordinator, physician, emails=0, paper=2)
    run_daily(today=TODAY)
    s = open_screen("nl-BE")
    s.login("staff")
    s.page.click("nav.nav a:has-text('Brieven om af te drukken')")
    s.page.wait_for_load_state()
    s.shot("documents-print-waiting-nl")
    with s.page.expect_download() as info:
        s.page.click("button:has-text('Druk 2 brieven af')")
    pdf = Path(info.value.path()).read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 5
    s.page.reload()
    body = s.page.inner_text("body")
    assert "Reeks 1: 2 brieven" in body and "Druk 2 brieven af" not in body
    s.shot("documents-print-sent-nl")
