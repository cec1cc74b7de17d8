"""`tnw demo`: load the demo data set (idempotent; see tnw.dossier.demo)."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tnw.dossier import demo, demo_portal


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
        if not getattr(settings, "TNW_DEMO_ALLOWED", False):
            raise CommandError(
                "tnw demo creates users with the public demo password: only with the demo "
                "settings (tnw.settings, as make run uses), never in production"
            )
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
        self.stdout.write(f"log in at {settings.TNW_BASE_URL}/login/ as one of these users:")
        for username, role, first, last in demo.USERS:
            self.stdout.write(f"  {username:<12} {role:<20} {first} {last}")
        self.stdout.write(f"password for all: {demo.DEMO_PASSWORD}")
        users = demo.ensure_users(demo.ensure_reference_data())
        people = demo_portal.load_portal_people(today=today, users=users)
        from tnw.documents.demo import issue_signing_demo  # Annex IV to sign on the portal

        issue_signing_demo(today=today, episode_id=demo_portal.episode_of(demo_portal.SIGNS_ONLINE))
        from tnw.coordinators.demo import load_register  # the coordinator register (II 2.1)

        load_register(today=today)
        self.stdout.write(
            f"the insured person's portal: {settings.TNW_PORTAL_URL}, log in with the INSZ:"
        )
        for insz, name in people:
            self.stdout.write(f"  {insz}  {name}")
        self.stdout.write(f"password for all: {demo_portal.PORTAL_PASSWORD}")
