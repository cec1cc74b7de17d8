"""`tnw import episodes FILE.csv|FILE.jsonl [--as USERNAME]`: the bulk import of incapacity
episodes (format: docs/api.md). Prints the report; exit 1 when rows were refused."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tnw.accounts.models import User
from tnw.imports.rows import read_csv, read_jsonl
from tnw.imports.services import BATCH_SIZE, run_import


class Command(BaseCommand):
    help = "Import incapacity episodes from a CSV or JSON Lines file."

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        episodes = kinds.add_parser("episodes", help="incapacity episodes and their people")
        episodes.add_argument("file")
        episodes.add_argument(
            "--as", dest="username", default="import",
            help="the account that imports: a coordinator, physician or API service "
            "account of the mutuality (default: the user named 'import')",
        )  # fmt: skip
        episodes.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot be read ({error})") from None
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None or user.mutuality_id is None:
            raise CommandError(f"no active user {options['username']!r} of a mutuality")
        records = read_jsonl(text) if path.suffix == ".jsonl" else read_csv(text)
        total = max(text.count("\n") - (0 if path.suffix == ".jsonl" else 1), 1)
        done = [0]

        def progress(n: int) -> None:
            done[0] += n
            if sys.stderr.isatty():
                width = 40
                filled = int(width * min(done[0] / total, 1))
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total}")
                sys.stderr.flush()

        batch = run_import(
            user=user, records=records, source=path.name, channel="command:import",
            batch_size=options["batch_size"], progress=progress,
        )  # fmt: skip
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"import {batch.pk}: {batch.stored} stored, {batch.updated} updated, "
            f"{batch.unchanged} unchanged, {batch.refused} refused"
        )
        for refusal in batch.refusals:
            self.stdout.write(
                f"  line {refusal['line']} ({refusal['key'] or '-'}): {refusal['field']}: "
                f"{refusal['reason']} [{refusal['code']}]"
            )
        if batch.refused:
            sys.exit(1)
