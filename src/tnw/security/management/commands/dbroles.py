"""`tnw dbroles grant APP_ROLE`: least privilege for the application's PostgreSQL role."""

from django.core.management.base import BaseCommand, CommandError

from tnw.security.dbroles import NotPostgres, grant


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role what it needs: no table ownership, and the "
        "audit trail read and append only. Run as the migration role after `tnw migrate`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        grant_parser = sub.add_parser("grant")
        grant_parser.add_argument("app_role")

    def handle(self, *args, **options):
        try:
            statements = grant(options["app_role"])
        except NotPostgres as error:
            raise CommandError(str(error)) from None
        for text in statements:
            self.stdout.write(text)
