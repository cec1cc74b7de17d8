"""The dossier's side of issue 17 point 9 (late on arrival) and of issue 9 (the employer's
number of workers, the justification of an absence as health data). Expectations computed by
hand from docs/rules.md (scenarios 11 L09, K7, K8 in tests/rules/scenarios)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import TODAY, open_episode, register
from tnw.dossier import selectors, services
from tnw.dossier.models import Episode, Obligation
from tnw.dossier.types import REDACTED
from tnw.worklists.pages import worklist_page
from tnw.worklists.selectors import worklist_for


def _codex_episode(coordinator, physician, person, workers):
    episode = open_episode(
        coordinator, person, date(2026, 1, 5), contract=True, employer_workers=workers,
        coordinator=coordinator, advising_physician=physician,
    )  # fmt: skip
    register(
        coordinator, episode, "work_potential_estimated", date(2026, 3, 10),
        estimated_by="occupational_physician", sufficient=True,
    )  # fmt: skip
    return episode


@pytest.mark.django_db
def test_twenty_workers_stored_on_the_episode_give_the_compulsory_request(
    coordinator, physician, person
):
    episode = _codex_episode(coordinator, physician, person, 20)
    assert Episode.objects.get(pk=episode.pk).employer_workers == 20
    request = Obligation.objects.get(episode=episode, code="codex_trajectory_request")
    # KB 17-12-2025: at the latest 6 months after the start (5-1-2026): 5-7-2026.
    assert (request.actor, request.opens, request.due) == ("employer", date(2026, 3, 10),
                                                           date(2026, 7, 5))  # fmt: skip


@pytest.mark.django_db
def test_nineteen_workers_give_no_compulsory_request_until_the_size_is_corrected(
    coordinator, physician, person
):
    episode = _codex_episode(coordinator, physician, person, 19)
    assert not Obligation.objects.filter(episode=episode, code="codex_trajectory_request")
    services.update_episode(
        user=coordinator, episode_id=episode.pk,
        expected_version=Episode.objects.get(pk=episode.pk).version, employer_workers=20,
        today=TODAY,
    )  # fmt: skip
    assert Obligation.objects.get(episode=episode, code="codex_trajectory_request").due == date(
        2026, 7, 5
    )
    view = selectors.get_dossier(user=coordinator, person_id=person.pk, today=TODAY)
    assert view["episodes"][0]["employer_workers"] == 20


@pytest.mark.django_db
def test_a_negative_number_of_workers_is_refused_naming_the_field_and_nothing_is_stored(
    coordinator, physician, person
):
    episode = _codex_episode(coordinator, physician, person, None)
    version = Episode.objects.get(pk=episode.pk).version
    with pytest.raises(ValidationError) as caught:
        services.update_episode(
            user=coordinator, episode_id=episode.pk, expected_version=version,
            employer_workers=-1, today=TODAY,
        )  # fmt: skip
    assert caught.value.code == "invalid_employer_workers"
    assert caught.value.params == {"field": "employer_workers"}
    stored = Episode.objects.get(pk=episode.pk)
    assert (stored.employer_workers, stored.version) == (None, version)
    with pytest.raises(ValidationError, match="number of workers"):
        open_episode(coordinator, person, date(2025, 1, 6), contract=True, employer_workers=-3)
    assert Episode.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_the_justification_of_an_absence_is_withheld_from_a_coordinator(
    coordinator, physician, person
):
    episode = open_episode(
        coordinator, person, date(2026, 1, 5), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(
        physician, episode, "invited", date(2026, 3, 2), appointment="medical_examination",
        appointment_date=date(2026, 3, 16), mode="physical", sanction_stated=True,
    )  # fmt: skip
    register(
        physician, episode, "absent", date(2026, 3, 16), appointment="medical_examination",
        justified=True, justification="admitted to hospital",
    )  # fmt: skip

    def absence(user):
        view = selectors.get_dossier(user=user, person_id=person.pk, today=TODAY)
        return next(r for r in view["episodes"][0]["registrations"] if r["type"] == "absent")

    assert absence(physician)["data"]["justification"] == "admitted to hospital"
    seen = absence(coordinator)["data"]
    assert seen["justification"] == REDACTED and seen["justified"] is True


@pytest.mark.django_db
def test_a_first_contact_late_on_arrival_is_stored_marked_and_ordered_by_its_target(
    coordinator, physician, person
):
    episode = open_episode(
        coordinator, person, date(2026, 1, 5), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "capacity_assessed", date(2026, 4, 22), category=4,
             medical_exam=False)  # fmt: skip
    register(physician, episode, "referred_to_coordinator", date(2026, 7, 10))
    contact = Obligation.objects.get(episode=episode, code="first_contact")
    # Month 6 of an incapacity from 5-1-2026 ends on 4-7-2026; one month from 10-7 is 10-8.
    assert (contact.due, contact.late_on_arrival, contact.late_cause, contact.target) == (
        date(2026, 7, 4), True, "refer_to_coordinator", date(2026, 8, 10))  # fmt: skip
    mine = worklist_for(coordinator, today=date(2026, 7, 12), kind="first_contact")
    assert [(i.due, i.late_on_arrival, i.target) for i in mine] == [
        (date(2026, 7, 4), True, date(2026, 8, 10))
    ]
    late = worklist_page(coordinator, today=date(2026, 7, 12), view="late")
    assert [i.code for i in late.items] == ["first_contact"]


@pytest.mark.django_db
def test_the_figures_give_the_lateness_of_a_late_on_arrival_contact_to_the_earlier_step(
    coordinator, physician, person
):
    from tnw.dossier.statistics import Window, compliance

    episode = open_episode(
        coordinator, person, date(2026, 1, 5), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "capacity_assessed", date(2026, 4, 22), category=4,
             medical_exam=False)  # fmt: skip
    register(physician, episode, "referred_to_coordinator", date(2026, 7, 10))
    register(
        coordinator, episode, "first_contact", date(2026, 8, 1), mode="physical", consent=True,
        outcome="none", form_reference="ANNEX-III-0002",
    )  # fmt: skip
    window = Window(date(2026, 1, 1), date(2026, 12, 31))
    rows = [r for r in compliance(window=window, today=TODAY, by="total")
            if r["code"] == "first_contact"]  # fmt: skip
    # Done on 1-8 after the legal due date 4-7: late, but late on arrival (the referral's).
    assert [(r["late_on_arrival"], r["late"], r["on_time"]) for r in rows] == [(1, 0, 0)]
