"""`tnw webhooks add|list|remove|run`: integrators' event notifications (tnw.api.webhooks).

`run` collects the new events and delivers what is due; run it every minute (cron, a
systemd timer) on one host or several: the queue's row claims keep each delivery to one
process at a time."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tnw.api import webhooks
from tnw.api.models import WebhookDelivery, WebhookSubscription


class Command(BaseCommand):
    help = "Webhook subscriptions of API clients, and the delivery run."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="subscribe a client's URL; prints its secret once")
        add.add_argument("client", help="the API client's name")
        add.add_argument("url")
        add.add_argument(
            "--events", default=",".join(webhooks.EVENT_TYPES),
            help=f"comma-separated, of: {', '.join(webhooks.EVENT_TYPES)} (default: all)",
        )  # fmt: skip
        commands.add_parser("list", help="every subscription and its deliveries by state")
        remove = commands.add_parser("remove", help="stop a subscription")
        remove.add_argument("id", type=int)
        commands.add_parser("run", help="collect new events and deliver the due ones")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "add":
                events = [e.strip() for e in options["events"].split(",") if e.strip()]
                made = webhooks.subscribe(
                    client_name=options["client"], url=options["url"], events=events
                )
                self.stdout.write(
                    f"webhook {made.subscription.pk} for {options['client']}: "
                    f"{made.subscription.url} ({','.join(made.subscription.events)})\n"
                    f"signing secret (shown once, store it now): {made.secret}"
                )
            elif action == "remove":
                removed = webhooks.unsubscribe(subscription_id=options["id"])
                self.stdout.write(f"webhook {removed.pk} stopped")
            elif action == "run":
                self._run()
            else:
                self._list()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _run(self) -> None:
        report = webhooks.run()
        self.stdout.write(
            f"queued {report.queued}, delivered {report.delivered}, "
            f"retried {report.retried}, failed {report.failed}"
        )
        for line in report.errors[:20]:
            self.stderr.write(line)

    def _list(self) -> None:
        for subscription in WebhookSubscription.objects.select_related("client"):
            counts = {s: 0 for s in WebhookDelivery.Status.values}
            for status in subscription.deliveries.values_list("status", flat=True):
                counts[status] += 1
            state = "active" if subscription.active else "stopped"
            self.stdout.write(
                f"{subscription.pk}\t{subscription.client.name}\t{subscription.url}\t"
                f"{','.join(subscription.events)}\t{state}\t"
                + " ".join(f"{k} {v}" for k, v in counts.items())
            )
