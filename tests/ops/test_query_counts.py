"""Query counts of the main pages and of a registration: bounded, and not growing with the
number of rows shown (no N+1), so that a slow page cannot creep back unnoticed (issue 11).
Registrations write one audit entry and store the timeline by difference."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_insz, open_episode, register
from tnw.audit.models import AuditEntry
from tnw.dossier.models import Obligation

# SQLite counts its savepoints; PostgreSQL also takes the audit chain's advisory lock.
REGISTRATION_MAX = 20
PAGE_MAX = 40  # list pages (worklist, search)
# The dossier page carries more panels per episode (what next, documents, sanctions, the
# meeting proposals; since 2026-12-02 also corrections, outcomes in force, third parties and
# the change of mutuality): 61 queries on SQLite and 65 on PostgreSQL (savepoints and the audit
# chain's advisory lock), 2026-12-02. What must not grow is its count per registration
# (asserted below); this bound only records the measured count.
DOSSIER_PAGE_MAX = 65


def _people_with_episodes(coordinator, physician, count: int, first: int = 0) -> list:
    from tnw.dossier.services import create_person

    people = []
    for n in range(first, first + count):
        person = create_person(
            user=coordinator, insz=make_insz(n), first_name=f"P{n}", last_name="Test",
            language="nl",
        )  # fmt: skip
        episode = open_episode(
            coordinator, person, date(2026, 3, 1), coordinator=coordinator,
            advising_physician=physician,
        )  # fmt: skip
        register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
        people.append(person)
    return people


def _queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (translations, templates, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_a_registration_makes_few_queries_and_one_audit_entry(
    ziv_episode, coordinator, django_assert_max_num_queries
):
    start = AuditEntry.objects.count()
    with django_assert_max_num_queries(REGISTRATION_MAX):
        register(coordinator, ziv_episode, "follow_up_meeting", date(2026, 10, 20), mode="physical")
    assert AuditEntry.objects.count() == start + 1


def test_a_registration_rewrites_only_the_obligations_that_changed(ziv_episode, coordinator):
    before = {(o.code, o.sequence): o.pk for o in Obligation.objects.filter(episode=ziv_episode)}
    register(coordinator, ziv_episode, "follow_up_meeting", date(2026, 10, 20), mode="physical")
    after = {(o.code, o.sequence): o.pk for o in Obligation.objects.filter(episode=ziv_episode)}
    kept = set(before) & set(after)
    # The rows that are still there keep their identity: updated in place, not re-inserted.
    assert kept and all(before[key] == after[key] for key in kept)


def test_an_unchanged_recompute_writes_nothing(ziv_episode):
    from tnw.dossier.services import recompute_timeline

    recompute_timeline(user=None, episode_id=ziv_episode.pk, today=date(2026, 11, 24))
    with CaptureQueriesContext(connection) as captured:
        recompute_timeline(user=None, episode_id=ziv_episode.pk, today=date(2026, 11, 24))
    writes = [q["sql"] for q in captured if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


@pytest.mark.parametrize(
    ("name", "url"),
    [("worklist", "/"), ("search", "/search/?q=Test")],
)
def test_list_pages_do_not_query_per_row(client, coordinator, physician, name, url):
    client.force_login(coordinator)
    _people_with_episodes(coordinator, physician, 2)
    few = _queries(client, url)
    _people_with_episodes(coordinator, physician, 6, first=2)
    many = _queries(client, url)
    assert many == few, f"{name}: {few} queries for 2 dossiers, {many} for 8"
    assert many <= PAGE_MAX


def test_the_dossier_page_does_not_query_per_registration(client, ziv_episode, coordinator):
    client.force_login(coordinator)
    url = f"/people/{ziv_episode.person_id}/"
    few = _queries(client, url)
    for day in (20, 27):
        register(
            coordinator, ziv_episode, "follow_up_meeting", date(2026, 10, day), mode="physical"
        )
    many = _queries(client, url)
    assert many == few
    assert many <= DOSSIER_PAGE_MAX


def test_the_registration_menu_is_bounded(client, ziv_episode, coordinator):
    client.force_login(coordinator)
    assert _queries(client, f"/episodes/{ziv_episode.pk}/register/") <= PAGE_MAX
