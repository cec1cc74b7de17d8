"""The coordinator register: recorded by the manager, audited, status by the dated rule (II 2.1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tnw.audit.models import AuditEntry
from tnw.coordinators import selectors, services
from tnw.coordinators.models import RegisterEntry


@pytest.fixture
def entry(users):
    return services.record_coordinator(
        actor=users["manager"],
        coordinator=users["coordinator"],
        diploma_level_b=True,
        started_on=date(2023, 3, 15),
    )


def test_a_new_coordinator_is_in_grace_until_two_years_after_starting(users, entry) -> None:
    found = selectors.coordinator_status(coordinator=users["coordinator"], on=date(2024, 1, 1))
    assert (found.status, found.until) == ("grace", date(2025, 3, 15))
    assert AuditEntry.objects.filter(object_type="coordinators.registerentry").exists()


def test_the_exam_and_intervision_make_the_coordinator_qualified(users, entry) -> None:
    manager, coordinator = users["manager"], users["coordinator"]
    services.record_exam(actor=manager, coordinator=coordinator, on=date(2023, 6, 1), passed=True)
    for day in (date(2024, 3, 1), date(2024, 10, 1)):
        services.record_intervision(
            actor=manager, coordinator=coordinator, on=day, minutes=90, riziv_reference="DM-24"
        )
    found = selectors.coordinator_status(coordinator=coordinator, on=date(2025, 1, 2))
    assert found.status == "qualified"
    assert [(y.year, y.attended) for y in found.years] == [(2024, 2), (2025, 0)]


def test_a_coordinator_without_the_exam_after_two_years_is_lapsed(users, entry) -> None:
    found = selectors.coordinator_status(coordinator=users["coordinator"], on=date(2025, 3, 16))
    assert (found.status, found.reasons) == ("lapsed", ("exam_not_passed_in_term",))


def test_the_team_lists_deadlines_within_90_days(users, entry) -> None:
    team = selectors.team_status(mutuality_id=users["manager"].mutuality_id, on=date(2024, 12, 20))
    assert [(u.username, s.status, soon) for u, s, soon in team] == [("coordinator", "grace", True)]
    team = selectors.team_status(mutuality_id=users["manager"].mutuality_id, on=date(2024, 12, 10))
    assert [soon for _, _, soon in team] == [False]


def test_only_the_manager_or_an_admin_records(users, outsiders) -> None:
    for actor in (users["coordinator"], outsiders["manager"]):
        with pytest.raises(PermissionDenied):
            services.record_coordinator(
                actor=actor,
                coordinator=users["coordinator"],
                diploma_level_b=True,
                started_on=date(2023, 3, 15),
            )
    assert not RegisterEntry.objects.exists()


def test_bad_input_is_refused_and_nothing_is_stored(users, entry) -> None:
    with pytest.raises(ValidationError):
        services.record_coordinator(
            actor=users["admin"], coordinator=users["staff"], diploma_level_b=True,
            started_on=date(2023, 3, 15),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_intervision(
            actor=users["manager"], coordinator=users["coordinator"], on=date(2024, 1, 5),
            minutes=0,
        )  # fmt: skip
    assert entry.activities.count() == 0
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "De duur van een activiteit moet een positief aantal minuten zijn."),
        ("fr", "La durée d'une activité doit être un nombre positif de minutes."),
        ("de", "Die Dauer einer Aktivität muss eine positive Anzahl Minuten sein."),
        ("en", "The duration of an activity must be a positive number of minutes."),
    ],
)
def test_the_refusal_is_in_the_users_language(users, entry, language, text) -> None:
    from django.utils import translation

    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.record_intervision(
            actor=users["manager"], coordinator=users["coordinator"], on=date(2024, 1, 5),
            minutes=-5,
        )  # fmt: skip
    assert refused.value.messages == [text]
