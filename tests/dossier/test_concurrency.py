"""Optimistic concurrency with a real race: two threads, two database connections.

Both writers read the same version, meet at a barrier, then write at once. Whatever the
order, exactly one wins and the other gets a ConflictError with a clear message; nothing of
the loser is stored. On PostgreSQL the loser waits for the winner's locks (the audit chain's
advisory lock, then the row lock) and then finds the version changed; on SQLite (BEGIN
IMMEDIATE, a file database, WAL) the loser's transaction waits for the database write lock
and then finds the version changed. An in-memory SQLite database would not do: its shared
cache reports "table is locked" at once instead of waiting, so the test settings use a file.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from tests.conftest import TODAY, register
from tnw.audit.selectors import verify_chain
from tnw.dossier.errors import ConflictError
from tnw.dossier.models import Episode, Person, Registration
from tnw.dossier.services import register_event, update_person

pytestmark = pytest.mark.django_db(transaction=True)


def race(*writers):
    """Run each writer in its own thread (own connection); all start writing together.

    Each writer gets the version it read before the barrier. Returns results/exceptions.
    """
    barrier = threading.Barrier(len(writers))
    results: list[object] = [None] * len(writers)

    def run(index, read_version, write):
        try:
            version = read_version()
            barrier.wait(timeout=30)
            results[index] = write(version)
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, read, write))
        for i, (read, write) in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_registrations_on_one_dossier_at_once(episode, coordinator):
    def read():
        return Episode.objects.get(pk=episode.pk).version

    def writer(day):
        def write(version):
            return register_event(
                user=coordinator, episode_id=episode.pk, expected_version=version,
                event_type="spontaneous_request", on=date(2026, 9, day), today=TODAY,
            )  # fmt: skip

        return write

    results = race((read, writer(1)), (read, writer(2)))
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    wins = [r for r in results if isinstance(r, Registration)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    assert "was changed by someone else since you opened it" in str(conflicts[0])
    assert "Nothing was saved" in str(conflicts[0])
    stored = Registration.objects.filter(episode=episode)
    assert stored.count() == 1
    assert stored.get().date == wins[0].date
    assert verify_chain().ok


def test_two_identity_edits_at_once(person, coordinator, physician):
    def read():
        return Person.objects.get(pk=person.pk).version

    def writer(user, phone):
        def write(version):
            return update_person(
                user=user, person_id=person.pk, expected_version=version, phone=phone
            )

        return write

    results = race(
        (read, writer(coordinator, "+32 470 11 11 11")),
        (read, writer(physician, "+32 470 22 22 22")),
    )
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    wins = [r for r in results if isinstance(r, Person)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    person.refresh_from_db()
    assert person.phone == wins[0].phone
    assert person.version == 2


def test_stale_version_is_a_conflict_not_a_lost_update(episode, coordinator, physician):
    seen_by_coordinator = Episode.objects.get(pk=episode.pk).version
    register(physician, episode, "incapacity_ended", date(2026, 10, 1))
    with pytest.raises(ConflictError) as caught:
        register_event(
            user=coordinator, episode_id=episode.pk, expected_version=seen_by_coordinator,
            event_type="spontaneous_request", on=date(2026, 9, 1), today=TODAY,
        )  # fmt: skip
    assert caught.value.expected == seen_by_coordinator
    assert caught.value.current == seen_by_coordinator + 1
    assert list(Registration.objects.filter(episode=episode).values_list("type", flat=True)) == [
        "incapacity_ended"
    ]


def test_a_recompute_during_a_registration_leaves_a_consistent_timeline(episode, coordinator):
    from tnw.dossier.facts import episode_facts
    from tnw.dossier.models import Obligation
    from tnw.dossier.services import recompute_timeline
    from tnw.rules import evaluate

    def read():
        return Episode.objects.get(pk=episode.pk).version

    def register_one(version):
        return register_event(
            user=coordinator, episode_id=episode.pk, expected_version=version,
            event_type="spontaneous_request", on=date(2026, 9, 1), today=TODAY,
        )  # fmt: skip

    def recompute(version):
        return recompute_timeline(user=None, episode_id=episode.pk, today=TODAY)

    results = race((read, register_one), (read, recompute))
    assert not [r for r in results if isinstance(r, Exception)], results
    episode.refresh_from_db()
    events = [r.to_contract() for r in episode.registrations.order_by("position")]
    expected = sorted(
        (o.code, o.sequence, o.due)
        for o in evaluate(episode_facts(episode, events), TODAY).obligations
    )
    stored = sorted(
        Obligation.objects.filter(episode=episode).values_list("code", "sequence", "due")
    )
    assert stored == expected
    assert len(events) == 1
