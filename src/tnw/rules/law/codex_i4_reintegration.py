"""The CODEX re-integration trajectory: Codex welzijn op het werk, book I title 4 chapter VI,
art. I.4-72 to I.4-82, in its regimes of 2017 (KB 28-10-2016: decisions A-E, terms in working
days), 2022 (KB 11-09-2022: decisions A-C, terms in calendar days) and 2026 (KB 17-12-2025).

Each rule exists in every regime; the terms and the decision letters are dated parameters
(`parameters/codex.yaml`). A decision is read, and a term counted, in the regime that governs
its day (`parameters.codex_step_date`): the trajectory's own regime, unless a later one applies
at once to running trajectories, as the reform of 1-10-2022 did (issue 17, interpretation 5).
The initiative (I.4-72) is checked by screening (`codex_initiative_not_allowed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .. import parameters
from ..facts import Event
from ..framework import Context, Draft, after, is_before, rule, with_next
from ..messages import declare, message
from ..model import Message

declare(
    {
        "void.codex_ended": "the CODEX trajectory ended on {date}",
        "note.codex_regime": "CODEX regime {regime}",
    }
)


@dataclass(frozen=True)
class Trajectory:
    """A CODEX trajectory as the rules read it: its request, regime date and assessments."""

    request: Event
    limit: Event | None  # its end (codex_ended, work_resumed) or the next request
    void: Message | None  # why its pending steps no longer apply
    assessments: list[Event]
    chosen: date | None = None  # the first day of the regime chosen for a replay

    def on(self, step: date) -> date:
        """The date whose regime governs a decision made, or a term starting, on `step` (or
        the regime chosen for a replay, tnw.rules.replay)."""
        if self.chosen is not None:
            return self.chosen
        return parameters.codex_step_date(self.request.date, step)

    def tag(self, step: date) -> Message:
        """ "CODEX regime ..." of a step."""
        regime = parameters.regime_on("codex", self.on(step))
        assert regime is not None
        return message("note.codex_regime", regime=regime.id)

    def until(self, assessment: Event) -> Event | None:
        """The end of the steps that follow `assessment`: the next assessment or the limit."""
        position = self.assessments.index(assessment)
        later = self.assessments[position + 1 :]
        return later[0] if later else self.limit

    def outcome(self, assessment: Event) -> str:
        decisions = dict(parameters.value("codex.decisions", self.on(assessment.date)).value)
        # A replay under another regime may meet a letter that regime does not have (D, E).
        found = decisions.get(assessment.text("decision"))
        return str(found["plan"]) if found else ""


def trajectories(ctx: Context) -> Iterator[Trajectory]:
    for request, following in with_next(ctx.events("codex_requested")):
        law_day = ctx.law_date("codex", request.date)
        regime = parameters.regime_on("codex", law_day)
        if regime is None:
            continue
        ended = ctx.first_after(("codex_ended", "work_resumed"), request, before=following)
        limit = ended or following
        void = message("void.codex_ended", date=ended.date) if ended else None
        assessments = [
            e
            for e in ctx.events("codex_assessed")
            if after(e, request) and (limit is None or is_before(e, limit))
        ]
        chosen = law_day if "codex" in ctx.regimes else None
        yield Trajectory(request, limit, void, assessments, chosen)


@rule(
    "codex.assessment",
    code="codex_assessment",
    actor="occupational_physician",
    parameters=("codex.assessment_term",),
    regime="codex",
    sentences={"codex.assessment": "re-integration assessment within {term} of the request"},
)
def assessment(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-73: the occupational physician makes the re-integration assessment within
    40 working days of the request (2017) or 49 days (2022, I.4-73 §1). Exception (2022, kept
    in 2026): the worker did not answer 3 invitations at least 14 days apart, the trajectory
    ends (law/codex_i4_73_invitations.py)."""
    for trajectory in trajectories(ctx):
        request = trajectory.request
        term, basis = parameters.term("codex.assessment_term", trajectory.on(request.date))
        assert term is not None
        yield Draft(
            opens=request.date,
            due=term.after(request.date),
            why=(message("codex.assessment", term=term), trajectory.tag(request.date)),
            basis=basis,
            triggered_by=(request.index,),
            done=trajectory.assessments[0] if trajectory.assessments else None,
            void=trajectory.void or _no_answer(ctx, trajectory),
        )


def _no_answer(ctx: Context, trajectory: Trajectory) -> Message | None:
    # The invitations' module reads the trajectories of this one (imported here, not above).
    from .codex_i4_73_invitations import no_answer

    return no_answer(ctx, trajectory)


@rule(
    "codex.plan",
    code="codex_plan",
    actor="employer",
    parameters=("codex.temporary_plan_term", "codex.definitive_plan_term", "codex.decisions"),
    regime="codex",
    sentences={
        "codex.plan": "decision {decision} on {date}: the employer hands the re-integration plan "
        "(or the report that none is possible) within {term}",
    },
)
def plan(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-74: after a decision that calls for a plan the employer hands the
    re-integration plan (or the report that none is possible).

    2017: decision A (temporarily unfit, adapted work) within 55 working days; decision C
    (definitively unfit, adapted work) within 12 months. 2022: A within 63 days; B (definitively
    unfit) within 6 months. Terms run from the assessment, in the regime of its day.
    """
    for trajectory in trajectories(ctx):
        for assessed in trajectory.assessments:
            outcome = trajectory.outcome(assessed)
            if outcome not in ("temporary", "definitive"):
                continue
            term, basis = parameters.term(
                f"codex.{outcome}_plan_term", trajectory.on(assessed.date)
            )
            assert term is not None
            decision = assessed.text("decision")
            why = message("codex.plan", decision=decision, date=assessed.date, term=term)
            yield Draft(
                opens=assessed.date,
                due=term.after(assessed.date),
                why=(why, trajectory.tag(assessed.date)),
                basis=basis,
                triggered_by=(assessed.index,),
                done=_delivered(ctx, trajectory, assessed),
                void=trajectory.void,
            )


def _delivered(ctx: Context, trajectory: Trajectory, assessed: Event) -> Event | None:
    return ctx.first_after("codex_plan_delivered", assessed, before=trajectory.until(assessed))


@rule(
    "codex.plan_answer",
    code="codex_plan_answer",
    actor="insured",
    parameters=("codex.plan_answer_term",),
    regime="codex",
    sentences={
        "codex.plan_answer": "the worker agrees (signs) or disagrees with the plan handed on "
        "{date} within {term}",
    },
)
def plan_answer(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-75: the worker agrees (signs) or disagrees with the plan within 5 working
    days of receiving it (2017) or 14 days (2022)."""
    for trajectory in trajectories(ctx):
        for assessed in trajectory.assessments:
            if trajectory.outcome(assessed) not in ("temporary", "definitive"):
                continue
            delivered = _delivered(ctx, trajectory, assessed)
            if delivered is None:
                continue
            term, basis = parameters.term("codex.plan_answer_term", trajectory.on(delivered.date))
            assert term is not None
            why = message("codex.plan_answer", date=delivered.date, term=term)
            yield Draft(
                opens=delivered.date,
                due=term.after(delivered.date),
                why=(why, trajectory.tag(delivered.date)),
                basis=basis,
                triggered_by=(delivered.index,),
                done=ctx.first_after(
                    "codex_plan_answered", delivered, before=trajectory.until(assessed)
                ),
                void=trajectory.void,
            )


@rule(
    "codex.reassessment",
    code="codex_reassessment",
    actor="occupational_physician",
    parameters=("codex.reassessment_term",),
    regime="codex",
    sentences={
        "codex.reassessment": "decision {decision} on {date}: the occupational physician "
        "reassesses",
        "codex.reassessment.term": "decision {decision} on {date}: the occupational physician "
        "reassesses within {term}",
    },
)
def reassessment(ctx: Context) -> Iterator[Draft]:
    """Codex art. I.4-73 §4 (2017): after decision E (a trajectory is not indicated for medical
    reasons) the occupational physician reassesses within 2 months. 2022: decision C (assessment
    not possible); no term is confirmed (domain notes 4.2, 11.6)."""
    for trajectory in trajectories(ctx):
        for assessed in trajectory.assessments:
            if trajectory.outcome(assessed) != "reassess":
                continue
            term, basis = parameters.term("codex.reassessment_term", trajectory.on(assessed.date))
            decision = assessed.text("decision")
            if term is not None:
                why = message(
                    "codex.reassessment.term", decision=decision, date=assessed.date, term=term
                )
            else:
                why = message("codex.reassessment", decision=decision, date=assessed.date)
            yield Draft(
                opens=assessed.date,
                due=term.after(assessed.date) if term is not None else None,
                why=(why, trajectory.tag(assessed.date)),
                basis=basis,
                triggered_by=(assessed.index,),
                done=ctx.first_after("codex_assessed", assessed, before=trajectory.until(assessed)),
                void=trajectory.void,
            )
