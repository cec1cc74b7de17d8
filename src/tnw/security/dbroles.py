"""Least privilege on PostgreSQL (issue 18, finding 6): the application connects as a role that
owns no table, so it cannot disable the audit trail's trigger, and that may only read and
append audit entries (no UPDATE, DELETE or TRUNCATE). The migration role (the owner) runs
`tnw migrate` and then `tnw dbroles grant APP_ROLE` after every migration."""

from __future__ import annotations

from django.db import connection
from psycopg import sql

AUDIT_TABLE = "audit_auditentry"


class NotPostgres(RuntimeError):
    pass


def grant(app_role: str) -> list[str]:
    """Grant `app_role` what the application needs on every table, and no more on the trail."""
    if connection.vendor != "postgresql":
        raise NotPostgres("database roles apply to PostgreSQL only (SQLite has none)")
    role = sql.Identifier(app_role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role
        ),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(AUDIT_TABLE), role
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
    ]
    done = []
    with connection.cursor() as cursor:
        for statement in statements:
            text = statement.as_string(cursor.connection)
            cursor.execute(text)
            done.append(text)
    return done
