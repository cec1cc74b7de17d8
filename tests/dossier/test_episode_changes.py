"""Changing an episode (start, employment contract) re-evaluates its registrations; a change
that would take the legal effect away from one of them is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import TODAY
from tnw.accounts.selectors import assignable_users
from tnw.dossier import services
from tnw.dossier.errors import ConflictError, RegistrationRefused
from tnw.dossier.models import Episode


def test_changing_the_contract_under_a_situation_a_ziv_is_refused(ziv_episode, coordinator):
    version = Episode.objects.get(pk=ziv_episode.pk).version
    with pytest.raises(RegistrationRefused) as caught:
        services.update_episode(
            user=coordinator, episode_id=ziv_episode.pk, expected_version=version,
            employment_contract=True, today=TODAY,
        )  # fmt: skip
    assert caught.value.code == "invalidates_registration"
    assert "situation A is for an insured person without an employment contract" in str(
        caught.value
    )
    assert Episode.objects.get(pk=ziv_episode.pk).employment_contract is False
    assert Episode.objects.get(pk=ziv_episode.pk).version == version


def test_moving_the_start_recomputes_the_obligations(episode, coordinator):
    due_before = episode.obligations.get(code="send_questionnaire").due
    services.update_episode(
        user=coordinator, episode_id=episode.pk, expected_version=episode.version,
        start=date(2026, 6, 15), today=TODAY,
    )  # fmt: skip
    due_after = Episode.objects.get(pk=episode.pk).obligations.get(code="send_questionnaire").due
    assert due_after > due_before


def test_a_start_in_the_future_is_refused(person, coordinator):
    with pytest.raises(ValidationError, match="cannot start in the future"):
        services.open_episode(
            user=coordinator, person_id=person.pk, start=date(2026, 12, 1),
            employment_contract=False, today=TODAY,
        )  # fmt: skip


def test_assignment_needs_the_right_role_and_mutuality(episode, users, outsiders):
    with pytest.raises(ValidationError, match="is not a coordinator"):
        services.assign_episode(
            user=users["coordinator"], episode_id=episode.pk, expected_version=episode.version,
            coordinator=users["staff"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="works for another mutuality"):
        services.assign_episode(
            user=users["coordinator"], episode_id=episode.pk, expected_version=episode.version,
            coordinator=outsiders["coordinator"],
        )  # fmt: skip
    assert list(assignable_users(user=users["coordinator"], role="coordinator")) == [
        users["coordinator"]
    ]


def test_assignment_with_a_stale_version_is_a_conflict(episode, users):
    services.assign_episode(
        user=users["coordinator"], episode_id=episode.pk, expected_version=episode.version,
        coordinator=users["coordinator"],
    )  # fmt: skip
    with pytest.raises(ConflictError):
        services.assign_episode(
            user=users["advising_physician"], episode_id=episode.pk,
            expected_version=episode.version, advising_physician=users["advising_physician"],
        )  # fmt: skip
