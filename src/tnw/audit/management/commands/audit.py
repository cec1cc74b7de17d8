"""`tnw audit verify`: recompute the audit trail's hash chain. Exit code 0 when intact,
1 when it was tampered with (every broken link is listed)."""

from django.core.management.base import BaseCommand, CommandError

from tnw.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit trail commands: `verify` checks the hash chain (exit 1 if tampered with)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the hash chain of the audit trail")

    def handle(self, *args, **options):
        if options["subcommand"] == "verify":
            result = verify_chain()
            if result.ok:
                self.stdout.write(f"audit trail intact: {result.entries} entries verified")
                return
            for line in result.problems:
                self.stderr.write(line)
            raise CommandError(
                f"audit trail TAMPERED: {len(result.problems)} problem(s) in "
                f"{result.entries} entries",
                returncode=1,
            )
