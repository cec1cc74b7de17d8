"""The migrations of our apps match the models (no forgotten makemigrations)."""

from django.core.management import call_command


def test_no_missing_migrations(db, capsys):
    call_command(
        "makemigrations", "mutualities", "accounts", "audit", "dossier", "--check", "--dry-run"
    )
    assert "No changes detected" in capsys.readouterr().out
