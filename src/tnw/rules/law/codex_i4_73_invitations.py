"""The invitations to the CODEX re-integration assessment (Codex welzijn op het werk, book I
title 4 chapter VI, art. I.4-73, 2022 version; KB 11-09-2022; kept in 2026, KB 17-12-2025):
when the worker does not answer 3 invitations of the occupational physician, each at least 14
calendar days after the previous one, the trajectory ends and the advising physician and the
employer are informed [C] domain-notes 4.2 (empreva). From 2026 the invitation goes by
registered letter [C] domain-notes 4.3; the 2026 number and interval are those of 2022 [U].

The 2017 regime has no such rule in our sources (`codex.invitations_before_end` is null).
Interpretations (docs/rules.md 7.1): invitations count per stretch of the trajectory before an
assessment (the worker who came was assessed); an invitation less than the interval after the
previous counted one does not count; an invitation without `codex_unanswered` followed by
another one was answered (the streak starts again).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import parameters
from ..calendar import Term
from ..facts import Event
from ..framework import Context, Draft, after, is_before, rule, with_next
from ..messages import declare, message
from ..model import Message
from .codex_i4_reintegration import Trajectory, trajectories

declare(
    {
        "void.codex_assessed": "the worker came to the assessment of {date}",
        "void.codex_unanswered": "the worker did not answer {needed} invitations (the last for "
        "{date}): the trajectory ends",
    }
)


@dataclass(frozen=True)
class Unanswered:
    """A counted invitation the worker did not answer, and its place in the streak."""

    invitation: Event
    unanswered: Event
    streak: int
    needed: int
    interval: Term
    basis: tuple[str, ...]
    next_invitation: Event | None  # the next counted invitation, if any
    void: Message | None  # the assessment that followed, or the end of the trajectory


Stretch = tuple[list[Event], Message | None]


def _stretches(ctx: Context, trajectory: Trajectory) -> Iterator[Stretch]:
    """The invitations of each stretch before an assessment (or the trajectory's end)."""
    bounds: list[Event] = [trajectory.request, *trajectory.assessments]
    for begin, following in with_next(bounds):
        end = following or trajectory.limit
        invited = [
            e
            for e in ctx.events("codex_invited")
            if after(e, begin) and (end is None or is_before(e, end))
        ]
        void = message("void.codex_assessed", date=following.date) if following else None
        yield invited, void or trajectory.void


def _counted(trajectory: Trajectory, invited: list[Event]) -> Iterator[tuple[Event, Term, int]]:
    """The invitations that count: the first, and each one at least the interval after the
    previous counted one (in the regime of its day), with the number needed to end."""
    last: Event | None = None
    for invitation in invited:
        on = trajectory.on(invitation.date)
        term, _ = parameters.term("codex.invitation_interval", on)
        needed = parameters.value("codex.invitations_before_end", on).value
        if term is None or needed is None:
            continue
        if last is None or invitation.date >= term.after(last.date):
            last = invitation
            yield invitation, term, int(needed)


def unanswered(ctx: Context) -> Iterator[Unanswered]:
    """Every counted invitation the worker did not answer, in order, with its streak."""
    for trajectory in trajectories(ctx):
        yield from unanswered_in(ctx, trajectory)


def unanswered_in(ctx: Context, trajectory: Trajectory) -> Iterator[Unanswered]:
    """The counted invitations of one trajectory that the worker did not answer."""
    for invited, void in _stretches(ctx, trajectory):
        counted = list(_counted(trajectory, invited))
        streak = 0
        nexts: list[Event | None] = [*(c[0] for c in counted[1:]), None][: len(counted)]
        for (invitation, term, needed), limit in zip(counted, nexts, strict=True):
            answer = ctx.first_after("codex_unanswered", invitation, before=limit)
            if answer is None:
                streak = 0  # answered (or not yet known)
                continue
            streak += 1
            on = trajectory.on(invitation.date)
            basis = parameters.value("codex.invitations_before_end", on).reference
            yield Unanswered(invitation, answer, streak, needed, term, basis, limit, void)
            if streak >= needed:
                break


@rule(
    "codex.reinvitation",
    code="codex_reinvitation",
    actor="occupational_physician",
    parameters=("codex.invitation_interval", "codex.invitations_before_end"),
    regime="codex",
    sentences={
        "codex.reinvitation": "the worker did not answer the invitation for {date} "
        "(invitation {streak} of {needed}): invite again, at least {term} after the invitation "
        "of {invited}",
    },
)
def reinvitation(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-73 (2022): the trajectory ends only after 3 unanswered invitations at
    least 14 calendar days apart, so after the first and the second the occupational physician
    invites again, not before 14 days after the previous invitation. No term is set."""
    for found in unanswered(ctx):
        if found.streak >= found.needed:
            continue
        invitation = found.invitation
        appointment = invitation.day("appointment_date") or invitation.date
        why = message(
            "codex.reinvitation", date=appointment, streak=found.streak, needed=found.needed,
            term=found.interval, invited=invitation.date,
        )  # fmt: skip
        yield Draft(
            opens=max(found.interval.after(invitation.date), found.unanswered.date),
            due=None,
            why=(why,),
            basis=found.basis,
            triggered_by=(found.unanswered.index,),
            done=found.next_invitation,
            void=found.void,
        )


@rule(
    "codex.end_unanswered",
    code="codex_end_unanswered",
    actor="occupational_physician",
    parameters=("codex.invitations_before_end", "codex.invitation_interval"),
    regime="codex",
    sentences={
        "codex.end_unanswered": "the worker did not answer {needed} invitations at least {term} "
        "apart (the last for {date}): the trajectory ends; inform the advising physician and "
        "the employer",
    },
)
def end_unanswered(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-73 (2022): after the third unanswered invitation the trajectory ends and
    the occupational physician informs the advising physician and the employer; registered as
    `codex_ended`. No term is set [U]."""
    for found in unanswered(ctx):
        if found.streak < found.needed:
            continue
        invitation = found.invitation
        appointment = invitation.day("appointment_date") or invitation.date
        why = message(
            "codex.end_unanswered", needed=found.needed, term=found.interval, date=appointment
        )
        ended = ctx.first_after("codex_ended", found.unanswered)
        yield Draft(
            opens=found.unanswered.date,
            due=None,
            why=(why,),
            basis=found.basis,
            triggered_by=(found.unanswered.index,),
            done=ended,
            void=found.void,
        )


def no_answer(ctx: Context, trajectory: Trajectory) -> Message | None:
    """Why the assessment of `trajectory` is no longer due: the worker did not answer the
    invitations that end the trajectory (I.4-73, 2022), or None. Read by
    codex_i4_reintegration.assessment (its named exception)."""
    for found in unanswered_in(ctx, trajectory):
        if found.streak >= found.needed:
            invitation = found.invitation
            appointment = invitation.day("appointment_date") or invitation.date
            return message("void.codex_unanswered", needed=found.needed, date=appointment)
    return None
