"""Backups that keep the proof (issue 18, finding 7): `tnw backup`, then changes, then
`tnw restore` gives back the same rows (counts and checksums of every table) and an audit trail
that verifies against the signed checkpoints, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import register
from tnw.audit.checkpoints import write_checkpoint
from tnw.audit.models import AuditEntry
from tnw.audit.selectors import verify_chain
from tnw.security.backup import fingerprint

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_gives_the_same_data_and_a_green_trail(
    episode, coordinator, tmp_path, capsys
):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    write_checkpoint()
    before = fingerprint()
    entries = AuditEntry.objects.count()
    call_command("backup", str(tmp_path / "tnw.backup"))
    assert "backup written" in capsys.readouterr().out

    register(coordinator, episode, "first_contact", date(2026, 9, 10), mode="video",
             consent=True, outcome="pending", form_reference="ANNEX-III-0001")  # fmt: skip
    assert fingerprint() != before

    call_command("restore", str(tmp_path / "tnw.backup"))
    assert f"audit trail intact: {entries} entries" in capsys.readouterr().out
    after = fingerprint()
    assert after == before
    assert after["audit_auditentry"][0] == entries
    result = verify_chain()
    assert result.ok and result.checkpoints == 1


def test_restore_of_a_missing_file_changes_nothing(db_fingerprint_case, tmp_path):
    before = fingerprint()
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "nothing.backup"))
    assert fingerprint() == before


@pytest.fixture
def db_fingerprint_case(episode):
    return episode
