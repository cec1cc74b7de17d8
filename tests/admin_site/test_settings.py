"""Settings: SQLite by default, PostgreSQL (or another database) through DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from tnw.settings.base import database_from_environment


def test_sqlite_by_default(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_environment(tmp_path / "var" / "tnw.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "tnw.sqlite3")
    assert (tmp_path / "var").is_dir()


def test_postgresql_from_database_url(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("DATABASE_URL", "postgres://tnw:pw@db.example:5433/tnw")
    config = database_from_environment(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.example", 5433, "tnw", "tnw",
    )  # fmt: skip


def test_the_default_settings_module_is_dev():
    import tnw.settings as default
    import tnw.settings.dev as dev

    assert default.DEBUG is dev.DEBUG is True
    assert default.INSTALLED_APPS == dev.INSTALLED_APPS
