"""Two people reading different dossiers at once (issue 18, finding 2: with a SQLite
DATABASE_URL the WAL and locking settings were dropped, and as every read writes an audit
entry, concurrent readers got 500s, "database is locked"). Two threads, two connections, two
browsers, reading at the same moment: every page answers, every read is audited once, and the
audit chain stays whole. (The settings themselves: tests/ops/test_settings.py.)"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections
from django.test import Client

from tests.conftest import make_insz, open_episode
from tnw.audit.models import AuditEntry
from tnw.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)
READS = 15


def test_two_readers_of_two_dossiers_at_once_both_get_every_page(users, person, coordinator):
    from tnw.dossier.services import create_person

    other = create_person(user=coordinator, insz=make_insz(31), first_name="Els",
                          last_name="Claes", language="nl")  # fmt: skip
    for who in (person, other):
        open_episode(coordinator, who, date(2026, 6, 1), coordinator=coordinator,
                     advising_physician=users["advising_physician"])  # fmt: skip
    readers = [(users["coordinator"], person.pk), (users["advising_physician"], other.pk)]
    barrier = threading.Barrier(len(readers))
    statuses: list[list[int]] = [[] for _ in readers]
    before = AuditEntry.objects.filter(action="read").count()

    def read(index: int, user, person_id: int) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=30)
            for _ in range(READS):
                statuses[index].append(client.get(f"/people/{person_id}/").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(i, *r)) for i, r in enumerate(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert statuses == [[200] * READS, [200] * READS]
    reads = AuditEntry.objects.filter(action="read").count() - before
    assert reads >= 2 * READS  # every page read is in the trail
    assert verify_chain().ok
