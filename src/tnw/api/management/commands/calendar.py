"""`tnw calendar issue|revoke USERNAME`: a user's private iCalendar feed of their worklist's
due dates (tnw.api.calendar). `issue` prints the feed's URL once; a new one replaces the old."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tnw.api import calendar


class Command(BaseCommand):
    help = "Issue or revoke a user's private iCalendar feed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["issue", "revoke"])
        parser.add_argument("username")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="the site's address for the URL"
        )

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "issue":
                issued = calendar.issue_feed(username=options["username"])
                url = f"{options['base_url'].rstrip('/')}/api/v1/calendar/{issued.token}.ics"
                self.stdout.write(f"calendar feed of {options['username']} (shown once): {url}")
            else:
                calendar.revoke_feed(username=options["username"])
                self.stdout.write(f"calendar feed of {options['username']} revoked")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
