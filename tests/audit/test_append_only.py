"""Nobody changes or deletes the audit trail through the application (and, on PostgreSQL,
not through plain SQL either)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tnw.audit.models import AppendOnlyError, AuditEntry


def test_an_entry_cannot_be_saved_again(users):
    entry = AuditEntry.objects.first()
    entry.channel = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_entry_cannot_be_deleted(users):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.first().delete()


def test_the_queryset_refuses_bulk_update_and_delete(users):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(channel="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert not AuditEntry.objects.filter(channel="forged").exists()


def test_plain_sql_update_is_refused_by_postgresql_or_caught_by_verify(users):
    """PostgreSQL has a trigger; SQLite has none, and there `tnw audit verify` catches it."""
    from tnw.audit.selectors import verify_chain

    if connection.vendor == "postgresql":
        for sql in (
            "UPDATE audit_auditentry SET channel = 'forged'",
            "DELETE FROM audit_auditentry",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        assert verify_chain().ok
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET channel = 'forged' WHERE seq = 1")
        assert not verify_chain().ok
