"""`tnw serve`: the production web server (gunicorn), configured from the command line or the
environment (see docs/deployment.md)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tnw.ops.server import ServerOptions, run


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Command(BaseCommand):
    help = (
        "Serve TNW-dossier with gunicorn: worker processes from the CPU count, static files "
        "through WhiteNoise, persistent database connections. Collects the static files first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("TNW_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}"),
            help="host:port to listen on (default 127.0.0.1:$PORT or 8000; env TNW_BIND)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("WEB_CONCURRENCY", 0),
            help="worker processes (default: 2 x CPUs + 1; env WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("TNW_THREADS", 1),
            help="threads per worker (default 1; env TNW_THREADS)",
        )
        parser.add_argument("--timeout", type=int, default=_env_int("TNW_TIMEOUT", 60))
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="the static files are collected"
        )

    def handle(self, *args, **options):
        if settings.DEBUG:  # Django's debug pages show settings and code: never served
            raise CommandError(
                "tnw serve refuses to start with DEBUG on: use DJANGO_SETTINGS_MODULE="
                "tnw.settings.prod (the demo: TNW_DEBUG=0, as make run does)"
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "tnw.settings")
        server = ServerOptions(
            bind=options["bind"],
            workers=options["workers"] or ServerOptions.default_workers(),
            threads=options["threads"],
            timeout=options["timeout"],
        )
        self.stderr.write(
            f"tnw serve: gunicorn on {server.bind}, {server.workers} workers x "
            f"{server.threads} threads, settings {settings_module}"
        )
        run(server)
