"""TEMPORARY: the rules not yet ported to `tnw.rules.law` (removed section by section).

The former engine.

`evaluate(facts, as_of)` screens the events (see `screening`), then runs every rule in `RULES`.
A rule looks at the valid events and drafts obligations: who must act, when the window opens,
when it is due, on which legal basis, and the event that fulfilled it. Exceptions are explicit:
a rule may void its own obligation with a reason (a medical exemption voids the questionnaire),
and the general exceptions of the circular (a CODEX trajectory, authorised work, a routing-B
trajectory, the pension age, no consent, the end of the incapacity) are named on each draft
and checked in one place, `_finalise`. Each rule cites its source; docs/rules.md lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import parameters
from .calendar import Term, add_months, nth_month
from .facts import Event, Facts
from .model import Actor, Message, Obligation, ParamValue, Presumption, Status
from .screening import Screened

DAY = timedelta(days=1)


def message(key: str, template: str, **params: ParamValue) -> Message:
    return Message(key, template, tuple(sorted(params.items())))


# General exceptions an obligation can name; each is checked at the obligation's check dates.
CODEX_RUNNING = "codex_running"
AUTHORISED_WORK = "authorised_work"
ROUTING_B_RUNNING = "routing_b_running"
PENSION_AGE = "pension_age"
NO_CONSENT = "no_consent"
ROUTING_A_EXCEPTIONS = (CODEX_RUNNING, AUTHORISED_WORK, ROUTING_B_RUNNING, PENSION_AGE)
FIRST_CONTACT_NOTE = message(
    "note.first_contact_modes", "physical or video contact, with written consent"
)


@dataclass
class Draft:
    code: str
    actor: Actor
    opens: date
    due: date | None
    basis: tuple[str, ...]
    why: tuple[Message, ...]
    rule: str
    triggered_by: tuple[int, ...] = ()
    done: Event | None = None
    void: Message | None = None
    exceptions: tuple[str, ...] = ()
    ends_with_incapacity: bool = True


@dataclass
class Period:
    start: date
    end: date | None  # inclusive; None = still running
    label: Message

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class ZivTrajectory:
    start: Event
    end: Event | None = None
    suspensions: list[Period] = field(default_factory=list)
    steps: list[Event] = field(default_factory=list)

    def running_on(self, day: date) -> bool:
        return self.start.date <= day and (self.end is None or day <= self.end.date)

    def suspended_on(self, day: date) -> bool:
        return any(period.covers(day) for period in self.suspensions)


@dataclass
class Context:
    facts: Facts
    as_of: date
    screened: Screened
    periods: dict[str, list[Period]] = field(default_factory=dict)
    ziv: list[ZivTrajectory] = field(default_factory=list)

    @property
    def valid(self) -> list[Event]:
        return self.screened.valid

    @property
    def start(self) -> date:
        return self.facts.incapacity_start

    @property
    def incapacity_end(self) -> date | None:
        return self.screened.incapacity_end

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
            if event.type not in wanted or not _after(event, anchor):
                continue
            if before is not None and not _before(event, before):
                continue
            if where is None or where(event):
                return event
        return None

    def exception_on(self, name: str, day: date) -> Message | None:
        if name == NO_CONSENT:
            if self.consent_on(day):
                return None
            return message("exception.no_consent", "no written consent in force on {day}", day=day)
        for period in self.periods.get(name, ()):
            if period.covers(day):
                return period.label
        return None

    def consent_on(self, day: date) -> bool:
        consent = False
        for event in self.valid:
            if event.date > day:
                break
            if event.type == "first_contact":
                consent = event.flag("consent")
            elif event.type == "consent_given":
                consent = True
            elif event.type == "consent_withdrawn":
                consent = False
        return consent


def _after(event: Event, anchor: Event | date) -> bool:
    if isinstance(anchor, Event):
        return event.sort_key() > anchor.sort_key()
    return event.date >= anchor


def _before(event: Event, limit: Event) -> bool:
    return event.sort_key() < limit.sort_key()


def _tnw_applies(day: date) -> bool:
    return parameters.regime_on("tnw", day) is not None


def _first_tnw_day() -> date:
    return parameters.all_regimes()["tnw"][0].since


def _term(name: str, day: date) -> tuple[Term, tuple[str, ...]]:
    found, reference = parameters.term(name, max(day, _first_tnw_day()))
    assert found is not None, name
    return found, reference


def _month(name: str, day: date) -> tuple[int, tuple[str, ...]]:
    return parameters.integer(name, max(day, _first_tnw_day()))


# --- Routing A: questionnaire, assessment, categories, referral (circular III 3.1) ---------


def rule_send_questionnaire(ctx: Context) -> Iterator[Draft]:
    term, basis = _term("tnw.questionnaire_after", ctx.start)
    due = term.after(ctx.start)
    sent = ctx.first_after("questionnaire_sent", ctx.start)
    exemption = ctx.first_after("medical_exemption", ctx.start)
    void = None
    # The physician "may" decide not to send (III 3.1 step 2): a questionnaire sent after all
    # fulfils the obligation; without one, the exemption voids it.
    if exemption and sent is None:
        void = message(
            "void.medical_exemption",
            "medical exemption ({reason}) registered on {date}",
            reason=exemption.text("reason"),
            date=exemption.date,
        )
    yield Draft(
        code="send_questionnaire",
        actor="advising_physician",
        opens=due,
        due=due,
        basis=basis,
        why=(
            message(
                "routing_a.send_questionnaire",
                "{term} after the start of the incapacity ({start})",
                term=term,
                start=ctx.start,
            ),
        ),
        rule="routing_a.send_questionnaire",
        done=sent,
        void=void,
        exceptions=ROUTING_A_EXCEPTIONS,
    )


def rule_inform_exemption(ctx: Context) -> Iterator[Draft]:
    exemption = ctx.first_after("medical_exemption", ctx.start)
    if exemption is None:
        return
    term, _ = _term("tnw.questionnaire_after", ctx.start)
    due = max(exemption.date, term.after(ctx.start))
    letter = ctx.first_after("exemption_letter_sent", exemption)
    sent = ctx.first_after("questionnaire_sent", exemption)
    void = None
    if sent is not None and (letter is None or _before(sent, letter)):
        letter = None
        void = message(
            "void.questionnaire_sent_after_all",
            "a questionnaire was sent after all on {date}",
            date=sent.date,
        )
    yield Draft(
        code="inform_exemption",
        actor="advising_physician",
        opens=exemption.date,
        due=due,
        basis=("Circular V.I. 2022/383, III 3.1 step 2 (remarks)",),
        why=(
            message(
                "routing_a.inform_exemption",
                "a letter explaining that no questionnaire is sent, with the TNW coordinator's "
                "contact details; due when the questionnaire would have been sent",
            ),
        ),
        rule="routing_a.inform_exemption",
        triggered_by=(exemption.index,),
        done=letter,
        void=void,
    )


def _with_next(events: list[Event]) -> Iterator[tuple[Event, Event | None]]:
    """Each event with the next one of the list (which ends its cycle), or None for the last."""
    yield from zip(events, [*events[1:], None], strict=False)


def _questionnaire_cycles(ctx: Context) -> Iterator[tuple[Event, Event | None]]:
    """Each sending of the questionnaire with the next sending (the end of its cycle)."""
    return _with_next(ctx.events("questionnaire_sent"))


def _questionnaire_overtaken(ctx: Context, sent: Event, following: Event | None) -> Message | None:
    """The step the questionnaire prepares has happened without it: chasing it is moot.

    The questionnaire feeds the first estimate (routing A, III 3.1 step 4) or prepares the
    first contact (routing B, III 3.2 step 2); once that step is registered, a missing
    questionnaire is no longer pursued (interpretation, docs/rules.md).
    """
    step = ctx.first_after(("capacity_assessed", "first_contact"), sent, before=following)
    if step is None:
        return None
    if step.type == "capacity_assessed":
        return message(
            "void.overtaken_by_estimate",
            "the first estimate took place on {date} without the completed questionnaire",
            date=step.date,
        )
    return message(
        "void.overtaken_by_first_contact",
        "the first contact took place on {date} without the completed questionnaire",
        date=step.date,
    )


def rule_return_questionnaire(ctx: Context) -> Iterator[Draft]:
    for sent, following in _questionnaire_cycles(ctx):
        term, basis = _term("tnw.questionnaire_return", sent.date)
        yield Draft(
            code="return_questionnaire",
            actor="insured",
            opens=sent.date,
            due=term.after(sent.date),
            basis=basis,
            why=(
                message(
                    "questionnaire.return",
                    "properly completed, within {term} of sending ({sent})",
                    term=term,
                    sent=sent.date,
                ),
            ),
            rule="questionnaire.return",
            triggered_by=(sent.index,),
            done=_complete_receipt(ctx, sent, following),
            void=_questionnaire_overtaken(ctx, sent, following),
        )


def _complete_receipt(ctx: Context, sent: Event, following: Event | None) -> Event | None:
    return ctx.first_after(
        "questionnaire_received", sent, before=following, where=lambda e: e.flag("complete")
    )


def rule_questionnaire_help_contact(ctx: Context) -> Iterator[Draft]:
    for sent, following in _questionnaire_cycles(ctx):
        term, basis = _term("tnw.questionnaire_return", sent.date)
        late_from = term.after(sent.date) + DAY
        complete = _complete_receipt(ctx, sent, following)
        incomplete = ctx.first_after(
            "questionnaire_received", sent, before=following, where=lambda e: not e.flag("complete")
        )
        triggers = []
        if incomplete is not None and (complete is None or _before(incomplete, complete)):
            triggers.append(incomplete.date)
        if (complete is None or complete.date >= late_from) and ctx.as_of >= late_from:
            triggers.append(late_from)
        if not triggers:
            continue
        opens = min(triggers)
        done = ctx.first_after("questionnaire_help_contact", opens, before=following)
        void = None
        if (
            complete is not None
            and complete.date >= opens
            and (done is None or _before(complete, done))
        ):
            done = None
            void = message(
                "void.questionnaire_received",
                "the completed questionnaire was received on {date}",
                date=complete.date,
            )
        if done is None and void is None:
            void = _questionnaire_overtaken(ctx, sent, following)
        yield Draft(
            code="questionnaire_help_contact",
            actor="coordinator",
            opens=opens,
            due=None,
            basis=(*basis, "Circular V.I. 2022/383, V"),
            why=(
                message(
                    "questionnaire.help_contact",
                    "the questionnaire sent on {sent} was not returned properly completed within "
                    "{term}: contact the person and offer help (may be delegated to a staff "
                    "member)",
                    sent=sent.date,
                    term=term,
                ),
            ),
            rule="questionnaire.help_contact",
            triggered_by=(sent.index,) + ((incomplete.index,) if incomplete else ()),
            done=done,
            void=void,
        )


def rule_first_capacity_assessment(ctx: Context) -> Iterator[Draft]:
    month, basis = _month("tnw.first_assessment_month", ctx.start)
    opens, due = nth_month(ctx.start, month)
    assessments = ctx.events("capacity_assessed")
    yield Draft(
        code="first_capacity_assessment",
        actor="advising_physician",
        opens=opens,
        due=due,
        basis=basis,
        why=(
            message(
                "routing_a.first_capacity_assessment",
                "in the course of month {month} of the incapacity ({opens} to {due})",
                month=month,
                opens=opens,
                due=due,
            ),
        ),
        rule="routing_a.first_capacity_assessment",
        done=assessments[0] if assessments else None,
        exceptions=ROUTING_A_EXCEPTIONS,
    )


def rule_category_examinations(ctx: Context) -> Iterator[Draft]:
    assessments = ctx.events("capacity_assessed")
    if not assessments:
        return
    first = assessments[0]
    category = first.number("category")

    def examined(anchor: Event | date) -> Event | None:
        return ctx.first_after(
            "capacity_assessed",
            anchor,
            where=lambda e: e is not first and e.flag("medical_exam"),
        )

    if category == 1:
        term, basis = _term("tnw.category1_examination_after", ctx.start)
        opens = term.after_period(ctx.start)
        yield Draft(
            code="category1_reexamination",
            actor="advising_physician",
            opens=opens,
            due=None,
            basis=basis,
            why=(
                message(
                    "routing_a.category1_reexamination",
                    "placed in category 1 on {date} and still incapacitated after {term}: "
                    "compulsory medical examination for a new estimate",
                    date=first.date,
                    term=term,
                ),
            ),
            rule="routing_a.category1_reexamination",
            triggered_by=(first.index,),
            done=examined(opens),
        )
    elif category == 3:
        month, basis = _month("tnw.category3_examination_month", ctx.start)
        _, due = nth_month(ctx.start, month)
        yield Draft(
            code="category3_examination",
            actor="advising_physician",
            opens=first.date,
            due=due,
            basis=basis,
            why=(
                message(
                    "routing_a.category3_examination",
                    "placed in category 3 on {date}: medical examination at the latest in the "
                    "course of month {month} of the incapacity",
                    date=first.date,
                    month=month,
                ),
            ),
            rule="routing_a.category3_examination",
            triggered_by=(first.index,),
            done=examined(first),
        )


def rule_refer_to_coordinator(ctx: Context) -> Iterator[Draft]:
    previous: int | None = None
    for assessment in ctx.events("capacity_assessed"):
        category = assessment.number("category")
        if category == 4 and previous != 4:
            initial = previous is None
            yield Draft(
                code="refer_to_coordinator",
                actor="advising_physician",
                opens=assessment.date,
                due=None,
                basis=("Circular V.I. 2022/383, III 3.1 step 6",),
                why=(
                    message(
                        "routing_a.refer_to_coordinator.initial"
                        if initial
                        else "routing_a.refer_to_coordinator.new_estimate",
                        "placed in category 4 on {date} at the first estimate: refer to the TNW "
                        "coordinator for a first contact"
                        if initial
                        else "placed in category 4 on {date} after a new estimate: refer to the "
                        "TNW coordinator for a first contact",
                        date=assessment.date,
                    ),
                ),
                rule="routing_a.refer_to_coordinator",
                triggered_by=(assessment.index,),
                done=ctx.first_after("referred_to_coordinator", assessment),
            )
        previous = category


# --- First contact, routing B, permission (circular III 3.1 step 7, III 3.2) ----------------


def rule_first_contact(ctx: Context) -> Iterator[Draft]:
    assessments = ctx.events("capacity_assessed")
    due: date | None
    why: Message
    for referral in ctx.events("referred_to_coordinator"):
        based_on = [a for a in assessments if _before(a, referral)]
        initial_category4 = bool(based_on) and all(a.number("category") == 4 for a in based_on)
        if initial_category4:
            month, basis = _month("tnw.first_contact_initial_category4_month", ctx.start)
            due = nth_month(ctx.start, month)[1]
            why = message(
                "routing_a.first_contact.initial_category4",
                "placed in category 4 at the first estimate: first contact at the latest during "
                "month {month} of the incapacity",
                month=month,
            )
        else:
            term, basis = _term("tnw.first_contact_after_referral", referral.date)
            due = term.after(referral.date)
            why = message(
                "routing_a.first_contact.after_referral",
                "within {term} of the referral ({date})",
                term=term,
                date=referral.date,
            )
        yield Draft(
            code="first_contact",
            actor="coordinator",
            opens=referral.date,
            due=due,
            basis=(*basis, "Circular V.I. 2022/383, V"),
            why=(why, FIRST_CONTACT_NOTE),
            rule="routing_a.first_contact",
            triggered_by=(referral.index,),
            done=ctx.first_after("first_contact", referral),
            exceptions=(AUTHORISED_WORK,),
        )
    for request in ctx.events("spontaneous_request"):
        next_request = ctx.first_after("spontaneous_request", request)
        contact = ctx.first_after("first_contact", request)
        # Only what happened before the contact decides its term (a done obligation is final).
        limit = min(
            (e for e in (next_request, contact) if e is not None),
            key=Event.sort_key,
            default=None,
        )
        ready = ctx.first_after(
            ("questionnaire_received", "questionnaire_waived"),
            request,
            before=limit,
            where=lambda e: e.type == "questionnaire_waived" or e.flag("complete"),
        )
        term, basis = _term("tnw.first_contact_after_questionnaire", request.date)
        if ready is None:
            due = None
            why = message(
                "routing_b.first_contact.waiting",
                "spontaneous request on {date}: first contact within {term} of the receipt of "
                "the completed questionnaire",
                date=request.date,
                term=term,
            )
        elif ready.type == "questionnaire_waived":
            due = term.after(ready.date)
            why = message(
                "routing_b.first_contact.after_waiver",
                "within {term} of the waiver of the questionnaire ({date})",
                term=term,
                date=ready.date,
            )
        else:
            due = term.after(ready.date)
            why = message(
                "routing_b.first_contact.after_questionnaire",
                "within {term} of the receipt of the completed questionnaire ({date})",
                term=term,
                date=ready.date,
            )
        yield Draft(
            code="first_contact",
            actor="coordinator",
            opens=request.date,
            due=due,
            basis=(*basis, "Circular V.I. 2022/383, V"),
            why=(why, FIRST_CONTACT_NOTE),
            rule="routing_b.first_contact",
            triggered_by=(request.index,) + ((ready.index,) if ready else ()),
            done=contact,
        )


def rule_routing_b_questionnaire(ctx: Context) -> Iterator[Draft]:
    for request in ctx.events("spontaneous_request"):
        answer = ctx.first_after(("questionnaire_sent", "questionnaire_waived"), request)
        earlier = ctx.first_after("questionnaire_sent", ctx.start)
        already = earlier is not None and _before(earlier, request)
        yield Draft(
            code="send_questionnaire",
            actor="coordinator",
            opens=request.date,
            due=None,
            basis=("Circular V.I. 2022/383, III 3.2 step 2",),
            why=(
                message(
                    "routing_b.send_questionnaire",
                    "spontaneous request: invite the person to complete the questionnaire, "
                    "unless it was completed in this incapacity and needs no update",
                ),
            )
            + (
                (
                    message(
                        "note.questionnaire_already_sent",
                        "a questionnaire was already sent in this incapacity",
                    ),
                )
                if already
                else ()
            ),
            rule="routing_b.send_questionnaire",
            triggered_by=(request.index,),
            done=answer if answer is not None and answer.type == "questionnaire_sent" else None,
            void=(
                message(
                    "void.questionnaire_waived",
                    "no update of the questionnaire needed (decided on {date})",
                    date=answer.date,
                )
                if answer is not None and answer.type == "questionnaire_waived"
                else None
            ),
        )


def _routing_b_first_contacts(ctx: Context) -> Iterator[Event]:
    """First contacts that answer a spontaneous request, not a referral."""
    last_trigger: str | None = None
    for event in ctx.valid:
        if event.type == "spontaneous_request":
            last_trigger = "B"
        elif event.type == "referred_to_coordinator":
            last_trigger = "A"
        elif event.type == "first_contact":
            if last_trigger == "B":
                yield event
            last_trigger = None


def rule_permission(ctx: Context) -> Iterator[Draft]:
    for contact in _routing_b_first_contacts(ctx):
        no_trajectory = contact.text("outcome") == "none"
        yield Draft(
            code="request_permission",
            actor="coordinator",
            opens=contact.date,
            due=None,
            basis=("Circular V.I. 2022/383, III 3.2 step 5",),
            why=(
                message(
                    "routing_b.request_permission",
                    "after the first contact of {date}: inform the advising physician and ask "
                    "permission to start a TNW trajectory",
                    date=contact.date,
                ),
            ),
            rule="routing_b.request_permission",
            triggered_by=(contact.index,),
            done=ctx.first_after("permission_requested", contact),
            void=(
                message(
                    "void.no_trajectory_wanted",
                    "the person wants no trajectory (first contact of {date})",
                    date=contact.date,
                )
                if no_trajectory
                else None
            ),
            exceptions=(NO_CONSENT,),
        )
    for request, following in _with_next(ctx.events("permission_requested")):
        yield Draft(
            code="permission_decision",
            actor="advising_physician",
            opens=request.date,
            due=None,
            basis=("Circular V.I. 2022/383, III 3.2 step 5",),
            why=(
                message(
                    "routing_b.permission_decision",
                    "the coordinator asked permission on {date}",
                    date=request.date,
                ),
            ),
            rule="routing_b.permission_decision",
            triggered_by=(request.index,),
            done=ctx.first_after("permission_decided", request, before=following),
        )


def rule_refusal_contact(ctx: Context) -> Iterator[Draft]:
    for decision in ctx.events("permission_decided"):
        if decision.flag("granted"):
            continue
        previous = [e for e in ctx.events("first_contact", "contact") if _before(e, decision)]
        anchor = previous[-1].date if previous else decision.date
        term, basis = _term("tnw.refusal_contact_after", anchor)
        due = max(term.after(anchor), decision.date)
        yield Draft(
            code="refusal_contact",
            actor="coordinator",
            opens=decision.date,
            due=due,
            basis=(*basis, "Circular V.I. 2022/383, V (Annex II)"),
            why=(
                message(
                    "routing_b.refusal_contact",
                    "the advising physician refused on {date}: a new contact within {term} of "
                    "the previous contact moment ({previous}), physical or video, to discuss the "
                    "decision",
                    date=decision.date,
                    term=term,
                    previous=anchor,
                ),
            ),
            rule="routing_b.refusal_contact",
            triggered_by=(decision.index,),
            done=ctx.first_after(
                "contact", decision, where=lambda e: e.text("purpose") == "refusal_discussion"
            ),
            exceptions=(NO_CONSENT,),
        )


# --- The ZIV re-integration trajectory (circular IV) ----------------------------------------


def _shift_for_suspensions(
    base: date, due: date, trajectory: ZivTrajectory, done: Event | None = None
) -> tuple[date | None, tuple[Message, ...]]:
    """Move a due date by the days the trajectory was suspended after `base`.

    A suspension stops the term; it runs again from the resumption. While the trajectory is
    still suspended the obligation has no due date. A suspension that starts after the
    obligation was fulfilled does not touch it: a done obligation never changes.
    """
    notes: tuple[Message, ...] = ()
    for period in trajectory.suspensions:
        if period.start > due or (done is not None and period.start > done.date):
            break
        if period.end is None:
            suspended = message(
                "note.suspended",
                "suspended since {start}, the term runs again on resumption",
                start=period.start,
            )
            return None, (*notes, suspended)
        if period.end > base:
            days = (period.end - max(period.start, base)).days
            due += timedelta(days=days)
            notes += (
                message(
                    "note.moved_for_suspension",
                    "moved {days} for the suspension from {start} to {end}",
                    days=days,
                    start=period.start,
                    end=period.end,
                ),
            )
    return due, notes


def rule_ziv(ctx: Context) -> Iterator[Draft]:
    for trajectory in ctx.ziv:
        start = trajectory.start
        until = trajectory.end
        situation = start.text("situation")
        if situation in ("B", "C"):
            yield Draft(
                code="inform_occupational_physician",
                actor="coordinator",
                opens=start.date,
                due=None,
                basis=("KB 3-7-1996 art. 215novies", "Circular V.I. 2022/383, IV 4.1"),
                why=(
                    message(
                        "ziv.inform_occupational_physician",
                        "ZIV trajectory started in situation {situation} on {date}",
                        situation=situation,
                        date=start.date,
                    ),
                ),
                rule="ziv.inform_occupational_physician",
                triggered_by=(start.index,),
                done=ctx.first_after("occupational_physician_informed", start, before=until),
                exceptions=(NO_CONSENT,),
            )
        term, basis = _term("tnw.first_follow_up_after", start.date)
        meeting = ctx.first_after("follow_up_meeting", start, before=until)
        due, notes = _shift_for_suspensions(start.date, term.after(start.date), trajectory, meeting)
        ended = _ended_reason(trajectory)
        yield Draft(
            code="first_follow_up_meeting",
            actor="coordinator",
            opens=start.date,
            due=due,
            basis=(*basis, "Circular V.I. 2022/383, V"),
            why=(
                message(
                    "ziv.first_follow_up_meeting",
                    "within {term} of the engagement declaration ({date})",
                    term=term,
                    date=start.date,
                ),
                message("note.follow_up_modes", "physical, video or phone"),
                *notes,
            ),
            rule="ziv.first_follow_up_meeting",
            triggered_by=(start.index,),
            done=meeting,
            void=ended if meeting is None else None,
            exceptions=(NO_CONSENT,),
        )
        plan = ctx.first_after("plan_drawn_up", start, before=until)
        yield Draft(
            code="draw_up_plan",
            actor="coordinator",
            opens=start.date,
            due=None,
            basis=("KB 3-7-1996 art. 215novies", "Circular V.I. 2022/383, IV 4.2"),
            why=(
                message(
                    "ziv.draw_up_plan",
                    "the re-integration plan is given content in the follow-up meeting(s): "
                    "objectives, end result, one concrete action, one next appointment",
                ),
            ),
            rule="ziv.draw_up_plan",
            triggered_by=(start.index,),
            done=plan,
            void=ended if plan is None else None,
            exceptions=(NO_CONSENT,),
        )
        yield from _plan_follow_up(ctx, trajectory)


def _ended_reason(trajectory: ZivTrajectory) -> Message | None:
    if trajectory.end is None:
        return None
    return message(
        "void.trajectory_ended", "the trajectory ended on {date}", date=trajectory.end.date
    )


def _plan_follow_up(ctx: Context, trajectory: ZivTrajectory) -> Iterator[Draft]:
    if trajectory.end is not None:
        return
    reviews = [e for e in trajectory.steps if e.type in ("plan_drawn_up", "plan_reviewed")]
    if not reviews:
        return
    last = reviews[-1]
    term, basis = _term("tnw.plan_follow_up_every", last.date)
    chosen = last.day("next_review")
    if chosen is not None and chosen >= last.date:
        planned = chosen
        why = message(
            "ziv.plan_follow_up.chosen",
            "next follow-up set for {next} at the follow-up of {last}",
            next=chosen,
            last=last.date,
        )
    else:
        planned = term.after(last.date)
        why = message(
            "ziv.plan_follow_up",
            "every {term}: the last follow-up was on {last}",
            term=term,
            last=last.date,
        )
    due, notes = _shift_for_suspensions(last.date, planned, trajectory)
    yield Draft(
        code="plan_follow_up",
        actor="coordinator",
        opens=last.date,
        due=due,
        basis=basis,
        why=(why, *notes),
        rule="ziv.plan_follow_up",
        triggered_by=(last.index,),
        exceptions=(NO_CONSENT,),
    )


def rule_ziv_suspension(ctx: Context) -> Iterator[Draft]:
    """Situations B and C: suspend on an employer's CODEX request, restart after it ends."""
    basis = ("Circular V.I. 2022/383, IV 4.1 (situations B and C)",)
    for trajectory in ctx.ziv:
        if trajectory.start.text("situation") not in ("B", "C"):
            continue
        until = trajectory.end
        for request in ctx.events("codex_requested"):
            if request.text("by") != "employer" or not _after(request, trajectory.start):
                continue
            if until is not None and not _before(request, until):
                continue
            if trajectory.suspended_on(request.date):
                continue
            yield Draft(
                code="suspend_ziv",
                actor="coordinator",
                opens=request.date,
                due=None,
                basis=basis,
                why=(
                    message(
                        "ziv.suspend_for_codex",
                        "the employer asked for a CODEX trajectory on {date}: the ZIV trajectory "
                        "is suspended",
                        date=request.date,
                    ),
                ),
                rule="ziv.suspend_for_codex",
                triggered_by=(request.index,),
                done=ctx.first_after("ziv_suspended", request, before=until),
            )
        for ended in ctx.events("codex_ended"):
            if not ended.flag("definitive_unfitness") or not trajectory.suspended_on(ended.date):
                continue
            yield Draft(
                code="resume_ziv",
                actor="coordinator",
                opens=ended.date,
                due=None,
                basis=basis,
                why=(
                    message(
                        "ziv.restart_after_codex",
                        "the CODEX trajectory ended definitively on {date} for definitive "
                        "unfitness: the ZIV trajectory starts again",
                        date=ended.date,
                    ),
                ),
                rule="ziv.restart_after_codex",
                triggered_by=(ended.index,),
                done=ctx.first_after("ziv_resumed", ended, before=until),
            )


def rule_evaluate_trajectory(ctx: Context) -> Iterator[Draft]:
    for ended in ctx.events("trajectory_ended"):
        yield Draft(
            code="evaluate_trajectory",
            actor="coordinator",
            opens=ended.date,
            due=None,
            basis=("KB 3-7-1996 art. 215novies", "Circular V.I. 2022/383, IV 4.4"),
            why=(
                message(
                    "ziv.evaluate_trajectory",
                    "the trajectory ended on {date}: evaluate its results",
                    date=ended.date,
                ),
            ),
            rule="ziv.evaluate_trajectory",
            triggered_by=(ended.index,),
            done=ctx.first_after("trajectory_evaluated", ended),
            exceptions=(NO_CONSENT,),
            ends_with_incapacity=False,
        )


# --- CODEX re-integration trajectory, per regime (Codex welzijn op het werk I.4-72 ff.) ------


def _codex_trajectories(ctx: Context) -> Iterator[tuple[Event, Event | None]]:
    return _with_next(ctx.events("codex_requested"))


def rule_codex(ctx: Context) -> Iterator[Draft]:
    for request, following in _codex_trajectories(ctx):
        regime = parameters.regime_on("codex", request.date)
        if regime is None:
            continue
        on = request.date
        ended = ctx.first_after(("codex_ended", "work_resumed"), request, before=following)
        limit = ended or following
        void = (
            message("void.codex_ended", "the CODEX trajectory ended on {date}", date=ended.date)
            if ended
            else None
        )
        tag = message("note.codex_regime", "CODEX regime {regime}", regime=regime.id)
        term, basis = parameters.term("codex.assessment_term", on)
        assert term is not None
        assessments = [
            e
            for e in ctx.events("codex_assessed")
            if _after(e, request) and (limit is None or _before(e, limit))
        ]
        yield Draft(
            code="codex_assessment",
            actor="occupational_physician",
            opens=request.date,
            due=term.after(request.date),
            basis=basis,
            why=(
                message(
                    "codex.assessment",
                    "re-integration assessment within {term} of the request",
                    term=term,
                ),
                tag,
            ),
            rule="codex.assessment",
            triggered_by=(request.index,),
            done=assessments[0] if assessments else None,
            void=void if not assessments else None,
        )
        decisions = dict(parameters.value("codex.decisions", on).value)
        for position, assessment in enumerate(assessments):
            following_assessment = (
                assessments[position + 1] if position + 1 < len(assessments) else limit
            )
            decision = assessment.text("decision")
            outcome = decisions[decision]["plan"]
            yield from _codex_after_assessment(
                ctx, assessment, decision, outcome, following_assessment, void, tag, on
            )


def _codex_after_assessment(
    ctx: Context,
    assessment: Event,
    decision: str,
    outcome: str,
    until: Event | None,
    void: Message | None,
    tag: Message,
    regime_date: date,
) -> Iterator[Draft]:
    """The steps after an assessment. Every term comes from the regime of the request."""
    on = assessment.date
    if outcome in ("temporary", "definitive"):
        name = (
            "codex.temporary_plan_term"
            if outcome == "temporary"
            else ("codex.definitive_plan_term")
        )
        term, basis = parameters.term(name, regime_date)
        assert term is not None
        delivered = ctx.first_after("codex_plan_delivered", assessment, before=until)
        yield Draft(
            code="codex_plan",
            actor="employer",
            opens=on,
            due=term.after(on),
            basis=basis,
            why=(
                message(
                    "codex.plan",
                    "decision {decision} on {date}: the employer hands the re-integration plan "
                    "(or the report that none is possible) within {term}",
                    decision=decision,
                    date=on,
                    term=term,
                ),
                tag,
            ),
            rule="codex.plan",
            triggered_by=(assessment.index,),
            done=delivered,
            void=void if delivered is None else None,
        )
        if delivered is not None:
            answer_term, answer_basis = parameters.term("codex.plan_answer_term", regime_date)
            assert answer_term is not None
            answered = ctx.first_after("codex_plan_answered", delivered, before=until)
            yield Draft(
                code="codex_plan_answer",
                actor="insured",
                opens=delivered.date,
                due=answer_term.after(delivered.date),
                basis=answer_basis,
                why=(
                    message(
                        "codex.plan_answer",
                        "the worker agrees (signs) or disagrees with the plan handed on {date} "
                        "within {term}",
                        date=delivered.date,
                        term=answer_term,
                    ),
                    tag,
                ),
                rule="codex.plan_answer",
                triggered_by=(delivered.index,),
                done=answered,
                void=void if answered is None else None,
            )
    elif outcome == "reassess":
        reassess_term, basis = parameters.term("codex.reassessment_term", regime_date)
        next_assessment = ctx.first_after("codex_assessed", assessment, before=until)
        yield Draft(
            code="codex_reassessment",
            actor="occupational_physician",
            opens=on,
            due=reassess_term.after(on) if reassess_term else None,
            basis=basis,
            why=(
                message(
                    "codex.reassessment.term",
                    "decision {decision} on {date}: the occupational physician reassesses "
                    "within {term}",
                    decision=decision,
                    date=on,
                    term=reassess_term,
                )
                if reassess_term
                else message(
                    "codex.reassessment",
                    "decision {decision} on {date}: the occupational physician reassesses",
                    decision=decision,
                    date=on,
                ),
                tag,
            ),
            rule="codex.reassessment",
            triggered_by=(assessment.index,),
            done=next_assessment,
            void=void if next_assessment is None else None,
        )


RULES: tuple[Callable[[Context], Iterable[Draft]], ...] = (
    rule_send_questionnaire,
    rule_inform_exemption,
    rule_return_questionnaire,
    rule_questionnaire_help_contact,
    rule_first_capacity_assessment,
    rule_category_examinations,
    rule_refer_to_coordinator,
    rule_first_contact,
    rule_routing_b_questionnaire,
    rule_permission,
    rule_refusal_contact,
    rule_ziv,
    rule_ziv_suspension,
    rule_evaluate_trajectory,
    rule_codex,
)


# --- Periods: general exceptions and presumptions -------------------------------------------


def _build_periods(ctx: Context) -> None:
    periods: dict[str, list[Period]] = {
        CODEX_RUNNING: [],
        AUTHORISED_WORK: [],
        ROUTING_B_RUNNING: [],
        PENSION_AGE: [],
    }
    for request, following in _codex_trajectories(ctx):
        ended = ctx.first_after(("codex_ended", "work_resumed"), request, before=following)
        periods[CODEX_RUNNING].append(
            Period(
                request.date,
                ended.date if ended else None,
                message(
                    "exception.codex_running",
                    "a CODEX trajectory was requested on {date}",
                    date=request.date,
                ),
            )
        )
    for started in ctx.events("authorised_work_started"):
        ended = ctx.first_after("authorised_work_ended", started)
        periods[AUTHORISED_WORK].append(
            Period(
                started.date,
                ended.date if ended else None,
                message(
                    "exception.authorised_work",
                    "the person performs authorised work (art. 100 §2) since {date}",
                    date=started.date,
                ),
            )
        )
    for decision in ctx.events("permission_decided"):
        if decision.flag("granted"):
            ended = ctx.first_after("trajectory_ended", decision)
            periods[ROUTING_B_RUNNING].append(
                Period(
                    decision.date,
                    ended.date if ended else None,
                    message(
                        "exception.routing_b_running",
                        "a TNW trajectory at the person's request runs since {date}",
                        date=decision.date,
                    ),
                )
            )
    pension = _pension_exclusion(ctx.facts)
    if pension is not None:
        periods[PENSION_AGE].append(pension)
    ctx.periods = periods


def _pension_exclusion(facts: Facts) -> Period | None:
    """No questionnaire or first estimate near the legal pension age (RIZIV barometer)."""
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
    term, _ = _term("tnw.pension_exclusion", facts.incapacity_start)
    threshold = add_months(pension_date, -term.amount)
    if facts.incapacity_start < threshold:
        return None
    return Period(
        facts.incapacity_start,
        None,
        message(
            "exception.pension_age",
            "the incapacity started on or after {threshold}, within {term} of the legal pension "
            "date ({pension_date}, age {age})",
            threshold=threshold,
            term=term,
            pension_date=pension_date,
            age=age,
        ),
    )


def _build_ziv(ctx: Context) -> None:
    current: ZivTrajectory | None = None
    for event in ctx.valid:
        if event.type == "ziv_started":
            current = ZivTrajectory(event)
            ctx.ziv.append(current)
        elif current is None:
            continue
        elif event.type == "ziv_suspended":
            current.suspensions.append(
                Period(event.date, None, message("note.suspended_period", "suspended"))
            )
        elif event.type == "ziv_resumed" and current.suspensions:
            current.suspensions[-1].end = event.date
        elif event.type == "trajectory_ended":
            current.end = event
            current = None
        else:
            current.steps.append(event)


def _presumptions(ctx: Context) -> list[Presumption]:
    found = []
    term, basis = _term("tnw.presumption_max", ctx.start)
    plans = ctx.events("plan_drawn_up")
    if plans:
        plan = plans[0]
        ends = [
            (
                term.after_period(plan.date) - DAY,
                message("presumption.ends.max_after_plan", "{term} after the plan", term=term),
            ),
        ]
        for kind, label in (
            (
                "paid_work_started",
                message("presumption.ends.paid_work", "the day before paid work started"),
            ),
            (
                "retraining_started",
                message(
                    "presumption.ends.retraining",
                    "the day before the approved retraining started",
                ),
            ),
        ):
            event = ctx.first_after(kind, plan)
            if event is not None:
                ends.append((event.date - DAY, label))
        ended = ctx.first_after("trajectory_ended", plan)
        if ended is not None:
            ends.append(
                (
                    ended.date,
                    message(
                        "presumption.ends.trajectory_ended",
                        "the last day of the trajectory set by the coordinator",
                    ),
                )
            )
        found.append(_presumption("ziv", plan, ends, basis, ctx))
    if ctx.facts.employment_contract:
        signed = ctx.first_after("codex_plan_answered", ctx.start, where=lambda e: e.flag("agreed"))
        if signed is not None:
            ends = [
                (
                    term.after_period(signed.date) - DAY,
                    message(
                        "presumption.ends.max_after_signing", "{term} after signing", term=term
                    ),
                )
            ]
            resumed = ctx.first_after("work_resumed", signed)
            if resumed is not None:
                ends.append(
                    (
                        resumed.date - DAY,
                        message(
                            "presumption.ends.work_resumed",
                            "the day before work resumed with the employer",
                        ),
                    )
                )
            found.append(_presumption("codex", signed, ends, basis, ctx))
    return [p for p in found if p.end >= p.start]


def _presumption(
    kind: str,
    trigger: Event,
    ends: list[tuple[date, Message]],
    basis: tuple[str, ...],
    ctx: Context,
) -> Presumption:
    if ctx.incapacity_end is not None:
        ends.append(
            (
                ctx.incapacity_end,
                message("presumption.ends.incapacity_ended", "the end of the incapacity"),
            )
        )
    end, because = min(ends, key=lambda item: item[0])
    return Presumption(
        kind="ziv" if kind == "ziv" else "codex",
        start=trigger.date,
        end=end,
        end_reason=because,
        basis=basis,
        triggered_by=(trigger.index,),
    )


# --- Evaluation of the rules not yet ported -------------------------------------------------


def obligations(facts: Facts, as_of: date, screened: Screened, names: set[str]) -> list[Obligation]:
    ctx = Context(facts=facts, as_of=as_of, screened=screened)
    _build_periods(ctx)
    _build_ziv(ctx)
    rules = [rule for rule in RULES if rule.__name__ in names]
    drafts = [draft for rule in rules for draft in rule(ctx) if _in_force(draft)]
    return [_finalise(draft, ctx) for draft in drafts]


def presumptions(facts: Facts, as_of: date, screened: Screened) -> list[Presumption]:
    return _presumptions(Context(facts=facts, as_of=as_of, screened=screened))


def _in_force(draft: Draft) -> bool:
    """A TNW obligation exists only when it opens under a TNW regime (from 1-1-2022).

    CODEX obligations exist from their own regimes, checked at the request.
    """
    return draft.rule.startswith("codex.") or _tnw_applies(draft.opens)


def _finalise(draft: Draft, ctx: Context) -> Obligation:
    status: Status
    void = None
    done_on = None
    late = None
    if draft.done is not None:
        status = "done"
        done_on = draft.done.date
        late = draft.due is not None and done_on > draft.due
    else:
        void = draft.void or _general_exception(draft, ctx)
        if void is not None:
            status = "void"
        elif ctx.as_of < draft.opens:
            status = "upcoming"
        elif draft.due is not None and ctx.as_of > draft.due:
            status = "overdue"
        else:
            status = "open"
    return Obligation(
        code=draft.code,
        actor=draft.actor,
        opens=draft.opens,
        due=draft.due,
        status=status,
        basis=draft.basis,
        why=draft.why,
        rule=draft.rule,
        triggered_by=draft.triggered_by,
        done_on=done_on,
        done_by=draft.done.index if draft.done is not None else None,
        late=late,
        void=void,
    )


def _general_exception(draft: Draft, ctx: Context) -> Message | None:
    """The first general exception that applies on the obligation's check dates.

    An obligation that is not done no longer applies when an exception holds on its due date
    (or today, if the due date is still ahead), or holds today.
    """
    check_dates = [ctx.as_of]
    if draft.due is not None and draft.due < ctx.as_of:
        check_dates.insert(0, max(draft.due, draft.opens))
    for name in draft.exceptions:
        for day in check_dates:
            reason = ctx.exception_on(name, day)
            if reason is not None:
                return reason
    if draft.ends_with_incapacity and ctx.incapacity_end is not None:
        return message(
            "void.incapacity_ended", "the incapacity ended on {date}", date=ctx.incapacity_end
        )
    return None
