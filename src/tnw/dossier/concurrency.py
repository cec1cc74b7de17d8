"""Optimistic concurrency: change a row only if it still has the version the user saw.

`claim(model, pk, expected_version)` increments the version with a conditional UPDATE
(`... WHERE id = %s AND version = %s`) inside the caller's transaction. On PostgreSQL the UPDATE
locks the row: a second writer blocks until the first commits, then finds the version changed
and gets a ConflictError. On SQLite the write transaction (BEGIN IMMEDIATE) serialises writers
the same way. Claiming first also serialises the rest of the service on that row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F

from tnw.dossier.errors import ConflictError


def claim(model: type[models.Model], pk: int, expected_version: int, what: str) -> int:
    """Bump the row's version from `expected_version`; return the new version."""
    updated = model._default_manager.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        current = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        raise ConflictError(what, expected_version, current)
    return expected_version + 1
