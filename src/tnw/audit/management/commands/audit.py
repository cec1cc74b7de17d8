"""`tnw audit verify`: recompute the audit trail's hash chain and compare it with the signed
checkpoints (tnw.audit.checkpoints). Exit code 0 when intact, 1 when it was tampered with (every
broken link is listed, and the first gap against the checkpoints).

`tnw audit checkpoint`: sign the chain's current head and append it to today's checkpoint file
(the daily run does this; a cron job may do it more often)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from tnw.audit.checkpoints import write_checkpoint
from tnw.audit.selectors import verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail commands: `verify` checks the hash chain against the signed checkpoints "
        "(exit 1 if tampered with); `checkpoint` signs the chain's head."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the hash chain of the audit trail")
        sub.add_parser("checkpoint", help="sign the chain's head into the checkpoint file")

    def handle(self, *args, **options):
        if options["subcommand"] == "checkpoint":
            try:
                point = write_checkpoint()
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"checkpoint signed: entry #{point.seq} in {point.where}")
            return
        result = verify_chain()
        if result.ok:
            self.stdout.write(
                f"audit trail intact: {result.entries} entries verified against "
                f"{result.checkpoints} signed checkpoint(s)"
            )
            if not result.checkpoints:
                self.stderr.write(
                    "warning: no signed checkpoint yet; run `tnw audit checkpoint` "
                    "(the daily run does), else a full rewrite of the trail goes unnoticed"
                )
            return
        for line in result.problems:
            self.stderr.write(line)
        raise CommandError(
            f"audit trail TAMPERED: {len(result.problems)} problem(s) in {result.entries} entries",
            returncode=1,
        )
