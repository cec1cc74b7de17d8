"""The application's PostgreSQL role owns no table and may only read and append audit
entries (issue 18, finding 6): UPDATE, DELETE and disabling the trigger are refused to it.
On SQLite, which has no roles, the command says so."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from tnw.audit.models import AuditEntry
from tnw.audit.services import append

pytestmark = pytest.mark.django_db(transaction=True)

APP_ROLE = "tnw_test_app"


def _as_app_role(statement: str) -> str:
    """Run one statement as the application role; the error class name, or "ok"."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            cursor.execute(statement)
            return "ok"
    except Exception as error:
        return type(error.__cause__ or error).__name__


def test_the_application_role_reads_and_appends_but_cannot_rewrite_the_trail(users):
    append(actor=None, action="read", object_type="x", object_id=1, person_id=None, channel="t")
    seq = AuditEntry.objects.latest("seq").seq
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("dbroles", "grant", APP_ROLE)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {APP_ROLE}")
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    try:
        call_command("dbroles", "grant", APP_ROLE)
        assert _as_app_role("SELECT count(*) FROM audit_auditentry") == "ok"
        with transaction.atomic():  # the application appends as usual
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            append(actor=None, action="read", object_type="x", object_id=2, person_id=None,
                   channel="as-app-role")  # fmt: skip
        assert AuditEntry.objects.filter(channel="as-app-role").count() == 1
        assert _as_app_role("UPDATE accounts_user SET first_name = 'x'") == "ok"
        assert _as_app_role(f"UPDATE audit_auditentry SET channel = 'x' WHERE seq = {seq}") == (
            "InsufficientPrivilege"
        )
        assert _as_app_role(f"DELETE FROM audit_auditentry WHERE seq = {seq}") == (
            "InsufficientPrivilege"
        )
        assert _as_app_role("TRUNCATE audit_auditentry") == "InsufficientPrivilege"
        assert (
            _as_app_role("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
            == "InsufficientPrivilege"
        )  # must be the owner
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {APP_ROLE}")
            cursor.execute(f"DROP ROLE {APP_ROLE}")
