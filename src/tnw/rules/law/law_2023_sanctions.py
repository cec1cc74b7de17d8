"""The benefit sanction for not cooperating ("responsabilisering van de arbeidsongeschikt erkende
gerechtigden"): KB 3-7-1996 as amended in force 1-1-2023 (2.5%), and the law of 19-12-2025 in
force 1-1-2026 (10%; suspension after an unjustified absence from a physical examination).

The procedure (domain-notes 3.1 [C] Securex 30-12-2022, ACLVB 23-12-2022):
1. the invitation to the advising physician's examination (or the coordinator's first contact)
   states that an unjustified absence leads to a reduction;
2. after a first unjustified absence a registered letter sets a new date within one month of
   the initially planned date and warns of the reduction;
3. after a second unjustified absence the daily benefit is reduced from the date set for that
   appointment until the person makes contact;
4. a further unjustified absence reduces it again from that absence [U].

It covers incapacities that start on or after 1-1-2023 [C]. Unconfirmed choices ([U], docs/rules.md
section 9): the same cascade for the coordinator's first contact; the rate of the day the
reduction starts (a heavier sanction does not reach back to an earlier absence); the reduction
stops the day before the contact; a further absence reduces at the same rate, not cumulatively.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import parameters
from ..calendar import Term
from ..facts import Event
from ..framework import Context, Draft, rule
from ..messages import declare, message
from ..model import Sanction, Violation

SANCTION_EVENTS = ("invited", "absent", "registered_letter_sent", "contacted_after_absence")
VIOLATION_CODES = (
    "absence_without_invitation",
    "registered_letter_without_absence",
    "registered_letter_new_date",
)
DAY = timedelta(days=1)

declare(
    {
        "violation.absence_without_invitation": "an absence needs an earlier invitation to "
        "the {appointment}",
        "violation.registered_letter_without_absence": "a registered letter follows a first "
        "unjustified absence from an invitation that stated the sanction",
        "violation.registered_letter_new_date": "the new date {new_date} must lie between the "
        "letter ({date}) and {latest}, {term} after the initially planned date {planned}",
    }
)


@dataclass
class Procedure:
    """The sanction procedure of one kind of appointment, as the registered events show it."""

    appointment: str
    eligible: bool
    first_absence: Event | None = None
    planned: date | None = None  # the initially planned date of the first counted absence
    letter: Event | None = None
    periods: list[Sanction] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def eligible(ctx: Context) -> bool:
    """KB 3-7-1996 (2023): only incapacities that start on or after 1-1-2023 [C] DN 3.1."""
    reduction = parameters.value("tnw.sanction_reduction", ctx.law_date("tnw", ctx.start))
    return reduction.value is not None


def procedure(ctx: Context, appointment: str) -> Procedure:
    found = Procedure(appointment, eligible(ctx))
    invitation: Event | None = None
    counted = 0  # unjustified absences that count in the procedure
    running: tuple[Event, Event] | None = None  # (absence, invitation) of an open reduction
    for event in ctx.events(*SANCTION_EVENTS):
        if event.text("appointment") != appointment:
            continue
        if event.type == "invited":
            invitation = event
        elif event.type == "absent":
            if invitation is None:
                found.violations.append(_violation(ctx, event, "absence_without_invitation"))
            elif event.flag("justified") or not found.eligible:
                continue
            elif counted == 0 and invitation.flag("sanction_stated"):
                counted = 1
                found.first_absence = event
                found.planned = invitation.day("appointment_date") or event.date
            elif (counted == 1 and found.letter is not None) or (counted >= 2 and running is None):
                counted = 2
                running = (event, invitation)
        elif event.type == "registered_letter_sent" and found.eligible:
            problem = _check_letter(ctx, event, found)
            if problem is not None:
                found.violations.append(problem)
            else:
                found.letter = event
                invitation = event  # the letter is the invitation to the new date
        elif event.type == "contacted_after_absence" and running is not None:
            found.periods.append(_period(ctx, running, event))
            running = None
    if running is not None:
        found.periods.append(_period(ctx, running, None))
    found.periods = [p for p in found.periods if p.end is None or p.end >= p.start]
    return found


def _check_letter(ctx: Context, letter: Event, found: Procedure) -> Violation | None:
    if found.first_absence is None or found.planned is None:
        return _violation(ctx, letter, "registered_letter_without_absence")
    term = _new_date_term(ctx, found.planned)
    new_date = letter.day("new_date")
    if new_date is None or not letter.date <= new_date <= term.after(found.planned):
        return _violation(
            ctx, letter, "registered_letter_new_date", "new_date",
            new_date=new_date or letter.date, date=letter.date, term=term, planned=found.planned,
            latest=term.after(found.planned),
        )  # fmt: skip
    return None


def _new_date_term(ctx: Context, planned: date) -> Term:
    term, _ = parameters.term("tnw.sanction_new_date_within", ctx.law_date("tnw", planned))
    assert term is not None
    return term


def _period(ctx: Context, running: tuple[Event, Event], contact: Event | None) -> Sanction:
    """The reduction from the date set for the missed appointment up to the day before the
    contact (or the end of the incapacity)."""
    absence, invitation = running
    law_day = ctx.law_date("tnw", absence.date)
    rate = parameters.value("tnw.sanction_reduction", law_day)
    suspends = parameters.value("tnw.sanction_suspension_physical_exam", law_day)
    physical_exam = absence.text("appointment") == "medical_examination" and (
        _mode(ctx, invitation) == "physical"
    )
    suspension = bool(suspends.value) and physical_exam
    end = contact.date - DAY if contact is not None else None
    if ctx.incapacity_end is not None and (end is None or end > ctx.incapacity_end):
        end = ctx.incapacity_end
    regime = parameters.regime_on("tnw", law_day)
    return Sanction(
        kind="suspension" if suspension else "reduction",
        appointment=absence.text("appointment"),
        start=absence.date,
        end=end,
        percentage=100.0 if suspension else float(rate.value),
        regime=regime.id if regime else "",
        basis=(suspends.reference if suspension else rate.reference),
        triggered_by=(absence.index,),
        ended_by=contact.index if contact is not None else None,
    )


def _mode(ctx: Context, invitation: Event) -> str:
    """The mode of the appointment: the invitation's, also for the new date of a letter."""
    if invitation.type == "invited":
        return invitation.text("mode")
    earlier = [
        e
        for e in ctx.events("invited")
        if e.text("appointment") == invitation.text("appointment")
        and e.sort_key() < invitation.sort_key()
    ]
    return earlier[-1].text("mode") if earlier else ""


def _violation(
    ctx: Context, event: Event, code: str, field: str | None = "appointment", **params: object
) -> Violation:
    values = {"appointment": event.text("appointment").replace("_", " "), **params}
    key = f"violation.{code}"
    detail = message(key, **{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]
    cited = _basis(ctx, event.date)
    return Violation(event.index, code, f"{event.label()}: {detail.text}", cited, detail, field)


def _basis(ctx: Context, day: date) -> tuple[str, ...]:
    found = parameters.value("tnw.sanction_new_date_within", ctx.law_date("tnw", day))
    return found.reference


def sanctions(ctx: Context) -> tuple[list[Sanction], list[Violation]]:
    """Every reduction or suspension period, and the violations of the sanction events."""
    periods: list[Sanction] = []
    violations: list[Violation] = []
    for appointment in ("medical_examination", "first_contact"):
        found = procedure(ctx, appointment)
        periods.extend(found.periods)
        violations.extend(found.violations)
    return sorted(periods, key=lambda p: (p.start, p.appointment)), violations


def _registered_letter(ctx: Context, appointment: str) -> Iterator[Draft]:
    found = procedure(ctx, appointment)
    if found.first_absence is None or found.planned is None:
        return
    term = _new_date_term(ctx, found.planned)
    yield Draft(
        opens=found.first_absence.date,
        due=term.after(found.planned),
        why=(message("sanctions.registered_letter", date=found.planned, term=term),),
        basis=parameters.value(
            "tnw.sanction_new_date_within", ctx.law_date("tnw", found.planned)
        ).reference,
        triggered_by=(found.first_absence.index,),
        done=found.letter,
        late_cause="absent",  # an absence registered after the term (issue 17, point 9)
    )


SENTENCES = {
    "sanctions.registered_letter": "first unjustified absence from the appointment of {date}: "
    "send a registered letter with a new date within {term} of it, warning of the reduction of "
    "the benefit",
}


@rule(
    "sanctions.registered_letter_examination",
    code="registered_letter_examination",
    actor="advising_physician",
    parameters=("tnw.sanction_new_date_within", "tnw.sanction_reduction"),
    sentences=SENTENCES,
)
def registered_letter_examination(ctx: Context) -> Iterator[Draft]:
    """KB 3-7-1996 (2023 version): after a first unjustified absence from the medical
    examination for the estimate, a registered letter sets a new date within one month of the
    initially planned date and warns of the reduction [C] DN 3.1."""
    yield from _registered_letter(ctx, "medical_examination")


@rule(
    "sanctions.registered_letter_first_contact",
    code="registered_letter_first_contact",
    actor="coordinator",
    parameters=("tnw.sanction_new_date_within", "tnw.sanction_reduction"),
    sentences=SENTENCES,
)
def registered_letter_first_contact(ctx: Context) -> Iterator[Draft]:
    """The same cascade for the coordinator's first contact: the procedure exists [C] DN 3.1
    (news.belgium.be 10-11-2022); its steps are taken to mirror the examination's [U]."""
    yield from _registered_letter(ctx, "first_contact")
