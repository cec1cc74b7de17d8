"""In real headless Chromium, with Chrome's virtual authenticator (CDP `WebAuthn.enable` and
`WebAuthn.addVirtualAuthenticator`, a CTAP2 key on USB that the browser itself drives): a
physician sets up a security key at the first log-in, confirms the next log-in with it (the
signature counter moves on), and sees, renames and cannot remove their only key. The pages'
own script (security/webauthn.js) runs the ceremonies; nothing is faked on the server side.
Screenshots in var/screenshots/ (webauthn-*)."""

from __future__ import annotations

import pytest

from tnw.audit.models import AuditEntry
from tnw.security.models import SecurityKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def otp_on(settings):
    settings.TNW_REQUIRE_OTP = True


def virtual_key(screen) -> str:
    cdp = screen.page.context.new_cdp_session(screen.page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }})  # fmt: skip
    screen.cdp = cdp
    return added["authenticatorId"]


def on_localhost(screen) -> None:
    # Browsers refuse WebAuthn for an IP address as relying party: use the name localhost.
    screen.base = screen.base.replace("127.0.0.1", "localhost")


def test_a_physician_sets_up_and_uses_a_security_key(open_screen, physician):
    s = open_screen(locale="en-GB")
    on_localhost(s)
    authenticator = virtual_key(s)
    s.login(physician.username)
    assert "/security/second-factor/set-up/" in s.page.url
    s.page.fill("#id_key_name", "virtual key")
    s.shot("webauthn-setup")
    s.page.click("form[data-webauthn=create] button[type=submit]")
    s.page.wait_for_selector("ul.codes")
    assert len(s.page.query_selector_all("ul.codes li")) == 10
    s.shot("webauthn-recovery-codes")
    key = SecurityKey.objects.get(user=physician)
    assert key.name == "virtual key"
    (credential,) = s.cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
        "credentials"
    ]
    assert credential["credentialId"].rstrip("=").replace("+", "-").replace("/", "_") == (
        key.credential_id
    )

    # Log out, log in again: the key confirms the log-in.
    s.go("/")
    s.page.click("form[action='/logout/'] button")
    s.page.wait_for_load_state()
    s.login(physician.username)
    assert "/security/second-factor/" in s.page.url
    s.shot("webauthn-verify")
    s.page.click("form[data-webauthn=get] button[type=submit]")
    s.page.wait_for_url(s.base + "/")
    key.refresh_from_db()
    assert key.sign_count >= 1 and key.last_used_at is not None
    assert AuditEntry.objects.filter(action="login", changes__method="security key").count() == 1

    # The management page: rename; the only second factor is not removed.
    s.go("/security/keys/")
    assert "virtual key" in s.text()
    s.page.fill("form[action$='/rename/'] input[name=name]", "USB key")
    s.page.click("form[action$='/rename/'] button")
    s.page.wait_for_load_state()
    s.page.click("form[action$='/remove/'] button")
    s.page.wait_for_load_state()
    assert "only second factor" in s.text()
    s.shot("webauthn-keys")
    assert list(SecurityKey.objects.values_list("name", flat=True)) == ["USB key"]


def test_a_cancelled_ceremony_says_so_in_the_users_language(open_screen, physician):
    """No authenticator answers (the virtual one is gone): the page says so, in Dutch."""
    s = open_screen(locale="nl-BE")
    on_localhost(s)
    authenticator = virtual_key(s)
    s.login(physician.username)
    s.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
    s.page.fill("#id_key_name", "sleutel")
    s.page.evaluate("document.querySelector('form[data-webauthn=create]')"
                    ".dataset.options = document.querySelector('form[data-webauthn=create]')"
                    ".dataset.options.replace('120000', '1500')")  # fmt: skip
    s.page.click("form[data-webauthn=create] button[type=submit]")
    status = s.page.wait_for_selector("[data-webauthn-status]:not([hidden])", timeout=15000)
    assert "antwoordde niet" in status.inner_text()
    assert not SecurityKey.objects.exists()
