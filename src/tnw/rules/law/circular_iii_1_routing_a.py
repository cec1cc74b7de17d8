"""Routing A: the advising physician's steps (circular V.I. 2022/383, III 3.1; KB 3-7-1996
art. 215novies).

Questionnaire after 10 weeks (step 2) or a medical exemption with its letter (step 2 remarks),
the first estimate in the 4th month (step 4), the categories and their examinations (step 5),
the referral to the TNW coordinator (step 6) and the first contact (step 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..calendar import nth_month
from ..facts import Event
from ..framework import (
    ROUTING_A_EXCEPTIONS,
    Context,
    Draft,
    is_before,
    rule,
    tnw_month,
    tnw_term,
)
from ..history import AUTHORISED_WORK
from ..messages import declare, message

declare({"note.first_contact_modes": "physical or video contact, with written consent"})


@rule(
    "routing_a.send_questionnaire",
    code="send_questionnaire",
    actor="advising_physician",
    parameters=("tnw.questionnaire_after",),
    exceptions=ROUTING_A_EXCEPTIONS,
    sentences={
        "routing_a.send_questionnaire": "{term} after the start of the incapacity ({start})",
        "void.medical_exemption": "medical exemption ({reason}) registered on {date}",
    },
)
def send_questionnaire(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 2: the advising physician sends the questionnaire 10 weeks after the start.

    Reading: "10 weeks after S" is S + 70 days; the window opens and closes that day, and a
    questionnaire sent earlier counts (not late). The physician "may" decide not to send it for
    a listed medical reason ("kan oordelen"): a questionnaire sent after all fulfils the
    obligation; without one, the exemption voids it.
    """
    term, basis = tnw_term("tnw.questionnaire_after", ctx.start)
    due = term.after(ctx.start)
    sent = ctx.first_after("questionnaire_sent", ctx.start)
    exemption = ctx.first_after("medical_exemption", ctx.start)
    void = None
    if exemption and sent is None:
        void = message(
            "void.medical_exemption", reason=exemption.text("reason"), date=exemption.date
        )
    why = message("routing_a.send_questionnaire", term=term, start=ctx.start)
    yield Draft(due, due, (why,), basis, done=sent, void=void)


@rule(
    "routing_a.inform_exemption",
    code="inform_exemption",
    actor="advising_physician",
    parameters=("tnw.questionnaire_after",),
    citations=("circular.iii_3_1_step_2_remarks",),
    sentences={
        "routing_a.inform_exemption": "a letter explaining that no questionnaire is sent, with "
        "the TNW coordinator's contact details; due when the questionnaire would have been sent",
        "void.questionnaire_sent_after_all": "a questionnaire was sent after all on {date}",
    },
)
def inform_exemption(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 2 (remarks): a letter tells the exempted person that no questionnaire is
    sent, with the coordinator's contact details.

    Reading: the circular sets no term; the letter replaces the questionnaire, so it is due when
    the questionnaire would have been sent (or on the exemption day when later). A questionnaire
    sent after all voids it; a letter sent after that questionnaire does not count.
    """
    exemption = ctx.first_after("medical_exemption", ctx.start)
    if exemption is None:
        return
    term, _ = tnw_term("tnw.questionnaire_after", ctx.start)
    sent = ctx.first_after("questionnaire_sent", exemption)
    letter = ctx.first_after("exemption_letter_sent", exemption, before=sent)
    void = message("void.questionnaire_sent_after_all", date=sent.date) if sent else None
    yield Draft(
        opens=exemption.date,
        due=max(exemption.date, term.after(ctx.start)),
        why=(message("routing_a.inform_exemption"),),
        triggered_by=(exemption.index,),
        done=letter,
        void=void,
    )


@rule(
    "routing_a.first_capacity_assessment",
    code="first_capacity_assessment",
    actor="advising_physician",
    parameters=("tnw.first_assessment_month",),
    exceptions=ROUTING_A_EXCEPTIONS,
    sentences={
        "routing_a.first_capacity_assessment": "in the course of month {month} of the "
        "incapacity ({opens} to {due})",
    },
)
def first_capacity_assessment(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 4: the first estimate of the remaining capacities "in de loop van de vierde
    maand" of the incapacity. An earlier estimate fulfils it (not late)."""
    month, basis = tnw_month("tnw.first_assessment_month", ctx.start)
    opens, due = nth_month(ctx.start, month)
    assessments = ctx.events("capacity_assessed")
    why = message("routing_a.first_capacity_assessment", month=month, opens=opens, due=due)
    yield Draft(opens, due, (why,), basis, done=assessments[0] if assessments else None)


@rule(
    "routing_a.questionnaire_medical_examination",
    code="questionnaire_medical_examination",
    actor="advising_physician",
    parameters=("tnw.first_assessment_month",),
    citations=("circular.iii_3_1_step_4_remarks",),
    exceptions=ROUTING_A_EXCEPTIONS,
    sentences={
        "routing_a.questionnaire_medical_examination": "the questionnaire sent on {sent} was "
        "not completed despite the help of {helped}: invite the person to a medical "
        "examination for the first estimate",
    },
)
def questionnaire_medical_examination(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 4 (remarks): "indien het voor de gerechtigde, ondanks de geboden
    ondersteuning, niet mogelijk is geweest om de verzonden vragenlijst in te vullen, nodigt de
    adviserend arts hem in het kader van deze inschatting van de restcapaciteiten voor een
    medisch onderzoek uit, tenzij uit de ter beschikking gestelde medische informatie blijkt dat
    het invullen van de vragenlijst niet mogelijk is en een onderzoek op dat moment niet
    aangewezen is."

    Reading (issue 17, interpretation 6): it arises at the coordinator's help contact for the
    routing-A questionnaire (sent before the first estimate, not in answer to a spontaneous
    request) and is due with the first estimate (the last day of month 4, at the earliest the
    help contact). Only an assessment with a medical examination after the help fulfils it; a
    completed questionnaire received after the help voids it. The "tenzij" case is the
    physician's medical judgment, not a registered fact: it is not modelled.
    """
    assessments = ctx.events("capacity_assessed")
    first_estimate = assessments[0] if assessments else None
    requests = ctx.events("spontaneous_request")
    for sent in ctx.events("questionnaire_sent"):
        if first_estimate is not None and not is_before(sent, first_estimate):
            continue
        if any(is_before(request, sent) for request in requests):
            continue
        helped = ctx.first_after("questionnaire_help_contact", sent, before=first_estimate)
        if helped is None:
            continue
        month, basis = tnw_month("tnw.first_assessment_month", ctx.start)
        due = max(nth_month(ctx.start, month)[1], helped.date)
        received = ctx.first_after(
            "questionnaire_received", helped, where=lambda e: e.flag("complete")
        )
        examined = ctx.first_after(
            "capacity_assessed", helped, where=lambda e: e.flag("medical_exam")
        )
        void = None
        if received is not None and (examined is None or is_before(received, examined)):
            void = message("void.questionnaire_received", date=received.date)
        why = message(
            "routing_a.questionnaire_medical_examination", sent=sent.date, helped=helped.date
        )
        yield Draft(
            helped.date,
            due,
            (why,),
            basis,
            (sent.index, helped.index),
            done=examined if void is None else None,
            void=void,
        )
        return


def _examined(ctx: Context, first: Event, anchor: Event | date) -> Event | None:
    """A later assessment with a medical examination."""
    return ctx.first_after(
        "capacity_assessed", anchor, where=lambda e: e is not first and e.flag("medical_exam")
    )


def _first_category(ctx: Context, category: int) -> Event | None:
    assessments = ctx.events("capacity_assessed")
    if not assessments or assessments[0].number("category") != category:
        return None
    return assessments[0]


@rule(
    "routing_a.category1_reexamination",
    code="category1_reexamination",
    actor="advising_physician",
    parameters=("tnw.category1_examination_after",),
    sentences={
        "routing_a.category1_reexamination": "placed in category 1 on {date} and still "
        "incapacitated after {term}: compulsory medical examination for a new estimate",
    },
)
def category1_reexamination(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 5 (remarks): a person in category 1 still incapacitated after six months is
    examined (compulsory medical examination) for a new estimate.

    Reading: it opens on the first day after six months of incapacity (the period counted in
    from the start, Ger.W. art. 54, `calendar.month_policy`); no term is set; only an
    assessment with a medical examination fulfils it.
    """
    first = _first_category(ctx, 1)
    if first is None:
        return
    term, basis = tnw_term("tnw.category1_examination_after", ctx.start)
    opens = term.after_period(ctx.start)
    why = message("routing_a.category1_reexamination", date=first.date, term=term)
    yield Draft(opens, None, (why,), basis, (first.index,), done=_examined(ctx, first, opens))


@rule(
    "routing_a.category3_examination",
    code="category3_examination",
    actor="advising_physician",
    parameters=("tnw.category3_examination_month",),
    sentences={
        "routing_a.category3_examination": "placed in category 3 on {date}: medical examination "
        "at the latest in the course of month {month} of the incapacity",
    },
)
def category3_examination(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 5 (remarks): a person in category 3 is examined "uiterlijk in de loop van de
    zevende maand"; due on the last day of month 7.

    Late on arrival (issue 17, point 9): when the first estimate itself comes after month 7,
    the legal due date lies before the day the examination opens. The due date is kept; the
    obligation is marked late on arrival, caused by the first estimate, with a working target
    of one month from its opening (`tnw.late_on_arrival_target`, framework.late_on_arrival).
    """
    first = _first_category(ctx, 3)
    if first is None:
        return
    month, basis = tnw_month("tnw.category3_examination_month", ctx.start)
    _, due = nth_month(ctx.start, month)
    why = message("routing_a.category3_examination", date=first.date, month=month)
    done = _examined(ctx, first, first)
    late_cause = "first_capacity_assessment"
    yield Draft(first.date, due, (why,), basis, (first.index,), done, late_cause=late_cause)


@rule(
    "routing_a.refer_to_coordinator",
    code="refer_to_coordinator",
    actor="advising_physician",
    citations=("circular.iii_3_1_step_6",),
    sentences={
        "routing_a.refer_to_coordinator.initial": "placed in category 4 on {date} at the first "
        "estimate: refer to the TNW coordinator for a first contact",
        "routing_a.refer_to_coordinator.new_estimate": "placed in category 4 on {date} after a "
        "new estimate: refer to the TNW coordinator for a first contact",
    },
)
def refer_to_coordinator(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 6: a person in category 4 is referred to the TNW coordinator.

    Reading: category 4 at the first estimate, or any change to category 4 after a new estimate
    (the circular names 1 -> 4 and 3 -> 4; seed 001 adds later estimates). No term.
    """
    previous: int | None = None
    for assessment in ctx.events("capacity_assessed"):
        category = assessment.number("category")
        if category == 4 and previous != 4:
            key = "initial" if previous is None else "new_estimate"
            why = message(f"routing_a.refer_to_coordinator.{key}", date=assessment.date)
            yield Draft(
                opens=assessment.date,
                due=None,
                why=(why,),
                triggered_by=(assessment.index,),
                done=ctx.first_after("referred_to_coordinator", assessment),
            )
        previous = category


@rule(
    "routing_a.first_contact",
    code="first_contact",
    actor="coordinator",
    parameters=("tnw.first_contact_initial_category4_month", "tnw.first_contact_after_referral"),
    citations=("circular.v",),
    exceptions=(AUTHORISED_WORK,),
    sentences={
        "routing_a.first_contact.initial_category4": "placed in category 4 at the first "
        "estimate: first contact at the latest during month {month} of the incapacity",
        "routing_a.first_contact.after_referral": "within {term} of the referral ({date})",
    },
)
def first_contact_after_referral(ctx: Context) -> Iterator[Draft]:
    """III 3.1 step 7: the coordinator's first contact, physical or video (V), with consent.

    Reading: "initially category 4" means every assessment before the referral placed the
    person in category 4: first contact at the latest during month 6 of the incapacity;
    otherwise within one month of the referral (initial category 2: the circular is silent, the
    term of categories 1 and 3 applies).

    Late on arrival (issue 17, point 9): a referral after month 6 of an initially category-4
    person opens the contact after its legal due date. The legal date is right and is kept;
    the lateness belongs to the referral: the obligation is marked late on arrival, caused by
    `refer_to_coordinator`, with a working target of one month from the referral, "the term the
    circular uses for the other referrals" (`tnw.late_on_arrival_target`).
    """
    assessments = ctx.events("capacity_assessed")
    for referral in ctx.events("referred_to_coordinator"):
        based_on = [a for a in assessments if is_before(a, referral)]
        if based_on and all(a.number("category") == 4 for a in based_on):
            month, basis = tnw_month("tnw.first_contact_initial_category4_month", ctx.start)
            due = nth_month(ctx.start, month)[1]
            why = message("routing_a.first_contact.initial_category4", month=month)
        else:
            term, basis = tnw_term("tnw.first_contact_after_referral", referral.date)
            due = term.after(referral.date)
            why = message("routing_a.first_contact.after_referral", term=term, date=referral.date)
        yield Draft(
            opens=referral.date,
            due=due,
            why=(why, message("note.first_contact_modes")),
            basis=basis,
            triggered_by=(referral.index,),
            done=ctx.first_after("first_contact", referral),
            late_cause="refer_to_coordinator",  # a referral after month 6 (issue 17, point 9)
        )
