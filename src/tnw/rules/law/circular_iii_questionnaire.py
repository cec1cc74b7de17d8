"""The questionnaire: its return by the insured person and the coordinator's help contact
(circular V.I. 2022/383, III 3.1 step 3 and III 3.2 step 3; the contact table, V).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ..facts import Event
from ..framework import Context, Draft, earliest, is_before, rule, tnw_term, with_next
from ..messages import declare, message
from ..model import Message

declare(
    {
        "void.overtaken_by_estimate": "the first estimate took place on {date} without the "
        "completed questionnaire",
        "void.overtaken_by_first_contact": "the first contact took place on {date} without the "
        "completed questionnaire",
    }
)


def _questionnaire_cycles(ctx: Context) -> Iterator[tuple[Event, Event | None]]:
    """Each sending of the questionnaire with the next sending (the end of its cycle)."""
    return with_next(ctx.events("questionnaire_sent"))


def _overtaken(ctx: Context, sent: Event, following: Event | None) -> Message | None:
    """The step the questionnaire prepares has happened without it: chasing it is moot.

    The questionnaire feeds the first estimate (routing A, III 3.1 step 4) or prepares the
    first contact (routing B, III 3.2 step 2); once that step is registered, a missing
    questionnaire is no longer pursued (interpretation, docs/rules.md).
    """
    step = ctx.first_after(("capacity_assessed", "first_contact"), sent, before=following)
    if step is None:
        return None
    if step.type == "capacity_assessed":
        return message("void.overtaken_by_estimate", date=step.date)
    return message("void.overtaken_by_first_contact", date=step.date)


def _complete_receipt(ctx: Context, sent: Event, following: Event | None) -> Event | None:
    return ctx.first_after(
        "questionnaire_received", sent, before=following, where=lambda e: e.flag("complete")
    )


@rule(
    "questionnaire.return",
    code="return_questionnaire",
    actor="insured",
    parameters=("tnw.questionnaire_return",),
    sentences={
        "questionnaire.return": "properly completed, within {term} of sending ({sent})",
    },
)
def return_questionnaire(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 3 and III 3.2 step 3: the insured person returns the questionnaire
    properly completed within two weeks of its sending (one obligation per sending).

    Seed 001: "Het invullen van de vragenlijst door de verzekerde is verplicht"; from 2023 not
    returning it is sanctioned. So the duty stays not done (overdue) when the first estimate or
    the first contact happens without it: that record is what the sanctions rest on (issue 17,
    interpretation 6). Only the coordinator's help contact is closed then.
    """
    for sent, following in _questionnaire_cycles(ctx):
        term, basis = tnw_term("tnw.questionnaire_return", sent.date)
        yield Draft(
            opens=sent.date,
            due=term.after(sent.date),
            why=(message("questionnaire.return", term=term, sent=sent.date),),
            basis=basis,
            triggered_by=(sent.index,),
            done=_complete_receipt(ctx, sent, following),
        )


def _help_trigger(
    ctx: Context, sent: Event, following: Event | None, complete: Event | None
) -> tuple[date | None, Event | None]:
    """When the help contact opens (the first incomplete receipt, or the day after the two
    weeks without a complete one), and the incomplete receipt."""
    term, _ = tnw_term("tnw.questionnaire_return", sent.date)
    late_from = term.after(sent.date) + timedelta(days=1)
    incomplete = ctx.first_after(
        "questionnaire_received", sent, before=following, where=lambda e: not e.flag("complete")
    )
    triggers = []
    if incomplete is not None and (complete is None or is_before(incomplete, complete)):
        triggers.append(incomplete.date)
    if (complete is None or complete.date >= late_from) and ctx.as_of >= late_from:
        triggers.append(late_from)
    return (min(triggers) if triggers else None), incomplete


@rule(
    "questionnaire.help_contact",
    code="questionnaire_help_contact",
    actor="coordinator",
    parameters=("tnw.questionnaire_return",),
    citations=("circular.v",),
    sentences={
        "questionnaire.help_contact": "the questionnaire sent on {sent} was not returned "
        "properly completed within {term}: contact the person and offer help (may be delegated "
        "to a staff member)",
        "void.questionnaire_received": "the completed questionnaire was received on {date}",
    },
)
def questionnaire_help_contact(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 3 and V: when the questionnaire is not returned properly completed within two
    weeks, the coordinator contacts the person and offers help (may be delegated).

    Reading: "not returned properly completed" covers no answer and an incomplete one. It opens
    on the first incomplete receipt or, without one, on the day after the two weeks, and appears
    only once that has happened. No term. A complete questionnaire received before the contact
    voids it.
    """
    for sent, following in _questionnaire_cycles(ctx):
        term, basis = tnw_term("tnw.questionnaire_return", sent.date)
        complete = _complete_receipt(ctx, sent, following)
        opens, incomplete = _help_trigger(ctx, sent, following, complete)
        if opens is None:
            continue
        voiding = complete if complete is not None and complete.date >= opens else None
        done = ctx.first_after(
            "questionnaire_help_contact", opens, before=earliest(following, voiding)
        )
        void = _overtaken(ctx, sent, following)
        if voiding is not None:
            void = message("void.questionnaire_received", date=voiding.date)
        yield Draft(
            opens=opens,
            due=None,
            why=(message("questionnaire.help_contact", sent=sent.date, term=term),),
            basis=basis,
            triggered_by=(sent.index,) + ((incomplete.index,) if incomplete else ()),
            done=done,
            void=void,
        )
