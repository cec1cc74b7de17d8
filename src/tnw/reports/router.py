"""Reports read from a read replica when `DATABASE_REPLICA_URL` is set (settings: the
`replica` alias), so heavy reading never slows the coordinators' work on the primary.

The reports enter `reading_reports()`; inside it every read goes to the replica. Writes, and
every read outside it, stay on the primary (`default`). The replica is never migrated: it is
a copy of the primary kept by the database's own replication.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading = ContextVar("tnw_reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def report_database() -> str:
    """The alias that report reads use right now."""
    return REPLICA if _reading.get() and REPLICA in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if report_database() == REPLICA else None

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None
