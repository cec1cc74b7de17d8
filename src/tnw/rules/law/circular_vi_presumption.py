"""The legal presumption of incapacity (circular V.I. 2022/383, VI; Wet 14-7-1994 art. 100
§1/1): during a re-integration trajectory the recognition of the incapacity is kept, for at most
six months, "niet verlengd of opgeschort".
"""

from __future__ import annotations

from datetime import date, timedelta

from ..calendar import Term
from ..facts import Event
from ..framework import Context, tnw_term
from ..messages import declare, message
from ..model import Message, Presumption

DAY = timedelta(days=1)

declare(
    {
        "presumption.ends.max_after_plan": "{term} after the plan",
        "presumption.ends.paid_work": "the day before paid work started",
        "presumption.ends.retraining": "the day before the approved retraining started",
        "presumption.ends.trajectory_ended": "the last day of the trajectory set by the "
        "coordinator",
        "presumption.ends.max_after_signing": "{term} after signing",
        "presumption.ends.work_resumed": "the day before work resumed with the employer",
        "presumption.ends.incapacity_ended": "the end of the incapacity",
    }
)

Ends = list[tuple[date, Message]]


def presumptions(ctx: Context) -> list[Presumption]:
    term, basis = tnw_term("tnw.presumption_max", ctx.start)
    found = []
    for plan in _first_plan_of_each_trajectory(ctx):
        found.append(_presumption("ziv", plan, _ziv_ends(ctx, plan, term), basis, ctx))
    if ctx.facts.employment_contract:
        signed = ctx.first_after("codex_plan_answered", ctx.start, where=lambda e: e.flag("agreed"))
        if signed is not None:
            ends = _codex_ends(ctx, signed, term)
            found.append(_presumption("codex", signed, ends, basis, ctx))
    return [p for p in found if p.end >= p.start]


def _first_plan_of_each_trajectory(ctx: Context) -> list[Event]:
    """VI ties the presumption to "de periode waarin hij het re-integratietraject 'ZIV'
    doorloopt"; "kan niet worden verlengd of opgeschort" forbids stretching one period, not
    having a second one. So each ZIV trajectory (a new `ziv_started` after an ended one) gets
    its own period, from its first plan; a new plan version in the same trajectory does not
    start another (issue 17, interpretation 7)."""
    plans = []
    for trajectory in ctx.history.ziv:
        first = next((e for e in trajectory.steps if e.type == "plan_drawn_up"), None)
        if first is not None:
            plans.append(first)
    return plans


def _ziv_ends(ctx: Context, plan: Event, term: Term) -> Ends:
    """VI: from the day the trajectory's first ZIV plan is drawn up; it ends the day before paid
    work or an approved retraining starts, on the trajectory's last day, or after six months."""
    ends = [
        (
            term.after_period(plan.date) - DAY,
            message("presumption.ends.max_after_plan", term=term),
        )
    ]
    paid = ctx.first_after("paid_work_started", plan)
    if paid is not None:
        ends.append((paid.date - DAY, message("presumption.ends.paid_work")))
    # VI b: "een door de Hoge Commissie [...] goedgekeurd programma": a retraining ends the
    # presumption only when the Hoge Commissie approved it on or before its start (IV 4.2).
    approved = ctx.history.retraining_approved_on
    retraining = ctx.first_after("retraining_started", plan, where=lambda e: approved(e.date))
    if retraining is not None:
        ends.append((retraining.date - DAY, message("presumption.ends.retraining")))
    ended = ctx.first_after("trajectory_ended", plan)
    if ended is not None:
        ends.append((ended.date, message("presumption.ends.trajectory_ended")))
    return ends


def _codex_ends(ctx: Context, signed: Event, term: Term) -> Ends:
    """VI: from the day the worker signs the CODEX plan; it ends the day before work resumes
    with the employer, or after six months."""
    ends = [
        (
            term.after_period(signed.date) - DAY,
            message("presumption.ends.max_after_signing", term=term),
        )
    ]
    resumed = ctx.first_after("work_resumed", signed)
    if resumed is not None:
        ends.append((resumed.date - DAY, message("presumption.ends.work_resumed")))
    return ends


def _presumption(
    kind: str, trigger: Event, ends: Ends, basis: tuple[str, ...], ctx: Context
) -> Presumption:
    if ctx.incapacity_end is not None:
        ends.append((ctx.incapacity_end, message("presumption.ends.incapacity_ended")))
    end, because = min(ends, key=lambda item: item[0])
    return Presumption(
        kind="ziv" if kind == "ziv" else "codex",
        start=trigger.date,
        end=end,
        end_reason=because,
        basis=basis,
        triggered_by=(trigger.index,),
    )
