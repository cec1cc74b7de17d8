"""`tnw audit verify`: exit 0 on an intact trail, exit 1 and the broken links when tampered
with (changed content, a removed entry, entries removed at the end, a forged re-hash)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.conftest import register
from tnw.audit.models import AuditEntry
from tnw.audit.selectors import verify_chain
from tnw.cli import main

# The command closes its database connections when it ends, as Django commands do: the tests
# run outside a wrapping transaction so that the data survives that.
pytestmark = pytest.mark.django_db(transaction=True)


def run_verify(capsys) -> tuple[int, str]:
    try:
        code = main(["audit", "verify"])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def raw(sql: str, params=()) -> None:
    """Tamper as someone with direct database access would (past the PostgreSQL trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


@pytest.fixture
def trail(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", date(2026, 9, 10), mode="video", consent=True,
        outcome="pending", form_reference="ANNEX-III-1",
    )  # fmt: skip
    assert AuditEntry.objects.count() >= 10
    return AuditEntry.objects.order_by("seq")


def test_intact_trail_exits_0(trail, capsys):
    code, output = run_verify(capsys)
    assert code == 0
    assert f"audit trail intact: {trail.count()} entries verified" in output


def test_changed_values_exit_1(trail, capsys):
    victim = trail[3]
    raw(
        "UPDATE audit_auditentry SET actor_username = %s WHERE seq = %s",
        ["someone-else", victim.seq],
    )
    code, output = run_verify(capsys)
    assert code == 1
    assert f"entry #{victim.seq}: content does not match its hash" in output
    assert "audit trail TAMPERED" in output


def test_changed_json_values_exit_1(trail, capsys):
    victim = trail.filter(object_type="dossier.registration").first()
    raw(
        "UPDATE audit_auditentry SET changes = %s WHERE seq = %s",
        ['{"after": {"type": "forged"}}', victim.seq],
    )
    code, output = run_verify(capsys)
    assert code == 1
    assert f"entry #{victim.seq}: content does not match its hash" in output


def test_a_removed_entry_exits_1(trail, capsys):
    victim = trail[2]
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [victim.seq])
    code, output = run_verify(capsys)
    assert code == 1
    assert "entries missing" in output
    assert "does not link to the previous entry's hash" in output


def test_entries_removed_at_the_end_exit_1(trail, capsys):
    last = trail.last()
    raw("DELETE FROM audit_auditentry WHERE seq >= %s", [last.seq - 1])
    code, output = run_verify(capsys)
    assert code == 1
    assert "entries removed at the end?" in output


def test_a_forged_rehash_of_one_entry_breaks_the_next_link(trail):
    """Recomputing a changed entry's own hash is not enough: the next entry's link breaks."""
    from tnw.audit.chain import digest_of

    victim = trail[3]
    victim.actor_username = "someone-else"
    forged = digest_of(victim)
    raw(
        "UPDATE audit_auditentry SET actor_username = %s, hash = %s WHERE seq = %s",
        ["someone-else", forged, victim.seq],
    )
    result = verify_chain()
    assert result.problems == [
        f"entry #{victim.seq + 1}: does not link to the previous entry's hash"
    ]
