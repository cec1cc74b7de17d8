"""Legal parameters are dated data with references, and regimes are chosen by date."""

from __future__ import annotations

from datetime import date

import pytest

from tnw.rules import parameters
from tnw.rules.calendar import Term


def test_every_parameter_value_has_a_reference_and_increasing_dates() -> None:
    for parameter in parameters.all_parameters().values():
        assert parameter.description
        dates = [value.since for value in parameter.values]
        assert dates == sorted(set(dates))
        assert all(value.reference for value in parameter.values)


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("codex.assessment_term", date(2022, 9, 30), Term(40, "working_days")),
        ("codex.assessment_term", date(2022, 10, 1), Term(49, "days")),
        ("codex.plan_answer_term", date(2017, 6, 1), Term(5, "working_days")),
        ("codex.plan_answer_term", date(2026, 3, 1), Term(14, "days")),
        ("codex.employer_initiative_after", date(2022, 9, 30), Term(4, "months")),
        ("codex.employer_initiative_after", date(2022, 10, 1), Term(3, "months")),
        ("tnw.questionnaire_after", date(2025, 1, 1), Term(10, "weeks")),
    ],
)
def test_a_term_is_the_one_in_force_on_the_date(name: str, on: date, expected: Term) -> None:
    found, reference = parameters.term(name, on)
    assert found == expected
    assert reference


@pytest.mark.parametrize(
    ("family", "on", "expected"),
    [
        ("tnw", date(2021, 12, 31), None),
        ("tnw", date(2022, 1, 1), "2022-01-01"),
        ("tnw", date(2022, 9, 1), "2022-09-01"),
        ("codex", date(2016, 11, 30), None),
        ("codex", date(2022, 9, 30), "2017-01-01"),
        ("codex", date(2022, 10, 1), "2022-10-01"),
        ("codex", date(2026, 1, 1), "2026-01-01"),
    ],
)
def test_regimes_are_chosen_by_date(family: str, on: date, expected: str | None) -> None:
    regime = parameters.regime_on(family, on)
    assert (regime.id if regime else None) == expected


def test_a_date_before_the_first_value_is_an_error() -> None:
    with pytest.raises(parameters.ParameterError, match="has no value on 2000-01-01"):
        parameters.value("codex.assessment_term", date(2000, 1, 1))
