"""The SQLite options hold for every SQLite database, DATABASE_URL or not (issue 11: a
`sqlite:///` URL used to drop them)."""

from __future__ import annotations

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from tnw.settings.base import database_from_environment


def _pragmas(config: dict) -> dict[str, object]:
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True}, alias="probe")
    try:
        with wrapper.cursor() as cursor:
            return {
                name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "busy_timeout")
            }
    finally:
        wrapper.close()


@pytest.mark.parametrize("through_url", [True, False], ids=["DATABASE_URL", "default file"])
def test_sqlite_gets_wal_normal_sync_and_a_busy_timeout(
    tmp_path, monkeypatch, django_db_blocker, through_url
):
    path = tmp_path / "probe.sqlite3"
    if through_url:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_environment(path)
    assert config["NAME"] == str(path)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # synchronous: 1 is NORMAL; busy_timeout in milliseconds from the 30 s timeout.
    with django_db_blocker.unblock():  # a probe database of its own, not the test database
        pragmas = _pragmas(config)
    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 30000}


def test_postgres_url_gets_persistent_checked_connections(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://tnw:secret@db.example:5432/tnw")
    config = database_from_environment(None)  # type: ignore[arg-type]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(
    ("port", "base"), [("8765", "http://127.0.0.1:8765"), ("", "http://127.0.0.1:8000")]
)
def test_the_addresses_in_mails_and_the_demo_follow_port(port, base):
    """`PORT=8765 make run` serves on 8765: the links in e-mails and the address the demo
    prints say so too (unless TNW_BASE_URL / TNW_PORTAL_URL are set)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TNW_BASE_URL", "TNW_PORTAL_URL")}
    code = "import tnw.settings.base as b; print(b.TNW_BASE_URL, b.TNW_PORTAL_URL)"
    run = subprocess.run(
        [sys.executable, "-c", code], env={**env, "PORT": port}, capture_output=True, text=True
    )
    assert run.stdout.split() == [base, f"{base}/portal/"], run.stderr[-400:]
