"""Shared fixtures for the Django apps: mutualities, a user of every role, people, episodes.

The rules tests (tests/rules) need none of this; pytest-django only sets up a database for
tests that ask for one.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest

# One Chromium for the whole run: every browser journey shares the session's fixtures.
pytest_plugins = ["tests.browser_fixtures"]

TODAY = date(2026, 11, 24)
ROLES = ("advising_physician", "coordinator", "staff", "manager", "admin")
# Valid numbers (domain notes §10): NN 1985, NN 2017, bis 1998, bis 2001.
INSZ = ("85073003328", "17073003384", "98472899765", "01490700185")


def make_insz(n: int) -> str:
    """The n-th valid national register number born 1970-01-01 (odd serial, male)."""
    base = f"700101{2 * n + 1:03d}"
    return base + f"{97 - int(base) % 97:02d}"


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(request, tmp_path_factory):
    """Each test its own audit checkpoint folder: a checkpoint signed in one test's database
    must not be checked against the next test's (tnw.audit.checkpoints). The folder is only
    created when a checkpoint is written."""
    from django.conf import settings

    old = settings.TNW_AUDIT_CHECKPOINT_DIR
    settings.TNW_AUDIT_CHECKPOINT_DIR = tmp_path_factory.getbasetemp() / (
        "checkpoints-" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()
    )
    yield
    settings.TNW_AUDIT_CHECKPOINT_DIR = old


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def mutuality(db):
    from tnw.mutualities.models import Mutuality, TnwContact

    m = Mutuality.objects.create(code="203", name="Vlaams & Neutraal Ziekenfonds")
    TnwContact.objects.create(mutuality=m, email="terugnaarwerk@vnz.be", phone="+32 3 491 09 88")
    return m


@pytest.fixture
def other_mutuality(db):
    from tnw.mutualities.models import Mutuality

    return Mutuality.objects.create(code="216", name="La Mutualité Neutre")


def _user(role: str, mutuality, suffix: str = ""):
    from tnw.accounts.services import create_user

    return create_user(
        username=f"{role}{suffix}",
        role=role,
        password="test-password",
        mutuality=None if role == "admin" else mutuality,
    )


@pytest.fixture
def users(mutuality) -> dict[str, Any]:
    """One user of every role in `mutuality` (the administrator has no mutuality)."""
    return {role: _user(role, mutuality) for role in ROLES}


@pytest.fixture
def physician(users):
    return users["advising_physician"]


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def outsiders(other_mutuality) -> dict[str, Any]:
    """Users of every role (but admin) in another mutuality."""
    return {role: _user(role, other_mutuality, "_other") for role in ROLES if role != "admin"}


@pytest.fixture
def person(coordinator):
    from tnw.dossier.services import create_person

    return create_person(
        user=coordinator,
        insz="85.07.30-033.28",
        first_name="Jan",
        last_name="Peeters",
        language="nl",
        street="Kerkstraat 1",
        postal_code="9000",
        city="Gent",
        phone="+32 470 00 00 01",
    )


def open_episode(user, person, start: date, contract: bool = False, **extra):
    from tnw.dossier.services import open_episode as service

    return service(
        user=user,
        person_id=person.pk,
        start=start,
        employment_contract=contract,
        today=TODAY,
        **extra,
    )


def register(user, episode, event_type: str, on: date, today: date = TODAY, **fields):
    """Register with the episode's current version (as a user who just loaded it)."""
    from tnw.dossier.models import Episode
    from tnw.dossier.services import register_event

    options = {k: fields.pop(k) for k in ("note", "form_reference", "shared_with_coordinator")
               if k in fields}  # fmt: skip
    version = Episode.objects.get(pk=episode.pk).version
    return register_event(
        user=user,
        episode_id=episode.pk,
        expected_version=version,
        event_type=event_type,
        on=on,
        fields=fields,
        today=today,
        **options,
    )


@pytest.fixture
def episode(coordinator, physician, person):
    """Routing B, no employment contract, incapacity since 2026-06-01."""
    return open_episode(
        coordinator, person, date(2026, 6, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip


@pytest.fixture
def consented_episode(episode, coordinator, physician):
    """Routing B up to a first contact with consent and the physician's permission."""
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical", consent=True,
        outcome="ziv", form_reference="ANNEX-III-0001",
    )  # fmt: skip
    register(coordinator, episode, "permission_requested", date(2026, 9, 16))
    register(physician, episode, "permission_decided", date(2026, 9, 20), granted=True)
    return episode


@pytest.fixture
def ziv_episode(consented_episode, coordinator):
    """A running ZIV trajectory (situation A)."""
    register(
        coordinator, consented_episode, "ziv_started", date(2026, 10, 1), situation="A",
        form_reference="ANNEX-IV-0001",
    )  # fmt: skip
    return consented_episode


def days(n: int) -> timedelta:
    return timedelta(days=n)
