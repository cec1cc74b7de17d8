"""The rules engine's sentences in the user's language.

The engine explains every obligation, void reason and presumption end with a message: a stable
key and its parameters (`tnw.rules.model.Message`, stored as {"key", "params"}: dates as ISO
strings, terms as {"amount", "unit"}). Each sentence is written once, where the rule declares it
(`tnw.rules.message_templates()`); this module uses that English sentence, its `{name}`
placeholders written `%(name)s`, as the msgid of the web catalogue (src/tnw/web/locale), and
fills it in: dates as dd/mm/yyyy, terms with their unit in the language ("10 weken",
"40 jours ouvrables"), codes such as a medical exemption reason by their translated label. A key
it does not know falls back to the engine's English text (and says so, so the page can mark that
text lang="en"). tests/web/test_catalogue.py checks that every sentence of the engine has its
translation in NL, FR and DE (the msgids are not in a `_()` call here: keep them when running
makemessages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from tnw.rules import message_templates
from tnw.web import labels

# The screens translate the timeline's sentences (obligations, void reasons, presumption ends);
# a violation is said by its code (labels.VIOLATION_MESSAGES), next to its field.
NOT_TRANSLATED_HERE = ("violation.", "plan.lacks.")


def msgid(template: str) -> str:
    """The catalogue's msgid of an engine sentence: its `{name}` placeholders as `%(name)s`."""
    return re.sub(r"\{(\w+)\}", r"%(\1)s", template.replace("%", "%%"))


def _sentences() -> dict[str, str]:
    """Every timeline sentence by key, as msgid: the engine's one table (no second copy)."""
    return {
        key: msgid(template)
        for key, template in message_templates().items()
        if not key.startswith(NOT_TRANSLATED_HERE)
    }


MESSAGES: dict[str, str] = _sentences()

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
        return gettext(sentence) % values
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
