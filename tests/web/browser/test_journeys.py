"""The main journeys in real headless Chromium, in Dutch and French.

Run with `bash scripts/pytest.sh sqlite tests/web` (or postgres). Screenshots of the key pages
are written to var/screenshots/ (gitignored).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import open_episode, register
from tnw.dossier.models import HealthRecord, Obligation, PlanVersion, Registration
from tnw.dossier.services import record_health

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"nl": "nl-BE", "fr": "fr-BE"}
T = {
    "nl": {
        "login": "Aanmelden",
        "worklist": "Mijn werklijst",
        "first_contact": "Eerste contactmoment",
        "registered": "Geregistreerd:",
        "plan": "Versie 1 van 20/10/2026",
        "first_follow_up": "Eerste opvolggesprek",
        "done": "gedaan",
        "before_start": "Deze datum ligt vóór het begin van de arbeidsongeschiktheid.",
        "not_registered": "Niet geregistreerd",
    },
    "fr": {
        "login": "Se connecter",
        "worklist": "Ma liste de travail",
        "first_contact": "Premier moment de contact",
        "registered": "Enregistré\u00a0:",
        "plan": "Version 1 du 20/10/2026",
        "first_follow_up": "Premier entretien de suivi",
        "done": "fait",
        "before_start": "Cette date précède le début de l'incapacité de travail.",
        "not_registered": "Pas enregistré",
    },
}


def _radio_values(screen, name: str) -> list[str]:
    return screen.page.eval_on_selector_all(
        f"input[type=radio][name={name}]", "nodes => nodes.map(n => n.value)"
    )


@pytest.fixture
def referred(referred_episode):
    """The routing-A dossier up to the referral (tests/web/conftest.py)."""
    return referred_episode


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_coordinator_routing_a_from_referral_to_plan_and_first_follow_up(
    language, referred, open_screen
):
    t = T[language]
    s = open_screen(LOCALES[language])
    s.go("/login/")
    assert t["login"] in s.text()
    s.shot(f"01-login-{language}")
    s.login("coordinator")

    # The worklist: the first contact after the referral, due by the end of month 6.
    assert t["worklist"] in s.text()
    row = s.page.locator("table.worklist tr", has_text="Peeters Jan")
    assert t["first_contact"] in row.inner_text()
    assert "30/11/2026" in row.inner_text()
    s.shot(f"02-worklist-coordinator-{language}")

    row.get_by_role("link").click()
    s.page.wait_for_load_state()
    assert "85.07.30-033.28" in s.text()
    s.shot(f"03-dossier-referred-{language}")

    s.page.click(f"a[href='/episodes/{referred.pk}/register/']")
    s.page.wait_for_load_state()
    s.shot(f"04-register-menu-{language}")
    s.page.click(f"a.menu-link[href='/episodes/{referred.pk}/register/first_contact/']")
    s.page.wait_for_load_state()

    # Only what the law allows for a first contact: physical or video.
    assert _radio_values(s, "mode") == ["physical", "video"]
    s.fill({"date": "01/10/2026", "mode": "video", "consent": "yes", "outcome": "ziv",
            "form_reference": "ANNEX-III-0042"})  # fmt: skip
    s.shot(f"05-first-contact-form-{language}")
    s.submit()
    assert t["registered"] in s.text()

    # ZIV start: without an employment contract only situation A fits.
    s.register(referred.pk, "ziv_started", {})
    assert _radio_values(s, "situation") == ["A"]
    s.fill({"date": "10/10/2026", "situation": "A", "engagement_signed": True,
            "form_reference": "ANNEX-IV-0042"})  # fmt: skip
    s.submit()
    assert t["registered"] in s.text()

    # The plan, with its legal minimum.
    s.register(
        referred.pk,
        "plan_drawn_up",
        {"date": "20/10/2026", "objectives": "stage in een ziekenhuis\ngeheugentraining",
         "end_result": "administratief bediende, halftijds",
         "action_1": "opleiding bij de regionale dienst", "action_by_1": "regional_service",
         "next_appointment": "05/11/2026"},
    )  # fmt: skip
    s.shot(f"06-plan-form-{language}")
    s.submit()
    assert t["plan"] in s.text()
    assert "20/10/2026 – 19/04/2027" in s.text()  # the ZIV presumption, 6 months

    # The first follow-up meeting (phone is allowed for a follow-up meeting).
    s.register(referred.pk, "follow_up_meeting", {})
    assert _radio_values(s, "mode") == ["physical", "video", "phone"]
    s.fill({"date": "05/11/2026", "mode": "phone"})
    s.submit()
    done = s.page.locator("li.tl-done", has_text=t["first_follow_up"])
    assert done.count() == 1
    assert t["done"] in done.inner_text()
    s.shot(f"07-dossier-ziv-plan-{language}")

    types = list(
        Registration.objects.filter(episode=referred)
        .order_by("position")
        .values_list("type", flat=True)
    )
    assert types[-4:] == ["first_contact", "ziv_started", "plan_drawn_up", "follow_up_meeting"]
    assert str(PlanVersion.objects.get(episode=referred).next_appointment) == "2026-11-05"
    follow_up = Obligation.objects.get(episode=referred, code="first_follow_up_meeting")
    assert (follow_up.state, follow_up.done_on) == ("done", date(2026, 11, 5))


def test_physician_categorises_a_person_and_refers(coordinator, physician, person, open_screen):
    episode = open_episode(
        coordinator, person, date(2026, 8, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "questionnaire_sent", date(2026, 10, 10))
    register(physician, episode, "questionnaire_received", date(2026, 10, 20), complete=True)
    s = open_screen("nl-BE")
    s.login("advising_physician")
    row = s.page.locator("table.worklist tr", has_text="Peeters Jan")
    assert "Eerste inschatting van de restcapaciteiten" in row.inner_text()
    assert "30/11/2026" in row.inner_text()
    s.shot("08-worklist-physician-nl")

    s.register(episode.pk, "capacity_assessed", {"date": "24/11/2026", "category": "4",
                                                 "medical_exam": "no"})  # fmt: skip
    s.shot("09-categorise-form-nl")
    s.submit()
    assert "4: terugkeer mogelijk met aanpassings- en/of begeleidingsacties" in s.text()
    refer = s.page.locator("li.tl-open", has_text="Doorverwijzen naar de TNW-coördinator")
    assert refer.count() == 1
    s.register(episode.pk, "referred_to_coordinator", {"date": "24/11/2026"})
    s.submit()
    s.shot("10-dossier-physician-categorised-nl")
    assessed = Registration.objects.get(episode=episode, type="capacity_assessed")
    assert assessed.data == {"category": 4, "medical_exam": False}
    assert Obligation.objects.get(episode=episode, code="first_contact").actor == "coordinator"


def test_routing_b_refused_permission_and_the_refusal_contact(
    coordinator, physician, person, open_screen
):
    episode = open_episode(
        coordinator, person, date(2026, 6, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    s = open_screen("nl-BE")
    s.login("coordinator")
    s.register(episode.pk, "spontaneous_request", {"date": "01/09/2026"})
    s.submit()
    s.register(episode.pk, "first_contact", {"date": "15/09/2026", "mode": "physical",
                                             "consent": "yes", "outcome": "ziv",
                                             "form_reference": "ANNEX-III-0007"})  # fmt: skip
    s.submit()
    s.register(episode.pk, "permission_requested", {"date": "16/09/2026"})
    s.submit()

    # The advising physician refuses, in French.
    doctor = open_screen("fr-BE")
    doctor.login("advising_physician")
    doctor.register(episode.pk, "permission_decided", {"date": "20/09/2026", "granted": "no"})
    assert "Décision sur l'autorisation" in doctor.text()
    doctor.submit()
    assert "Enregistré\u00a0: Décision sur l'autorisation." in doctor.text()

    # Without permission, no ZIV trajectory: the service refuses and says why.
    s.register(episode.pk, "ziv_started", {"date": "25/09/2026", "situation": "A",
                                           "engagement_signed": True,
                                           "form_reference": "ANNEX-IV-0007"})  # fmt: skip
    s.submit()
    errors = s.page.inner_text("#form-errors")
    assert "In routing B vraagt een ZIV-traject de toestemming van de adviserend arts." in errors
    assert "[ziv_without_permission]" not in errors  # the code: a tooltip only
    assert s.page.get_attribute("#form-errors p[title]", "title") == "ziv_without_permission"

    # The refusal must be discussed within a month of the last contact: now overdue.
    s.go(f"/people/{episode.person_id}/")
    refusal = s.page.locator("li.tl-overdue", has_text="Negatieve beslissing bespreken")
    assert refusal.count() == 1
    assert "15/10/2026" in refusal.inner_text()
    s.shot("11-routing-b-refusal-overdue-nl")

    s.register(episode.pk, "contact", {}, purpose="refusal_discussion")
    assert _radio_values(s, "mode") == ["physical", "video"]
    s.fill({"date": "24/11/2026", "mode": "video"})
    s.submit()
    done = s.page.locator("li.tl-done", has_text="Negatieve beslissing bespreken")
    assert done.count() == 1
    assert "te laat" in done.inner_text()
    s.shot("12-routing-b-refusal-contact-done-nl")
    assert not Registration.objects.filter(episode=episode, type="ziv_started").exists()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_refused_registration_shows_its_message_next_to_the_field(
    language, referred, open_screen
):
    t = T[language]
    s = open_screen(LOCALES[language])
    s.login("coordinator")
    s.register(referred.pk, "first_contact", {"date": "15/05/2026", "mode": "physical",
                                              "consent": "yes", "outcome": "ziv"})  # fmt: skip
    s.submit()
    assert t["not_registered"] in s.page.inner_text("#form-errors")
    error = s.page.inner_text("#field-date .field-error")
    assert t["before_start"] in error
    assert "[event_before_incapacity]" not in error  # the code: a tooltip only
    assert s.page.get_attribute("#field-date .field-error p", "title") == "event_before_incapacity"
    assert s.page.input_value("[name=date]") == "15/05/2026"  # what was typed stays
    s.shot(f"13-refused-registration-{language}")
    assert not Registration.objects.filter(episode=referred, type="first_contact").exists()


def test_a_coordinator_cannot_see_medical_details(referred, physician, open_screen):
    record_health(
        user=physician, episode_id=referred.pk, kind="diagnosis", text="lumbale hernia L5-S1",
        recorded_on=date(2026, 9, 15),
    )  # fmt: skip
    assert HealthRecord.objects.count() == 1
    doctor = open_screen("nl-BE")
    doctor.login("advising_physician")
    doctor.go(f"/people/{referred.person_id}/")
    assert "lumbale hernia L5-S1" in doctor.text()
    assert "4: terugkeer mogelijk" in doctor.text()
    doctor.shot("14-dossier-physician-medical-nl")

    s = open_screen("nl-BE")
    s.login("coordinator")
    s.go(f"/people/{referred.person_id}/")
    text = s.text()
    assert "lumbale hernia" not in text
    assert "4: terugkeer mogelijk" not in text
    assert "afgeschermd: medisch geheim (alleen de adviserend arts)" in text
    assert s.page.locator(f"a[href='/episodes/{referred.pk}/health/new/']").count() == 0
    s.shot("15-dossier-coordinator-restricted-nl")
    s.go(f"/episodes/{referred.pk}/health/new/")
    assert "Geen toegang" in s.text()
    s.shot("16-no-access-nl")


def test_switching_language_is_remembered_for_the_user(referred, open_screen):
    s = open_screen("fr-BE")
    s.go("/login/")
    assert "Se connecter" in s.text()
    s.switch_language("nl")
    assert "Aanmelden" in s.text()
    s.login("coordinator")
    assert "Mijn werklijst" in s.text()
    s.switch_language("de")
    assert "Meine Arbeitsliste" in s.text()
    assert s.page.get_attribute("html", "lang") == "de"
    s.shot("17-worklist-de")
    s.page.click("header form button.btn-quiet")  # log out
    s.page.wait_for_load_state()

    again = open_screen("fr-BE")  # another browser, asking for French
    again.login("coordinator")
    assert "Meine Arbeitsliste" in again.text()
    again.switch_language("fr")
    assert "Ma liste de travail" in again.text()


def test_the_dossier_fits_a_tablet(referred, open_screen):
    s = open_screen("nl-BE", width=820, height=1180)
    s.login("coordinator")
    for path in ("/", f"/people/{referred.person_id}/", f"/episodes/{referred.pk}/register/"):
        s.go(path)
        overflow = s.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    s.go(f"/people/{referred.person_id}/")
    s.shot("18-dossier-tablet-nl")


def test_keyboard_focus_is_visible(referred, open_screen):
    s = open_screen("nl-BE")
    s.login("coordinator")
    s.page.keyboard.press("Tab")
    focused = s.page.evaluate("document.activeElement.className")
    assert "skip" in focused  # the skip link comes first
    outline = s.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_search_and_the_other_roles(referred, users, open_screen):
    s = open_screen("nl-BE")
    s.login("coordinator")
    s.page.fill("#id_q", "Peet")
    s.page.click("form[role=search] button")
    s.page.wait_for_load_state()
    assert "1 persoon gevonden" in s.text()
    s.shot("19-search-nl")
    s.page.fill("#id_q", "850730 033 28")
    s.page.click("form[role=search] button")
    s.page.wait_for_load_state()
    assert s.page.url.endswith(f"/people/{referred.person_id}/")

    staff = open_screen("fr-BE")
    staff.login("staff")
    assert "Ma liste de travail" in staff.text()
    staff.go(f"/people/{referred.person_id}/")
    assert "Questionnaire reçu" in staff.text()
    assert "Estimation des capacités restantes" not in staff.text()  # no health data at all
    assert "Trajets et présomption" not in staff.text()
    staff.shot("20-dossier-staff-fr")

    manager = open_screen("nl-BE")
    manager.login("manager")
    assert "Werklijsten van het team" in manager.text()
    assert "Peeters" not in manager.text()
    manager.shot("21-home-manager-nl")
    manager.go(f"/people/{referred.person_id}/")
    assert "Geen toegang" in manager.text()
