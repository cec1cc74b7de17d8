"""Log-in as a health system needs (issue 18, findings 3, 10 and 12): lockout after 10 wrong
passwords, a second factor for the roles with personal data, password rules, self-service
password change, idle and absolute session limits, sessions ended on deactivation."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tnw.audit.models import AuditEntry
from tnw.security import sessions

pytestmark = pytest.mark.django_db

PASSWORD = "test-password"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read English messages
    return client


def post_login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_account(client, users):
    for _ in range(10):
        assert post_login(client, "coordinator", "wrong").status_code in (200, 429)
    # The right password, from another browser.
    response = Client(headers={"accept-language": "en"}).post(
        "/login/", {"username": "coordinator", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in response.wsgi_request.session
    assert "account is locked" in response.content.decode()
    assert AuditEntry.objects.filter(action="lockout", actor_username="coordinator").exists()


def test_nine_wrong_passwords_do_not_lock(client, users):
    for _ in range(9):
        post_login(client, "coordinator", "wrong")
    assert post_login(client, "coordinator", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["a", "12345678", "password", "123456789012", "admin2026"])
def test_weak_passwords_are_refused_by_createuser(mutuality, password):
    with pytest.raises(CommandError):
        call_command("createuser", "els", "--role", "staff", "--mutuality", "203",
                     "--password", password)  # fmt: skip


def test_a_user_changes_their_own_password(client, users):
    client.force_login(users["staff"])
    short = client.post("/security/password/", {"old_password": PASSWORD,
                        "new_password1": "short", "new_password2": "short"},
                        HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert short.status_code == 200
    assert "at least 12 characters" in short.content.decode()
    new = "a-long-and-unusual-passphrase"
    done = client.post("/security/password/", {"old_password": PASSWORD,
                       "new_password1": new, "new_password2": new})  # fmt: skip
    assert done.status_code == 302
    users["staff"].refresh_from_db()
    assert users["staff"].check_password(new)
    entry = AuditEntry.objects.filter(actor_username="staff", action="update").latest("seq")
    assert entry.changes["password"] == "changed by the user"


# --- the second factor ---------------------------------------------------------------------


@pytest.fixture
def otp_on(settings):
    settings.TNW_REQUIRE_OTP = True


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_physician_sets_up_and_then_uses_the_second_factor(client, users, otp_on):
    physician = users["advising_physician"]
    assert post_login(client, physician.username, PASSWORD).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(
        "/security/second-factor/set-up/"
    )
    setup = client.get(home["Location"])
    assert b"<svg" in setup.content  # the QR code
    device = TOTPDevice.objects.get(user=physician)
    assert not device.confirmed
    wrong = client.post(home["Location"], {"token": "000000"})
    assert "not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp throttles: 1 s after one wrong code
    done = client.post(home["Location"], {"token": code_of(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/").status_code == 200

    # The next log-in asks for a code; a recovery code works once.
    again = Client(headers={"accept-language": "en"})
    post_login(again, physician.username, PASSWORD)
    assert again.get("/")["Location"].startswith("/security/second-factor/?")
    refused = again.post("/security/second-factor/", {"token": "999999"})
    assert refused.status_code == 200
    assert AuditEntry.objects.filter(action="login_fail", changes__factor="second").exists()
    time.sleep(1.1)
    assert again.post("/security/second-factor/", {"token": codes[0]}).status_code == 302
    assert again.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_the_manager_needs_no_second_factor(client, users, otp_on):
    post_login(client, "manager", PASSWORD)
    assert client.get("/").status_code == 200


def test_without_the_second_factor_no_dossier_is_reachable(client, users, otp_on, person):
    post_login(client, "coordinator", PASSWORD)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 302
    assert "/security/second-factor/" in response["Location"]


def test_the_login_page_says_when_the_second_factor_is_off(client, settings, db):
    settings.TNW_REQUIRE_OTP = False
    assert "switched off" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    settings.TNW_REQUIRE_OTP = True
    assert "switched off" not in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_admin_resets_a_second_factor_audited_and_the_user_is_told(client, users):
    physician = users["advising_physician"]
    physician.email = "arts@example.invalid"
    physician.save()
    TOTPDevice.objects.create(user=physician, name="authenticator", confirmed=True)
    client.force_login(users["admin"])
    response = client.post("/admin/accounts/user/", {"action": "reset_second_factor",
                           "_selected_action": [physician.pk]})  # fmt: skip
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=physician).exists()
    entry = AuditEntry.objects.filter(object_id=str(physician.pk), channel="admin").latest("seq")
    assert entry.changes["after"]["second_factor"] == "reset by an administrator"
    assert [m.to for m in mail.outbox] == [["arts@example.invalid"]]


# --- sessions ------------------------------------------------------------------------------


def _age(client, *, started: int, seen: int) -> None:
    session = client.session
    session[sessions.STARTED] = int(time.time()) - started
    session[sessions.SEEN] = int(time.time()) - seen
    session.save()


def test_thirty_idle_minutes_end_the_session(client, users):
    post_login(client, "coordinator", PASSWORD)
    _age(client, started=31 * 60, seen=29 * 60)
    assert client.get("/").status_code == 200
    _age(client, started=31 * 60, seen=31 * 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302


def test_twelve_hours_end_the_session_however_active(client, users):
    post_login(client, "coordinator", PASSWORD)
    _age(client, started=12 * 3600 + 60, seen=10)
    assert client.get("/")["Location"].startswith("/login/")


def test_deactivation_and_role_change_end_every_session(users, django_capture_on_commit_callbacks):
    coordinator, staff = users["coordinator"], users["staff"]
    browsers = [Client(), Client()]
    post_login(browsers[0], coordinator.username, PASSWORD)
    post_login(browsers[1], staff.username, PASSWORD)
    assert Session.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.is_active = False
        coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.is_active = True  # reactivated: the old session does not come back
        coordinator.save()
    assert browsers[0].get("/").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        staff.role = "manager"
        staff.save()
    assert browsers[1].get("/").status_code == 302
    assert Session.objects.count() == 0


def test_the_demo_password_exists_only_with_the_demo_settings(settings, db):
    """`tnw demo` created `admin` with the public password in any settings (finding 12)."""
    from tnw.accounts.models import User
    from tnw.settings import base, dev

    assert (base.TNW_DEMO_ALLOWED, dev.TNW_DEMO_ALLOWED) == (False, True)  # prod: base's
    settings.TNW_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="only with the demo settings"):
        call_command("demo", "--people", "1", "--today", "2026-11-24")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.parametrize("password", ["12345678", "password"])
def test_the_admin_cannot_set_a_weak_password_either(client, users, password):
    staff = users["staff"]
    client.force_login(users["admin"])
    response = client.post(f"/admin/accounts/user/{staff.pk}/password/",
                           {"password1": password, "password2": password,
                            "usable_password": "true"}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 200
    assert "This password is too" in response.content.decode()  # short, common
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
