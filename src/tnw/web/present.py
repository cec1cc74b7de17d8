"""Turns the dossier selector's output into what the dossier page shows: one time axis with
the registered facts and the computed obligations, the consent state, the plan versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tnw.dossier.types import REDACTED
from tnw.rules import EVENT_TYPES
from tnw.web import catalogue, labels


@dataclass
class Item:
    """One entry of the timeline."""

    kind: str  # "fact", "obligation" or "today"
    on: date
    title: str
    status: str = ""  # fact, done, open, overdue, upcoming, void
    details: list[tuple[str, str]] = field(default_factory=list)
    opens: date | None = None
    due: date | None = None
    done_on: date | None = None
    late: bool = False
    void_reason: str = ""
    void_lang: str = ""  # "en" when the void reason is the engine's untranslated text
    basis: list[str] = field(default_factory=list)
    explanation: str = ""
    explanation_lang: str = ""
    actor: str = ""
    note: str = ""
    by: str = ""
    form_reference: str = ""
    restricted: bool = False
    # Issue 17 point 9: opened after its legal due date because an earlier step came late.
    late_on_arrival: bool = False
    late_cause: str = ""  # the label of that step
    target: date | None = None  # the working target (no legal term)
    # A registration: its id and type; a correction's reason; whether it is in force, and the
    # correction or annulment that amended it (docs/architecture.md, "Corrections").
    registration_id: int | None = None
    event_type: str = ""
    amendment: str = ""
    reason: str = ""
    in_force: bool = True
    amended_by: dict[str, Any] | None = None


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def belgian_dates(text: str) -> str:
    """The engine's texts name dates as YYYY-MM-DD; the screens show dd/mm/yyyy."""
    return ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text or "")


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def show_value(name: str, value: Any) -> str:
    if value == REDACTED:
        return _("restricted: medical secrecy (advising physician only)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    spec = None
    for specs in EVENT_TYPES.values():
        if name in specs:
            spec = specs[name]
            break
    if spec is not None and spec.kind == "date" and value:
        return _as_date(value).strftime("%d/%m/%Y")
    if name in labels.CHOICE_LABELS:
        return labels.choice_label(name, value)
    return str(value)


def fact_item(registration: dict[str, Any]) -> Item:
    data = registration["data"]
    details = [
        (str(labels.FIELD_LABELS.get(name, name)), show_value(name, value))
        for name, value in data.items()
    ]
    return Item(
        kind="fact",
        on=registration["date"],
        title=labels.event_label(registration["type"]),
        status="fact",
        details=details,
        note=registration.get("note", ""),
        by=registration["registered_by"],
        form_reference=registration.get("form_reference", ""),
        restricted=any(value == REDACTED for value in data.values()),
        registration_id=registration.get("id"),
        event_type=registration["type"],
        amendment=registration.get("amendment", ""),
        reason=registration.get("reason", ""),
        in_force=registration.get("in_force", True),
        amended_by=registration.get("amended_by"),
    )


def _withheld(message: dict[str, Any]) -> str:
    params = message.get("params") or {}
    values = {name: catalogue.param_text(name, value) for name, value in params.items()}
    return str(labels.WITHHELD_MESSAGES[message["key"]]) % values


def explain(parts: list[dict[str, Any]] | None, english: str) -> catalogue.Text:
    """An obligation's explanation in the active language, including the neutral sentences
    that stand for a withheld category (tnw.dossier.redaction)."""
    parts = list(parts or [])
    if not any(part.get("key") in labels.WITHHELD_MESSAGES for part in parts):
        return catalogue.explanation(parts, english)
    rendered = [
        _withheld(part) if part.get("key") in labels.WITHHELD_MESSAGES else catalogue.render(part)
        for part in parts
    ]
    if any(text is None for text in rendered):
        return catalogue.Text(catalogue.belgian_dates(english), "en")
    return catalogue.Text(pgettext("list separator", "; ").join(rendered))  # type: ignore[arg-type]


def obligation_item(obligation: dict[str, Any]) -> Item:
    status = obligation["status"]
    if status == "done" and obligation["done_on"]:
        on = obligation["done_on"]
    else:
        on = obligation["due"] or obligation["opens"]
    title = labels.obligation_label(obligation["code"])
    void = catalogue.message_text(obligation.get("void"), obligation["void_reason"])
    explanation = explain(obligation.get("explanation_parts"), obligation["explanation"])
    if obligation["sequence"] and obligation["sequence"] > 1:
        title = f"{title} ({obligation['sequence']})"
    return Item(
        kind="obligation",
        on=on,
        title=title,
        status=status,
        opens=obligation["opens"],
        due=obligation["due"],
        done_on=obligation["done_on"],
        late=bool(obligation["late"]),
        void_reason=void.text,
        void_lang=void.lang,
        basis=list(obligation["basis"]),
        explanation=explanation.text,
        explanation_lang=explanation.lang,
        actor=obligation["actor"],
        late_on_arrival=bool(obligation.get("late_on_arrival")),
        late_cause=_late_cause(obligation),
        target=obligation.get("target"),
    )


def _late_cause(obligation: dict[str, Any]) -> str:
    code = obligation.get("late_cause") or ""
    return str(labels.obligation_label(code)) if code else ""


def timeline(episode: dict[str, Any], today: date) -> list[Item]:
    """Facts and obligations on one time axis (oldest first), with a marker for today."""
    # An annulment shows on the registration it annuls (marked, with its reason), not apart.
    items = [
        fact_item(r) for r in episode.get("registrations", []) if r.get("amendment") != "annuls"
    ]
    items += [obligation_item(o) for o in episode.get("obligations", [])]
    order = {"fact": 0, "today": 1, "obligation": 2}
    items.append(Item(kind="today", on=today, title=_("Today")))
    items.sort(key=lambda item: (item.on, order[item.kind]))
    return items


def consent_state(episode: dict[str, Any]) -> dict[str, Any] | None:
    consents = episode.get("consents")
    if consents is None:
        return None
    if not consents:
        return {"state": "none", "label": _("no written consent registered")}
    last = consents[-1]
    if last["kind"] == "given":
        label = _("consent given on %(date)s") % {"date": last["date"].strftime("%d/%m/%Y")}
        return {"state": "given", "label": label, "reference": last["form_reference"]}
    label = _("consent withdrawn on %(date)s") % {"date": last["date"].strftime("%d/%m/%Y")}
    return {"state": "withdrawn", "label": label, "reference": last["form_reference"]}


def presumptions(episode: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for p in episode.get("presumptions", []):
        ends = catalogue.message_text(p.get("end_reason"), p["ends_because"])
        rows.append(
            {
                "kind": str(labels.PRESUMPTION_LABELS.get(p["kind"], p["kind"])),
                "start": _as_date(p["start"]),
                "end": _as_date(p["end"]),
                "ends_because": ends.text,
                "ends_because_lang": ends.lang,
                "basis": p["basis"],
            }
        )
    return rows


def codex_state(trajectory: dict[str, Any]) -> str:
    if trajectory["work_resumed_on"]:
        return _("work resumed on %(date)s") % {
            "date": trajectory["work_resumed_on"].strftime("%d/%m/%Y")
        }
    if trajectory["ended_on"]:
        return _("ended on %(date)s") % {"date": trajectory["ended_on"].strftime("%d/%m/%Y")}
    if trajectory["plan_agreed"] is not None:
        return _("plan answered") if trajectory["plan_agreed"] else _("plan refused")
    if trajectory["decision"]:
        return _("assessed: decision %(decision)s") % {"decision": trajectory["decision"]}
    return _("requested, assessment pending")
