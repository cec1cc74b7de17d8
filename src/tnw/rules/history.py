"""The event history of one episode: built once, in one pass, read by screening and the rules.

Screening checks each event against the history of the valid events before it, then applies
it here; the rules read the finished history. So both see the same consent, routing, ZIV and
CODEX state, suspensions and periods (one mechanism, one place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import parameters
from .calendar import add_months
from .facts import Event, Facts
from .messages import declare, message
from .model import Message

# General exceptions an obligation can name (circular III 3.1 steps 2 and 4; consent III 3.1
# step 7 and 3.2 step 4). The framework checks them in one declared order.
CODEX_RUNNING = "codex_running"
AUTHORISED_WORK = "authorised_work"
ROUTING_B_RUNNING = "routing_b_running"
PENSION_AGE = "pension_age"
NO_CONSENT = "no_consent"

declare(
    {
        "exception.codex_running": "a CODEX trajectory was requested on {date}",
        "exception.authorised_work": "the person performs authorised work (art. 100 §2) since "
        "{date}",
        "exception.routing_b_running": "a TNW trajectory at the person's request runs since {date}",
        "exception.pension_age": "the incapacity started on or after {threshold}, within {term} "
        "of the legal pension date ({pension_date}, age {age})",
        "exception.no_consent": "no written consent in force on {day}",
        "note.suspended_period": "suspended (the ZIV trajectory)",
    }
)


@dataclass
class Period:
    start: date
    end: date | None  # inclusive; None = still running
    label: Message

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class ZivTrajectory:
    """A ZIV re-integration trajectory (circular IV): from `ziv_started` to `trajectory_ended`."""

    start: Event
    end: Event | None = None
    suspensions: list[Period] = field(default_factory=list)
    steps: list[Event] = field(default_factory=list)

    def suspended_on(self, day: date) -> bool:
        return any(period.covers(day) for period in self.suspensions)

    @property
    def suspended(self) -> bool:
        return bool(self.suspensions) and self.suspensions[-1].end is None


@dataclass
class CodexTrajectory:
    """A CODEX re-integration trajectory: from the request to `codex_ended` or `work_resumed`."""

    request: Event
    end: Event | None = None
    assessments: list[Event] = field(default_factory=list)


@dataclass
class History:
    """What the valid events so far have established."""

    seen: set[str] = field(default_factory=set)
    consent_changes: list[tuple[date, bool]] = field(default_factory=list)
    ziv: list[ZivTrajectory] = field(default_factory=list)
    codex: list[CodexTrajectory] = field(default_factory=list)
    periods: dict[str, list[Period]] = field(
        default_factory=lambda: {
            CODEX_RUNNING: [],
            AUTHORISED_WORK: [],
            ROUTING_B_RUNNING: [],
            PENSION_AGE: [],
        }
    )
    incapacity_end: date | None = None
    referred_to_occupational_physician: bool = False
    permission_granted: bool = False
    referred_by_physician: bool = False
    codex_ended_definitive: bool = False
    questionnaire_completed: bool = False
    codex_plan_signed: Event | None = None  # the first agreed CODEX plan (circular VI)
    # IV 4.2: the Hoge Commissie's decisions on a retraining programme (date, approved).
    retraining_decisions: list[tuple[date, bool]] = field(default_factory=list)

    @classmethod
    def of(cls, facts: Facts) -> History:
        history = cls()
        pension = _pension_exclusion(facts)
        if pension is not None:
            history.periods[PENSION_AGE].append(pension)
        return history

    @property
    def consent(self) -> bool:
        return bool(self.consent_changes) and self.consent_changes[-1][1]

    def retraining_approved_on(self, day: date) -> bool:
        """IV 4.2: the last decision of the Hoge Commissie on or before `day` approved the
        retraining programme."""
        decided = [approved for when, approved in self.retraining_decisions if when <= day]
        return bool(decided) and decided[-1]

    def consent_on(self, day: date) -> bool:
        consent = False
        for when, given in self.consent_changes:
            if when > day:
                break
            consent = given
        return consent

    @property
    def current_ziv(self) -> ZivTrajectory | None:
        return self.ziv[-1] if self.ziv and self.ziv[-1].end is None else None

    @property
    def ziv_running(self) -> bool:
        return self.current_ziv is not None

    @property
    def ziv_suspended(self) -> bool:
        current = self.current_ziv
        return current is not None and current.suspended

    @property
    def codex_running(self) -> bool:
        return bool(self.codex) and self.codex[-1].end is None

    @property
    def codex_request_date(self) -> date | None:
        return self.codex[-1].request.date if self.codex else None

    def exception_on(self, name: str, day: date) -> Message | None:
        """Why general exception `name` holds on `day`, or None."""
        if name == NO_CONSENT:
            if self.consent_on(day):
                return None
            return message("exception.no_consent", day=day)
        for period in self.periods.get(name, ()):
            if period.covers(day):
                return period.label
        return None

    def apply(self, event: Event) -> None:
        """Take a valid event into the history."""
        self.seen.add(event.type)
        kind = event.type
        if kind == "incapacity_ended":
            self.incapacity_end = event.date
        elif kind in ("first_contact", "consent_given", "consent_withdrawn"):
            self._apply_consent(event)
        elif kind == "referred_to_coordinator":
            self.referred_by_physician = True
        elif kind == "questionnaire_received" and event.flag("complete"):
            self.questionnaire_completed = True
        elif kind == "codex_plan_answered" and event.flag("agreed"):
            self.codex_plan_signed = self.codex_plan_signed or event
        elif kind == "permission_decided":
            self._apply_permission(event)
        elif kind in ("authorised_work_started", "authorised_work_ended"):
            self._apply_authorised_work(event)
        elif kind == "work_resumption_decided" and event.flag("approved"):
            # IV 4.2: the approved work-resumption proposal is authorised work (art. 100 §2),
            # registered as its start (so that its end can be registered too).
            self.seen.add("authorised_work_started")
            self._apply_authorised_work(event)
        elif kind == "retraining_decided":
            self.retraining_decisions.append((event.date, event.flag("approved")))
        elif kind in ("codex_requested", "codex_ended", "work_resumed"):
            self._apply_codex(event)
        elif kind == "codex_assessed" and self.codex_running:
            self.codex[-1].assessments.append(event)
        if kind == "trajectory_ended":
            _close(self.periods[ROUTING_B_RUNNING], event.date)
        self._apply_ziv(event)

    def _apply_consent(self, event: Event) -> None:
        if event.type == "first_contact":
            self.consent_changes.append((event.date, event.flag("consent")))
            outcome = event.text("outcome")
            self.referred_to_occupational_physician = outcome == "occupational_physician"
        else:
            self.consent_changes.append((event.date, event.type == "consent_given"))

    def _apply_permission(self, event: Event) -> None:
        self.permission_granted = event.flag("granted")
        if self.permission_granted:
            label = message("exception.routing_b_running", date=event.date)
            self.periods[ROUTING_B_RUNNING].append(Period(event.date, None, label))

    def _apply_authorised_work(self, event: Event) -> None:
        if event.type == "authorised_work_ended":
            _close(self.periods[AUTHORISED_WORK], event.date)
            return
        label = message("exception.authorised_work", date=event.date)
        self.periods[AUTHORISED_WORK].append(Period(event.date, None, label))

    def _apply_codex(self, event: Event) -> None:
        if event.type == "codex_requested":
            self.codex.append(CodexTrajectory(event))
            label = message("exception.codex_running", date=event.date)
            self.periods[CODEX_RUNNING].append(Period(event.date, None, label))
            return
        if self.codex_running:
            self.codex[-1].end = event
            _close(self.periods[CODEX_RUNNING], event.date)
        if event.type == "codex_ended":
            self.codex_ended_definitive = event.flag("definitive_unfitness")

    def _apply_ziv(self, event: Event) -> None:
        if event.type == "ziv_started":
            self.ziv.append(ZivTrajectory(event))
            return
        current = self.current_ziv
        if current is None:
            return
        if event.type == "ziv_suspended":
            label = message("note.suspended_period")
            current.suspensions.append(Period(event.date, None, label))
        elif event.type == "ziv_resumed" and current.suspensions:
            current.suspensions[-1].end = event.date
        elif event.type == "trajectory_ended":
            current.end = event
        else:
            current.steps.append(event)


def _close(periods: list[Period], day: date) -> None:
    for period in periods:
        if period.end is None:
            period.end = day


def _pension_exclusion(facts: Facts) -> Period | None:
    """No questionnaire or first estimate near the legal pension age (RIZIV barometer, DN 2.2)."""
    if facts.birth_date is None:
        return None
    age = 65
    while True:
        birthday = add_months(facts.birth_date, 12 * age)
        pension_date = add_months(birthday.replace(day=1), 1)
        legal_age, _ = parameters.integer("pension.legal_age", pension_date)
        if legal_age <= age:
            break
        age = legal_age
    first_tnw_day = parameters.all_regimes()["tnw"][0].since
    term, _ = parameters.term("tnw.pension_exclusion", max(facts.incapacity_start, first_tnw_day))
    assert term is not None
    threshold = add_months(pension_date, -term.amount)
    if facts.incapacity_start < threshold:
        return None
    label = message(
        "exception.pension_age",
        threshold=threshold,
        term=term,
        pension_date=pension_date,
        age=age,
    )
    return Period(facts.incapacity_start, None, label)
