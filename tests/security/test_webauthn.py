"""Security keys and passkeys (WebAuthn) as a second factor (issue 18, "What to build" 2):
the ceremonies checked for the challenge, the origin, the relying party and the signature
counter, each refusal with its reason; the log-in pages, the management page and the audit.
A software authenticator (tests/security/softkey.py) signs real answers; the browser's own
ceremonies are in tests/security/test_webauthn_browser.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tnw.audit.models import AuditEntry
from tnw.security import passkeys
from tnw.security.models import SecurityKey

from .softkey import SoftKey

pytestmark = pytest.mark.django_db

RP, ORIGIN = "testserver", "http://testserver"
PASSWORD = "test-password"


def registered(user, key: SoftKey) -> SecurityKey:
    options, challenge = passkeys.registration_options(user=user, rp_id=RP)
    answer = key.create(options, origin=ORIGIN)
    return passkeys.add_key(user=user, name="blue key", credential=answer, challenge=challenge,
                            rp_id=RP, origin=ORIGIN)  # fmt: skip


def use(user, key: SoftKey, **wrong) -> SecurityKey:
    options, challenge = passkeys.authentication_options(user=user, rp_id=RP)
    answer = key.get(options, origin=wrong.pop("origin", ORIGIN), **wrong)
    return passkeys.use_key(user=user, credential=answer, challenge=challenge, rp_id=RP,
                            origin=ORIGIN)  # fmt: skip


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(passkeys.KeyRefused) as refused:
        call(*args, **kwargs)
    return refused.value.code


def test_a_key_is_registered_then_confirms_log_ins_its_counter_moving_on(physician):
    key = SoftKey()
    stored = registered(physician, key)
    assert (stored.credential_id, stored.sign_count, stored.name) == (key.id, 0, "blue key")
    assert use(physician, key).sign_count == 1
    assert use(physician, key).sign_count == 2
    stored.refresh_from_db()
    assert stored.sign_count == 2 and stored.last_used_at is not None


def test_registration_refuses_a_wrong_challenge_origin_or_relying_party(physician):
    options, challenge = passkeys.registration_options(user=physician, rp_id=RP)
    other = passkeys.registration_options(user=physician, rp_id=RP)[1]
    assert other != challenge  # a new challenge every time
    common = {"user": physician, "name": "k", "rp_id": RP, "origin": ORIGIN}
    answers = {
        "challenge": SoftKey().create(options, origin=ORIGIN, challenge="AAAAAAAAAAAAAAAA"),
        "origin": SoftKey().create(options, origin="https://evil.example"),
        "rp": SoftKey().create(options, origin=ORIGIN, rp_id="evil.example"),
    }
    for what, answer in answers.items():
        code = refusal(passkeys.add_key, credential=answer, challenge=challenge, **common)
        assert code == "refused", what
    right = SoftKey().create(options, origin=ORIGIN)
    assert refusal(passkeys.add_key, credential=right, challenge=None, **common) == "challenge"
    assert refusal(passkeys.add_key, credential="", challenge=challenge, **common) == "empty"
    assert not SecurityKey.objects.exists()


def test_authentication_refuses_a_wrong_challenge(physician):
    key = SoftKey()
    registered(physician, key)
    assert refusal(use, physician, key, challenge="AAAAAAAAAAAAAAAAAAAAAA") == "refused"


def test_authentication_refuses_a_wrong_origin_or_relying_party(physician):
    key = SoftKey()
    registered(physician, key)
    assert refusal(use, physician, key, origin="https://tnw.evil.example") == "refused"
    assert refusal(use, physician, key, rp_id="evil.example") == "refused"


def test_a_replayed_answer_or_a_counter_that_goes_back_is_refused(physician):
    """The counter of a copied key: the copy and the original cannot both go up."""
    key = SoftKey()
    registered(physician, key)
    options, challenge = passkeys.authentication_options(user=physician, rp_id=RP)
    answer = key.get(options, origin=ORIGIN)
    passkeys.use_key(user=physician, credential=answer, challenge=challenge, rp_id=RP,
                     origin=ORIGIN)  # fmt: skip
    # The same answer again (its challenge re-issued: only the counter can tell).
    again = passkeys.use_key
    assert refusal(again, user=physician, credential=answer, challenge=challenge, rp_id=RP,
                   origin=ORIGIN) == "counter"  # fmt: skip
    use(physician, key)  # counter 2
    key.counter = 1  # a copy made when the counter was at 1 answers with 2 again
    assert refusal(use, physician, key) == "counter"
    assert SecurityKey.objects.get().sign_count == 2


def test_a_signature_by_another_key_and_a_key_of_someone_else_are_refused(physician, users):
    key = SoftKey()
    registered(physician, key)
    forger = SoftKey()
    forger.credential_id = key.credential_id  # the right id, the wrong private key
    assert refusal(use, physician, forger) == "refused"
    assert refusal(use, users["coordinator"], key) == "unknown"


# --- the log-in pages ----------------------------------------------------------------------


@pytest.fixture
def otp_on(settings):
    settings.TNW_REQUIRE_OTP = True


def logged_in(username: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def set_up_with_a_key(client, key: SoftKey, name="blue key"):
    page = client.get("/security/second-factor/set-up/")
    answer = key.create(page.context["key_options"], origin=ORIGIN)
    return client.post("/security/second-factor/set-up/key/",
                       {"name": name, "credential": answer, "next": "/"})  # fmt: skip


def test_the_first_log_in_sets_up_a_key_instead_of_the_app(physician, otp_on):
    client = logged_in(physician.username)
    page = client.get("/security/second-factor/set-up/")
    assert 'data-webauthn="create"' in page.content.decode()
    assert "/static/security/webauthn.js" in page.content.decode()
    key = SoftKey()
    done = set_up_with_a_key(client, key)
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.filter(actor_username=physician.username).latest("seq")
    assert entry.changes["security_key"] == "added" and entry.changes["key"] == "blue key"


def test_the_next_log_in_asks_for_the_key_and_audits_success_and_refusal(physician, otp_on):
    key = SoftKey()
    set_up_with_a_key(logged_in(physician.username), key)
    client = logged_in(physician.username)
    assert client.get("/")["Location"].startswith("/security/second-factor/?")
    page = client.get("/security/second-factor/")
    assert 'data-webauthn="get"' in page.content.decode()
    assert "Enter one of your recovery codes." in page.content.decode()  # no app: codes only
    answer = key.get(page.context["key_options"], origin=ORIGIN)
    assert client.post("/security/second-factor/key/", {"credential": answer}).status_code == 302
    assert client.get("/").status_code == 200
    ok = AuditEntry.objects.filter(action="login", changes__method="security key")
    assert ok.count() == 1

    replay = logged_in(physician.username)
    replay.get("/security/second-factor/")  # a new challenge; the old answer replayed
    refused = replay.post("/security/second-factor/key/", {"credential": answer})
    assert refused.status_code == 200
    assert "answer could not be verified" in refused.content.decode()  # not its challenge
    assert replay.get("/").status_code == 302  # still not through
    failed = AuditEntry.objects.filter(action="login_fail", changes__method="security key")
    assert [e.changes["reason"] for e in failed] == ["refused"]


def test_a_key_answer_without_a_challenge_shown_is_refused(physician, otp_on):
    key = SoftKey()
    set_up_with_a_key(logged_in(physician.username), key)
    client = logged_in(physician.username)
    options, _challenge = passkeys.authentication_options(user=physician, rp_id=RP)
    refused = client.post("/security/second-factor/key/",
                          {"credential": key.get(options, origin=ORIGIN)})  # fmt: skip
    assert "expired or was already used" in refused.content.decode()


# --- managing the keys ---------------------------------------------------------------------


def test_a_user_adds_renames_and_removes_keys_audited(physician, otp_on):
    first, second = SoftKey(), SoftKey()
    client = logged_in(physician.username)
    set_up_with_a_key(client, first)
    page = client.get("/security/keys/")
    assert page.status_code == 200 and "blue key" in page.content.decode()
    answer = second.create(page.context["options"], origin=ORIGIN)
    # The options exclude the key already there (the browser then refuses it).
    excluded = [c["id"] for c in json.loads(page.context["options"])["excludeCredentials"]]
    assert excluded == [first.id]
    assert client.post("/security/keys/", {"name": "", "credential": answer}).status_code == 400
    page = client.get("/security/keys/")
    answer = second.create(page.context["options"], origin=ORIGIN)
    assert client.post("/security/keys/", {"name": "phone", "credential": answer}).status_code \
        == 302  # fmt: skip
    keys = {k.name: k for k in SecurityKey.objects.filter(user=physician)}
    assert set(keys) == {"blue key", "phone"}
    client.post(f"/security/keys/{keys['phone'].pk}/rename/", {"name": "my phone"})
    assert SecurityKey.objects.get(pk=keys["phone"].pk).name == "my phone"
    client.post(f"/security/keys/{keys['phone'].pk}/remove/")
    assert list(SecurityKey.objects.values_list("name", flat=True)) == ["blue key"]
    # The only second factor left is not removed.
    last = client.post(f"/security/keys/{keys['blue key'].pk}/remove/", follow=True)
    assert "only second factor" in last.content.decode()
    assert SecurityKey.objects.count() == 1
    changes = [
        e.changes.get("security_key")
        for e in AuditEntry.objects.filter(actor_username=physician.username, channel="security")
    ]
    assert [c for c in changes if c] == ["added", "added", "renamed", "removed"]


def test_nobody_renames_or_removes_someone_elses_key(physician, users):
    key = registered(physician, SoftKey())
    client = Client()
    client.force_login(users["coordinator"])
    assert client.post(f"/security/keys/{key.pk}/remove/").status_code == 404
    assert client.post(f"/security/keys/{key.pk}/rename/", {"name": "x"}).status_code == 404
    assert SecurityKey.objects.get().name == "blue key"


def test_the_admins_reset_removes_the_keys_too(client, physician, users):
    registered(physician, SoftKey())
    client.force_login(users["admin"])
    client.post("/admin/accounts/user/", {"action": "reset_second_factor",
                "_selected_action": [physician.pk]})  # fmt: skip
    assert not SecurityKey.objects.filter(user=physician).exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Beveiligingssleutels"), ("fr", "Clés de sécurité"), ("de", "Sicherheitsschlüssel"),
     ("en", "Security keys")],
)  # fmt: skip
def test_the_keys_page_speaks_the_users_language(physician, language, expected):
    client = Client(headers={"accept-language": language})
    client.force_login(physician)
    assert f"<h1>{expected}</h1>" in client.get("/security/keys/").content.decode()
