"""`tnw documents kinds | render | batch`: the document kinds, one document for an episode,
the print batch of a day. Bad input: exit 2 with a message saying what is wrong."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from tnw.documents.batch import batches_of, print_batch
from tnw.documents.kinds import KINDS, LANGUAGES
from tnw.documents.render import html_of, pdf_of
from tnw.dossier.letters import system_letter_facts
from tnw.thirdparties.selectors import letter_parties

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    pass


class Command(BaseCommand):
    help = "Letters and model forms: list the kinds, render one, print a day's batch."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("kinds", help="list the document kinds")
        render = sub.add_parser("render", help="render one document for an existing episode")
        render.add_argument("kind")
        render.add_argument("--episode", required=True)
        render.add_argument("--language", required=True)
        render.add_argument("--output", required=True)
        render.add_argument("--today", help="the date on the document (YYYY-MM-DD)")
        batch = sub.add_parser("batch", help="(re)print the print batches of a day")
        batch.add_argument("--date", required=True)
        batch.add_argument("--output", default="var/print", help="a directory")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except BadInput as error:
            self.stderr.write(f"tnw documents: {error}")
            sys.exit(EXIT_BAD_INPUT)

    def _kinds(self, options):
        for kind in KINDS.values():
            flags = [f"issued by {', '.join(sorted(kind.issuers))}"]
            if kind.medical:
                flags.append("health data")
            if kind.signers:
                flags.append(f"signed by {', '.join(kind.signers)}")
            self.stdout.write(f"{kind.code:26} {kind.title} ({'; '.join(flags)})")

    def _render(self, options):
        kind = KINDS.get(options["kind"])
        if kind is None:
            raise BadInput(f"unknown kind {options['kind']!r}; known: {', '.join(KINDS)}")
        if options["language"] not in LANGUAGES:
            raise BadInput(f"unknown language {options['language']!r}; use one of "
                           f"{', '.join(LANGUAGES)}")  # fmt: skip
        if kind.medical:
            raise BadInput(f"{kind.code} holds health data: the advising physician issues it "
                           "from the dossier page")  # fmt: skip
        today = _date(options["today"], "--today") if options["today"] else date.today()
        facts = _facts(options["episode"], today)
        if kind.names_parties:
            facts.update(letter_parties(
                user=None, episode_id=int(options["episode"]), on=today,
                channel=f"command:documents:{today.isoformat()}",
            ))  # fmt: skip
        if not kind.fits(facts):
            raise BadInput(f"{kind.code} does not fit the state of episode {options['episode']}")
        pdf, pages = pdf_of(html_of(kind, options["language"], facts, {}, today, "CLI"))
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(f"wrote {options['output']} ({pages} page(s), {len(pdf)} bytes)")

    def _batch(self, options):
        day = _date(options["date"], "--date")
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        mutualities = batches_of(day)
        for mutuality_id in mutualities:
            pdf, letters = print_batch(day, mutuality_id)
            path = out / f"batch-{day.isoformat()}-{mutuality_id}.pdf"
            path.write_bytes(pdf)
            self.stdout.write(f"wrote {path} ({letters} letter(s))")
        if not mutualities:
            self.stdout.write(f"no letters to print on {day.isoformat()}")


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} must be a date YYYY-MM-DD, not {text!r}") from None


def _facts(episode: str, today: date) -> dict:
    from tnw.dossier.errors import NotFound

    if not episode.isdigit():
        raise BadInput(f"--episode must be a number, not {episode!r}")
    try:
        return system_letter_facts(episode_id=int(episode), today=today)
    except NotFound:
        raise BadInput(f"no incapacity episode {episode}") from None
