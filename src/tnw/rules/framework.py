"""The mechanisms every rule shares: declaring a rule, drafting an obligation, terms, regimes,
and the general exceptions with their one order of precedence.

A rule is a function decorated with `@rule(...)`, in the module of its legal source
(`tnw.rules.law`). The declaration says what does not vary: the rule id, the obligation code,
the actor, the parameters and citations it rests on, the general exceptions that void it, the
regime family it exists in, and its sentences. The function computes only what varies: when
the obligation opens, when it is due, the event that fulfilled it, its own void reason, the
message parameters. `finalise` then gives every draft its status in one declared order:

    done  >  the rule's own void reason  >  the general exceptions, in EXCEPTION_PRECEDENCE
          >  the end of the incapacity  >  upcoming / overdue / open

"Done beats void" everywhere: a fulfilled obligation is final, and no rule clears `done`
(a rule that must not count a late event looks for it before the event that voids it).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from . import parameters
from .calendar import Term
from .facts import Event, Facts
from .history import (
    AUTHORISED_WORK,
    CODEX_RUNNING,
    NO_CONSENT,
    PENSION_AGE,
    ROUTING_B_RUNNING,
    History,
)
from .messages import declare, message
from .model import Actor, Message, Obligation, Status
from .screening import Screened

# The order in which general exceptions void an obligation that is not done: the first that
# holds gives the reason. The exceptions of routing A (circular III 3.1 steps 2 and 4) come
# first, then consent (III 3.1 step 7, 3.2 step 4); the end of the incapacity comes last.
EXCEPTION_PRECEDENCE = (CODEX_RUNNING, AUTHORISED_WORK, ROUTING_B_RUNNING, PENSION_AGE, NO_CONSENT)
ROUTING_A_EXCEPTIONS = (CODEX_RUNNING, AUTHORISED_WORK, ROUTING_B_RUNNING, PENSION_AGE)

RegimeFamily = Literal["tnw", "codex"]

declare(
    {
        "void.incapacity_ended": "the incapacity ended on {date}",
        "late_on_arrival.refer_to_coordinator": "late on arrival: the referral of {date} came "
        "after the legal due date ({due}); working target {target}",
        "late_on_arrival.first_capacity_assessment": "late on arrival: the first estimate of "
        "{date} came after the legal due date ({due}); working target {target}",
        "late_on_arrival.absent": "late on arrival: the absence of {date} was registered "
        "after the legal due date ({due}); working target {target}",
        "late_on_arrival.work_potential_estimated": "late on arrival: the occupational "
        "physician's estimate of the work potential of {date} came after the legal due date "
        "({due}); working target {target}",
        "late_on_arrival.earlier_step": "late on arrival: it opened on {date}, after the legal "
        "due date ({due}), because an earlier step came late; working target {target}",
    }
)


@dataclass
class Draft:
    """What a rule found: the window, the explanation and what fulfilled or voided it."""

    opens: date
    due: date | None
    why: tuple[Message, ...]
    basis: tuple[str, ...] = ()  # the references of the dated parameters used
    triggered_by: tuple[int, ...] = ()
    done: Event | None = None
    void: Message | None = None
    # The obligation code of the earlier step whose lateness makes this one open after its
    # legal due date (issue 17, point 9): only read when due < opens.
    late_cause: str | None = None


@dataclass
class Context:
    """The facts, the evaluation date and the one event history, as the rules read them."""

    facts: Facts
    as_of: date
    screened: Screened
    # Replay under another regime (what-if): family -> regime id. Empty: the law by date.
    regimes: Mapping[str, str] = field(default_factory=dict)

    def law_date(self, family: RegimeFamily, day: date) -> date:
        """The date whose law applies to a fact of `day`: `day` itself, or the first day of
        the regime chosen for a replay (`tnw rules compare --regime`)."""
        chosen = self.regimes.get(family)
        if chosen is None:
            return day
        return next(r.since for r in parameters.all_regimes()[family] if r.id == chosen)

    @property
    def valid(self) -> list[Event]:
        return self.screened.valid

    @property
    def history(self) -> History:
        return self.screened.history

    @property
    def start(self) -> date:
        return self.facts.incapacity_start

    @property
    def incapacity_end(self) -> date | None:
        return self.history.incapacity_end

    def events(self, *types: str) -> list[Event]:
        return [event for event in self.valid if event.type in types]

    def first_after(
        self,
        types: str | tuple[str, ...],
        anchor: Event | date,
        *,
        before: Event | None = None,
        where: Callable[[Event], bool] | None = None,
    ) -> Event | None:
        """The first valid event of `types` on or after `anchor` (and before `before`)."""
        wanted = (types,) if isinstance(types, str) else types
        for event in self.valid:
            if event.type not in wanted or not after(event, anchor):
                continue
            if before is not None and not is_before(event, before):
                continue
            if where is None or where(event):
                return event
        return None


def after(event: Event, anchor: Event | date) -> bool:
    if isinstance(anchor, Event):
        return event.sort_key() > anchor.sort_key()
    return event.date >= anchor


def is_before(event: Event, limit: Event) -> bool:
    return event.sort_key() < limit.sort_key()


def earliest(*events: Event | None) -> Event | None:
    present = [event for event in events if event is not None]
    return min(present, key=Event.sort_key) if present else None


def with_next(events: list[Event]) -> Iterator[tuple[Event, Event | None]]:
    """Each event with the next one of the list (which ends its cycle), or None for the last."""
    yield from zip(events, [*events[1:], None], strict=False)


def first_tnw_day() -> date:
    return parameters.all_regimes()["tnw"][0].since


def tnw_term(name: str, day: date) -> tuple[Term, tuple[str, ...]]:
    """A TNW term in force on `day` (before the TNW existed: its first version)."""
    found, reference = parameters.term(name, max(day, first_tnw_day()))
    assert found is not None, name
    return found, reference


def tnw_month(name: str, day: date) -> tuple[int, tuple[str, ...]]:
    return parameters.integer(name, max(day, first_tnw_day()))


# --- Declaration and registry ----------------------------------------------------------------

RuleFunction = Callable[[Context], Iterable[Draft]]


@dataclass(frozen=True)
class Rule:
    id: str
    code: str
    actor: Actor
    function: RuleFunction
    parameters: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    regime: RegimeFamily = "tnw"
    ends_with_incapacity: bool = True
    sentences: Mapping[str, str] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.function) or ""

    @property
    def source(self) -> tuple[str, int]:
        """The file and line of the rule's function."""
        code = self.function.__code__
        return code.co_filename, code.co_firstlineno

    def cite(self, day: date) -> tuple[str, ...]:
        return tuple(parameters.citation(name, day) for name in self.citations)


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    code: str,
    actor: Actor,
    parameters: tuple[str, ...] = (),
    citations: tuple[str, ...] = (),
    exceptions: tuple[str, ...] = (),
    regime: RegimeFamily = "tnw",
    ends_with_incapacity: bool = True,
    sentences: Mapping[str, str] | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare and register the function that implements `rule_id`."""
    unknown = set(exceptions) - set(EXCEPTION_PRECEDENCE)
    assert not unknown, f"{rule_id}: unknown exceptions {unknown}"

    def register(function: RuleFunction) -> RuleFunction:
        assert rule_id not in REGISTRY, f"rule {rule_id} is declared twice"
        declare(sentences or {})
        REGISTRY[rule_id] = Rule(
            rule_id, code, actor, function, parameters, citations, exceptions, regime,
            ends_with_incapacity, dict(sentences or {}),
        )  # fmt: skip
        return function

    return register


# --- Finalisation: one order of precedence ----------------------------------------------------


def in_force(declared: Rule, draft: Draft) -> bool:
    """A TNW obligation exists only when it opens under a TNW regime (from 1-1-2022).

    CODEX obligations exist from their own regimes, checked by the rule at the request.
    """
    return declared.regime == "codex" or parameters.regime_on("tnw", draft.opens) is not None


def finalise(declared: Rule, draft: Draft, ctx: Context) -> Obligation:
    done = draft.done
    void = None if done is not None else draft.void or general_exception(declared, draft, ctx)
    return Obligation(
        code=declared.code,
        actor=declared.actor,
        opens=draft.opens,
        due=draft.due,
        status=_status(draft, void, ctx.as_of),
        basis=(*draft.basis, *declared.cite(draft.opens)),
        why=draft.why,
        rule=declared.id,
        triggered_by=draft.triggered_by,
        done_on=done.date if done is not None else None,
        done_by=done.index if done is not None else None,
        late=(draft.due is not None and done.date > draft.due) if done is not None else None,
        void=void,
        **late_on_arrival(draft),
    )


def late_on_arrival(draft: Draft) -> dict[str, Any]:
    """Issue 17, point 9: an obligation whose legal due date lies before the day it opens was
    late on arrival. The legal due date (and the status it gives) is kept: the lateness belongs
    to the earlier step that came late (`late_cause`). A working target of one month from the
    opening (`tnw.late_on_arrival_target`, the term of III 3.1 step 7 for the other referrals)
    lets worklists order it sensibly; it is no legal term.
    """
    if draft.due is None or draft.due >= draft.opens:
        return {}
    term, _ = tnw_term("tnw.late_on_arrival_target", draft.opens)
    target = term.after(draft.opens)
    key = f"late_on_arrival.{draft.late_cause or 'earlier_step'}"
    arrival = message(key, date=draft.opens, due=draft.due, target=target)
    return {"late_cause": draft.late_cause, "target": target, "arrival": arrival}


def _status(draft: Draft, void: Message | None, as_of: date) -> Status:
    if draft.done is not None:
        return "done"
    if void is not None:
        return "void"
    if as_of < draft.opens:
        return "upcoming"
    if draft.due is not None and as_of > draft.due:
        return "overdue"
    return "open"


def general_exception(declared: Rule, draft: Draft, ctx: Context) -> Message | None:
    """The first general exception (in EXCEPTION_PRECEDENCE) that holds on a check date.

    An obligation that is not done no longer applies when an exception holds on its due date
    (if that date has passed) or today.
    """
    check_dates = [ctx.as_of]
    if draft.due is not None and draft.due < ctx.as_of:
        check_dates.insert(0, max(draft.due, draft.opens))
    for name in EXCEPTION_PRECEDENCE:
        if name not in declared.exceptions:
            continue
        for day in check_dates:
            reason = ctx.history.exception_on(name, day)
            if reason is not None:
                return reason
    if declared.ends_with_incapacity and ctx.incapacity_end is not None:
        return message("void.incapacity_ended", date=ctx.incapacity_end)
    return None
