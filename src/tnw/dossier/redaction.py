"""Health data out of the engine's texts, by the messages' keys and parameters.

The engine explains each obligation with messages (a stable key and its parameters). Some keys
name the category the advising physician gave at an estimate ("placed in category 4 on ...")
and some parameters are health data (the reason of a medical exemption). A reader who may not
see them (medical secrecy: tnw.accounts.roles, the category is shared with the coordinator only
when the physician shares the estimate) gets the message with a neutral key instead, and the
English text rebuilt from what is left: never a search-and-replace in a sentence.
"""

from __future__ import annotations

from typing import Any

from tnw.dossier.types import NO_LONGER_REQUIRED, REDACTED, Message

# Keys whose sentence names the category of an estimate -> the neutral key that replaces them,
# with the parameters it keeps (dates and months of the incapacity are not health data).
CATEGORY_KEYS: dict[str, tuple[str, frozenset[str]]] = {
    "routing_a.refer_to_coordinator.initial": (
        "withheld.refer_to_coordinator", frozenset({"date"}),
    ),
    "routing_a.refer_to_coordinator.new_estimate": (
        "withheld.refer_to_coordinator", frozenset({"date"}),
    ),
    "routing_a.first_contact.initial_category4": (
        "withheld.first_contact_after_estimate", frozenset({"month"}),
    ),
    "routing_a.category1_reexamination": ("withheld.medical_examination", frozenset()),
    "routing_a.category3_examination": ("withheld.medical_examination", frozenset()),
}  # fmt: skip
# The neutral sentences in English (the screens translate them by key, tnw.web.labels).
WITHHELD_TEXTS = {
    "withheld.refer_to_coordinator": (
        "estimate of {date}: refer to the TNW coordinator for a first contact"
    ),
    "withheld.first_contact_after_estimate": (
        "after the first estimate: first contact at the latest during month {month} of the "
        "incapacity"
    ),
    "withheld.medical_examination": "a medical examination set by the advising physician",
}
# Parameters that are health data, per key (the others stay), and the English sentence of the
# message without them.
MEDICAL_PARAMS: dict[str, tuple[frozenset[str], str]] = {
    "void.medical_exemption": (
        frozenset({"reason"}), "medical exemption (a medical reason) registered on {date}",
    ),
}  # fmt: skip
# Rules whose stored explanation may name a category, for rows stored before the messages were
# (their English text cannot be cut by key, so it is withheld whole).
CATEGORY_RULES = frozenset(
    {"routing_a.refer_to_coordinator", "routing_a.first_contact",
     "routing_a.category1_reexamination", "routing_a.category3_examination"}
)  # fmt: skip


def without_health_data(message: dict[str, Any], *, category_visible: bool) -> Message:
    """The message as a reader without the physician's rights may see it."""
    key = message.get("key", "")
    params = dict(message.get("params") or {})
    if key in CATEGORY_KEYS and not category_visible:
        key, kept = CATEGORY_KEYS[key]
        params = {name: value for name, value in params.items() if name in kept}
    hidden = MEDICAL_PARAMS[key][0] if key in MEDICAL_PARAMS else frozenset()
    return {"key": key, "params": {k: v for k, v in params.items() if k not in hidden}}


def _english(message: Message) -> str:
    template = WITHHELD_TEXTS.get(message["key"]) or MEDICAL_PARAMS[message["key"]][1]
    return template.format(**message["params"])


def explanation(
    english: str, parts: list[dict[str, Any]], rule: str, *, category_visible: bool
) -> tuple[str, list[Message]]:
    """An obligation's English explanation and its messages, for a reader who sees no health
    data but (`category_visible`) perhaps the category of the estimates."""
    redacted = [without_health_data(part, category_visible=category_visible) for part in parts]
    withheld = [part for part in redacted if part["key"] in WITHHELD_TEXTS]
    if withheld:
        # The other parts are notes (contact modes, regimes): the withheld sentence says it all.
        return "; ".join(_english(part) for part in withheld), redacted
    if not parts and rule in CATEGORY_RULES and not category_visible:
        return REDACTED, []
    return english, redacted


def void_reason(english: str, void: dict[str, Any] | None) -> tuple[str, Message | None]:
    """A void reason and its message without health-data parameters."""
    if void is None:
        # A row stored before the messages were: its text cannot be cut by key.
        return (NO_LONGER_REQUIRED if english else ""), None
    redacted = without_health_data(void, category_visible=False)
    if redacted["key"] in MEDICAL_PARAMS:
        return _english(redacted), redacted
    return english, redacted
