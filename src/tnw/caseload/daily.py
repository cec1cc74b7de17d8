"""Reminders of the agenda's appointments to the insured person, queued by the daily run
(tnw.worklists.daily) in the outbox (tnw.notifications), each under a unique key so that a
rerun, or the next days of the window, queue nothing twice:

    appointment:{appointment}              an appointment of the agenda (first contact,
                                           follow-up meeting, medical examination, other
                                           meeting) not yet held, within two days; a moved
                                           appointment is a new one, so a new reminder
    appointment-day:{episode}:{day}        a day agreed without a time (the current plan's
                                           next appointment, a proposal the coordinator
                                           confirmed) on which no appointment is booked

In the person's language (NL/FR/DE), with Belgian dates ("donderdag 26 november 2026"), the
mode and place, how to reach the mutuality's TNW desk, and for a person with a portal account
an absolute link to the portal (`TNW_PORTAL_URL`). No health data: no note of the appointment,
no finding, no category; a medical examination is named as an appointment with the advising
physician, as its invitation does.

The person's choice of letters is followed (`tnw.documents.daily.route`): an e-mail when they
receive letters by e-mail (or have no portal account and an e-mail address). A person who chose
paper, or has no e-mail address, gets no e-mail; nor a paper reminder, which two days ahead
would not arrive in time: their invitation letter carries the date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.documents.daily import route
from tnw.dossier.letters import appointment_reminders_due
from tnw.mutualities.models import Mutuality
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft

REMIND_DAYS = 2  # the appointments of today and the next two days
# What the appointment is, as the person reads it.
WHAT = {
    "first_contact": gettext_lazy("first meeting with your return-to-work coordinator"),
    "follow_up": gettext_lazy("follow-up meeting about your re-integration plan"),
    "medical_exam": gettext_lazy("appointment with the advising physician"),
    "other": gettext_lazy("meeting with your return-to-work coordinator"),
}
# Belgian dates, written out: "donderdag 26 november 2026", "jeudi 26 novembre 2026",
# "Donnerstag, 26. November 2026".
DAY_FORMAT = {"de": "l, j. F Y"}
TIME_FORMAT = {"fr": "G\\hi"}  # 10h30


def _day(day: date, language: str) -> str:
    return date_format(day, DAY_FORMAT.get(language, "l j F Y"))


def _how(row: dict[str, Any]) -> str:
    place = row["place"]
    if row["mode"] == "phone":
        return _("By telephone: we will call you.")
    if row["mode"] == "video":
        return (
            (_("By video call: %(place)s") % {"place": place})
            if place
            else _("By video call: you will receive the link.")
        )
    return (_("Where: %(place)s") % {"place": place}) if place else ""


def _desk(mutuality: Mutuality | None) -> str:
    if mutuality is None:
        return ""
    contact = next(iter(mutuality.contacts.all()), None)
    reach = " · ".join(p for p in (contact.phone, contact.email) if p) if contact else ""
    return f"{mutuality.name} ({reach})" if reach else mutuality.name


def texts(row: dict[str, Any], mutuality: Mutuality | None) -> tuple[str, str]:
    """The subject and body of one reminder, in the active language."""
    language = translation.get_language() or "nl"
    values = {"name": f"{row['first_name']} {row['last_name']}", "what": WHAT[row["kind"]],
              "day": _day(row["day"], language)}  # fmt: skip
    at: datetime | None = row["at"]
    if at is not None:
        values["time"] = date_format(at, TIME_FORMAT.get(language, "H:i"))
        when = _("This is a reminder of your %(what)s on %(day)s at %(time)s.") % values
        subject = _("Reminder: %(what)s on %(day)s at %(time)s") % values
    else:
        when = _("This is a reminder of your %(what)s on %(day)s.") % values
        subject = _("Reminder: %(what)s on %(day)s") % values
    lines = [_("Hello %(name)s,") % values, "", when]
    how = _how(row)
    if how:
        lines.append(how)
    lines += ["", _("If you cannot come, let your mutuality know as soon as possible: %(desk)s")
              % {"desk": _desk(mutuality)}]  # fmt: skip
    if row["portal"] is not None:  # a portal account: their plan and letters are there
        lines += ["", _("Your dossier on the portal: %(url)s") % {"url": settings.TNW_PORTAL_URL}]
    return subject, "\n".join(lines) + "\n"


def key_of(row: dict[str, Any]) -> str:
    if row["appointment_id"] is not None:
        return f"appointment:{row['appointment_id']}"
    return f"appointment-day:{row['episode_id']}:{row['day'].isoformat()}"


def appointment_drafts(today: date) -> list[Draft]:
    """Today's reminders of appointments (see the module docstring)."""
    rows = [
        row for row in appointment_reminders_due(today=today, days=REMIND_DAYS)
        if route({"portal": row["portal"], "email": bool(row["email"])}) == "email"
    ]  # fmt: skip
    wanted = Mutuality.objects.filter(pk__in={r["mutuality_id"] for r in rows})
    mutualities = {m.pk: m for m in wanted.prefetch_related("contacts")}
    drafts = []
    for row in rows:
        with translation.override(row["language"]):
            subject, body = texts(row, mutualities.get(row["mutuality_id"]))
        drafts.append(Draft(key=key_of(row), kind=Kind.REMINDER, to=row["email"],
                            subject=subject, body=body, episode_id=row["episode_id"]))  # fmt: skip
    return drafts
