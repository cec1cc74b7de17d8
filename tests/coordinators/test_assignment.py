"""Assigning a dossier to a coordinator whose qualification has lapsed (circular II 2.1): refused
with the reason in the user's language, nothing stored; the administrator's exception, with a
reason and for at most 90 days, lets it through, and every use of it is audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.conftest import TODAY, open_episode
from tnw.accounts.services import create_user
from tnw.audit.models import AuditEntry
from tnw.coordinators import services
from tnw.coordinators.assignment import CoordinatorLapsed
from tnw.dossier.models import Episode
from tnw.dossier.services import assign_episode


@pytest.fixture
def lapsed(users, mutuality):
    """Took up the function on 15/03/2023, no exam: the two years ended on 15/03/2025."""
    user = create_user(
        username="lapsed", role="coordinator", password="test-password", mutuality=mutuality,
        first_name="Lea", last_name="Laps",
    )  # fmt: skip
    services.record_coordinator(
        actor=users["manager"], coordinator=user, diploma_level_b=True,
        started_on=date(2023, 3, 15),
    )  # fmt: skip
    return user


@pytest.fixture
def newcomer(users, mutuality):
    """Took up the function on 05/01/2026: in the grace period (three years, 2024 version)."""
    user = create_user(
        username="newcomer", role="coordinator", password="test-password", mutuality=mutuality
    )
    services.record_coordinator(
        actor=users["manager"], coordinator=user, diploma_level_b=True,
        started_on=date(2026, 1, 5),
    )  # fmt: skip
    return user


def _assign(user, episode, coordinator):
    return assign_episode(
        user=user, episode_id=episode.pk,
        expected_version=Episode.objects.get(pk=episode.pk).version, coordinator=coordinator,
        today=TODAY,
    )  # fmt: skip


def test_a_lapsed_coordinator_is_refused_and_nothing_is_stored(episode, coordinator, lapsed):
    before = (Episode.objects.get(pk=episode.pk).version, AuditEntry.objects.count())
    with pytest.raises(CoordinatorLapsed) as refused:
        _assign(coordinator, episode, lapsed)
    assert refused.value.code == "coordinator_lapsed"
    assert refused.value.reasons == ("exam_not_passed_in_term",)
    stored = Episode.objects.get(pk=episode.pk)
    assert (stored.coordinator_id, stored.version) == (coordinator.pk, before[0])
    assert AuditEntry.objects.count() == before[1]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ("Lea Laps", "II 2.1", "vervallen", "examen")),
        ("fr", ("Lea Laps", "II 2.1", "expiré", "examen")),
        ("de", ("Lea Laps", "II 2.1", "erloschen", "Prüfung")),
        ("en", ("Lea Laps", "II 2.1", "lapsed", "exam")),
    ],
)
def test_the_refusal_says_why_in_the_users_language(episode, coordinator, lapsed, language, words):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        _assign(coordinator, episode, lapsed)
    message = refused.value.messages[0]
    assert all(word in message for word in words), message


def test_the_grace_period_and_a_coordinator_outside_the_register_are_allowed(
    episode, coordinator, newcomer, users
) -> None:
    assert _assign(coordinator, episode, newcomer).coordinator_id == newcomer.pk
    assert _assign(coordinator, episode, coordinator).coordinator_id == coordinator.pk


def test_opening_an_episode_for_a_lapsed_coordinator_is_refused(person, coordinator, lapsed):
    with pytest.raises(CoordinatorLapsed):
        open_episode(coordinator, person, date(2026, 6, 1), coordinator=lapsed)
    assert not Episode.objects.filter(person=person).exists()


def test_the_administrators_exception_lets_it_through_and_each_use_is_audited(
    episode, coordinator, lapsed, users
) -> None:
    override = services.grant_override(
        actor=users["admin"], coordinator=lapsed, reason="Exam retaken on 30/11, result awaited",
        valid_until=date(2026, 12, 31), today=TODAY,
    )  # fmt: skip
    assert _assign(coordinator, episode, lapsed).coordinator_id == lapsed.pk
    uses = AuditEntry.objects.filter(
        object_type="coordinators.assignmentoverride", object_id=str(override.pk),
        person_id=episode.person_id,
    )  # fmt: skip
    assert uses.count() == 1
    used = uses.get().changes["assigned_under_override"]
    assert used["episode_id"] == episode.pk and used["reasons"] == ["exam_not_passed_in_term"]
    granted = AuditEntry.objects.get(object_type="coordinators.assignmentoverride", action="create")
    assert granted.actor_id == users["admin"].pk


def test_a_revoked_or_ended_exception_no_longer_counts(episode, coordinator, lapsed, users):
    override = services.grant_override(
        actor=users["admin"], coordinator=lapsed, reason="Exam retaken, result awaited",
        valid_until=date(2026, 11, 30), today=TODAY,
    )  # fmt: skip
    with pytest.raises(CoordinatorLapsed):  # 01/12: the exception has ended
        assign_episode(
            user=coordinator, episode_id=episode.pk, expected_version=episode.version,
            coordinator=lapsed, today=date(2026, 12, 1),
        )  # fmt: skip
    services.revoke_override(actor=users["admin"], override_id=override.pk)
    with pytest.raises(CoordinatorLapsed):
        _assign(coordinator, episode, lapsed)


def test_only_an_administrator_grants_with_a_reason_for_at_most_90_days(lapsed, users):
    def grant(actor, reason="Exam retaken, result awaited", until=date(2026, 12, 31)):
        return services.grant_override(
            actor=actor, coordinator=lapsed, reason=reason, valid_until=until, today=TODAY
        )

    with pytest.raises(PermissionDenied):
        grant(users["manager"])
    with pytest.raises(ValidationError) as short:
        grant(users["admin"], reason="because")
    assert short.value.code == "reason"
    with pytest.raises(ValidationError) as long:
        grant(users["admin"], until=date(2027, 2, 23))  # 91 days after 24/11/2026
    assert long.value.code == "valid_until"
    assert grant(users["admin"], until=date(2027, 2, 22)).valid_until == date(2027, 2, 22)
