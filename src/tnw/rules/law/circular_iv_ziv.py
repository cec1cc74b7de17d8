"""The ZIV re-integration trajectory (circular V.I. 2022/383, IV; KB 3-7-1996 art. 215novies):
its start and situations (4.1), the first follow-up meeting and the plan (4.2), the follow-up
every three months (4.3), the suspension for an employer's CODEX trajectory (4.1, situations B
and C) and the evaluation at the end (4.4).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ..facts import Event
from ..framework import Context, Draft, after, earliest, is_before, rule, tnw_term
from ..history import NO_CONSENT, ZivTrajectory
from ..messages import declare, message
from ..model import Message

declare(
    {
        "void.trajectory_ended": "the trajectory ended on {date}",
        "note.suspended": "suspended since {start}, the term runs again on resumption",
        "note.moved_for_suspension": "moved {days} for the suspension from {start} to {end}",
    }
)


def shift_for_suspensions(
    base: date, due: date, trajectory: ZivTrajectory, done: Event | None = None
) -> tuple[date | None, tuple[Message, ...]]:
    """Move a due date by the days the trajectory was suspended after `base`.

    A suspension stops the term; it runs again from the resumption (reading of IV 4.1: the
    circular only says the execution is suspended). While the trajectory is still suspended the
    obligation has no due date. A suspension that starts after the obligation was fulfilled does
    not touch it: a done obligation never changes.
    """
    notes: tuple[Message, ...] = ()
    for period in trajectory.suspensions:
        if period.start > due or (done is not None and period.start > done.date):
            break
        if period.end is None:
            return None, (*notes, message("note.suspended", start=period.start))
        if period.end > base:
            days = (period.end - max(period.start, base)).days
            due += timedelta(days=days)
            notes += (
                message("note.moved_for_suspension", days=days, start=period.start, end=period.end),
            )
    return due, notes


def _ended_reason(trajectory: ZivTrajectory) -> Message | None:
    if trajectory.end is None:
        return None
    return message("void.trajectory_ended", date=trajectory.end.date)


@rule(
    "ziv.inform_occupational_physician",
    code="inform_occupational_physician",
    actor="coordinator",
    citations=("kb.215novies", "circular.iv_4_1"),
    exceptions=(NO_CONSENT,),
    sentences={
        "ziv.inform_occupational_physician": "ZIV trajectory started in situation {situation} "
        "on {date}",
    },
)
def inform_occupational_physician(ctx: Context) -> Iterator[Draft]:
    """IV 4.1, situations B and C: the coordinator informs the occupational physician that a
    ZIV trajectory started for a person with an employment contract."""
    for trajectory in ctx.history.ziv:
        start = trajectory.start
        situation = start.text("situation")
        if situation not in ("B", "C"):
            continue
        why = message("ziv.inform_occupational_physician", situation=situation, date=start.date)
        yield Draft(
            opens=start.date,
            due=None,
            why=(why,),
            triggered_by=(start.index,),
            done=ctx.first_after("occupational_physician_informed", start, before=trajectory.end),
        )


@rule(
    "ziv.first_follow_up_meeting",
    code="first_follow_up_meeting",
    actor="coordinator",
    parameters=("tnw.first_follow_up_after",),
    citations=("circular.v",),
    exceptions=(NO_CONSENT,),
    sentences={
        "ziv.first_follow_up_meeting": "within {term} of the engagement declaration ({date})",
        "note.follow_up_modes": "physical, video or phone",
    },
)
def first_follow_up_meeting(ctx: Context) -> Iterator[Draft]:
    """IV 4.2: the first follow-up meeting within one month of the start (the engagement
    declaration); physical, video or phone (V). Moved by suspensions."""
    for trajectory in ctx.history.ziv:
        start = trajectory.start
        term, basis = tnw_term("tnw.first_follow_up_after", start.date)
        meeting = ctx.first_after("follow_up_meeting", start, before=trajectory.end)
        due, notes = shift_for_suspensions(start.date, term.after(start.date), trajectory, meeting)
        why = message("ziv.first_follow_up_meeting", term=term, date=start.date)
        yield Draft(
            opens=start.date,
            due=due,
            why=(why, message("note.follow_up_modes"), *notes),
            basis=basis,
            triggered_by=(start.index,),
            done=meeting,
            void=_ended_reason(trajectory),
        )


@rule(
    "ziv.draw_up_plan",
    code="draw_up_plan",
    actor="coordinator",
    citations=("kb.215novies", "circular.iv_4_2"),
    exceptions=(NO_CONSENT,),
    sentences={
        "ziv.draw_up_plan": "the re-integration plan is given content in the follow-up "
        "meeting(s): objectives, end result, one concrete action, one next appointment",
    },
)
def draw_up_plan(ctx: Context) -> Iterator[Draft]:
    """IV 4.2: the re-integration plan is given content in the follow-up meeting(s), with at
    least objectives, the end result, one concrete action and one next appointment (the minimum
    content is checked by screening, `plan_incomplete`)."""
    for trajectory in ctx.history.ziv:
        start = trajectory.start
        yield Draft(
            opens=start.date,
            due=None,
            why=(message("ziv.draw_up_plan"),),
            triggered_by=(start.index,),
            done=ctx.first_after("plan_drawn_up", start, before=trajectory.end),
            void=_ended_reason(trajectory),
        )


@rule(
    "ziv.plan_follow_up",
    code="plan_follow_up",
    actor="coordinator",
    parameters=("tnw.plan_follow_up_every",),
    exceptions=(NO_CONSENT,),
    sentences={
        "ziv.plan_follow_up": "every {term}: the last follow-up was on {last}",
        "ziv.plan_follow_up.chosen": "next follow-up set for {next} at the follow-up of {last}",
    },
)
def plan_follow_up(ctx: Context) -> Iterator[Draft]:
    """IV 4.3: the coordinator follows up the plan every three months, "tenzij de elementen van
    het dossier een andere frequentie of timing rechtvaardigen".

    Reading: only the next follow-up is an obligation, from the last plan or review; a
    `next_review` date set at it replaces the three months; suspensions move it.
    """
    for trajectory in ctx.history.ziv:
        reviews = [e for e in trajectory.steps if e.type in ("plan_drawn_up", "plan_reviewed")]
        if trajectory.end is not None or not reviews:
            continue
        last = reviews[-1]
        term, basis = tnw_term("tnw.plan_follow_up_every", last.date)
        chosen = last.day("next_review")
        if chosen is not None and chosen >= last.date:
            planned = chosen
            why = message("ziv.plan_follow_up.chosen", next=chosen, last=last.date)
        else:
            planned = term.after(last.date)
            why = message("ziv.plan_follow_up", term=term, last=last.date)
        due, notes = shift_for_suspensions(last.date, planned, trajectory)
        yield Draft(last.date, due, (why, *notes), basis, (last.index,))


def _employer_codex_requests(ctx: Context, trajectory: ZivTrajectory) -> Iterator[Event]:
    for request in ctx.events("codex_requested"):
        if request.text("by") != "employer" or not after(request, trajectory.start):
            continue
        if trajectory.end is not None and not is_before(request, trajectory.end):
            continue
        if not trajectory.suspended_on(request.date):
            yield request


@rule(
    "ziv.suspend_for_codex",
    code="suspend_ziv",
    actor="coordinator",
    citations=("circular.iv_4_1_situations_b_c",),
    sentences={
        "ziv.suspend_for_codex": "the employer asked for a CODEX trajectory on {date}: the ZIV "
        "trajectory is suspended",
    },
)
def suspend_for_codex(ctx: Context) -> Iterator[Draft]:
    """IV 4.1 (situations B and C): the ZIV trajectory is suspended "gedurende het
    re-integratietraject bij de PAAA opgestart op vraag van de werkgever" (seed 000 says the
    same).

    Reading (issue 17, defect 1): the suspension lasts as long as that CODEX trajectory, so
    the task is void once there is nothing left to suspend: when the CODEX trajectory ends
    (`codex_ended`, `work_resumed`) or the ZIV trajectory ends (`trajectory_ended`) before a
    suspension is registered, whichever comes first. A suspension registered after that CODEX
    trajectory ended is refused by screening (`missing_prior_step`).
    """
    for trajectory in ctx.history.ziv:
        if trajectory.start.text("situation") not in ("B", "C"):
            continue
        for request in _employer_codex_requests(ctx, trajectory):
            codex_end = ctx.first_after(("codex_ended", "work_resumed"), request)
            done = ctx.first_after(
                "ziv_suspended", request, before=earliest(trajectory.end, codex_end)
            )
            yield Draft(
                opens=request.date,
                due=None,
                why=(message("ziv.suspend_for_codex", date=request.date),),
                triggered_by=(request.index,),
                done=done,
                void=_nothing_to_suspend(trajectory.end, codex_end),
            )


def _nothing_to_suspend(ziv_end: Event | None, codex_end: Event | None) -> Message | None:
    first = earliest(ziv_end, codex_end)
    if first is None:
        return None
    if first is codex_end:
        return message("void.codex_ended", date=first.date)
    return message("void.trajectory_ended", date=first.date)


@rule(
    "ziv.restart_after_codex",
    code="resume_ziv",
    actor="coordinator",
    citations=("circular.iv_4_1_situations_b_c",),
    sentences={
        "ziv.restart_after_codex": "the CODEX trajectory ended definitively on {date} for "
        "definitive unfitness: the ZIV trajectory starts again",
    },
)
def restart_after_codex(ctx: Context) -> Iterator[Draft]:
    """IV 4.1 (situations B and C): when the CODEX trajectory ends definitively for definitive
    unfitness, the suspended ZIV trajectory starts again."""
    for trajectory in ctx.history.ziv:
        if trajectory.start.text("situation") not in ("B", "C"):
            continue
        for ended in ctx.events("codex_ended"):
            if not ended.flag("definitive_unfitness") or not trajectory.suspended_on(ended.date):
                continue
            yield Draft(
                opens=ended.date,
                due=None,
                why=(message("ziv.restart_after_codex", date=ended.date),),
                triggered_by=(ended.index,),
                done=ctx.first_after("ziv_resumed", ended, before=trajectory.end),
            )


@rule(
    "ziv.evaluate_trajectory",
    code="evaluate_trajectory",
    actor="coordinator",
    citations=("kb.215novies", "circular.iv_4_4"),
    exceptions=(NO_CONSENT,),
    ends_with_incapacity=False,
    sentences={"ziv.evaluate_trajectory": "the trajectory ended on {date}: evaluate its results"},
)
def evaluate_trajectory(ctx: Context) -> Iterator[Draft]:
    """IV 4.4: at the end of the trajectory the coordinator evaluates its results. No term; it
    survives the end of the incapacity."""
    for ended in ctx.events("trajectory_ended"):
        yield Draft(
            opens=ended.date,
            due=None,
            why=(message("ziv.evaluate_trajectory", date=ended.date),),
            triggered_by=(ended.index,),
            done=ctx.first_after("trajectory_evaluated", ended),
        )
