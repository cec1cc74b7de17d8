"""The date policy, as a table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tnw.rules import parameters
from tnw.rules.calendar import (
    MONTH_POLICY_PARAMETER,
    Term,
    add_months,
    add_weeks,
    add_working_days,
    belgian_public_holidays,
    is_working_day,
    month_period_end,
    month_term_end,
    nth_month,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2025-03-31", 1, "2025-04-30"),
        ("1999-12-31", 2, "2000-02-29"),
        ("1999-11-15", 3, "2000-02-15"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-03-15", -6, "2024-09-15"),
        ("2025-03-31", -1, "2025-02-28"),
    ],
)
def test_the_calendar_shift_keeps_the_day_number_or_clips_to_the_month_end(
    start: str, months: int, expected: str
) -> None:
    """`add_months` dates anniversaries (birthday, pension date); it is not a legal term."""
    assert add_months(D(start), months) == D(expected)


# Ger.W. art. 52 and 54, computed by hand: a term of N months after an event on day D is the
# period that starts on D + 1 and ends on the day before (D + 1)'s number N months later, or on
# the last day of that month when it lacks the number.
@pytest.mark.parametrize(
    ("event", "months", "expected"),
    [
        ("2025-04-30", 1, "2025-05-31"),  # issue 17: from 1 May to the day before 1 June
        ("2025-02-28", 1, "2025-03-31"),  # issue 17: from 1 March to the day before 1 April
        ("2025-01-30", 1, "2025-02-28"),  # from 31 January: February lacks the 31st
        ("2024-01-30", 1, "2024-02-29"),  # the same in a leap year
        ("2024-01-28", 1, "2024-02-28"),  # from 29 January to the day before 29 February
        ("2025-01-31", 1, "2025-02-28"),  # from 1 February to the day before 1 March
        ("2025-01-15", 1, "2025-02-15"),  # mid-month: the same day number
        ("2024-02-29", 1, "2024-03-31"),  # from 1 March to the day before 1 April
        ("2025-11-30", 3, "2026-02-28"),  # from 1 December to the day before 1 March
        ("2025-05-31", 3, "2025-08-31"),  # from 1 June to the day before 1 September
        ("2025-08-30", 6, "2026-02-28"),  # from 31 August: February lacks the 31st
        ("2025-12-31", 2, "2026-02-28"),  # from 1 January to the day before 1 March
        ("2024-02-29", 12, "2025-02-28"),  # from 1 March 2024 to the day before 1 March 2025
        ("2025-12-15", 1, "2026-01-15"),  # across the year end
    ],
)
def test_a_term_in_months_follows_the_judicial_code(event: str, months: int, expected: str) -> None:
    assert month_term_end(D(event), months) == D(expected)
    assert Term(months, "months").after(D(event)) == D(expected)


# A period of N months that starts on day S (counted in) ends on the day before S's number N
# months later, or on the last day of that month when it lacks the number (Ger.W. art. 54).
@pytest.mark.parametrize(
    ("first_day", "months", "expected"),
    [
        ("2025-08-01", 6, "2026-01-31"),  # the contract example of the presumption
        ("2025-08-28", 6, "2026-02-27"),
        ("2025-08-29", 6, "2026-02-28"),  # February 2026 lacks the 29th
        ("2025-08-30", 6, "2026-02-28"),
        ("2025-08-31", 6, "2026-02-28"),  # issue 17: the last day of February
        ("2027-08-29", 6, "2028-02-28"),  # leap year: the day before 29 February
        ("2027-08-31", 6, "2028-02-29"),
        ("2025-12-31", 6, "2026-06-30"),  # June lacks the 31st
        ("2025-01-31", 3, "2025-04-30"),
        ("2025-03-01", 1, "2025-03-31"),
    ],
)
def test_a_period_in_months_ends_the_day_before_the_same_number(
    first_day: str, months: int, expected: str
) -> None:
    assert month_period_end(D(first_day), months) == D(expected)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=1, max_value=36),
)
@settings(max_examples=2000, deadline=None)
def test_every_month_term_ends_on_or_within_three_days_after_the_clipped_date(
    day: date, months: int
) -> None:
    """Issue 17: the policy never ends a term before the clipped same-day-number date, and at
    most 3 days after it (31 - 28); a period (counted in) ends at most 3 days after the
    clipped date minus one day."""
    clipped = add_months(day, months)
    assert 0 <= (month_term_end(day, months) - clipped).days <= 3
    assert 0 <= (month_period_end(day, months) - (clipped - timedelta(days=1))).days <= 3
    first, last = nth_month(day, months + 1)
    assert first == month_period_end(day, months) + timedelta(days=1) and first <= last


def test_the_month_policy_is_one_dated_parameter_with_its_citation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = parameters.all_parameters()[MONTH_POLICY_PARAMETER]
    assert found.at(D("2025-01-01")).value == "judicial_code"
    assert any("art. 54" in reference for reference in found.at(D("2025-01-01")).reference)
    # A court's different reading changes one value: the old clipped reading comes back.
    clipped = parameters.Parameter(
        found.name,
        found.description,
        (parameters.DatedValue(D("1900-01-01"), "same_day_clipped", ("test",)),),
    )
    monkeypatch.setitem(parameters.all_parameters(), MONTH_POLICY_PARAMETER, clipped)
    assert month_term_end(D("2025-04-30"), 1) == D("2025-05-30")
    assert month_period_end(D("2025-08-31"), 6) == D("2026-02-27")
    assert nth_month(D("2025-01-31"), 4) == (D("2025-04-30"), D("2025-05-30"))


@pytest.mark.parametrize(
    ("start", "n", "first", "last"),
    [
        ("2025-01-06", 4, "2025-04-06", "2025-05-05"),
        # issue 17: three months from 31 January end on 30 April (no 31 April)
        ("2025-01-31", 4, "2025-05-01", "2025-05-30"),
        # three months end on the day before 30 February: the leap day 29 February
        ("2023-11-30", 4, "2024-03-01", "2024-03-29"),
        ("2025-01-01", 1, "2025-01-01", "2025-01-31"),
        ("1999-10-15", 4, "2000-01-15", "2000-02-14"),
        # month 7 from 31 August: six months end on 28 February, seven on 30 March
        ("2024-08-31", 7, "2025-03-01", "2025-03-30"),
        # month 7 from 29 February 2024: 29 August .. 28 September
        ("2024-02-29", 7, "2024-08-29", "2024-09-28"),
    ],
)
def test_the_nth_month_of_an_incapacity(start: str, n: int, first: str, last: str) -> None:
    assert nth_month(D(start), n) == (D(first), D(last))


def test_weeks_are_seven_days() -> None:
    assert add_weeks(D("2025-01-06"), 10) == D("2025-03-17")
    assert Term(2, "weeks").after(D("2025-12-25")) == D("2026-01-08")


def test_the_ten_legal_public_holidays_of_2025() -> None:
    workdays_off = sorted(d for d in belgian_public_holidays(2025) if d.weekday() < 6)
    assert [d.isoformat() for d in workdays_off] == [
        "2025-01-01",
        "2025-04-21",
        "2025-05-01",
        "2025-05-29",
        "2025-06-09",
        "2025-07-21",
        "2025-08-15",
        "2025-11-01",
        "2025-11-11",
        "2025-12-25",
    ]


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2025-12-22", 5, "2025-12-30"),  # Christmas Thursday
        ("2025-04-17", 1, "2025-04-18"),
        ("2025-04-18", 1, "2025-04-22"),  # Easter Monday
        ("2021-12-20", 40, "2022-02-14"),  # Christmas and New Year on Saturdays
        ("2025-05-28", 2, "2025-06-02"),  # Ascension Thursday
        ("2025-07-18", 1, "2025-07-22"),  # 21 July on a Monday
        ("2025-10-31", 1, "2025-11-03"),  # 1 November on a Saturday changes nothing
        ("2025-11-10", 1, "2025-11-12"),
        ("2025-01-06", 0, "2025-01-06"),
    ],
)
def test_working_days_skip_weekends_and_legal_holidays(
    start: str, count: int, expected: str
) -> None:
    assert add_working_days(D(start), count) == D(expected)
    assert count == 0 or is_working_day(add_working_days(D(start), count))
