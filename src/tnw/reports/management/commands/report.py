"""`tnw report NAME --from --to --mutuality --format csv|xlsx|json`: the figures of the report
screens for the mutuality's own BI (the same builders, the same suppression of small cells).
`tnw report refresh [--as-of]`: rebuild the stored figures now (the daily run does it too)."""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from tnw.dossier import services
from tnw.reports import exports, registry
from tnw.reports.forms import default_start
from tnw.reports.scope import command_scope

EXIT_BAD_INPUT = 2


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: not a date YYYY-MM-DD: {text!r}", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Print a report (barometer, compliance, flow, dashboard) as CSV, XLSX or JSON; "
        "refresh: rebuild the stored figures."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=[*sorted(registry.REPORTS), "refresh"])
        parser.add_argument("--from", dest="start", help="first day YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day YYYY-MM-DD (default: today)")
        parser.add_argument("--as-of", help="the situation on this day (default: --to)")
        parser.add_argument("--mutuality", default="", help="a mutuality code, e.g. 203")
        parser.add_argument("--grain", choices=("month", "quarter"), default="month")
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--table", default="", help="CSV: only this table (its key)")
        parser.add_argument("--language", choices=("nl", "fr", "de", "en"), default="en")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, **options) -> None:
        if options["name"] == "refresh":
            today = _date(options["as_of"], "--as-of") or timezone.localdate()
            done = services.refresh_report_figures(today=today)
            self.stdout.write(
                f"event=figures_refreshed as_of={done['as_of']} rows={done['rows']} "
                f"seconds={done['seconds']}"
            )
            return
        end = _date(options["end"], "--to") or timezone.localdate()
        start = _date(options["start"], "--from") or default_start(end)
        today = _date(options["as_of"], "--as-of") or end
        with translation.override(options["language"]):
            try:
                scope = command_scope(
                    start=start, end=end, today=today, grain=options["grain"],
                    mutuality_code=options["mutuality"],
                )  # fmt: skip
            except ValidationError as error:
                raise CommandError(" ".join(error.messages), returncode=EXIT_BAD_INPUT) from None
            report = registry.build(options["name"], scope, cached=False)
            body = self._render(report, scope, options)
        self._write(body, options.get("output"), binary=options["format"] == "xlsx")

    def _render(self, report, scope, options) -> bytes:
        fmt = options["format"]
        if fmt == "xlsx":
            return exports.xlsx_bytes(report, scope)
        if fmt == "json":
            return json.dumps(
                exports.json_data(report, scope), ensure_ascii=False, indent=1
            ).encode()
        tables = [t for t in report.tables if not options["table"] or t.key == options["table"]]
        if not tables:
            keys = ", ".join(t.key for t in report.tables)
            raise CommandError(
                f"--table: no table {options['table']!r}; one of {keys}", returncode=2
            )
        return exports.csv_text(tables).encode()

    def _write(self, body: bytes, output: str | None, *, binary: bool) -> None:
        if output:
            with open(output, "wb") as handle:
                handle.write(body)
            return
        if not binary:
            self.stdout.write(body.decode(), ending="")
            return
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
