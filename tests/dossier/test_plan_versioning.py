"""A plan adjustment is a new version, never an overwrite."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY
from tnw.dossier import selectors, services
from tnw.dossier.errors import RegistrationRefused
from tnw.dossier.models import Episode, ImmutableError, PlanVersion


def draw(coordinator, episode, on, actions, reason=""):
    return services.draw_up_plan(
        user=coordinator, episode_id=episode.pk,
        expected_version=Episode.objects.get(pk=episode.pk).version, on=on,
        objectives=["memory and concentration"], end_result="80% administrative job",
        actions=actions, next_appointment=date(2026, 12, 15), reason=reason, today=TODAY,
    )  # fmt: skip


def test_an_adjustment_adds_a_version_and_keeps_the_first(ziv_episode, coordinator):
    first = draw(coordinator, ziv_episode, date(2026, 10, 20), ["training at VDAB"])
    second = draw(
        coordinator, ziv_episode, date(2026, 11, 20), ["internship", "therapist"],
        reason="training full",
    )  # fmt: skip
    assert (first.number, second.number) == (1, 2)
    assert second.previous == first
    first.refresh_from_db()
    assert first.actions == ["training at VDAB"]
    assert second.actions == ["internship", "therapist"]
    assert second.reason == "training full"
    assert first.registration_id != second.registration_id


def test_the_dossier_shows_every_version(ziv_episode, coordinator):
    draw(coordinator, ziv_episode, date(2026, 10, 20), ["a"])
    draw(coordinator, ziv_episode, date(2026, 11, 20), ["b"])
    dossier = selectors.get_dossier(user=coordinator, person_id=ziv_episode.person_id, today=TODAY)
    plans = dossier["episodes"][0]["plans"]
    assert [(p["number"], p["actions"]) for p in plans] == [(1, ["a"]), (2, ["b"])]


def test_a_plan_version_cannot_be_overwritten_or_deleted(ziv_episode, coordinator):
    plan = draw(coordinator, ziv_episode, date(2026, 10, 20), ["a"])
    plan.actions = ["changed"]
    with pytest.raises(ImmutableError):
        plan.save()
    with pytest.raises(ImmutableError):
        plan.delete()
    assert PlanVersion.objects.get(pk=plan.pk).actions == ["a"]


def test_an_incomplete_adjustment_is_refused_and_the_plan_stays(ziv_episode, coordinator):
    draw(coordinator, ziv_episode, date(2026, 10, 20), ["a"])
    with pytest.raises(RegistrationRefused) as caught:
        draw(coordinator, ziv_episode, date(2026, 11, 20), [])
    assert caught.value.code == "plan_incomplete"
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [1]


def test_the_follow_up_runs_from_the_latest_version(ziv_episode, coordinator):
    draw(coordinator, ziv_episode, date(2026, 10, 20), ["a"])
    draw(coordinator, ziv_episode, date(2026, 11, 20), ["b"])
    follow_up = ziv_episode.obligations.get(code="plan_follow_up")
    assert follow_up.opens == date(2026, 11, 20)


def test_dates_given_as_text_are_stored_as_dates(ziv_episode, coordinator):
    from tests.conftest import register

    registration = register(
        coordinator, ziv_episode, "plan_drawn_up", "2026-10-20", objectives=["a"],
        end_result="b", actions=["c"], next_appointment="2026-12-01",
    )  # fmt: skip
    assert registration.date == date(2026, 10, 20)
    assert registration.plan_version.next_appointment == date(2026, 12, 1)
    registration.refresh_from_db()
    assert registration.date == date(2026, 10, 20)
