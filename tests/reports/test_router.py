"""Reports read from the replica when DATABASE_REPLICA_URL configures one; writes never do."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tnw.dossier.models import Obligation, Registration
from tnw.reports.router import REPLICA, ReplicaRouter, reading_reports, report_database

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}


def test_reads_of_reports_go_to_the_replica(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Registration) is None  # a coordinator's read: the primary
    with reading_reports():
        assert router.db_for_read(Registration) == REPLICA
        assert router.db_for_read(Obligation) == REPLICA
        assert router.db_for_write(Registration) is None  # writes: always the primary
        assert report_database() == REPLICA
    assert router.db_for_read(Registration) is None
    assert router.allow_migrate(REPLICA, "dossier") is False


def test_without_a_replica_reports_read_the_primary(settings):
    assert REPLICA not in settings.DATABASES
    with reading_reports():
        assert ReplicaRouter().db_for_read(Registration) is None
        assert report_database() == "default"


def test_the_report_builders_read_through_the_router(world, with_replica, monkeypatch):
    """Every query of a report is asked of the router inside reading_reports()."""
    from datetime import date

    from tnw.reports import registry
    from tnw.reports.scope import command_scope

    asked: list[str] = []

    def spy(self, model, **hints):
        asked.append(report_database())
        return None  # answer "primary" so the test database serves the query

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    scope = command_scope(start=date(2026, 1, 1), end=date(2026, 12, 31), today=date(2026, 11, 24))
    for name in registry.REPORTS:
        registry.build(name, scope, cached=False)
    assert asked and set(asked) == {REPLICA}


def test_settings_add_the_replica_from_the_environment():
    code = (
        "import os; os.environ['DATABASE_REPLICA_URL'] = 'postgres://ro@replica.internal:5432/tnw';"
        "from tnw.settings import base;"
        "r = base.DATABASES['replica'];"
        "print(r['HOST'], r['NAME'], r['TEST']['MIRROR'], base.DATABASE_ROUTERS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "replica.internal", "tnw", "default", "['tnw.reports.router.ReplicaRouter']",
    ]  # fmt: skip
