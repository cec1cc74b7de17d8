"""The date policy, as a table."""

from __future__ import annotations

from datetime import date

import pytest

from tnw.rules.calendar import (
    Term,
    add_months,
    add_weeks,
    add_working_days,
    belgian_public_holidays,
    is_working_day,
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
def test_months_keep_the_day_number_or_clip_to_the_month_end(
    start: str, months: int, expected: str
) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("start", "n", "first", "last"),
    [
        ("2025-01-06", 4, "2025-04-06", "2025-05-05"),
        ("2025-01-31", 4, "2025-04-30", "2025-05-30"),
        ("2023-11-30", 4, "2024-02-29", "2024-03-29"),
        ("2025-01-01", 1, "2025-01-01", "2025-01-31"),
        ("1999-10-15", 4, "2000-01-15", "2000-02-14"),
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
