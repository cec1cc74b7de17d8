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


FORGERIES = {
    # Rewrite or remove history.
    "UPDATE audit_auditentry SET changes = '{}' WHERE seq = 1": "InsufficientPrivilege",
    "DELETE FROM audit_auditentry WHERE seq = 1": "InsufficientPrivilege",
    "TRUNCATE audit_auditentry": "InsufficientPrivilege",
    # Switch the append-only trigger off, every way PostgreSQL offers.
    "SET session_replication_role = replica": "InsufficientPrivilege",
    "DROP TRIGGER audit_entry_append_only ON audit_auditentry": "InsufficientPrivilege",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL": "InsufficientPrivilege",
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql": "InsufficientPrivilege",
    # Take the table over, or swap it for another.
    "ALTER TABLE audit_auditentry OWNER TO CURRENT_USER": "InsufficientPrivilege",
    "ALTER TABLE audit_auditentry RENAME TO audit_old": "InsufficientPrivilege",
    "DROP TABLE audit_auditentry CASCADE": "InsufficientPrivilege",
    # Slip a forged entry in under an existing number.
    "INSERT INTO audit_auditentry (seq, at, actor_username, action, object_type, object_id, "
    "channel, changes, medical, prev_hash, hash) SELECT seq, at, 'forger', action, object_type, "
    "object_id, channel, '{}', medical, prev_hash, hash FROM audit_auditentry WHERE seq = 1": (
        "UniqueViolation"
    ),
}


@pytest.mark.postgres_only
def test_a_database_writer_with_the_application_role_cannot_forge_the_trail(
    physician, episode, tmp_path, settings
):
    """Everything the application's database role could try against the trail, against the
    real grants: history cannot be rewritten, removed or switched off; what the role may write
    (the chain head, new entries) cannot hide a change from `tnw audit verify`."""
    from datetime import date

    from tnw.audit.checkpoints import write_checkpoint
    from tnw.audit.selectors import verify_chain
    from tnw.dossier import services

    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {APP_ROLE}")
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    try:
        call_command("dbroles", "grant", APP_ROLE)
        with transaction.atomic():  # the application works as that role: health data included
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            services.record_health(
                user=physician, episode_id=episode.pk, kind="diagnosis", text="x",
                recorded_on=date(2026, 9, 2),
            )  # fmt: skip
        write_checkpoint()
        trail = list(AuditEntry.objects.values_list("seq", "hash"))
        outcomes = {statement: _as_app_role(statement) for statement in FORGERIES}
        assert outcomes == FORGERIES
        assert list(AuditEntry.objects.values_list("seq", "hash")) == trail
        assert verify_chain().ok
        # What the role may write does not hide anything: a head moved back ...
        assert _as_app_role("UPDATE audit_audithead SET last_seq = last_seq - 1") == "ok"
        problems = verify_chain().problems
        assert any("the chain head says" in p for p in problems), problems
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {APP_ROLE}")
            cursor.execute(f"DROP ROLE {APP_ROLE}")
