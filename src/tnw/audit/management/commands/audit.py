"""`tnw audit verify`: recompute the audit trail's hash chain and compare it with the signed
checkpoints (tnw.audit.checkpoints). Exit code 0 when intact, 1 when it was tampered with (every
broken link is listed, and the first gap against the checkpoints).

`tnw audit checkpoint`: sign the chain's current head and append it to today's checkpoint file
(the daily run does this; a cron job may do it more often).

`tnw audit newkey`: a new key for TNW_AUDIT_DATA_KEYS, which seals health data in the trail.
`tnw audit show SEQ`: one entry with its health data opened (the DPO's investigation, on the
host that holds the data key); the reading is audited itself."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from tnw.audit.checkpoints import write_checkpoint
from tnw.audit.models import AuditEntry
from tnw.audit.sealing import UnsealError, new_key, unseal
from tnw.audit.selectors import verify_chain
from tnw.audit.services import append


class Command(BaseCommand):
    help = (
        "Audit trail commands: `verify` checks the hash chain against the signed checkpoints "
        "(exit 1 if tampered with); `checkpoint` signs the chain's head."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the hash chain of the audit trail")
        sub.add_parser("checkpoint", help="sign the chain's head into the checkpoint file")
        sub.add_parser("newkey", help="print a new key for TNW_AUDIT_DATA_KEYS")
        show = sub.add_parser("show", help="print one entry with its health data opened")
        show.add_argument("seq", type=int)

    def handle(self, *args, **options):
        if options["subcommand"] == "newkey":
            self.stdout.write(new_key())
            return
        if options["subcommand"] == "show":
            self._show(options["seq"])
            return
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
            for line in result.warnings:
                self.stderr.write(f"warning: {line}")
            return
        for line in result.warnings:
            self.stderr.write(f"warning: {line}")
        for line in result.problems:
            self.stderr.write(line)
        raise CommandError(
            f"audit trail TAMPERED: {len(result.problems)} problem(s) in {result.entries} entries",
            returncode=1,
        )

    def _show(self, seq: int) -> None:
        entry = AuditEntry.objects.filter(seq=seq).first()
        if entry is None:
            raise CommandError(f"no audit entry #{seq}")
        try:
            changes = unseal(entry.changes)
        except (UnsealError, ImproperlyConfigured) as error:
            raise CommandError(f"entry #{seq}: {error}") from None
        if entry.medical:  # reading health data out of the trail is itself in the trail
            append(actor=None, action="read", object_type="audit.auditentry", object_id=seq,
                   person_id=entry.person_id, channel="command:audit show",
                   changes={"read": "sealed health data"})  # fmt: skip
        self.stdout.write(f"{entry}\nperson #{entry.person_id} via {entry.channel}")
        self.stdout.write(json.dumps(changes, indent=2, ensure_ascii=False, sort_keys=True))
