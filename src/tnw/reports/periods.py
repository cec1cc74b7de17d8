"""The months or quarters of a report period, and their names."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _


def first_of(day: date, grain: str) -> date:
    month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    return date(day.year, month, 1)


def buckets(start: date, end: date, grain: str) -> list[date]:
    """The first day of every month (or quarter) from `start`'s to `end`'s, in order."""
    step = 1 if grain == "month" else 3
    current, last, out = first_of(start, grain), first_of(end, grain), []
    while current <= last:
        out.append(current)
        month = current.month + step
        current = date(current.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return out


def label(bucket: date, grain: str) -> str:
    if grain == "month":
        return bucket.strftime("%m/%Y")
    return _("Q%(quarter)d %(year)d") % {
        "quarter": (bucket.month - 1) // 3 + 1,
        "year": bucket.year,
    }


def as_date(value) -> date:
    """A period as the database returns it (a date, a datetime or an ISO string on SQLite)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value if type(value) is date else value.date()
