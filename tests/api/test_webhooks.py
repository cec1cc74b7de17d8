"""Webhooks against a real HTTP receiver on 127.0.0.1: signed payloads (HMAC-SHA256), one
delivery per event id, retries with backoff, the lease of a dead process, per mutuality and
health data only for a physicians' system."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import open_episode, register
from tnw.api import webhooks
from tnw.api.models import WebhookDelivery
from tnw.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread that records each POST and answers with the next status
    of `statuses` (then 200)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[dict] = []
        self.statuses = list(statuses or [])
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": self.headers, "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def event_ids(self) -> list[str]:
        return [r["headers"]["TNW-Event-Id"] for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(statuses: list[int] | None = None) -> Receiver:
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def episode_of_client(coordinator, physician, person):
    return open_episode(coordinator, person, date(2026, 6, 1), coordinator=coordinator,
                        advising_physician=physician)  # fmt: skip


def _subscribe(client, url: str, events: list[str]) -> webhooks.Subscribed:
    return webhooks.subscribe(client_name=client.client.name, url=url, events=events)


def test_a_registration_is_posted_signed_and_only_once(coordination, receiver,
                                                       episode_of_client, coordinator):  # fmt: skip
    hook = receiver()
    made = _subscribe(coordination, hook.url, [webhooks.REGISTRATION_CREATED])
    registration = register(coordinator, episode_of_client, "spontaneous_request",
                            date(2026, 9, 1))  # fmt: skip
    report = webhooks.run()
    assert (report.queued, report.delivered) == (1, 1)
    [request] = hook.requests
    headers, body = request["headers"], request["body"]
    assert headers["TNW-Event-Id"] == f"registration:{registration.pk}"
    assert headers["TNW-Event-Type"] == "registration.created"
    assert webhooks.verify(made.secret, headers["TNW-Signature"], body)
    assert not webhooks.verify("another secret", headers["TNW-Signature"], body)
    assert not webhooks.verify(made.secret, headers["TNW-Signature"], body + b" ")
    payload = json.loads(body)
    assert payload == {
        "id": f"registration:{registration.pk}", "type": "registration.created",
        "episode": episode_of_client.pk, "person": episode_of_client.person_id,
        "registration": registration.pk, "registration_type": "spontaneous_request",
        "date": "2026-09-01", "registered_at": payload["registered_at"],
    }  # fmt: skip
    # Run again (and again): the event is found again in the overlap, queued and sent once.
    again = webhooks.run()
    webhooks.run()
    assert (again.queued, again.delivered) == (0, 0)
    assert hook.event_ids() == [f"registration:{registration.pk}"]
    # The scan read the dossier as the client's service account, audited.
    feed = AuditEntry.objects.filter(object_type="dossier.event_feed").latest("seq")
    assert feed.actor_id == coordination.client.user_id and feed.channel == "webhooks"


def test_registrations_before_the_subscription_are_not_sent(
    coordination, receiver, episode_of_client, coordinator
):
    register(coordinator, episode_of_client, "spontaneous_request", date(2026, 9, 1))
    hook = receiver()
    _subscribe(coordination, hook.url, [webhooks.REGISTRATION_CREATED])
    assert webhooks.run().queued == 0 and hook.requests == []


def test_a_failure_is_retried_with_backoff_and_delivered_once(coordination, receiver,
                                                              episode_of_client,
                                                              coordinator):  # fmt: skip
    hook = receiver(statuses=[500, 503])
    _subscribe(coordination, hook.url, [webhooks.REGISTRATION_CREATED])
    register(coordinator, episode_of_client, "spontaneous_request", date(2026, 9, 1))
    t0 = timezone.now()
    first = webhooks.run(now=t0)
    assert (first.queued, first.delivered, first.retried) == (1, 0, 1)
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 500")
    assert row.next_attempt_at == t0 + timedelta(minutes=1)  # the first backoff step
    assert webhooks.deliver(now=t0 + timedelta(seconds=59)).retried == 0  # not yet
    assert webhooks.deliver(now=t0 + timedelta(minutes=1)).retried == 1  # 503
    row.refresh_from_db()
    assert row.next_attempt_at == t0 + timedelta(minutes=1) + timedelta(minutes=5)
    third = webhooks.deliver(now=t0 + timedelta(minutes=6))
    assert third.delivered == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("delivered", 3)
    assert webhooks.deliver(now=t0 + timedelta(days=1)).delivered == 0
    assert len(set(hook.event_ids())) == 1 and len(hook.requests) == 3


def test_an_unreachable_receiver_ends_failed_after_the_last_retry(coordination, receiver,
                                                                  episode_of_client,
                                                                  coordinator):  # fmt: skip
    hook = receiver()
    url = hook.url
    hook.close()  # nobody listens any more: connection refused
    _subscribe(coordination, url, [webhooks.REGISTRATION_CREATED])
    register(coordinator, episode_of_client, "spontaneous_request", date(2026, 9, 1))
    moment = timezone.now()
    webhooks.collect(now=moment)
    outcomes = []
    for _ in range(len(webhooks.RETRY_DELAYS) + 1):
        report = webhooks.deliver(now=moment)
        outcomes.append((report.retried, report.failed))
        moment += timedelta(hours=6)
    assert outcomes == [(1, 0)] * len(webhooks.RETRY_DELAYS) + [(0, 1)]
    row = WebhookDelivery.objects.get()
    assert row.status == "failed" and "Connection" in row.last_error
    assert webhooks.deliver(now=moment + timedelta(days=30)).failed == 0


def test_a_dead_process_claim_is_taken_over_after_its_lease(
    coordination, receiver, episode_of_client, coordinator
):
    hook = receiver()
    _subscribe(coordination, hook.url, [webhooks.REGISTRATION_CREATED])
    register(coordinator, episode_of_client, "spontaneous_request", date(2026, 9, 1))
    t0 = timezone.now()
    webhooks.collect(now=t0)
    token, [claimed] = webhooks._claim(t0, 10)  # a process claims it, then dies
    assert webhooks.deliver(now=t0 + timedelta(seconds=30)).delivered == 0  # lease holds
    assert hook.requests == []
    assert webhooks.deliver(now=t0 + webhooks.LEASE + timedelta(seconds=1)).delivered == 1
    # The dead process's token no longer settles the row.
    assert webhooks._settle(claimed, token, "HTTP 500", t0) == "lost"
    assert WebhookDelivery.objects.get().status == "delivered"
    assert WebhookDelivery.objects.get().attempts == 1
    assert len(hook.requests) == 1


def test_obligations_that_become_due(coordination, physicians_api, issue, receiver,
                                     episode_of_client):  # fmt: skip
    hook = receiver()
    made = _subscribe(coordination, hook.url, [webhooks.OBLIGATION_DUE])
    # Subscribed in July; the scan ran last on 9 August.
    noon = datetime(2026, 8, 9, 12, tzinfo=timezone.get_current_timezone())
    type(made.subscription).objects.filter(pk=made.subscription.pk).update(
        created_at=noon - timedelta(days=40), scanned_at=noon
    )
    # Incapacity from 1 June, no contract (routing A): the questionnaire is sent at 10 weeks,
    # 1 June + 70 days = 10 August; the first estimate opens at 3 months, 1 September.
    assert webhooks.run(now=noon + timedelta(days=1)).delivered == 1
    [payload] = [json.loads(r["body"]) for r in hook.requests]
    assert (payload["obligation"], payload["opens"], payload["due"]) == (
        "send_questionnaire", "2026-08-10", "2026-08-10")  # fmt: skip
    assert payload["episode"] == episode_of_client.pk and payload["type"] == "obligation.due"
    assert webhooks.run(now=noon + timedelta(days=1, hours=1)).queued == 0
    later = webhooks.run(now=datetime(2026, 9, 1, 8, tzinfo=noon.tzinfo))
    assert later.delivered == 1
    assert json.loads(hook.requests[-1]["body"])["obligation"] == "first_capacity_assessment"


def test_another_mutuality_hears_nothing(issue, other_mutuality, receiver, episode_of_client,
                                         coordinator):  # fmt: skip
    hook = receiver()
    outsider = issue("other", ["timelines.read"], other_mutuality.code)
    _subscribe(outsider, hook.url, list(webhooks.EVENT_TYPES))
    register(coordinator, episode_of_client, "spontaneous_request", date(2026, 9, 1))
    assert webhooks.run().queued == 0 and hook.requests == []


def test_medical_examinations_only_for_a_physicians_system(
    coordination, issue, receiver, episode_of_client, physician
):
    from tests.api.conftest import ALL

    register(physician, episode_of_client, "questionnaire_sent", date(2026, 8, 10))
    register(physician, episode_of_client, "questionnaire_received", date(2026, 8, 20))
    register(physician, episode_of_client, "capacity_assessed", date(2026, 8, 25), category=3,
             medical_exam=False)  # fmt: skip
    plain, medical = receiver(), receiver()
    subscriptions = [
        _subscribe(coordination, plain.url, [webhooks.OBLIGATION_DUE]).subscription,
        _subscribe(issue("files", [*ALL, "health.read"]), medical.url,
                   [webhooks.OBLIGATION_DUE]).subscription,
    ]  # fmt: skip
    start = datetime(2026, 8, 1, 12, tzinfo=timezone.get_current_timezone())
    type(subscriptions[0]).objects.update(created_at=start, scanned_at=start)
    webhooks.run(now=timezone.now())
    codes = {json.loads(r["body"])["obligation"] for r in medical.requests}
    assert "category3_examination" in codes
    assert "category3_examination" not in {json.loads(r["body"])["obligation"]
                                           for r in plain.requests}  # fmt: skip
    assert codes - {"category3_examination"} == {
        json.loads(r["body"])["obligation"] for r in plain.requests
    }


def test_the_command(coordination, receiver, capsys):
    hook = receiver()
    call_command("webhooks", "add", coordination.client.name, hook.url,
                 "--events", "registration.created")  # fmt: skip
    out = capsys.readouterr().out
    assert "signing secret (shown once" in out
    call_command("webhooks", "list")
    assert "registration.created\tactive\tpending 0" in capsys.readouterr().out
    call_command("webhooks", "run")
    assert "queued 0, delivered 0" in capsys.readouterr().out
    with pytest.raises(Exception, match="unknown events: nonsense"):
        call_command("webhooks", "add", coordination.client.name, hook.url, "--events",
                     "nonsense")  # fmt: skip
    with pytest.raises(Exception, match="not an http"):
        call_command("webhooks", "add", coordination.client.name, "ftp://x/")


@pytest.mark.django_db(transaction=True)
def test_three_processes_deliver_each_event_once(coordination, receiver):
    """`tnw webhooks run` in three processes at once against one database: the row claims
    (FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the claims take turns) give each event
    to one process, and every event reaches the receiver exactly once."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    hook = receiver()
    original = hook.server.RequestHandlerClass.do_POST

    def slow(self) -> None:  # a slow receiver, so the processes overlap
        time.sleep(0.05)
        original(self)

    hook.server.RequestHandlerClass.do_POST = slow
    made = _subscribe(coordination, hook.url, [webhooks.REGISTRATION_CREATED])
    now = timezone.now()
    WebhookDelivery.objects.bulk_create([
        WebhookDelivery(subscription=made.subscription, event_id=f"test:{n}",
                        event_type="registration.created", payload={"n": n}, next_attempt_at=now)
        for n in range(200)
    ])  # fmt: skip
    s = connection.settings_dict
    url = (f"sqlite:///{s['NAME']}" if connection.vendor == "sqlite"
           else f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}")  # fmt: skip
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tnw.settings", "DATABASE_URL": url,
           "PYTHONPATH": str(root / "src")}  # fmt: skip
    command = [sys.executable, "-m", "tnw.cli", "webhooks", "run"]
    runs = [subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err[-1000:] for _, err in outputs]
    delivered = [int(out.split("delivered ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(delivered) == 200
    assert sum(1 for d in delivered if d) >= 2  # they did overlap (10 s of sending)
    assert sorted(hook.event_ids()) == sorted(f"test:{n}" for n in range(200))
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
