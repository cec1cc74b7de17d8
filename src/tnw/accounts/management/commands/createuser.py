"""`tnw createuser USERNAME --role ROLE [--mutuality CODE] [--password ...]`."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.accounts.services import create_user
from tnw.mutualities.models import Mutuality


class Command(BaseCommand):
    help = "Create a user with one role (and, unless administrator, a mutuality)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--mutuality", help="the 3-digit code of the user's mutuality")
        parser.add_argument("--password", help="the password (default: a random one, printed once)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        mutuality = None
        if options["mutuality"]:
            mutuality = Mutuality.objects.filter(code=options["mutuality"]).first()
            if mutuality is None:
                raise CommandError(f"no mutuality with code {options['mutuality']}")
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            # The settings' validators (12+ characters, not common, ...): issue 18, finding 12.
            validate_password(
                password,
                User(
                    username=options["username"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                ),
            )
            user = create_user(
                username=options["username"],
                role=options["role"],
                password=password,
                mutuality=mutuality,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                channel="command:createuser",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        where = f" in mutuality {mutuality}" if mutuality else ""
        self.stdout.write(f"created {user.username} with role {user.role}{where}")
        if not options["password"]:
            self.stdout.write(f"password: {password}")
