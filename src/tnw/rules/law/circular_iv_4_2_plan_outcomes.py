"""Where a re-integration plan leads (circular V.I. 2022/383, IV 4.2; art. 100 §2 gecoördineerde
wet 14-7-1994): a vocational retraining that the Hoge Commissie approves, or a work resumption
that the advising physician approves.

IV 4.2 (seed 002): "Een traject dat een programma van beroepsherscholing omvat, vereist de
goedkeuring van de Hoge Commissie van de Geneeskundige Raad voor Invaliditeit vooraleer de
tenlasteneming door de uitkeringsverzekering kan plaatsvinden. [...] Een begeleiding naar werk
wordt afgesloten met een voorstel tot werkhervatting dat ter goedkeuring aan de adviserend arts
wordt voorgelegd (toegelaten arbeid, art. 100 §2)."

The facts: `retraining_requested` and `retraining_decided` (approved or refused);
`work_resumption_proposed` and `work_resumption_decided` (approved or refused). Their effects:
- a retraining start ends the ZIV presumption only when approved on or before it (VI b;
  `circular_vi_presumption`, `History.retraining_approved_on`);
- an approved proposal is authorised work from the day of the decision (the general exception
  `authorised_work`, `History.apply`).
Obligations (no term: the circular sets none):
- the coordinator registers the Hoge Commissie's decision on a request;
- the advising physician decides on a work-resumption proposal.
Readings chosen [I]: a decision answers the latest request (proposal) before it; a new request
(proposal) after a decision opens a new obligation; the trajectory's end voids what is open.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Event
from ..framework import Context, Draft, rule
from ..history import NO_CONSENT
from ..messages import message
from ..model import Message


def _answered(ctx: Context, asked: str, answer: str) -> Iterator[tuple[Event, Event | None]]:
    """Each valid `asked` event with the first `answer` on or after it and before the next
    `asked` event."""
    questions = ctx.events(asked)
    for position, question in enumerate(questions):
        following = questions[position + 1] if position + 1 < len(questions) else None
        yield question, ctx.first_after(answer, question, before=following)


def _ended(ctx: Context, question: Event) -> Message | None:
    ended = ctx.first_after("trajectory_ended", question)
    return message("void.trajectory_ended", date=ended.date) if ended is not None else None


@rule(
    "ziv.register_retraining_decision",
    code="register_retraining_decision",
    actor="coordinator",
    citations=("circular.iv_4_2_retraining",),
    exceptions=(NO_CONSENT,),
    sentences={
        "ziv.register_retraining_decision": "the retraining programme was submitted to the Hoge "
        "Commissie on {date}: register its decision (approved or refused)",
    },
)
def register_retraining_decision(ctx: Context) -> Iterator[Draft]:
    """IV 4.2: the insurance pays a retraining programme only after the Hoge Commissie's
    approval; the coordinator registers the decision when it comes."""
    for request, decision in _answered(ctx, "retraining_requested", "retraining_decided"):
        yield Draft(
            opens=request.date,
            due=None,
            why=(message("ziv.register_retraining_decision", date=request.date),),
            triggered_by=(request.index,),
            done=decision,
            void=None if decision else _ended(ctx, request),
        )


@rule(
    "ziv.decide_work_resumption",
    code="decide_work_resumption",
    actor="advising_physician",
    citations=("circular.iv_4_2_work_resumption",),
    sentences={
        "ziv.decide_work_resumption": "the coordinator proposed a work resumption on {date}: "
        "approve it (authorised work, art. 100 §2) or refuse it",
    },
)
def decide_work_resumption(ctx: Context) -> Iterator[Draft]:
    """IV 4.2: a guidance towards work ends in a work-resumption proposal that the advising
    physician approves; approved, it is authorised work (art. 100 §2)."""
    for proposal, decision in _answered(ctx, "work_resumption_proposed", "work_resumption_decided"):
        yield Draft(
            opens=proposal.date,
            due=None,
            why=(message("ziv.decide_work_resumption", date=proposal.date),),
            triggered_by=(proposal.index,),
            done=decision,
            void=None if decision else _ended(ctx, proposal),
        )
