"""The one date policy of the rules engine.

Every term in the engine goes through these functions, so that a week, a month, "the Nth
month of the incapacity" and a working day mean the same thing everywhere:

- N weeks after D is D + 7N days; N calendar days after D is D + N.
- Months follow the Judicial Code (Ger.W. art. 52-54; parameter `calendar.month_policy`):
  the day of the event is not counted (art. 52) and a term in months runs "van de zoveelste
  tot de dag voor de zoveelste" (art. 54). A term of N months after an event on day D ends on
  the day before the day with (D + 1)'s number, N months later; a period of N months that
  starts on day S (counted in) ends on the day before S's number, N months later; where that
  month lacks the number, on the last day of that month. So one month from 30 April ends on
  31 May, one month from 30 January on 28 or 29 February.
- The Nth month of an incapacity starting S runs from the day after the period of N-1 months
  from S to the last day of the period of N months from S.
- `add_months` is the plain calendar shift (same day number, clipped): it dates anniversaries
  (a birthday, the pension date), never a term.
- A working day (CODEX 2017) is Monday to Friday, except the Belgian legal public holidays
  (Wet 4-1-1974, KB 18-4-1974); "N working days after D" is the Nth working day after D.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import holidays

TermUnit = Literal["days", "weeks", "months", "working_days"]
MonthPolicy = Literal["judicial_code", "same_day_clipped"]
MONTH_POLICY_PARAMETER = "calendar.month_policy"


@dataclass(frozen=True)
class Term:
    """A legal term such as "49 calendar days" or "3 months"."""

    amount: int
    unit: TermUnit

    def after(self, start: date) -> date:
        """The last day of the term that starts running the day after `start`."""
        if self.unit == "days":
            return start + timedelta(days=self.amount)
        if self.unit == "weeks":
            return add_weeks(start, self.amount)
        if self.unit == "months":
            return month_term_end(start, self.amount)
        return add_working_days(start, self.amount)

    def after_period(self, first_day: date) -> date:
        """The first day after a period of this length that starts on `first_day`, counted in
        ("after three months of incapacity", "still incapacitated after six months")."""
        if self.unit == "months":
            return month_period_end(first_day, self.amount) + timedelta(days=1)
        if self.unit == "working_days":
            raise ValueError("a period of working days has no counted-in start here")
        return self.after(first_day)

    def describe(self) -> str:
        unit = {
            "days": "calendar days",
            "weeks": "weeks",
            "months": "months",
            "working_days": "working days",
        }[self.unit]
        if self.amount == 1:
            unit = {
                "days": "calendar day",
                "weeks": "week",
                "months": "month",
                "working_days": "working day",
            }[self.unit]
        return f"{self.amount} {unit}"


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(days=7 * weeks)


def _month_of(start: date, months: int) -> tuple[int, int, int]:
    """The year and month `months` after `start`'s month, and that month's last day number."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    return year, month, _stdlib_calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clipped to the last day of a shorter month.

    The calendar shift for anniversaries (a birthday, a pension date) and the reference the
    month policy is measured against; a legal term in months uses `month_term_end`.
    """
    year, month, last_day = _month_of(start, months)
    return date(year, month, min(start.day, last_day))


def month_policy(on: date) -> MonthPolicy:
    """The way of counting months in force on `on` (parameter `calendar.month_policy`)."""
    from .parameters import all_parameters  # the parameters module imports Term from here

    parameter = all_parameters()[MONTH_POLICY_PARAMETER]
    chosen = parameter.at(max(on, parameter.values[0].since)).value
    if chosen not in ("judicial_code", "same_day_clipped"):
        raise ValueError(f"unknown month policy {chosen!r}")
    return chosen  # type: ignore[no-any-return]


def month_period_end(first_day: date, months: int) -> date:
    """The last day of a period of `months` months that starts on `first_day`, counted in.

    Ger.W. art. 54: "van de zoveelste tot de dag voor de zoveelste": the day before
    `first_day`'s number, `months` later; where that month lacks the number, its last day (a
    six-month period from 31 August ends on the last day of February). Under the other
    policy, the clipped same day number minus one day.
    """
    if months < 1:
        raise ValueError("a period in months lasts at least one month")
    if month_policy(first_day) == "same_day_clipped":
        return add_months(first_day, months) - timedelta(days=1)
    year, month, last_day = _month_of(first_day, months)
    if first_day.day > last_day:
        return date(year, month, last_day)
    return date(year, month, first_day.day) - timedelta(days=1)


def month_term_end(event_day: date, months: int) -> date:
    """The last day of a term of `months` months after an event on `event_day`.

    Ger.W. art. 52: the day of the event is not counted, so the term is the period of
    `months` months that starts the next day (art. 54): one month from 30 April ends on 31 May,
    one month from 28 February 2025 on 31 March, one month from 30 January on 28 or 29 February.
    Under the other policy, the same day number, clipped.
    """
    if month_policy(event_day) == "same_day_clipped":
        return add_months(event_day, months)
    return month_period_end(event_day + timedelta(days=1), months)


def nth_month(incapacity_start: date, n: int) -> tuple[date, date]:
    """First and last day of the Nth month of an incapacity (n >= 1).

    Month N runs from the day after the period of N-1 months from the start (counted in) to
    the last day of the period of N months: for a start on 31 January, month 4 runs from 1 May
    to 30 May.
    """
    if n < 1:
        raise ValueError("the first month of an incapacity is month 1")
    first = incapacity_start
    if n > 1:
        first = month_period_end(incapacity_start, n - 1) + timedelta(days=1)
    return first, month_period_end(incapacity_start, n)


@lru_cache(maxsize=512)
def belgian_public_holidays(year: int) -> frozenset[date]:
    """The ten Belgian legal public holidays of `year`.

    The `holidays` package also lists Easter Sunday and Whit Sunday; they are Sundays, so
    they change nothing for working days. The language is fixed so that the result does not
    depend on the machine's locale.
    """
    return frozenset(holidays.country_holidays("BE", years=year, language="en_US").keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in belgian_public_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`th working day after `start` (start itself is not counted)."""
    if count < 0:
        raise ValueError("a term in working days cannot be negative")
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
