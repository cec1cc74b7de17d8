"""Facts: one incapacity episode of one insured person and its dated events.

`parse_facts` reads the JSON contract (a dict as produced by `json.loads`) and either returns
typed `Facts` or raises `FactsError` naming the field or the event (by index and type) and
what is wrong. It checks the *form* of the facts only; what the law says about them (a first
contact by phone, a plan without an action, ...) is the engine's business and comes out as
violations in the timeline, not as input errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

FieldValue = str | bool | int | date | tuple[str, ...] | None

CONTACT_MODES = ("physical", "video", "phone", "mail")
MEDICAL_EXEMPTION_REASONS = (
    "severe_oncology",
    "transplant",
    "amputation",
    "plegia_paresis",
    "dementia",
    "korsakov",
    "coma",
    "spinal_muscular_atrophy",
    "parkinson",
    "bilateral_visual_impairment",
    "decompensated_cirrhosis",
    "terminal_renal_failure",
    "severe_polytrauma",
    "severe_burns",
)
CODEX_INITIATORS = ("worker", "treating_physician", "advising_physician", "employer")
CODEX_DECISIONS = ("A", "B", "C", "D", "E")
FIRST_CONTACT_OUTCOMES = ("occupational_physician", "ziv", "none", "pending")
CONTACT_PURPOSES = ("refusal_discussion", "other")
ZIV_SITUATIONS = ("A", "B", "C", "D")
# Extension (law of 2023 and 2026, docs/rules.md section 9): the appointments whose unjustified
# absence the benefit sanction covers, who estimates the work potential, the regional
# employment services (domain-notes 3.1, 3.4, 9.2).
APPOINTMENTS = ("medical_examination", "first_contact")
ESTIMATORS = ("advising_physician", "occupational_physician")
EMPLOYMENT_SERVICES = ("VDAB", "Forem", "Actiris", "ADG")
# Who carries out an action of the re-integration plan (circular IV 4.2: the coordinator and the
# advising physician may consult the treating physician, the therapeutic counsellor, the
# employer, the regional services and other providers; II 2.2.1). Optional: one per action.
PLAN_ACTORS = (
    "person", "coordinator", "advising_physician", "treating_physician", "counsellor",
    "employer", "regional_service", "provider",
)  # fmt: skip
FORCE_MAJEURE_INITIATORS = ("worker", "employer")

Kind = Literal["bool", "date", "str", "text", "str_list", "category"]


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    default: FieldValue = None


def _choice(choices: tuple[str, ...], required: bool = True) -> FieldSpec:
    return FieldSpec("str", required=required, choices=choices)


# The event types of the contract, with their fields. Order matters: when two events fall on
# the same day, they are taken in this order (a questionnaire is sent before it is received,
# a plan is drawn up before it is reviewed), so the result never depends on input order.
EVENT_TYPES: dict[str, dict[str, FieldSpec]] = {
    "medical_exemption": {"reason": _choice(MEDICAL_EXEMPTION_REASONS)},
    "exemption_letter_sent": {},
    "authorised_work_started": {},
    "authorised_work_ended": {},
    # Routing B: the request comes before the questionnaire sent (or waived) in answer to it.
    "spontaneous_request": {},
    "questionnaire_sent": {},
    "questionnaire_received": {"complete": FieldSpec("bool", required=False, default=True)},
    "questionnaire_waived": {},
    "questionnaire_help_contact": {"mode": _choice(CONTACT_MODES)},
    "capacity_assessed": {
        "category": FieldSpec("category"),
        "medical_exam": FieldSpec("bool"),
    },
    "referred_to_coordinator": {},
    "first_contact": {
        "mode": _choice(CONTACT_MODES),
        "consent": FieldSpec("bool"),
        "outcome": _choice(FIRST_CONTACT_OUTCOMES),
    },
    "consent_given": {},
    "consent_withdrawn": {},
    "permission_requested": {},
    "permission_decided": {"granted": FieldSpec("bool")},
    "contact": {"mode": _choice(CONTACT_MODES), "purpose": _choice(CONTACT_PURPOSES)},
    # Extension (sanctions 2023/2026): the invitation to an appointment of the advising
    # physician or the coordinator, the absence, the registered letter with a new date and the
    # person's contact that ends a reduction (docs/rules.md section 9).
    "invited": {
        "appointment": _choice(APPOINTMENTS),
        "appointment_date": FieldSpec("date"),
        "mode": _choice(CONTACT_MODES),
        "sanction_stated": FieldSpec("bool"),
    },
    "absent": {
        "appointment": _choice(APPOINTMENTS),
        "justified": FieldSpec("bool"),
        "justification": FieldSpec("text", required=False),
    },
    "registered_letter_sent": {
        "appointment": _choice(APPOINTMENTS),
        "new_date": FieldSpec("date"),
    },
    "contacted_after_absence": {"appointment": _choice(APPOINTMENTS)},
    # Extension (2026): the estimate of the work potential (arbeidspotentieel), the employer's
    # request for it (CODEX 2026), the registration with the regional employment service.
    "work_potential_requested": {},
    "work_potential_estimated": {
        "estimated_by": _choice(ESTIMATORS),
        "sufficient": FieldSpec("bool"),
    },
    "employment_service_registered": {"service": _choice(EMPLOYMENT_SERVICES)},
    "codex_requested": {
        "by": _choice(CODEX_INITIATORS),
        "definitive_unfitness_certificate": FieldSpec("bool", required=False, default=False),
        # Extension (CODEX 2026): the employer may start from day 1 with the worker's consent.
        "worker_consent": FieldSpec("bool", required=False, default=False),
    },
    # Extension (CODEX 2022/2026, issue 9): the occupational physician's invitation to the
    # assessment and the worker's not answering it (3 invitations at least 14 days apart end
    # the trajectory); an invitation comes before the assessment it leads to.
    "codex_invited": {"appointment_date": FieldSpec("date")},
    "codex_unanswered": {},
    "codex_assessed": {"decision": _choice(CODEX_DECISIONS)},
    # Extension: the worker's appeal against a decision of definitive unfitness (I.4-63).
    "codex_appealed": {},
    "codex_plan_delivered": {},
    "codex_plan_answered": {"agreed": FieldSpec("bool")},
    "codex_ended": {"definitive_unfitness": FieldSpec("bool")},
    "work_resumed": {},
    # Extension: the request to start the procedure of medical force majeure (art. 34 of the
    # Employment Contracts Act, Codex art. I.4-82/1), by the worker or the employer.
    "medical_force_majeure_requested": {"by": _choice(FORCE_MAJEURE_INITIATORS)},
    "ziv_started": {"situation": _choice(ZIV_SITUATIONS)},
    "occupational_physician_informed": {},
    "follow_up_meeting": {"mode": _choice(CONTACT_MODES)},
    "plan_drawn_up": {
        "objectives": FieldSpec("str_list"),
        "end_result": FieldSpec("text"),
        "actions": FieldSpec("str_list"),
        # Extension: who does each action, in the order of `actions` (issue 16).
        "action_by": FieldSpec("str_list", required=False, choices=PLAN_ACTORS),
        "next_appointment": FieldSpec("date", required=False),
        # Extension: "unless the file justifies another frequency" (circular IV 4.3).
        "next_review": FieldSpec("date", required=False),
    },
    "plan_reviewed": {"next_review": FieldSpec("date", required=False)},
    "ziv_suspended": {},
    "ziv_resumed": {},
    # Circular IV 4.2: a plan with vocational retraining needs the approval of the Hoge
    # Commissie of the Geneeskundige Raad voor Invaliditeit (the request and its decision); a
    # plan aimed at work ends in a work-resumption proposal that the advising physician
    # approves (art. 100 §2). A request comes before its decision, a decision before the start.
    "retraining_requested": {},
    "retraining_decided": {"approved": FieldSpec("bool")},
    "work_resumption_proposed": {},
    "work_resumption_decided": {"approved": FieldSpec("bool")},
    "paid_work_started": {},
    "retraining_started": {},
    "trajectory_ended": {"outcome": FieldSpec("text")},
    "trajectory_evaluated": {},
    "incapacity_ended": {},
}
EVENT_ORDER = {name: position for position, name in enumerate(EVENT_TYPES)}


class FactsError(ValueError):
    """The input cannot be read as facts. The message names the field and the problem."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class Event:
    """One registered fact. `index` is its position in the input list."""

    index: int
    type: str
    date: dt.date
    data: Mapping[str, FieldValue] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        return bool(self.data.get(name))

    def text(self, name: str) -> str:
        value = self.data.get(name)
        return value if isinstance(value, str) else ""

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name)
        return value if isinstance(value, tuple) else ()

    def day(self, name: str) -> dt.date | None:
        value = self.data.get(name)
        return value if isinstance(value, date) else None

    def number(self, name: str) -> int:
        value = self.data.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def label(self) -> str:
        return f"event {self.index} ({self.type}, {self.date.isoformat()})"

    def sort_key(self) -> tuple[dt.date, int, str, int]:
        # Content is part of the key so that two same-day events of one type sort the same
        # way whatever order they came in.
        return (self.date, EVENT_ORDER[self.type], repr(sorted(self.data.items())), self.index)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "date": self.date.isoformat()}
        for name, value in self.data.items():
            if isinstance(value, dt.date):
                out[name] = value.isoformat()
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out


@dataclass(frozen=True)
class Facts:
    incapacity_start: date
    employment_contract: bool
    birth_date: date | None = None
    events: tuple[Event, ...] = ()
    # Extension (CODEX 2026): the employer's number of workers (None: not registered).
    employer_workers: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "incapacity_start": self.incapacity_start.isoformat(),
            "employment_contract": self.employment_contract,
        }
        if self.birth_date is not None:
            out["birth_date"] = self.birth_date.isoformat()
        if self.employer_workers is not None:
            out["employer_workers"] = self.employer_workers
        out["events"] = [event.to_json() for event in self.events]
        return out


TOP_LEVEL_FIELDS = (
    "incapacity_start",
    "employment_contract",
    "birth_date",
    "employer_workers",
    "events",
)


def parse_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise FactsError(where, f"expected a date as YYYY-MM-DD, got {_show(value)}")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise FactsError(
            where, f"{value!r} is not a valid date (expected YYYY-MM-DD, a real calendar day)"
        ) from None


def parse_facts(raw: object) -> Facts:
    """Read the JSON contract into `Facts`, or raise `FactsError`."""
    if not isinstance(raw, Mapping):
        raise FactsError("facts", f"expected a JSON object, got {_show(raw)}")
    unknown = sorted(set(raw) - set(TOP_LEVEL_FIELDS))
    if unknown:
        raise FactsError(
            unknown[0],
            f"unknown field; the facts have {', '.join(TOP_LEVEL_FIELDS)}",
        )
    for name in ("incapacity_start", "employment_contract"):
        if name not in raw or raw[name] is None:
            raise FactsError(name, "missing required field")
    incapacity_start = parse_date(raw["incapacity_start"], "incapacity_start")
    employment_contract = raw["employment_contract"]
    if not isinstance(employment_contract, bool):
        raise FactsError(
            "employment_contract", f"expected true or false, got {_show(employment_contract)}"
        )
    birth_date = None
    if raw.get("birth_date") is not None:
        birth_date = parse_date(raw["birth_date"], "birth_date")
        if birth_date > incapacity_start:
            raise FactsError("birth_date", "the birth date is after the start of the incapacity")
    raw_events = raw.get("events", [])
    if raw_events is None:
        raw_events = []
    if not isinstance(raw_events, list):
        raise FactsError("events", f"expected a list of events, got {_show(raw_events)}")
    events = tuple(_parse_event(index, item) for index, item in enumerate(raw_events))
    workers = _parse_workers(raw.get("employer_workers"))
    return Facts(incapacity_start, employment_contract, birth_date, events, workers)


def _parse_workers(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactsError(
            "employer_workers", f"expected a whole number of workers, got {_show(value)}"
        )
    if value < 0:
        raise FactsError(
            "employer_workers", f"{value} is negative; a number of workers is 0 or more"
        )
    return value


def _parse_event(index: int, raw: object) -> Event:
    where = f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise FactsError(where, f"expected an object with a type and a date, got {_show(raw)}")
    event_type = raw.get("type")
    if event_type is None:
        raise FactsError(where, "missing required field 'type'")
    if not isinstance(event_type, str) or event_type not in EVENT_TYPES:
        raise FactsError(
            f"{where}.type",
            f"unknown event type {_show(event_type)}; known types: {', '.join(EVENT_TYPES)}",
        )
    where = f"events[{index}] ({event_type})"
    if raw.get("date") is None:
        raise FactsError(where, "missing required field 'date'")
    event_date = parse_date(raw["date"], f"{where}.date")
    specs = EVENT_TYPES[event_type]
    unknown = sorted(set(raw) - {"type", "date"} - set(specs))
    if unknown:
        allowed = ", ".join(specs) if specs else "no other fields"
        raise FactsError(
            f"{where}.{unknown[0]}", f"unknown field for {event_type} (allowed: {allowed})"
        )
    data: dict[str, FieldValue] = {}
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None:
            if spec.required:
                raise FactsError(where, f"missing required field '{name}'")
            if spec.default is not None:
                data[name] = spec.default
            continue
        data[name] = _parse_field(value, spec, f"{where}.{name}")
    _check_action_by(data, where)
    return Event(index=index, type=event_type, date=event_date, data=data)


def _check_action_by(data: dict[str, FieldValue], where: str) -> None:
    """A plan's `action_by`, when given, names one party per action."""
    by, actions = data.get("action_by"), data.get("actions")
    if isinstance(by, tuple) and isinstance(actions, tuple) and len(by) != len(actions):
        raise FactsError(
            f"{where}.action_by",
            f"one party per action: {len(actions)} action(s), {len(by)} party(ies)",
        )


def _parse_field(value: object, spec: FieldSpec, where: str) -> FieldValue:
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise FactsError(where, f"expected true or false, got {_show(value)}")
        return value
    if spec.kind == "date":
        return parse_date(value, where)
    if spec.kind == "category":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactsError(where, f"expected a category 1, 2, 3 or 4, got {_show(value)}")
        if not 1 <= value <= 4:
            raise FactsError(where, f"category {value} is out of range (1 to 4)")
        return value
    if spec.kind == "str_list":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise FactsError(where, f"expected a list of texts, got {_show(value)}")
        wrong = [item for item in value if spec.choices and item not in spec.choices]
        if wrong:
            raise FactsError(where, f"{wrong[0]!r} is not one of {', '.join(spec.choices)}")
        return tuple(value)
    if not isinstance(value, str):
        raise FactsError(where, f"expected a text, got {_show(value)}")
    if spec.choices and value not in spec.choices:
        raise FactsError(where, f"{value!r} is not one of {', '.join(spec.choices)}")
    return value


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
