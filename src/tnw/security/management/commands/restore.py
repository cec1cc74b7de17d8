"""`tnw restore FILE`: replace the database's content with a backup, then verify the audit
trail (exit 1 when the restored trail does not verify)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tnw.audit.selectors import verify_chain
from tnw.security.backup import BackupError, fingerprint, restore


class Command(BaseCommand):
    help = "Restore the database from FILE (made by `tnw backup`), then verify the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            restore(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(count for count, _ in fingerprint().values())
        result = verify_chain()
        if not result.ok:
            for line in result.problems:
                self.stderr.write(line)
            raise CommandError("restored, but the audit trail does not verify", returncode=1)
        self.stdout.write(f"restored {rows} rows; audit trail intact: {result.entries} entries")
