"""`tnw regime_impact --regime tnw=2026-01-01,codex=2026-01-01 [--mutuality 203] [--as-of]`:
how many dossiers a change of regime moves and how, for a manager (counts only)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tnw.dossier.replay import FactsError, parse_date, parse_regimes, regime_impact
from tnw.reports.scope import command_scope

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Count the dossiers whose obligations or sanctions change under other regimes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--regime", required=True, help="tnw=ID,codex=ID")
        parser.add_argument("--mutuality", default="", help="a mutuality code, e.g. 203")
        parser.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args, **options) -> None:
        try:
            regimes = parse_regimes(options["regime"])
            today = (
                parse_date(options["as_of"], "--as-of")
                if options["as_of"]
                else timezone.localdate()
            )
            scope = command_scope(
                start=today, end=today, today=today, mutuality_code=options["mutuality"]
            )
        except FactsError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=EXIT_BAD_INPUT) from None
        found = regime_impact(regimes=regimes, today=today, mutuality_ids=scope.mutuality_ids)
        if options["format"] == "json":
            self.stdout.write(json.dumps(found, indent=2))
            return
        self.stdout.write(
            f"{found['regime']} on {found['as_of']}: {found['episodes_changed']} of "
            f"{found['episodes']} episodes change"
        )
        for row in found["changes"]:
            self.stdout.write(
                f"  {row['change']:<8} {row['what']:<10} {row['code']:<34} {row['episodes']}"
            )
