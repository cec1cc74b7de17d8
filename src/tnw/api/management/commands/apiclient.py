"""`tnw apiclient create|list|rotate|revoke`: integrators' credentials. The token is printed
once; only its hash is stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tnw.api import services
from tnw.api.models import ApiClient
from tnw.api.scopes import SCOPES


class Command(BaseCommand):
    help = "Create, list, rotate or revoke the API clients of integrators."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="a new client; prints its token once")
        create.add_argument("name")
        create.add_argument("--mutuality", required=True, help="the mutuality's 3-digit code")
        create.add_argument(
            "--scopes", required=True,
            help=f"comma-separated, of: {', '.join(SCOPES)}",
        )  # fmt: skip
        commands.add_parser("list", help="every client, its mutuality, scopes and state")
        rotate = commands.add_parser("rotate", help="a new token; the old one stops working")
        rotate.add_argument("name")
        revoke = commands.add_parser("revoke", help="the client's token stops working")
        revoke.add_argument("name")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "create":
                scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
                issued = services.create_client(
                    name=options["name"], mutuality_code=options["mutuality"], scopes=scopes
                )
                self._issued(issued)
            elif action == "rotate":
                self._issued(services.rotate_client(name=options["name"]))
            elif action == "revoke":
                client = services.revoke_client(name=options["name"])
                self.stdout.write(f"revoked {client.name}")
            else:
                self._list()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _issued(self, issued: services.Issued) -> None:
        client = issued.client
        self.stdout.write(
            f"client {client.name} (mutuality {client.user.mutuality.code}, scopes "
            f"{','.join(client.scopes)})\n"
            f"token (shown once, store it now): {issued.token}"
        )

    def _list(self) -> None:
        for client in ApiClient.objects.select_related("user__mutuality"):
            state = "revoked" if client.revoked_at else "active"
            self.stdout.write(
                f"{client.name}\t{client.user.mutuality.code}\t{','.join(client.scopes)}\t"
                f"{state}\tcreated {client.created_at:%Y-%m-%d}"
            )
