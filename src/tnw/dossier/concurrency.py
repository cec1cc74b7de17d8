"""Optimistic concurrency: change a row only if it still has the version the user saw.

`claim(model, pk, expected_version)` increments the version with a conditional UPDATE
(`... WHERE id = %s AND version = %s`) inside the caller's transaction. Zero rows updated means
someone else changed the row since the user read it: ConflictError, and the caller's
transaction rolls back. Writers are serialised before the UPDATE: on PostgreSQL by the audit
chain's transaction-level advisory lock, taken first so that every writer takes its locks in
the same order (chain, then rows: no deadlocks), and by the row lock of the UPDATE itself; on
SQLite by the database write lock (BEGIN IMMEDIATE). So the second of two simultaneous writers
waits for the first to commit, then finds the version changed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F

from tnw.audit.services import lock_chain
from tnw.dossier.errors import ConflictError


def claim(model: type[models.Model], pk: int, expected_version: int, what: str) -> int:
    """Bump the row's version from `expected_version`; return the new version."""
    lock_chain()
    updated = model._default_manager.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        current = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        raise ConflictError(what, expected_version, current)
    return expected_version + 1
