"""`tnw daily`: the daily run. Idempotent, safe to run twice, to kill and to rerun.

1. Re-evaluate the episodes whose stored timeline may have changed since their last
   evaluation (`tnw.worklists.schedule`), in batches of one transaction each, claimed row by
   row so that several processes can share the work (`tnw.worklists.claims`).
2. Queue the messages due today in the outbox (`tnw.notifications`), each under a unique key,
   so a second run queues nothing new:
     questionnaire:{episode}:{sequence}:{due}    the questionnaire to send (insured person)
     reminder:{episode}:{code}:{sequence}:{due}  the reminder before a term of the insured
     digest:{user}:{day}                          a user's overdue and due-this-week items
     item:{user}:{obligation}:{event}:{date}      immediate notices (users who chose them)
     register:{coordinator}:...                   the coordinator register's deadlines
                                                  (tnw.coordinators.daily)
     appointment:{appointment}                    the person's appointments within two
     appointment-day:{episode}:{day}              days (tnw.caseload.daily)
3. Deliver the outbox (retries with backoff; failed-for-good messages raise the alarm).
4. Print a summary.

Only one run at a time: a PostgreSQL advisory lock (session), or on SQLite a file lock next to
the database; both vanish with the process, so a killed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.caseload.daily import appointment_drafts
from tnw.coordinators.daily import reminder_drafts
from tnw.documents.daily import queue_letters
from tnw.dossier import obligations, services
from tnw.notifications import services as outbox
from tnw.notifications.models import Delivery, Kind, NotificationPreference
from tnw.notifications.texts import absolute, be_date, languages_of
from tnw.portal.daily import portal_drafts
from tnw.web.labels import obligation_label
from tnw.worklists import claims, schedule
from tnw.worklists.models import EpisodeSchedule
from tnw.worklists.progress import Progress, kv
from tnw.worklists.selectors import dossier_url, items_query

REMINDER_DAYS = 3  # remind the insured person this many days before a term ends
QUESTIONNAIRE_LOOKBACK = 14  # a day without a run is caught up the next days
DIGEST_ITEMS = 10
INSURED_REMINDERS = ("return_questionnaire", "codex_plan_answer")
_PG_LOCK_KEY = 7_462_004


class AlreadyRunning(RuntimeError):
    pass


@contextlib.contextmanager
def run_lock() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_PG_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise AlreadyRunning("another `tnw daily` is running")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_PG_LOCK_KEY])
        return
    path = f"{connection.settings_dict['NAME']}.daily.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning("another `tnw daily` is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refresh_statistics() -> None:
    """SQLite plans the worklist joins well only with statistics: ANALYZE once, then the
    cheap `PRAGMA optimize` SQLite recommends. PostgreSQL's autovacuum keeps its own."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        cursor.execute("PRAGMA optimize" if cursor.fetchone() else "ANALYZE")


@dataclass
class Summary:
    today: date
    reevaluated: int = 0
    changed: int = 0
    queued: dict[str, int] = field(default_factory=dict)
    recovered: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    max_rss_mb: float = 0.0

    def lines(self) -> list[str]:
        return [
            kv(event="summary", today=self.today.isoformat(), reevaluated=self.reevaluated,
               timelines_changed=self.changed,
               queued=",".join(f"{k}:{v}" for k, v in sorted(self.queued.items())) or "0",
               recovered=self.recovered, sent=self.sent, retried=self.retried,
               failed=self.failed,
               seconds=",".join(f"{k}:{v:.2f}" for k, v in self.seconds.items()),
               max_rss_mb=f"{self.max_rss_mb:.0f}"),
        ]  # fmt: skip


# --- Messages ------------------------------------------------------------------------------
# Each in its recipient's language: the insured person's (the rows'), a staff member's screen
# language (tnw.notifications.texts); Belgian dates, the obligations' names as the screens
# show them (tnw.web.labels), absolute links.

COUNT_LABELS = {
    "overdue": pgettext_lazy("worklist mail", "overdue"),
    "due_this_week": pgettext_lazy("worklist mail", "due this week"),
    "no_term": pgettext_lazy("worklist mail", "no term"),
}


def _labelled(label: str, value: object) -> str:
    """`label: value` as the active language writes it (French: a space before the colon)."""
    return pgettext("worklist mail", "%(label)s: %(value)s") % {"label": label, "value": value}


TEXTS = {
    "questionnaire": {
        "nl": ("Uw vragenlijst Terug Naar Werk",
               "Beste {name},\n\nDe adviserend arts van uw ziekenfonds stuurt u de vragenlijst "
               "over uw mogelijkheden om terug aan het werk te gaan. Bezorg ze ingevuld terug "
               "binnen twee weken.\n"),
        "fr": ("Votre questionnaire Retour au travail",
               "Madame, Monsieur {name},\n\nLe médecin-conseil de votre mutualité vous envoie "
               "le questionnaire sur vos possibilités de reprise du travail. Renvoyez-le "
               "complété dans les deux semaines.\n"),
        "de": ("Ihr Fragebogen Rückkehr zur Arbeit",
               "Sehr geehrte(r) {name},\n\nDer Vertrauensarzt Ihrer Krankenkasse sendet Ihnen "
               "den Fragebogen zu Ihren Möglichkeiten der Rückkehr zur Arbeit. Bitte senden "
               "Sie ihn innerhalb von zwei Wochen ausgefüllt zurück.\n"),
    },
    "reminder": {
        "nl": ("Herinnering: uw antwoord wordt verwacht tegen {due}",
               "Beste {name},\n\nWe herinneren u eraan dat uw antwoord ({what}) ten laatste "
               "op {due} verwacht wordt.\n"),
        "fr": ("Rappel : votre réponse est attendue pour le {due}",
               "Madame, Monsieur {name},\n\nNous vous rappelons que votre réponse ({what}) est "
               "attendue au plus tard le {due}.\n"),
        "de": ("Erinnerung: Ihre Antwort wird bis {due} erwartet",
               "Sehr geehrte(r) {name},\n\nWir erinnern Sie daran, dass Ihre Antwort ({what}) "
               "spätestens am {due} erwartet wird.\n"),
    },
}  # fmt: skip


def _insured_drafts(today: date) -> list[outbox.Draft]:
    drafts = []
    questionnaires = obligations.insured_contacts(
        codes=("send_questionnaire",), opened_by=today,
        due_from=today - timedelta(days=QUESTIONNAIRE_LOOKBACK),
    )  # fmt: skip
    reminders = obligations.insured_contacts(
        codes=INSURED_REMINDERS, opened_by=today, due_from=today,
        due_until=today + timedelta(days=REMINDER_DAYS),
    )  # fmt: skip
    for kind, rows in (("questionnaire", questionnaires), ("reminder", reminders)):
        for episode_id, code, sequence, due, email, first, last, language in rows:
            language = language if language in TEXTS[kind] else "nl"
            subject, body = TEXTS[kind][language]
            with translation.override(language):
                what = obligation_label(code)
            values = {"name": f"{first} {last}", "due": be_date(due), "what": what}
            key = (
                f"questionnaire:{episode_id}:{sequence}:{due}"
                if kind == "questionnaire"
                else f"reminder:{episode_id}:{code}:{sequence}:{due}"
            )
            drafts.append(
                outbox.Draft(key=key, kind=kind, to=email, subject=subject.format(**values),
                             body=body.format(**values), episode_id=episode_id)
            )  # fmt: skip
    return drafts


def _item_line(item: obligations.DigestItem, today: date) -> str:
    """One line of a staff mail, in the active language (the recipient's)."""
    due = item["due"]
    when = (
        _("due %(due)s (%(days)s d)") % {"due": be_date(due), "days": f"{(due - today).days:+d}"}
        if due
        else _("no term, open since %(opens)s") % {"opens": be_date(item["opens"])}
    )
    link = absolute(dossier_url(item["person_id"], item["episode_id"]))
    return f"- {_labelled(obligation_label(item['code']), when)} {link}"


Digest = tuple[dict[str, int], list[obligations.DigestItem]]


def _user_drafts(today: date) -> list[outbox.Draft]:
    drafts: list[outbox.Draft] = []
    preferences = dict(NotificationPreference.objects.values_list("user_id", "delivery"))
    users = User.objects.filter(
        is_active=True, role__in=(Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF)
    ).exclude(email="")
    languages = languages_of(users.values_list("pk", flat=True))
    counts = obligations.assignee_counts(today)
    digest_items = obligations.digest_items(today, DIGEST_ITEMS)
    staff_lists: dict[int | None, Digest] = {}
    for user in users.order_by("pk"):
        delivery = preferences.get(user.pk, Delivery.DIGEST)
        if delivery == Delivery.NONE:
            continue
        mine = items_query(user, today=today)
        if delivery != Delivery.DIGEST:
            with translation.override(languages[user.pk]):
                drafts.extend(_immediate(user, mine, today))
            continue
        if user.role == Role.STAFF:
            # The same list for every staff member of a mutuality: computed once.
            if user.mutuality_id not in staff_lists:
                open_help = obligations.opened_by(mine, today)
                staff_lists[user.mutuality_id] = (
                    {"overdue": 0, "due_this_week": 0, "no_term": open_help.count()},
                    list(obligations.digest_rows(open_help)[:DIGEST_ITEMS]),
                )
            numbers, items = staff_lists[user.mutuality_id]
        else:
            numbers = {**counts.get(user.pk, {"overdue": 0, "due_this_week": 0})}
            items = digest_items.get(user.pk, [])
        if any(numbers.values()):
            with translation.override(languages[user.pk]):
                drafts.append(_digest(user, numbers, items, today))
    return drafts


def _digest(
    user: User, numbers: dict[str, int], items: list[obligations.DigestItem], today: date
) -> outbox.Draft:
    """A staff member's digest, in the active language (the recipient's)."""
    lines = [_item_line(i, today) for i in items]
    body = (
        _("Your TNW worklist on %(day)s:") % {"day": be_date(today)} + "\n"
        + "".join(f"  {_labelled(COUNT_LABELS[name], n)}\n" for name, n in numbers.items())
        + "\n" + _("Most urgent:") + "\n"
        + "\n".join(lines)
        + "\n"
    )  # fmt: skip
    subject = _("TNW worklist %(day)s: %(overdue)s overdue, %(week)s due this week") % {
        "day": be_date(today), "overdue": numbers["overdue"], "week": numbers["due_this_week"],
    }  # fmt: skip
    return outbox.Draft(
        key=f"digest:{user.pk}:{today}", kind=Kind.DIGEST, to=user.email,
        subject=subject, body=body, user_id=user.pk,
    )  # fmt: skip


def _immediate(user: User, mine: Any, today: date) -> list[outbox.Draft]:
    """What opened or went overdue (the last 3 days, caught up)."""
    recent = obligations.digest_rows(obligations.changed_lately(mine, today=today, days=3))
    drafts = []
    for item in recent:
        status = obligations.pending_status(opens=item["opens"], due=item["due"], today=today)
        overdue = status == "overdue"
        event, on = (
            ("overdue", item["due"] + timedelta(days=1)) if overdue else ("opened", item["opens"])
        )
        line = _item_line(item, today)
        task = {"task": obligation_label(item["code"])}
        subject = _("TNW: %(task)s overdue") if overdue else _("TNW: %(task)s opened")
        drafts.append(
            outbox.Draft(
                key=f"item:{user.pk}:{item['episode_id']}:{item['code']}:"
                f"{item['opens']}:{event}:{on}",
                kind=Kind.ITEM, to=user.email,
                subject=subject % task,
                body=line + "\n", user_id=user.pk, episode_id=item["episode_id"],
            )
        )  # fmt: skip
    return drafts


# --- The run -------------------------------------------------------------------------------


def _reevaluate_claiming(summary, today, everything, batch_size, workers, stream, tty) -> None:
    """Claim batches with the other processes (tnw.worklists.claims); start `workers - 1`
    local ones."""
    claims.prepare(today, everything=everything)
    progress = Progress("reevaluate", stream, tty)
    progress.start(EpisodeSchedule.objects.filter(claims.due(today)).count())
    helpers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tnw.cli",
                "daily",
                "--worker",
                f"--today={today}",
                f"--batch-size={batch_size}",
            ]
        )
        for _ in range(workers - 1)
    ]
    try:
        result = claims.run_claims(today, batch_size, leader=True, advance=progress.advance)
    finally:
        for helper in helpers:
            helper.wait()
    progress.finish()
    summary.reevaluated += result.evaluated
    summary.changed += result.changed


def run_worker(*, today: date, batch_size: int = 500) -> schedule.BatchResult:
    """`tnw daily --worker`: only re-evaluate, claiming batches (any host)."""
    return claims.run_claims(today, batch_size, leader=False)


def run_daily(
    *,
    today: date,
    everything: bool = False,
    batch_size: int = 500,
    send: bool = True,
    stream: TextIO | None = None,
    tty: bool | None = None,
    workers: int = 1,
) -> Summary:
    """The daily run. The re-evaluation is shared by `workers` local processes and by any
    `tnw daily --worker` started elsewhere (tnw.worklists.claims): in parallel on
    PostgreSQL; on SQLite, whose writers take turns, one batch at a time."""
    summary = Summary(today=today)
    with run_lock():
        started = time.monotonic()
        _reevaluate_claiming(summary, today, everything, batch_size, workers, stream, tty)
        schedule.mark_rules_current(today)
        summary.seconds["reevaluate"] = time.monotonic() - started
        # The reports' figures as of today, from the timelines just brought up to date.
        phase = time.monotonic()
        services.refresh_report_figures(today=today)
        summary.seconds["figures"] = time.monotonic() - phase

        phase = time.monotonic()
        drafts = _insured_drafts(today) + _user_drafts(today) + reminder_drafts(today)
        drafts += portal_drafts(today)  # the portal's own reminders (tnw.portal.daily)
        drafts += appointment_drafts(today)  # the agenda's appointments (tnw.caseload.daily)
        # The letters' PDFs: attached to those e-mails, or in the print batch (tnw.documents).
        printed = queue_letters(today, drafts)
        new = 0
        for chunk in schedule.chunked(drafts, 1000):
            added = outbox.queue(chunk)
            new += added
        by_kind: dict[str, int] = defaultdict(int)
        for d in drafts:
            by_kind[d.kind] += 1
        summary.queued = dict(by_kind)
        summary.queued["new"] = new
        summary.queued["print"] = printed
        summary.seconds["queue"] = time.monotonic() - phase

        if send:
            phase = time.monotonic()
            summary.recovered = outbox.recover_interrupted()
            report = outbox.deliver(progress=Progress("send", stream, tty))
            summary.sent, summary.retried, summary.failed = (
                report.sent, report.retried, report.failed,
            )  # fmt: skip
            summary.seconds["send"] = time.monotonic() - phase
        refresh_statistics()
        summary.seconds["total"] = time.monotonic() - started
    summary.max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary
