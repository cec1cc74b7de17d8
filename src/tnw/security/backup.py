"""Backups that keep the proof (issue 18, finding 7): the database copied as it is, so the
audit trail's timestamps keep their microseconds and `tnw audit verify` stays green after a
restore (Django's dumpdata/loaddata is not a backup: it breaks the chain).

- SQLite: the online backup API of sqlite3 (a consistent copy while the application runs);
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`.

`fingerprint()` gives each table's row count and a SHA-256 over its rows in primary-key order,
so a restore can be compared with the database that was backed up.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections


class BackupError(RuntimeError):
    pass


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--host", s.get("HOST") or "127.0.0.1", "--port", str(s.get("PORT") or 5432)]
    args += ["--username", s.get("USER") or "postgres", "--dbname", s["NAME"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def backup(target: Path) -> Path:
    """Write a consistent copy of the database to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_environment()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        raise BackupError(f"no backup for the {connection.vendor} database")
    return target


def restore(source: Path) -> None:
    """Replace the database's content with the backup at `source`."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    connections.close_all()
    if connection.vendor == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_environment()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, str(source)],
            env,
        )  # fmt: skip
    else:
        raise BackupError(f"no restore for the {connection.vendor} database")


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: (row count, SHA-256 of its rows in primary-key order)."""
    out: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = connection.introspection.get_table_description(cursor, table)
            order = ", ".join(str(i + 1) for i in range(len(columns)))
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            out[table] = (count, digest.hexdigest())
    return out


def _plain(value):
    """The same text for a value whatever the driver returned (memoryview, Decimal, ...)."""
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return str(value)
