"""`tnw simulate --people N`: a synthetic population for load tests (tnw.worklists.simulate)."""

from __future__ import annotations

import sys
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from tnw.worklists.progress import kv
from tnw.worklists.simulate import simulate


class Command(BaseCommand):
    help = "Generate N synthetic people with incapacity episodes, in bulk (load tests only)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--today", type=date.fromisoformat)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, **options):
        started = time.monotonic()
        report = simulate(
            people=options["people"],
            today=options["today"] or timezone.localdate(),
            seed=options["seed"],
            workers=options["workers"],
            chunk_size=options["chunk_size"],
            stream=sys.stderr,
        )
        share = report.late_or_blank / report.questionnaires if report.questionnaires else 0
        self.stdout.write(
            kv(event="simulated", people=report.people, registrations=report.registrations,
               obligations=report.obligations, engine_refusals=report.refused,
               questionnaires_late_or_blank=f"{share:.0%}", first_id=report.first_id,
               seconds=f"{time.monotonic() - started:.1f}")
        )  # fmt: skip
