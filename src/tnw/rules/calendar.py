"""The one date policy of the rules engine.

Every term in the engine goes through these functions, so that a week, a month, "the Nth
month of the incapacity" and a working day mean the same thing everywhere:

- N weeks after D is D + 7N days; N calendar days after D is D + N.
- M months after D is the same day number M months later, or the last day of that month
  when it is shorter (31 January + 1 month = 28 or 29 February).
- The Nth month of an incapacity starting S runs from S + (N-1) months to S + N months - 1 day.
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
            return add_months(start, self.amount)
        return add_working_days(start, self.amount)

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


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clipped to the last day of a shorter month."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def nth_month(incapacity_start: date, n: int) -> tuple[date, date]:
    """First and last day of the Nth month of an incapacity (n >= 1)."""
    if n < 1:
        raise ValueError("the first month of an incapacity is month 1")
    first = add_months(incapacity_start, n - 1)
    last = add_months(incapacity_start, n) - timedelta(days=1)
    return first, last


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
