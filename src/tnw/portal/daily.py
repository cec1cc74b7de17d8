"""The portal's reminders in the daily run (called by tnw.worklists.daily), by e-mail through
the outbox (tnw.notifications), in the person's language, each under a unique key so a rerun,
or the next days, queue nothing twice:

    portal-draft:{episode}:{term}     a questionnaire saved on the portal two days ago or more
                                      and not sent while its return term runs (once per term)
    portal-meeting:{episode}:{day}    a follow-up meeting (the plan's next appointment or a
                                      proposal the coordinator confirmed) within two days

Only for persons with a portal account and an e-mail address (`tnw.dossier.portal.reminders_due`).
The questionnaire's own letter and its reminder before the term ends stay those of the daily
run (tnw.worklists.daily, tnw.documents.daily).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tnw.dossier.portal import reminders_due
from tnw.notifications.models import Kind
from tnw.notifications.services import Draft

DRAFT_IDLE_DAYS = 2
MEETING_DAYS = 2


def _texts(row: dict[str, Any]) -> tuple[str, str]:
    values = {"name": f"{row['first_name']} {row['last_name']}",
              "on": date_format(row["on"], "j F Y"), "url": settings.TNW_PORTAL_URL}  # fmt: skip
    if row["kind"] == "draft":
        subject = _("Your questionnaire is not sent yet")
        body = _(
            "Hello %(name)s,\n\nYou started the questionnaire on the portal, but you did not "
            "send it yet. Your answers are saved. Please send it by %(on)s:\n%(url)s\n"
        )
    else:
        subject = _("Reminder: follow-up meeting on %(on)s")
        body = _(
            "Hello %(name)s,\n\nYour follow-up meeting about your re-integration plan is on "
            "%(on)s. You can see your plan and add the meeting to your calendar on the "
            "portal:\n%(url)s\n"
        )
    return subject % values, body % values


def portal_drafts(today: date) -> list[Draft]:
    """The portal's reminders due today (see the module docstring)."""
    drafts = []
    for row in reminders_due(today=today, draft_idle_days=DRAFT_IDLE_DAYS,
                             meeting_days=MEETING_DAYS):  # fmt: skip
        with translation.override(row["language"] or "nl"):
            subject, body = _texts(row)
        drafts.append(Draft(
            key=f"portal-{row['kind']}:{row['episode_id']}:{row['on'].isoformat()}",
            kind=Kind.REMINDER, to=row["email"], subject=subject, body=body,
            episode_id=row["episode_id"],
        ))  # fmt: skip
    return drafts
