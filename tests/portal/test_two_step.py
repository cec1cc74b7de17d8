"""The optional second step at log-in (issue 14: "with optional TOTP"): a person adds an
authenticator app with one code; from then on a password log-in asks for the app's code
before any page of the dossier; a log-in through the federal service (OIDC) does not."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.portal.conftest import PORTAL_PASSWORD
from tnw.audit.models import AuditEntry
from tnw.portal.second_factor import STRONG_LOGIN

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice, steps_later: int = 0) -> str:
    """The app's code now, or `steps_later` time steps on (a code is accepted once: the log-in
    after the set-up within the same 30 seconds uses the next step's, within the tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() + steps_later * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client, person) -> None:
    response = client.post(reverse("portal:login"),
                           {"username": person.insz, "password": PORTAL_PASSWORD})  # fmt: skip
    assert response.status_code == 302


@pytest.fixture
def with_app(portal_client, insured):
    """Jan added an authenticator app (scanned the key, confirmed one code)."""
    assert portal_client.get(reverse("portal:two_step")).status_code == 200
    device = TOTPDevice.objects.get(user=insured, confirmed=False)
    response = portal_client.post(reverse("portal:two_step"), {"token": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    portal_client.logout()
    return device


def test_without_an_app_the_password_is_enough(client, insured, person):
    log_in(client, person)
    assert client.get(reverse("portal:home")).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_does_not_confirm_the_app(portal_client, insured):
    portal_client.get(reverse("portal:two_step"))
    response = portal_client.post(reverse("portal:two_step"), {"token": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_with_an_app_every_page_waits_for_the_code(client, with_app, person, episode):
    log_in(client, person)
    for url in (reverse("portal:home"), reverse("portal:letters"),
                reverse("portal:questionnaire", args=[episode.pk])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('portal:verify')}?next={url}"
    wrong = client.post(reverse("portal:verify"), {"token": "12345a", "next": "/portal/"})
    assert wrong.status_code == 200 and client.get(reverse("portal:home")).status_code == 302
    right = client.post(reverse("portal:verify"),
                        {"token": code_of(with_app, 1), "next": "/portal/letters/"})  # fmt: skip
    assert right["Location"] == "/portal/letters/"
    assert client.get(reverse("portal:home")).status_code == 200
    actions = AuditEntry.objects.filter(changes__factor="second").values_list("action", flat=True)
    assert sorted(actions) == ["login"]  # "12345a" is not a code at all: refused by the form


def test_a_wrong_code_is_refused_and_audited(client, with_app, person):
    log_in(client, person)
    response = client.post(reverse("portal:verify"), {"token": "000000", "next": "/portal/"})
    assert response.status_code == 200
    assert client.get(reverse("portal:home")).status_code == 302
    assert AuditEntry.objects.filter(action="login_fail", changes__factor="second").exists()


def test_the_next_address_stays_on_this_site(client, with_app, person):
    log_in(client, person)
    later = code_of(with_app, 1)
    response = client.post(reverse("portal:verify"),
                           {"token": later, "next": "https://evil.example/"})  # fmt: skip
    assert response["Location"] == "/portal/"


def test_a_strong_federal_log_in_needs_no_code(client, with_app, insured):
    client.force_login(insured)
    session = client.session
    session[STRONG_LOGIN] = True
    session.save()
    assert client.get(reverse("portal:home")).status_code == 200


def test_turning_the_app_off_needs_the_password(client, with_app, person):
    log_in(client, person)
    client.post(reverse("portal:verify"), {"token": code_of(with_app, 1), "next": "/portal/"})
    client.post(reverse("portal:two_step"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(confirmed=True).exists()
    client.post(reverse("portal:two_step"), {"password": PORTAL_PASSWORD})
    assert not TOTPDevice.objects.exists()
    client.logout()
    log_in(client, person)
    assert client.get(reverse("portal:home")).status_code == 200
