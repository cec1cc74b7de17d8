"""`tnw daily [--today YYYY-MM-DD] [--all] [--no-send]`: the daily run (tnw.worklists.daily)."""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tnw.audit import checkpoints
from tnw.worklists.daily import AlreadyRunning, run_daily, run_worker


class Command(BaseCommand):
    help = (
        "Re-evaluate the episodes whose timeline depends on today's date, queue today's "
        "messages in the outbox and send them. Idempotent: safe to run twice, or to kill and rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="default: the local date")
        parser.add_argument(
            "--all", action="store_true", help="re-evaluate every episode (e.g. after a fix)"
        )
        parser.add_argument("--no-send", action="store_true", help="queue but do not send")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="re-evaluate with this many local processes (in parallel on PostgreSQL)",
        )
        parser.add_argument(
            "--worker",
            action="store_true",
            help="only help re-evaluate: run on any host, as many as wanted (claims batches)",
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        if options["worker"]:
            result = run_worker(today=today, batch_size=options["batch_size"])
            self.stdout.write(f"worker: reevaluated={result.evaluated} changed={result.changed}")
            return
        try:
            summary = run_daily(
                today=today,
                everything=options["all"],
                batch_size=options["batch_size"],
                send=not options["no_send"],
                stream=sys.stderr,
                workers=options["workers"],
            )
        except AlreadyRunning as error:
            raise CommandError(str(error)) from None
        # Sign the audit chain's head after the run's last commit (tnw.audit.checkpoints).
        if checkpoints.keys():
            point = checkpoints.write_checkpoint()
            self.stderr.write(f"event=audit_checkpoint seq={point.seq} file={point.where}")
        for line in summary.lines():
            self.stdout.write(line)
