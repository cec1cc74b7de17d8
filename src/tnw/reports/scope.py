"""Who may see which report figures: a manager (or coordinator, physician) the figures of their
own mutuality, the administrator those of every mutuality (the national view). Nobody gets a
person from a report: reports hold aggregates only (tnw.dossier.statistics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tnw.accounts.roles import Cap, has, require
from tnw.dossier import statistics
from tnw.dossier.statistics import GRAINS, Window
from tnw.mutualities.models import Mutuality

# Longest period of one report page: ten years of months.
MAX_DAYS = 3660


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    today: date
    grain: str
    mutuality_ids: tuple[int, ...] | None  # None: every mutuality (national)
    national: bool
    stored: bool = True  # read the stored figures when they answer exactly (False: count now)

    @property
    def window(self) -> Window:
        return Window(
            start=self.start, end=self.end, mutuality_ids=self.mutuality_ids, grain=self.grain
        )

    @cached_property
    def figures(self) -> Any:
        """Where the figures come from: the daily refresh's, or counted now (statistics.source)."""
        return statistics.source(window=self.window, today=self.today, stored=self.stored)

    def mutualities(self) -> list[Mutuality]:
        queryset = Mutuality.objects.order_by("code")
        if self.mutuality_ids is not None:
            queryset = queryset.filter(pk__in=self.mutuality_ids)
        return list(queryset)


def _checked_period(start: date, end: date, grain: str) -> None:
    if grain not in GRAINS:
        raise ValidationError(_("Choose per month or per quarter."))
    if start > end:
        raise ValidationError(_("The start of the period lies after its end."))
    if (end - start).days > MAX_DAYS:
        raise ValidationError(_("Choose a period of at most ten years."))


def scope_for(
    *, user, start: date, end: date, today: date, grain: str = "month", mutuality_code: str = ""
) -> Scope:
    """The scope of `user`'s report, or PermissionDenied / ValidationError."""
    _checked_period(start, end, grain)
    if has(user, Cap.VIEW_NATIONAL_FIGURES):
        ids = _mutuality_ids(mutuality_code)
        return Scope(start, end, today, grain, ids, national=True)
    require(user, Cap.VIEW_FIGURES, mutuality_id=user.mutuality_id)
    if mutuality_code and mutuality_code != user.mutuality.code:
        raise PermissionDenied("the figures of another mutuality are not yours to see")
    return Scope(start, end, today, grain, (user.mutuality_id,), national=False)


def command_scope(
    *, start: date, end: date, today: date, grain: str = "month", mutuality_code: str = ""
) -> Scope:
    """The scope of `tnw report` (run by the operator on the server: every mutuality, or one)."""
    _checked_period(start, end, grain)
    return Scope(start, end, today, grain, _mutuality_ids(mutuality_code), national=True)


def _mutuality_ids(code: str) -> tuple[int, ...] | None:
    if not code:
        return None
    found = Mutuality.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError(_("There is no mutuality with code %(code)s.") % {"code": code})
    return (found,)
