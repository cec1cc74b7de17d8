"""Every report table as CSV, XLSX (openpyxl) or JSON: the same figures as on the screen,
suppressed cells included ("<5")."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tnw.reports.scope import Scope
from tnw.reports.tables import SUPPRESSED, Report, Table

FORMATS = ("csv", "xlsx", "json")


def about(report: Report, scope: Scope) -> list[tuple[str, str]]:
    return [
        (_("Report"), str(report.title)),
        (_("Period"), f"{scope.start.isoformat()} - {scope.end.isoformat()}"),
        (_("Situation on"), scope.today.isoformat()),
        (_("Per"), _("month") if scope.grain == "month" else _("quarter")),
        (_("Small cells"), _("%(marker)s: fewer than 5 people") % {"marker": SUPPRESSED}),
    ]


def csv_text(tables: list[Table]) -> str:
    """One table: a header row and its rows. Several: each after its title, a blank line apart."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([str(table.title)])
        writer.writerow([str(column.label) for column in table.columns])
        writer.writerows(["" if cell is None else cell for cell in row] for row in table.cells())
    return buffer.getvalue()


def xlsx_bytes(report: Report, scope: Scope) -> bytes:
    """A workbook: an "about" sheet (report, period, suppression) and one sheet per table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "about"
    for row in about(report, scope):
        sheet.append(list(row))
    for table in report.tables:
        sheet.append([table.key, str(table.title), str(table.source)])
    for table in report.tables:
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append([str(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.cells():
            sheet.append(row)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_data(report: Report, scope: Scope) -> dict[str, Any]:
    return {
        "report": report.name,
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "as_of": scope.today.isoformat(),
        "grain": scope.grain,
        "suppressed": SUPPRESSED,
        "tables": [
            {
                "key": table.key,
                "title": str(table.title),
                "source": str(table.source),
                "columns": [{"key": c.key, "label": str(c.label)} for c in table.columns],
                "rows": [{c.key: row.get(c.key) for c in table.columns} for row in table.rows],
            }
            for table in report.tables
        ],
    }
