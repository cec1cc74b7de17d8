"""`tnw backup FILE`: a consistent copy of the database (SQLite online backup, or pg_dump)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tnw.security.backup import BackupError, backup, fingerprint


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite online backup API, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            path = backup(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(count for count, _ in fingerprint().values())
        self.stdout.write(f"backup written: {path} ({rows} rows)")
