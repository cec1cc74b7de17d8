"""`tnw demo`: load the demo data set (idempotent; see tnw.dossier.demo)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from tnw.dossier import demo

LOGIN_URL = "http://127.0.0.1:8000/login/"  # `tnw runserver`'s default address


class Command(BaseCommand):
    help = (
        "Load a demo mutuality, users of every role (password 'tnw-demo') and 220 synthetic "
        "people with episodes in every stage. Rerunning adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=220)
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        report = demo.load(today=today, people=options["people"], seed=options["seed"])
        from tnw.documents.demo import issue_demo_documents  # letters (tnw.documents)

        documents = issue_demo_documents(today=today)
        self.stdout.write(
            f"demo: {report.created_people} people created, {report.existing_people} already "
            f"there, {report.registrations} registrations, {documents} documents issued "
            f"(as of {today})"
        )
        for name, count in sorted(report.scenarios.items()):
            self.stdout.write(f"  {count:4d}  {name}")
        if report.refused:
            self.stdout.write("steps the rules refused (their scenario stops there):")
            for what, count in sorted(report.refused.items()):
                self.stdout.write(f"  {count:4d}  {what}")
        self.stdout.write(f"log in at {LOGIN_URL} as one of these users:")
        for username, role, first, last in demo.USERS:
            self.stdout.write(f"  {username:<12} {role:<20} {first} {last}")
        self.stdout.write(f"password for all: {demo.DEMO_PASSWORD}")
