"""Routing B: the person's spontaneous request to the TNW coordinator (circular V.I. 2022/383,
III 3.2): the questionnaire "if needed" (step 2), the first contact within a month (step 4), the
advising physician's permission (step 5) and the contact after a refusal (step 6, Annex II).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Event
from ..framework import Context, Draft, earliest, is_before, rule, tnw_term, with_next
from ..history import NO_CONSENT
from ..messages import message
from ..model import Message


@rule(
    "routing_b.send_questionnaire",
    code="send_questionnaire",
    actor="coordinator",
    citations=("circular.iii_3_2_step_2",),
    sentences={
        "routing_b.send_questionnaire": "spontaneous request: invite the person to complete the "
        "questionnaire, unless it was completed in this incapacity and needs no update",
        "note.questionnaire_already_sent": "a questionnaire was already sent in this incapacity",
        "void.questionnaire_waived": "no update of the questionnaire needed (decided on {date})",
    },
)
def send_questionnaire_on_request(ctx: Context) -> Iterator[Draft]:
    """III 3.2 step 2: after a spontaneous request the person is invited to complete the
    questionnaire, unless it was completed in this incapacity and needs no update (a waiver)."""
    for request in ctx.events("spontaneous_request"):
        answer = ctx.first_after(("questionnaire_sent", "questionnaire_waived"), request)
        earlier = ctx.first_after("questionnaire_sent", ctx.start)
        why: tuple[Message, ...] = (message("routing_b.send_questionnaire"),)
        if earlier is not None and is_before(earlier, request):
            why += (message("note.questionnaire_already_sent"),)
        waived = answer is not None and answer.type == "questionnaire_waived"
        yield Draft(
            opens=request.date,
            due=None,
            why=why,
            triggered_by=(request.index,),
            done=answer if answer is not None and not waived else None,
            void=message("void.questionnaire_waived", date=answer.date) if answer else None,
        )


def _ready_for_contact(ctx: Context, request: Event) -> Event | None:
    """The complete questionnaire (or the waiver) that starts the month, if it came before the
    contact or the next request: only what happened before the contact decides its term."""
    next_request = ctx.first_after("spontaneous_request", request)
    contact = ctx.first_after("first_contact", request)
    return ctx.first_after(
        ("questionnaire_received", "questionnaire_waived"),
        request,
        before=earliest(next_request, contact),
        where=lambda e: e.type == "questionnaire_waived" or e.flag("complete"),
    )


@rule(
    "routing_b.first_contact",
    code="first_contact",
    actor="coordinator",
    parameters=("tnw.first_contact_after_questionnaire",),
    citations=("circular.v",),
    sentences={
        "routing_b.first_contact.waiting": "spontaneous request on {date}: first contact within "
        "{term} of the receipt of the completed questionnaire",
        "routing_b.first_contact.after_waiver": "within {term} of the waiver of the "
        "questionnaire ({date})",
        "routing_b.first_contact.after_questionnaire": "within {term} of the receipt of the "
        "completed questionnaire ({date})",
    },
)
def first_contact_on_request(ctx: Context) -> Iterator[Draft]:
    """III 3.2 step 4: the first contact within one month of the receipt of the completed
    questionnaire; physical or video (V), with written consent.

    Reading: with a waiver (no update needed) the month runs from the waiver decision; before
    the questionnaire is in, the contact has no due date.
    """
    for request in ctx.events("spontaneous_request"):
        ready = _ready_for_contact(ctx, request)
        term, basis = tnw_term("tnw.first_contact_after_questionnaire", request.date)
        if ready is None:
            due = None
            why = message("routing_b.first_contact.waiting", date=request.date, term=term)
        else:
            due = term.after(ready.date)
            waived = ready.type == "questionnaire_waived"
            key = "after_waiver" if waived else "after_questionnaire"
            why = message(f"routing_b.first_contact.{key}", term=term, date=ready.date)
        yield Draft(
            opens=request.date,
            due=due,
            why=(why, message("note.first_contact_modes")),
            basis=basis,
            triggered_by=(request.index,) + ((ready.index,) if ready else ()),
            done=ctx.first_after("first_contact", request),
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


@rule(
    "routing_b.request_permission",
    code="request_permission",
    actor="coordinator",
    citations=("circular.iii_3_2_step_5",),
    exceptions=(NO_CONSENT,),
    sentences={
        "routing_b.request_permission": "after the first contact of {date}: inform the advising "
        "physician and ask permission to start a TNW trajectory",
        "void.no_trajectory_wanted": "the person wants no trajectory (first contact of {date})",
    },
)
def request_permission(ctx: Context) -> Iterator[Draft]:
    """III 3.2 step 5: after the first contact the coordinator informs the advising physician
    and asks permission to start a trajectory (not when the person wants none)."""
    for contact in _routing_b_first_contacts(ctx):
        no_trajectory = contact.text("outcome") == "none"
        yield Draft(
            opens=contact.date,
            due=None,
            why=(message("routing_b.request_permission", date=contact.date),),
            triggered_by=(contact.index,),
            done=ctx.first_after("permission_requested", contact),
            void=message("void.no_trajectory_wanted", date=contact.date) if no_trajectory else None,
        )


@rule(
    "routing_b.permission_decision",
    code="permission_decision",
    actor="advising_physician",
    citations=("circular.iii_3_2_step_5",),
    sentences={"routing_b.permission_decision": "the coordinator asked permission on {date}"},
)
def permission_decision(ctx: Context) -> Iterator[Draft]:
    """III 3.2 step 5: the advising physician decides on each request for permission."""
    for request, following in with_next(ctx.events("permission_requested")):
        yield Draft(
            opens=request.date,
            due=None,
            why=(message("routing_b.permission_decision", date=request.date),),
            triggered_by=(request.index,),
            done=ctx.first_after("permission_decided", request, before=following),
        )


@rule(
    "routing_b.refusal_contact",
    code="refusal_contact",
    actor="coordinator",
    parameters=("tnw.refusal_contact_after",),
    citations=("circular.v_annex_ii",),
    exceptions=(NO_CONSENT,),
    sentences={
        "routing_b.refusal_contact": "the advising physician refused on {date}: a new contact "
        "within {term} of the previous contact moment ({previous}), physical or video, to "
        "discuss the decision",
        "routing_b.refusal_contact.late_decision": "the advising physician refused on {date}, "
        "after the month since the previous contact moment ({previous}): a new contact within "
        "{term} of the decision, physical or video, to discuss it",
    },
)
def refusal_contact(ctx: Context) -> Iterator[Draft]:
    """III 3.2 step 6 (Annex II): after a refusal, a new contact "binnen de maand na het vorige
    contactmoment", physical or video, to discuss the decision.

    Reading: the previous contact moment is the last first contact or contact before the
    decision. When the physician decides after that month, the literal term has passed before
    the obligation arises; the contact discusses the decision, so it is then due one month
    from the decision (issue 17, interpretation 8).
    """
    for decision in ctx.events("permission_decided"):
        if decision.flag("granted"):
            continue
        previous = [e for e in ctx.events("first_contact", "contact") if is_before(e, decision)]
        anchor = previous[-1].date if previous else decision.date
        term, basis = tnw_term("tnw.refusal_contact_after", anchor)
        due = term.after(anchor)
        key = "routing_b.refusal_contact"
        if due < decision.date:
            term, basis = tnw_term("tnw.refusal_contact_after", decision.date)
            due, key = term.after(decision.date), "routing_b.refusal_contact.late_decision"
        why = message(key, date=decision.date, term=term, previous=anchor)
        yield Draft(
            opens=decision.date,
            due=due,
            why=(why,),
            basis=basis,
            triggered_by=(decision.index,),
            done=ctx.first_after(
                "contact", decision, where=lambda e: e.text("purpose") == "refusal_discussion"
            ),
        )
