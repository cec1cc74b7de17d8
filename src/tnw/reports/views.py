"""The report screens: the dashboard, each report with its charts and tables, the exports, and
the printable follow-up report of one dossier. Thin views: the scope (who sees which
mutualities) in tnw.reports.scope, the figures in the report builders, the dossier through the
dossier selectors (role-filtered and audited)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tnw.accounts.roles import Cap, has, require
from tnw.dossier import selectors
from tnw.reports import charts, exports, registry
from tnw.reports.forms import ReportFilterForm
from tnw.reports.scope import Scope, scope_for
from tnw.reports.tables import Report
from tnw.web.views import web_today

CHANNEL = "reports"
# A page shows at most this many rows of a table (the national view has one row per worker
# and obligation: tens of thousands); every row is in the table's CSV and the XLSX.
PAGE_ROWS = 250
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _allowed(user) -> None:
    if not has(user, Cap.VIEW_NATIONAL_FIGURES):
        require(user, Cap.VIEW_FIGURES, mutuality_id=user.mutuality_id)


def _scope(request) -> tuple[ReportFilterForm, Scope | None]:
    """The filter form and, when it is valid, the scope it asks for (403 if not the user's)."""
    _allowed(request.user)
    national = has(request.user, Cap.VIEW_NATIONAL_FIGURES)
    today = web_today()
    form = ReportFilterForm(request.GET, today=today, national=national)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        scope = scope_for(
            user=request.user, start=data["start"], end=data["end"], today=today,
            grain=data["grain"], mutuality_code=data.get("mutuality", ""),
        )  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return form, None
    return form, scope


def _report(name: str, scope: Scope) -> Report:
    if name not in registry.REPORTS:
        raise Http404("no such report")
    return registry.build(name, scope)


@login_required
@require_GET
def dashboard(request):
    return report(request, "dashboard")


@login_required
@require_GET
def report(request, name: str):
    form, scope = _scope(request)
    built = _report(name, scope) if scope else None
    query = request.GET.urlencode()
    sections = []
    for table in built.tables if built else []:
        chart_url = reverse("reports:chart", args=[name, table.key]) if table.chart else ""
        csv_url = reverse("reports:export", args=[name, "csv"])
        cells = table.cells()
        sections.append({
            "table": table,
            "cells": cells[:PAGE_ROWS],
            "more": len(cells) - PAGE_ROWS if len(cells) > PAGE_ROWS else 0,
            "all_rows": len(cells),
            "chart_url": f"{chart_url}?{query}" if chart_url else "",
            "csv_url": f"{csv_url}?{query}{'&' if query else ''}table={table.key}",
        })  # fmt: skip
    context = {
        "form": form,
        "name": name,
        "report": built,
        "sections": sections,
        "tabs": [(key, title) for key, title in registry.TITLES.items()],
        "query": query,
        "scope": scope,
        "scope_names": _scope_names(scope) if scope else "",
    }
    return render(request, "reports/report.html", context, status=200 if scope else 400)


def _scope_names(scope: Scope) -> str:
    if scope.mutuality_ids is None:
        return str(_("All mutualities"))
    return ", ".join(f"{m.code} {m.name}" for m in scope.mutualities())


@login_required
@require_GET
def export(request, name: str, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404("no such format")
    form, scope = _scope(request)
    if scope is None:
        return HttpResponse(json.dumps(form.errors), status=400, content_type="application/json")
    built = _report(name, scope)
    filename = f"tnw-{name}-{scope.start.isoformat()}-{scope.end.isoformat()}"
    if fmt == "csv":
        wanted = request.GET.get("table")
        tables = [t for t in built.tables if not wanted or t.key == wanted]
        if not tables:
            raise Http404("no such table")
        body: bytes | str = exports.csv_text(tables)
        filename += f"-{slugify(wanted)}" if wanted else ""
    elif fmt == "xlsx":
        body = exports.xlsx_bytes(built, scope)
    else:
        body = json.dumps(exports.json_data(built, scope), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
@require_GET
def chart(request, name: str, table: str):
    _form, scope = _scope(request)
    if scope is None:
        return HttpResponse(status=400)
    built = _report(name, scope)
    try:
        drawn = charts.svg(built.table(table))
    except (StopIteration, ValueError):
        raise Http404("no such chart") from None
    response = HttpResponse(drawn, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=120"
    return response


@login_required
@require_GET
def follow_up(request, person_id: int):
    """One person's trajectory as a printable report, exactly as the reader's role may see the
    dossier (the dossier selector filters it and audits the read): a manager gets a 403."""
    try:
        dossier = selectors.get_dossier(
            user=request.user, person_id=person_id, channel=CHANNEL, today=web_today()
        )
    except ObjectDoesNotExist:
        raise Http404("no such dossier") from None
    return render(request, "reports/follow_up.html", {"dossier": dossier, "today": web_today()})
