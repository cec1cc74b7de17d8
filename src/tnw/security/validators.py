"""Plausible dates (issue 18, "What to build" 7: an episode starting on 01/01/0001 was
accepted). Every date a person types in the screens (`tnw.web.forms.BelgianDateField`, which
the other apps' forms reuse) and every date the API takes in lies between 1 January 1900 and
the end of the year ten years from today; otherwise the field says why, in the user's language.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 10


def latest_plausible(today: date | None = None) -> date:
    return date((today or timezone.localdate()).year + YEARS_AHEAD, 12, 31)


def written(day: date) -> str:
    """A date as the user's language writes it in a message: 31.12.2036 in German (TT.MM.JJJJ),
    31/12/2036 in Dutch, French and English (dd/mm/jjjj, jj/mm/aaaa, dd/mm/yyyy)."""
    return day.strftime("%d.%m.%Y" if (get_language() or "").startswith("de") else "%d/%m/%Y")


def plausible_date(value: date | None) -> None:
    if value is None:
        return
    latest = latest_plausible()
    if not EARLIEST <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s: this one is not plausible."),
            code="implausible_date",
            params={"earliest": written(EARLIEST), "latest": written(latest)},
        )
