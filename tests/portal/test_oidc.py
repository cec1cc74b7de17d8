"""The portal's OpenID Connect log-in (issue 14, point 2) against a local provider that the
test starts on 127.0.0.1: authorization code flow with PKCE, an RS256-signed ID token checked
against the provider's JWKS, and the national register number in a claim. A matching INSZ gets
in; an unknown or a malformed one does not."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse

from tests.conftest import make_insz

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "tnw-portal", "local-test-secret"


class Provider:
    """A minimal OpenID provider: /authorize, /token, /userinfo, /jwks."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.insz = ""
        self.codes: dict[str, str] = {}  # code -> nonce
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "sub": "subject-1", "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": nonce}  # fmt: skip
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def reply(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    code = f"code-{len(provider.codes)}"
                    provider.codes[code] = query["nonce"]
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/userinfo":
                    self.reply({"sub": "subject-1", "egovNRN": provider.insz})
                elif url.path == "/jwks":
                    self.reply(provider.jwks())

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                nonce = provider.codes.pop(form["code"][0])
                assert form["code_verifier"][0]  # PKCE
                self.reply({"access_token": "at-1", "token_type": "Bearer",
                            "id_token": provider.id_token(nonce)})  # fmt: skip

        return Handler


@pytest.fixture(scope="module")
def provider():
    started = Provider()
    yield started
    started.server.shutdown()


@pytest.fixture
def oidc(provider, settings):
    with override_settings(
        TNW_OIDC_ENABLED=True, OIDC_RP_CLIENT_ID=CLIENT_ID, OIDC_RP_CLIENT_SECRET=SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{provider.url}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{provider.url}/token",
        OIDC_OP_USER_ENDPOINT=f"{provider.url}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{provider.url}/jwks",
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend",
                                 "tnw.portal.oidc.InszOIDCBackend"],
    ):  # fmt: skip
        yield provider


def log_in_through_the_provider(client, provider, insz: str):
    import urllib.request

    provider.insz = insz
    start = client.get(reverse("portal:oidc_login"))
    assert start.status_code == 302 and start["Location"].startswith(provider.url)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start["Location"])
    except urllib.error.HTTPError as redirect:
        callback = redirect.headers["Location"]
    path = urlparse(callback)
    return client.get(f"{path.path}?{path.query}")


def test_a_matching_insz_gets_in(client, oidc, person, episode):
    response = log_in_through_the_provider(client, oidc, "85073003328")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "Jan" in home.content.decode()
    # The second time, the same portal user (no second account).
    client.logout()
    log_in_through_the_provider(client, oidc, "85.07.30-033.28")
    assert person.portal_account.user.pk == int(client.session["_auth_user_id"])


def test_the_login_page_offers_the_federal_log_in(client, oidc):
    assert reverse("portal:oidc_login") in client.get(reverse("portal:login")).content.decode()


@pytest.mark.parametrize("insz", [make_insz(99), "12345678901", ""])
def test_an_unknown_or_malformed_insz_stays_out(client, oidc, person, insz):
    response = log_in_through_the_provider(client, oidc, insz)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    assert "_auth_user_id" not in client.session
