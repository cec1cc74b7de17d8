"""Every report by name: what the screens, the exports and `tnw report` build.

A report is built once per scope and language and kept for two minutes in Django's cache, so
a page and the charts it shows (separate requests) draw the same figures without counting
twice. Reports read through `reading_reports()`: from the replica when one is configured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tnw.reports.barometer import barometer
from tnw.reports.compliance import compliance, total_table
from tnw.reports.flow import flow
from tnw.reports.router import reading_reports
from tnw.reports.scope import Scope
from tnw.reports.tables import Report


def dashboard(scope: Scope) -> Report:
    """The eight barometer themes and the compliance per obligation, on one page."""
    tables = [*barometer(scope).tables, total_table(scope)]
    return Report("dashboard", _("Dashboard"), tables)


REPORTS: dict[str, Callable[[Scope], Report]] = {
    "dashboard": dashboard,
    "barometer": barometer,
    "compliance": compliance,
    "flow": flow,
}
TITLES = {
    "dashboard": _("Dashboard"),
    "barometer": _("Barometer"),
    "compliance": _("Legal-term compliance"),
    "flow": _("Flow and lead times"),
}
CACHE_SECONDS = 120


def build(name: str, scope: Scope, *, cached: bool = True) -> Report:
    """The report `name` for `scope` (KeyError for an unknown name)."""
    make = REPORTS[name]
    digest = hashlib.sha256(repr(scope).encode()).hexdigest()[:32]
    key = f"tnw-report:{name}:{translation.get_language()}:{digest}"
    report = cache.get(key) if cached else None
    if report is None:
        with reading_reports():
            report = make(scope)
            # When the figures were refreshed (None: counted now), for the page to say.
            report.meta["refreshed"] = scope.figures.refreshed
        cache.set(key, report, CACHE_SECONDS)
    return report
