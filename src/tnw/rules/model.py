"""The typed results of an evaluation: obligations, presumptions, violations, the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeAlias

from .calendar import Term

Actor = Literal[
    "advising_physician", "coordinator", "insured", "employer", "occupational_physician"
]
ACTORS: tuple[Actor, ...] = (
    "advising_physician",
    "coordinator",
    "insured",
    "employer",
    "occupational_physician",
)
Status = Literal["upcoming", "open", "overdue", "done", "void"]
ParamValue: TypeAlias = str | int | date | Term | tuple[str, ...] | tuple["Message", ...]


@dataclass(frozen=True)
class Message:
    """A sentence of the engine with a stable key and its parameters, so that a user interface
    can say it in the user's language; `text` is the English sentence.

    Parameters are dates, terms (`Term`), numbers, codes (a decision letter, an exemption
    reason), lists of codes (said "a or b") or lists of messages (said "a; b"); free text
    registered by a user (a trajectory outcome) is never a parameter. The sentence of each key
    is declared once (`tnw.rules.messages`), beside the rule that says it.
    """

    key: str
    template: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    @property
    def text(self) -> str:
        return self.template.format(**{name: _english(name, v) for name, v in self.params})

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {name: _json(v) for name, v in self.params}}


def _english(name: str, value: ParamValue) -> str:
    if isinstance(value, Term):
        return value.describe()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        if all(isinstance(item, Message) for item in value):
            return "; ".join(item.text for item in value if isinstance(item, Message))
        return " or ".join(str(item) for item in value)
    if name == "days" and isinstance(value, int):
        return f"{value} days"
    return str(value).replace("_", " ")


def _json(value: ParamValue) -> Any:
    if isinstance(value, Term):
        return {"amount": value.amount, "unit": value.unit}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [item.to_json() if isinstance(item, Message) else item for item in value]
    return value


def join_text(parts: tuple[Message, ...]) -> str:
    return "; ".join(part.text for part in parts)


STATUSES: tuple[Status, ...] = ("upcoming", "open", "overdue", "done", "void")


@dataclass(frozen=True)
class Obligation:
    """Something someone must do, with its window, its status and where it comes from.

    `rule` names the rule that produced it (see docs/rules.md); `triggered_by` lists the input
    indexes of the events that produced it (empty: the start of the incapacity alone);
    `done_by` is the event that fulfilled it.

    Late on arrival (issue 17, point 9): an obligation that opens after its legal due date
    because an earlier step came late keeps that due date (and its status), names the step
    that caused it (`late_cause`, the obligation code of that step) and gets a working target
    (`target`, one month from its opening) by which worklists order it; `arrival` says so.
    """

    code: str
    actor: Actor
    opens: date
    due: date | None
    status: Status
    basis: tuple[str, ...]
    why: tuple[Message, ...]
    rule: str
    triggered_by: tuple[int, ...] = ()
    done_on: date | None = None
    done_by: int | None = None
    late: bool | None = None
    void: Message | None = None
    sequence: int = 0  # the nth occurrence of a recurring obligation in this episode
    late_cause: str | None = None
    target: date | None = None
    arrival: Message | None = None

    @property
    def late_on_arrival(self) -> bool:
        return self.arrival is not None

    @property
    def explanation(self) -> str:
        return join_text(self.why)

    @property
    def void_reason(self) -> str | None:
        return self.void.text if self.void is not None else None

    def sort_key(self) -> tuple[date, date, str, int]:
        return (self.due or date.max, self.opens, self.code, self.sequence)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "actor": self.actor,
            "opens": self.opens.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
        }
        if self.status == "done":
            out["done_on"] = self.done_on.isoformat() if self.done_on else None
            out["late"] = bool(self.late)
        if self.status == "void":
            out["void_reason"] = self.void_reason
            out["void"] = self.void.to_json() if self.void is not None else None
        out["basis"] = list(self.basis)
        out["explanation"] = self.explanation
        out["explanation_parts"] = [part.to_json() for part in self.why]
        out["rule"] = self.rule
        out["triggered_by"] = list(self.triggered_by)
        if self.done_by is not None:
            out["done_by"] = self.done_by
        # Issue 17 point 9; absent otherwise, so that other timelines keep their output.
        if self.arrival is not None:
            out["late_on_arrival"] = True
            out["late_cause"] = self.late_cause
            out["target"] = self.target.isoformat() if self.target else None
            out["late_on_arrival_reason"] = self.arrival.text
            out["late_on_arrival_parts"] = self.arrival.to_json()
        return out


@dataclass(frozen=True)
class Presumption:
    """A period of legal presumption of incapacity (circular VI)."""

    kind: Literal["ziv", "codex"]
    start: date
    end: date
    end_reason: Message
    basis: tuple[str, ...]
    triggered_by: tuple[int, ...]

    @property
    def ends_because(self) -> str:
        return self.end_reason.text

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ends_because": self.ends_because,
            "end_reason": self.end_reason.to_json(),
            "basis": list(self.basis),
            "triggered_by": list(self.triggered_by),
        }


@dataclass(frozen=True)
class Violation:
    """A registered fact that breaks a rule. It is reported and has no legal effect.

    `detail` says what is wrong (a message key with its parameters), `field` names the event's
    field it concerns (None: the event as a whole), so that a form can show it in the user's
    language next to the right field. `message` is the English sentence, prefixed with the
    event (kept for existing callers); `text` is the sentence alone.
    """

    event_index: int | None
    code: str
    message: str
    basis: tuple[str, ...] = ()
    detail: Message | None = None
    field: str | None = None

    @property
    def text(self) -> str:
        return self.detail.text if self.detail is not None else self.message

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "event_index": self.event_index,
            "code": self.code,
            "message": self.message,
            "basis": list(self.basis),
        }
        if self.detail is not None:
            out.update(self.detail.to_json())
        out["field"] = self.field
        return out


@dataclass(frozen=True)
class Sanction:
    """A period in which the daily benefit is reduced or suspended for not cooperating (law of
    2023 and 2026, tnw.rules.law.law_2023_sanctions). `end` is the last reduced day, None while
    it runs; `ended_by` is the contact (input index) that ended it."""

    kind: Literal["reduction", "suspension"]
    appointment: str
    start: date
    end: date | None
    percentage: float
    regime: str
    basis: tuple[str, ...]
    triggered_by: tuple[int, ...]
    ended_by: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "appointment": self.appointment,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "percentage": self.percentage,
            "regime": self.regime,
            "basis": list(self.basis),
            "triggered_by": list(self.triggered_by),
            "ended_by": self.ended_by,
        }


@dataclass(frozen=True)
class Timeline:
    as_of: date
    regimes: dict[str, str | None]
    obligations: tuple[Obligation, ...]
    presumptions: tuple[Presumption, ...]
    violations: tuple[Violation, ...]
    notes: tuple[str, ...] = field(default=())
    sanctions: tuple[Sanction, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "regimes": dict(self.regimes),
            "obligations": [obligation.to_json() for obligation in self.obligations],
            "presumptions": [presumption.to_json() for presumption in self.presumptions],
            "violations": [violation.to_json() for violation in self.violations],
        }
        # Added by the law of 2023 (issue 9); absent when there is none, so that facts without
        # the new events give the same output as before.
        if self.sanctions:
            out["sanctions"] = [sanction.to_json() for sanction in self.sanctions]
        return out

    def by_code(self, code: str) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.code == code)
