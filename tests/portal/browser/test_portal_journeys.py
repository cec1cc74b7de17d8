"""The portal in real Chromium on a phone-sized window, in Dutch and French: activate an
account with the letter's code, save a draft questionnaire and submit it, ask for a
trajectory, give consent. Every page is checked with axe-core (0 serious or critical WCAG
violations). Screenshots: var/screenshots/portal-*.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TODAY, make_insz, open_episode, register
from tests.portal.conftest import PORTAL_PASSWORD
from tnw.dossier import portal
from tnw.dossier.models import Consent, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (
    Path(__file__).resolve().parents[3]
    / "var"
    / "node"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
PHONE = {"width": 390, "height": 844}
SERIOUS = """async () => (await axe.run(document,
    {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))
  .violations.filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
T = {
    "nl": {"activate": "Activeren", "save": "Opslaan en later verdergaan",
           "send": "Versturen naar mijn ziekenfonds", "saved": "Uw antwoorden zijn opgeslagen",
           "thanks": "Uw vragenlijst is naar uw ziekenfonds gestuurd",
           "consent": "Mijn toestemming geven", "sign": "Ondertekenen: ik geef mijn toestemming",
           "ask": "Hulp vragen om weer aan het werk te gaan", "yes": "Ja, ik vraag een traject",
           "read_sign": "Lezen en ondertekenen",
           "agree": "Ondertekenen: ik ga akkoord met dit document",
           "signed": "U hebt het document ondertekend"},
    "fr": {"activate": "Activer", "save": "Enregistrer et continuer plus tard",
           "send": "Envoyer à ma mutualité", "saved": "Vos réponses sont enregistrées",
           "thanks": "Votre questionnaire a été envoyé à votre mutualité",
           "consent": "Donner mon consentement", "sign": "Signer : je donne mon consentement",
           "ask": "Demander de l'aide pour reprendre le travail",
           "yes": "Oui, je demande un trajet", "read_sign": "Lire et signer",
           "agree": "Signer : je suis d'accord avec ce document",
           "signed": "Vous avez signé le document"},
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_day(settings):
    settings.TNW_TODAY = TODAY.isoformat()


def check_accessible(screen) -> None:
    screen.page.add_script_tag(path=str(AXE))
    assert screen.page.evaluate(SERIOUS) == []


def phone(open_screen, language: str):
    # axe-core is injected as a script: the test context bypasses the CSP for it only.
    screen = open_screen(locale={"nl": "nl-BE", "fr": "fr-BE"}[language], bypass_csp=True, **PHONE)
    return screen


def activate_in_browser(screen, insz: str, code: str, language: str) -> None:
    screen.go("/portal/activate/")
    check_accessible(screen)
    screen.fill({"insz": insz, "code": code, "password1": PORTAL_PASSWORD,
                 "password2": PORTAL_PASSWORD})  # fmt: skip
    screen.page.click(f"button:has-text('{T[language]['activate']}')")
    screen.page.wait_for_load_state()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_activate_fill_in_and_submit_the_questionnaire(
    open_screen, coordinator, physician, person, episode, language
):
    register(physician, episode, "questionnaire_sent", date(2026, 11, 20))
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    screen = phone(open_screen, language)
    activate_in_browser(screen, "85.07.30-033.28", code, language)
    assert screen.page.url.endswith("/portal/")
    check_accessible(screen)
    screen.shot(f"portal-home-{language}")
    screen.go(f"/portal/episodes/{episode.pk}/questionnaire/")
    check_accessible(screen)
    screen.fill({"health_now": "worse", "career": "Magazijnier 2010-2026"})
    screen.page.click(f"button:has-text('{T[language]['save']}')")
    screen.page.wait_for_load_state()
    assert T[language]["saved"] in screen.text()
    screen.go(f"/portal/episodes/{episode.pk}/questionnaire/")
    assert screen.page.is_checked("input[name=health_now][value=worse]")
    screen.fill({"has_employer": "no", "relations_at_work": "none", "chances_of_return": "later",
                 "expected_workload": "other", "education": "secondary"})  # fmt: skip
    screen.shot(f"portal-questionnaire-{language}")
    screen.page.click(f"button:has-text('{T[language]['send']}')")
    screen.page.wait_for_load_state()
    assert T[language]["thanks"] in screen.text()
    received = Registration.objects.get(episode=episode, type="questionnaire_received")
    assert received.date == TODAY and received.data["complete"] is True


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_ask_for_a_trajectory_and_give_consent(open_screen, coordinator, physician, language):
    from tnw.dossier.services import create_person

    person = create_person(
        user=coordinator, insz=make_insz(11), first_name="Lea", last_name="Martin",
        language=language,
    )  # fmt: skip
    episode = open_episode(
        coordinator, person, date(2026, 8, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    screen = phone(open_screen, language)
    activate_in_browser(screen, person.insz, code, language)
    screen.page.click(f"text={T[language]['ask']}")
    screen.page.wait_for_load_state()
    check_accessible(screen)
    screen.page.click(f"button:has-text('{T[language]['yes']}')")
    screen.page.wait_for_load_state()
    assert Registration.objects.filter(episode=episode, type="spontaneous_request").exists()
    screen.shot(f"portal-after-request-{language}")
    screen.page.click(f"text={T[language]['consent']}")
    screen.page.wait_for_load_state()
    check_accessible(screen)
    screen.fill({"password": PORTAL_PASSWORD})
    screen.page.click(f"button:has-text('{T[language]['sign']}')")
    screen.page.wait_for_load_state()
    assert Consent.objects.get(episode=episode).kind == "given"
    check_accessible(screen)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_read_and_sign_the_engagement_declaration(
    open_screen, coordinator, physician, consented_episode, person, language
):
    from tnw.documents import services
    from tnw.documents.models import Signature

    annex = services.issue(user=coordinator, episode_id=consented_episode.pk, kind="annex_iv",
                           language=language, today=TODAY)  # fmt: skip
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    screen = phone(open_screen, language)
    activate_in_browser(screen, person.insz, code, language)
    screen.page.click(f"text={T[language]['read_sign']}")
    screen.page.wait_for_load_state()
    check_accessible(screen)
    assert screen.page.locator(f"a[href='/portal/letters/{annex.pk}/pdf/']").count() == 1
    screen.shot(f"portal-sign-{language}")
    screen.fill({"password": PORTAL_PASSWORD})
    screen.page.click(f'button:has-text("{T[language]["agree"]}")')
    screen.page.wait_for_load_state()
    assert T[language]["signed"] in screen.text()
    assert Signature.objects.get(document=annex).party == "insured"
    check_accessible(screen)  # the letters page
    screen.shot(f"portal-letters-{language}")
    screen.go("/portal/preferences/")
    check_accessible(screen)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_add_an_authenticator_app_and_log_in_with_its_code(
    open_screen, coordinator, person, episode, language
):
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code(device, steps_later: int) -> str:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
        totp.time = time.time() + steps_later * device.step
        return f"{totp.token():06d}"

    words = {
        "nl": ("De code gaan gebruiken", "Afmelden", "Aanmelden"),
        "fr": ("Commencer à utiliser le code", "Se déconnecter", "Se connecter"),
    }[language]
    code_ = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    screen = phone(open_screen, language)
    activate_in_browser(screen, person.insz, code_, language)
    screen.go("/portal/two-step/")
    check_accessible(screen)
    screen.shot(f"portal-two-step-{language}")
    device = TOTPDevice.objects.get(user__username=f"insz:{person.insz}")
    screen.fill({"token": code(device, 0)})
    screen.page.click(f'button:has-text("{words[0]}")')
    screen.page.wait_for_load_state()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    screen.page.click(f'button:has-text("{words[1]}")')
    screen.page.wait_for_load_state()
    screen.fill({"username": person.insz, "password": PORTAL_PASSWORD})
    screen.page.click(f'main button:has-text("{words[2]}")')
    screen.page.wait_for_load_state()
    assert "/portal/verify/" in screen.page.url
    check_accessible(screen)
    screen.shot(f"portal-verify-{language}")
    screen.fill({"token": code(device, 1)})
    screen.page.click(f'main button:has-text("{words[2]}")')
    screen.page.wait_for_load_state()
    assert screen.page.url.endswith("/portal/")
