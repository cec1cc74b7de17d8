"""Safe deployment defaults (issue 18, finding 13): a Content-Security-Policy without inline
script or style, no-store on pages with personal data, Permissions-Policy, and `check
--deploy` clean with the production settings and the documented environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_style_or_event_handlers():
    """What the policy would block: the pages must not rely on it."""
    offending = []
    pattern = re.compile(r"<script(?![^>]*\ssrc=)|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    for path in SRC.glob("tnw/**/templates/**/*.html"):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if pattern.search(line):
                offending.append(f"{path.relative_to(SRC)}:{number}")
    assert offending == []


def test_pages_with_personal_data_are_not_stored(client, coordinator, person):
    client.force_login(coordinator)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "tnw.settings.prod",
    "DJANGO_SECRET_KEY": "k" * 10 + "an-example-secret-of-fifty-characters-or-more-0123456789",
    "DATABASE_URL": "postgres://tnw_app:secret@127.0.0.1:5432/tnw",
    "DJANGO_ALLOWED_HOSTS": "tnw.example.be",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tnw.example.be",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "TNW_AUDIT_KEYS": "2026a:an-example-audit-checkpoint-key",
    "TNW_AUDIT_DATA_KEYS": "2026a:iY1h0w6vsvvVQ1TvsIASn_4G--Q3ndsN0o9dhqnkeVE=",
}


def _environment(extra: dict[str, str]) -> dict[str, str]:
    # Not the test runner's own switches (pytest-django sets DJANGO_ALLOW_ASYNC_UNSAFE).
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**base, **extra}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tnw.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_environment():
    result = _check(PRODUCTION_ENVIRONMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_default_or_short_secret_key():
    result = _check({**PRODUCTION_ENVIRONMENT, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a random string of 50+ characters" in result.stderr


def test_production_settings_take_proxy_and_origins_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=_environment(PRODUCTION_ENVIRONMENT),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') ['https://tnw.example.be'] ['tnw.example.be']"
    ), result.stderr


@pytest.mark.django_db
def test_the_api_docs_page_has_no_inline_script(client):
    """Swagger UI's page loads its set-up script from a URL, so the CSP lets it run."""
    page = client.get("/api/v1/docs/").content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts), scripts
    assert client.get("/api/v1/docs/?script").status_code == 200


def test_tnw_serve_refuses_to_start_with_debug_on(settings, monkeypatch):
    """The server never serves Django's debug pages (settings, code); the demo runs it with
    TNW_DEBUG=0 (make run), production with DEBUG off."""
    from django.core.management import CommandError, call_command

    def started(server):
        raise AssertionError("gunicorn was started with DEBUG on")

    monkeypatch.setattr("tnw.ops.management.commands.serve.run", started)
    settings.DEBUG = True
    with pytest.raises(CommandError, match="refuses to start with DEBUG on"):
        call_command("serve", "--no-collectstatic", "--bind", "127.0.0.1:1")


def test_a_wsgi_server_without_a_settings_module_gets_the_production_settings():
    """`gunicorn tnw.wsgi` with no DJANGO_SETTINGS_MODULE used to run the development settings
    (DEBUG, a known secret key); now the production ones, which refuse to start without their
    secrets."""
    env = {k: v for k, v in _environment({}).items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", "import tnw.wsgi"], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode != 0
    assert "set DJANGO_SECRET_KEY in production" in result.stderr
