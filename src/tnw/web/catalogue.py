"""The rules engine's sentences in the user's language.

The engine explains every obligation, void reason and presumption end with a message: a stable
key and its parameters (`tnw.rules.model.Message`, stored as {"key", "params"}: dates as ISO
strings, terms as {"amount", "unit"}). This module maps each key to a translatable sentence
with named placeholders and fills them in: dates as dd/mm/yyyy, terms with their unit in the
language ("10 weken", "40 jours ouvrables"), codes such as a medical exemption reason by their
translated label. A key it does not know falls back to the engine's English text (and says so,
so the page can mark that text lang="en"). tests/web/test_catalogue.py checks that every key of
the engine has an entry here and a translation in NL, FR and DE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from tnw.sanctions import labels as later_law_labels
from tnw.web import labels

MESSAGES: dict[str, Promise] = {
    # Routing A
    "routing_a.send_questionnaire": _("%(term)s after the start of the incapacity (%(start)s)"),
    "routing_a.inform_exemption": _(
        "a letter explaining that no questionnaire is sent, with the TNW coordinator's contact "
        "details; due when the questionnaire would have been sent"
    ),
    "routing_a.first_capacity_assessment": _(
        "in the course of month %(month)s of the incapacity (%(opens)s to %(due)s)"
    ),
    "routing_a.category1_reexamination": _(
        "placed in category 1 on %(date)s and still incapacitated after %(term)s: compulsory "
        "medical examination for a new estimate"
    ),
    "routing_a.category3_examination": _(
        "placed in category 3 on %(date)s: medical examination at the latest in the course of "
        "month %(month)s of the incapacity"
    ),
    "routing_a.refer_to_coordinator.initial": _(
        "placed in category 4 on %(date)s at the first estimate: refer to the TNW coordinator "
        "for a first contact"
    ),
    "routing_a.refer_to_coordinator.new_estimate": _(
        "placed in category 4 on %(date)s after a new estimate: refer to the TNW coordinator "
        "for a first contact"
    ),
    "routing_a.first_contact.initial_category4": _(
        "placed in category 4 at the first estimate: first contact at the latest during month "
        "%(month)s of the incapacity"
    ),
    "routing_a.first_contact.after_referral": _("within %(term)s of the referral (%(date)s)"),
    # The questionnaire
    "questionnaire.return": _("properly completed, within %(term)s of sending (%(sent)s)"),
    "questionnaire.help_contact": _(
        "the questionnaire sent on %(sent)s was not returned properly completed within "
        "%(term)s: contact the person and offer help (may be delegated to a staff member)"
    ),
    # Routing B
    "routing_b.send_questionnaire": _(
        "spontaneous request: invite the person to complete the questionnaire, unless it was "
        "completed in this incapacity and needs no update"
    ),
    "routing_b.first_contact.waiting": _(
        "spontaneous request on %(date)s: first contact within %(term)s of the receipt of the "
        "completed questionnaire"
    ),
    "routing_b.first_contact.after_waiver": _(
        "within %(term)s of the waiver of the questionnaire (%(date)s)"
    ),
    "routing_b.first_contact.after_questionnaire": _(
        "within %(term)s of the receipt of the completed questionnaire (%(date)s)"
    ),
    "routing_b.request_permission": _(
        "after the first contact of %(date)s: inform the advising physician and ask permission "
        "to start a TNW trajectory"
    ),
    "routing_b.permission_decision": _("the coordinator asked permission on %(date)s"),
    "routing_b.refusal_contact": _(
        "the advising physician refused on %(date)s: a new contact within %(term)s of the "
        "previous contact moment (%(previous)s), physical or video, to discuss the decision"
    ),
    # ZIV re-integration trajectory
    "ziv.inform_occupational_physician": _(
        "ZIV trajectory started in situation %(situation)s on %(date)s"
    ),
    "ziv.first_follow_up_meeting": _("within %(term)s of the engagement declaration (%(date)s)"),
    "ziv.draw_up_plan": _(
        "the re-integration plan is given content in the follow-up meeting(s): objectives, end "
        "result, one concrete action, one next appointment"
    ),
    "ziv.plan_follow_up": _("every %(term)s: the last follow-up was on %(last)s"),
    "ziv.plan_follow_up.chosen": _("next follow-up set for %(next)s at the follow-up of %(last)s"),
    "ziv.suspend_for_codex": _(
        "the employer asked for a CODEX trajectory on %(date)s: the ZIV trajectory is suspended"
    ),
    "ziv.restart_after_codex": _(
        "the CODEX trajectory ended definitively on %(date)s for definitive unfitness: the ZIV "
        "trajectory starts again"
    ),
    "ziv.evaluate_trajectory": _("the trajectory ended on %(date)s: evaluate its results"),
    # CODEX re-integration trajectory
    "codex.assessment": _("re-integration assessment within %(term)s of the request"),
    "codex.plan": _(
        "decision %(decision)s on %(date)s: the employer hands the re-integration plan (or the "
        "report that none is possible) within %(term)s"
    ),
    "codex.plan_answer": _(
        "the worker agrees (signs) or disagrees with the plan handed on %(date)s within %(term)s"
    ),
    "codex.reassessment": _(
        "decision %(decision)s on %(date)s: the occupational physician reassesses"
    ),
    "codex.reassessment.term": _(
        "decision %(decision)s on %(date)s: the occupational physician reassesses within %(term)s"
    ),
    # Notes added to an explanation
    "note.first_contact_modes": _("physical or video contact, with written consent"),
    "note.follow_up_modes": _("physical, video or phone"),
    "note.codex_regime": _("CODEX regime %(regime)s"),
    "note.suspended": _("suspended since %(start)s, the term runs again on resumption"),
    "note.suspended_period": _("suspended (the ZIV trajectory)"),
    "note.moved_for_suspension": _("moved %(days)s for the suspension from %(start)s to %(end)s"),
    "note.questionnaire_already_sent": _("a questionnaire was already sent in this incapacity"),
    # General exceptions (why an obligation no longer applies)
    "exception.no_consent": _("no written consent in force on %(day)s"),
    "exception.pension_age": _(
        "the incapacity started on or after %(threshold)s, within %(term)s of the legal pension "
        "date (%(pension_date)s, age %(age)s)"
    ),
    "exception.codex_running": _("a CODEX trajectory was requested on %(date)s"),
    "exception.authorised_work": _(
        "the person performs authorised work (art. 100 §2) since %(date)s"
    ),
    "exception.routing_b_running": _(
        "a TNW trajectory at the person's request runs since %(date)s"
    ),
    # Void reasons
    "void.medical_exemption": _("medical exemption (%(reason)s) registered on %(date)s"),
    "void.questionnaire_received": _("the completed questionnaire was received on %(date)s"),
    "void.questionnaire_sent_after_all": _("a questionnaire was sent after all on %(date)s"),
    "void.questionnaire_waived": _("no update of the questionnaire needed (decided on %(date)s)"),
    "void.overtaken_by_first_contact": _(
        "the first contact took place on %(date)s without the completed questionnaire"
    ),
    "void.overtaken_by_estimate": _(
        "the first estimate took place on %(date)s without the completed questionnaire"
    ),
    "void.no_trajectory_wanted": _("the person wants no trajectory (first contact of %(date)s)"),
    "void.trajectory_ended": _("the trajectory ended on %(date)s"),
    "void.codex_ended": _("the CODEX trajectory ended on %(date)s"),
    "void.incapacity_ended": _("the incapacity ended on %(date)s"),
    # End of the legal presumption of incapacity
    "presumption.ends.max_after_plan": _("%(term)s after the plan"),
    "presumption.ends.max_after_signing": _("%(term)s after signing"),
    "presumption.ends.paid_work": _("the day before paid work started"),
    "presumption.ends.retraining": _("the day before the approved retraining started"),
    "presumption.ends.incapacity_ended": _("the end of the incapacity"),
    "presumption.ends.trajectory_ended": _("the last day of the trajectory set by the coordinator"),
    "presumption.ends.work_resumed": _("the day before work resumed with the employer"),
}

# The sentences of the law after 2022 (issue 9), translated in tnw.sanctions' catalogue.
MESSAGES.update(later_law_labels.MESSAGES)

# What replaces a parameter that the reader may not see (health data, see
# tnw.dossier.selectors.MEDICAL_PARAMS).
WITHHELD = {"reason": _("a medical reason")}

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Text:
    """A sentence for the page; `lang` is "en" when it is the engine's untranslated text."""

    text: str
    lang: str = ""

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def term_text(amount: int, unit: str) -> str:
    """A legal term in the active language: "10 weken", "40 jours ouvrables", "1 Monat"."""
    if unit == "days":
        text = ngettext("%(n)d calendar day", "%(n)d calendar days", amount)
    elif unit == "weeks":
        text = ngettext("%(n)d week", "%(n)d weeks", amount)
    elif unit == "months":
        text = ngettext("%(n)d month", "%(n)d months", amount)
    elif unit == "working_days":
        text = ngettext("%(n)d working day", "%(n)d working days", amount)
    else:
        return f"{amount} {unit}"
    return text % {"n": amount}


def belgian_date(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    match = ISO_DATE.match(str(value))
    return f"{match[3]}/{match[2]}/{match[1]}" if match else str(value)


def param_text(name: str, value: Any) -> str:
    """One parameter in the active language."""
    if isinstance(value, dict) and "amount" in value and "unit" in value:
        return term_text(int(value["amount"]), str(value["unit"]))
    if name == "reason":
        return labels.choice_label("reason", value)
    if name == "days" and isinstance(value, int):
        return ngettext("%(n)d day", "%(n)d days", value) % {"n": value}
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return belgian_date(value)
    return str(value)


def render(message: dict[str, Any] | None) -> str | None:
    """One message ({key, params}) in the active language; None for an unknown key or a
    sentence whose parameters do not fit."""
    if not message:
        return None
    sentence = MESSAGES.get(message.get("key", ""))
    if sentence is None:
        return None
    params = message.get("params") or {}
    values = {name: param_text(name, value) for name, value in params.items()}
    for name, replacement in WITHHELD.items():
        values.setdefault(name, str(replacement))
    try:
        return str(sentence) % values
    except (KeyError, TypeError, ValueError):
        return None


def _english(text: str) -> Text:
    return Text(belgian_dates(text), "en" if text else "")


def explanation(parts: Iterable[dict[str, Any]] | None, english: str) -> Text:
    """An obligation's explanation (its parts joined) in the active language, or the English
    text when a part is unknown or there are no parts (a row stored before the keys)."""
    parts = list(parts or [])
    rendered = [render(part) for part in parts]
    if not parts or any(text is None for text in rendered):
        return _english(english)
    return Text(pgettext("list separator", "; ").join(rendered))  # type: ignore[arg-type]


def message_text(message: dict[str, Any] | None, english: str) -> Text:
    """A void reason or a presumption's end in the active language (English as fallback)."""
    from tnw.dossier.selectors import NO_LONGER_REQUIRED

    if not message and english == NO_LONGER_REQUIRED:
        return Text(gettext("no longer required"))
    rendered = render(message)
    if rendered is None:
        return _english(english)
    return Text(rendered)


def belgian_dates(text: str) -> str:
    """The engine's English texts name dates as YYYY-MM-DD; the screens show dd/mm/yyyy."""
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: f"{m[3]}/{m[2]}/{m[1]}", text or "")
