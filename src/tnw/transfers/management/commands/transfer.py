"""`tnw transfer PERSON_ID --to CODE --on YYYY-MM-DD --reason TEXT --as USERNAME`: move a
person's dossier to another mutuality (issue 16). Exit 2 with the reason on bad input."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tnw.accounts.models import User
from tnw.transfers.services import transfer


class Command(BaseCommand):
    help = "Move a person's TNW dossier to another mutuality at a date (change of mutuality)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("person_id", type=int)
        parser.add_argument("--to", required=True, help="the new mutuality's code")
        parser.add_argument("--on", required=True, type=date.fromisoformat)
        parser.add_argument("--reason", required=True)
        parser.add_argument(
            "--as", dest="username", required=True,
            help="the coordinator or advising physician who records it",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
            record = transfer(
                user=user, person_id=options["person_id"], to_code=options["to"],
                on=options["on"], reason=options["reason"], today=timezone.localdate(),
                channel="command:transfer",
            )  # fmt: skip
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
            text = "; ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(text, returncode=2) from None
        self.stdout.write(
            f"dossier TNW-{record.person_id} moved to {record.to_mutuality.code} on "
            f"{record.on}; assignments ended on episodes {record.episodes_unassigned}"
        )
