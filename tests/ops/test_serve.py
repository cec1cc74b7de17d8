"""`tnw serve`: gunicorn with the production settings serves the pages, the static files
(compressed, through WhiteNoise) and the user-facing error pages."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import path

from tnw.ops.server import ServerOptions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database as a URL, for the server's own processes."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("tnw serve did not answer")


@pytest.mark.django_db(transaction=True)
def test_tnw_serve_runs_gunicorn_with_the_production_settings(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tnw.settings.prod",
        "DJANGO_SECRET_KEY": "serve-test-key-" + "0123456789abcdefghijklmnopqrstuvwxyz",
        "TNW_AUDIT_KEYS": "serve:serve-test-audit-key",
        "TNW_AUDIT_DATA_KEYS": "serve:pMLEBMwicACXEpiqN7wZiBQcaiUuGBqvPcgc_FTWWPw=",
        "TNW_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1 (no TLS proxy in the test)
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "TNW_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "tnw.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/login/", server)
        login = _get(f"{base}/login/", {"Accept-Language": "fr"})
        assert login.status == 200
        assert login.headers["Server"] == "gunicorn"
        page = login.read().decode()
        css = next(part.split('"')[0] for part in page.split('href="') if ".css" in part[:80])
        # Manifest storage: a hashed name, cached for a long time, sent compressed.
        assert css.startswith("/static/web/tnw.") and css != "/static/web/tnw.css"
        static = _get(f"{base}{css}", {"Accept-Encoding": "gzip"})
        assert static.status == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        assert b".top" in gzip.decompress(static.read())
        assert _get(f"{base}/no-such-page/").status == 404
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode == 0


def test_workers_default_to_twice_the_cpus_plus_one():
    assert ServerOptions.default_workers() == 2 * (os.cpu_count() or 1) + 1
    config = ServerOptions(bind="127.0.0.1:1", workers=3).gunicorn_config()
    assert config["workers"] == 3
    assert config["preload_app"] is True


def _broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", _broken_view)]


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.test_serve")
@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nl", "Er ging iets mis"),
        ("fr", "Une erreur s'est produite"),
        ("de", "Etwas ist schiefgelaufen"),
        ("en", "Something went wrong"),
    ],
)
def test_an_error_shows_the_500_page_in_the_users_language(client, language, title):
    client.raise_request_exception = False
    response = client.get("/broken/", headers={"accept-language": language})
    assert response.status_code == 500
    assert title in response.content.decode()
    assert "a bug" not in response.content.decode()
