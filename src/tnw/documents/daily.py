"""The daily run's letters (called by tnw.worklists.daily): the questionnaire letter and its
reminder, as a PDF.

- For a person with an e-mail address the letter rides on the outbox message the run queues
  anyway (questionnaire, reminder): the message gets an attachment reference, and the PDF is
  rendered and stored when the message is sent (`services.attachment_for`), never in the run.
  The outbox key makes it one message; the document key makes it one stored PDF.
- For a person without one, a `PrintItem` puts the letter in the day's print batch of the
  mutuality, under the same occurrence key (so a rerun, or the next days of the catch-up
  window, add nothing). The batch PDF is assembled by `tnw documents batch`.
- The person's choice on the portal comes first (tnw.portal, "How do you want to receive
  letters?"): "on paper" puts the letter in the print batch even when they have an e-mail
  address (the e-mail then goes without the PDF); "by e-mail" never prints it: it rides on the
  e-mail, or, without an e-mail address, is stored now under `portal:<occurrence>` so it is
  on the portal's letters page (`tnw.documents.portal`).
Nothing is rendered here, so the run's cost does not grow with the PDFs, except those few
letters published on the portal for persons without an e-mail address.
"""

from __future__ import annotations

from datetime import date

from tnw.documents.models import PrintItem
from tnw.documents.services import issue_letter, letter_key
from tnw.dossier.letters import letters_due, sanction_letters_due
from tnw.notifications.services import Draft

KIND_OF = {"send_questionnaire": "questionnaire_letter",
           "return_questionnaire": "questionnaire_reminder"}  # fmt: skip
LOOKBACK = 14  # as tnw.worklists.daily: a day without a run is caught up
REMIND_DAYS = 3


def _occurrence(row: dict) -> str:
    """The outbox's own key of the letter's message (tnw.worklists.daily)."""
    if row["code"] == "send_questionnaire":
        return f"questionnaire:{row['episode_id']}:{row['sequence']}:{row['due']}"
    return f"reminder:{row['episode_id']}:{row['code']}:{row['sequence']}:{row['due']}"


def route(row: dict) -> str:
    """How a letter reaches the person: "email", "portal" or "paper" (see the module)."""
    if row["portal"] is None:
        return "email" if row["email"] else "paper"
    if not row["portal"]:
        return "paper"
    return "email" if row["email"] else "portal"


def _sanction_items(today: date) -> list[PrintItem]:
    """The sanction procedure's letters go by post, always: the registered letter must (it is
    registered mail), and the invitation and the notice go with it on paper as the proof of the
    procedure. Keyed by what they are about, so each is printed once, whichever day's run
    first sees it."""
    return [
        PrintItem(key=f"sanction:{row['kind']}:{row['episode_id']}:{row['subject']}", day=today,
                  mutuality_id=row["mutuality_id"], kind=row["kind"],
                  document_key=letter_key(row["kind"], row["episode_id"], today, row["subject"]),
                  episode_id=row["episode_id"])
        for row in sanction_letters_due(today=today, lookback=LOOKBACK)
    ]  # fmt: skip


def queue_letters(today: date, drafts: list[Draft]) -> int:
    """Attach the letters to the e-mail drafts, publish those of persons who chose electronic
    letters without an e-mail address on the portal, and put the paper ones in today's print
    batch. Returns the number of new print items."""
    rows = letters_due(today=today, lookback=LOOKBACK, remind_days=REMIND_DAYS)
    by_key = {d.key: d for d in drafts}
    items = []
    for row in rows:
        kind = KIND_OF[row["code"]]
        key = _occurrence(row)
        document = letter_key(kind, row["episode_id"], today, row["sequence"])
        way = route(row)
        if way == "email":
            if key in by_key:
                by_key[key].attachment = f"document:{document}"
        elif way == "portal":  # stored once per occurrence, shown on the portal
            issue_letter(key=f"portal:{key}", kind=kind, episode_id=row["episode_id"],
                         today=today)  # fmt: skip
        else:
            items.append(
                PrintItem(key=key, day=today, mutuality_id=row["mutuality_id"],
                          document_key=document, kind=kind, episode_id=row["episode_id"])
            )  # fmt: skip
    items += _sanction_items(today)
    keys = [item.key for item in items]
    before = PrintItem.objects.filter(key__in=keys).count()
    PrintItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=500)
    return PrintItem.objects.filter(key__in=keys).count() - before
