"""The portal's reminders in the daily run (called by tnw.worklists.daily), by e-mail through
the outbox (tnw.notifications), in the person's language, each under a unique key so a rerun,
or the next days, queue nothing twice:

    portal-draft:{episode}:{term}     a questionnaire saved on the portal two days ago or more
                                      and not sent while its return term runs (once per term)

Only for persons with a portal account and an e-mail address (`tnw.dossier.portal.reminders_due`).
The appointments coming up (the plan's next one, a confirmed proposal, the agenda's) are
reminded to every person who receives letters by e-mail, portal or not (tnw.caseload.daily).
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


def _texts(row: dict[str, Any]) -> tuple[str, str]:
    values = {"name": f"{row['first_name']} {row['last_name']}",
              "on": date_format(row["on"], "j F Y"), "url": settings.TNW_PORTAL_URL}  # fmt: skip
    subject = _("Your questionnaire is not sent yet")
    body = _(
        "Hello %(name)s,\n\nYou started the questionnaire on the portal, but you did not "
        "send it yet. Your answers are saved. Please send it by %(on)s:\n%(url)s\n"
    )
    return subject % values, body % values


def portal_drafts(today: date) -> list[Draft]:
    """The portal's reminders due today (see the module docstring)."""
    drafts = []
    for row in reminders_due(today=today, draft_idle_days=DRAFT_IDLE_DAYS):
        with translation.override(row["language"] or "nl"):
            subject, body = _texts(row)
        drafts.append(Draft(
            key=f"portal-{row['kind']}:{row['episode_id']}:{row['on'].isoformat()}",
            kind=Kind.REMINDER, to=row["email"], subject=subject, body=body,
            episode_id=row["episode_id"],
        ))  # fmt: skip
    return drafts
