"""CODEX 2026 ("RIT 3.0": KB 17-12-2025 and Wet 19-12-2025, BS 30-12-2025, in force 1-1-2026),
the employer's new duties (domain-notes 4.3 [C] Securex FAQ, Wolters Kluwer, Lexgo):

- from 8 weeks of incapacity the employer asks the occupational physician for an estimate of
  the work potential; for incapacities that start on or after 1-1-2026;
- when there is work potential, an employer with 20 or more workers requests a re-integration
  trajectory at the latest 6 months after the start of the incapacity (Social Penal Code
  level 2).

The employer's start from day 1 with the worker's consent is checked at the request
(`codex.employer_initiative_consent`, screening). Article numbers of the KB are [U]; the
regime follows the start of the incapacity (the texts tie the estimate to incapacities from
1-1-2026), or the regime chosen for a replay.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import parameters
from ..framework import Context, Draft, rule
from ..messages import message


@rule(
    "codex_2026.work_potential_request",
    code="work_potential_request",
    actor="employer",
    parameters=("codex.work_potential_request_after",),
    regime="codex",
    sentences={
        "codex_2026.work_potential_request": "{term} of incapacity: ask the occupational "
        "physician for an estimate of the work potential",
    },
)
def work_potential_request(ctx: Context) -> Iterator[Draft]:
    """KB 17-12-2025 (CODEX RIT 3.0): from 8 weeks of incapacity the employer asks the
    occupational physician (or the nursing staff) for an estimate of the work potential.
    Interpretation: due on the day the 8 weeks are reached (start + 56 days)."""
    if not ctx.facts.employment_contract:
        return
    law_day = ctx.law_date("codex", ctx.start)
    term, basis = parameters.term("codex.work_potential_request_after", law_day)
    if term is None:
        return
    day = term.after(ctx.start)
    asked = ctx.events("work_potential_requested")
    yield Draft(
        opens=day,
        due=day,
        why=(message("codex_2026.work_potential_request", term=term),),
        basis=basis,
        done=asked[0] if asked else None,
    )


@rule(
    "codex_2026.trajectory_request",
    code="codex_trajectory_request",
    actor="employer",
    parameters=("codex.mandatory_request_min_workers", "codex.mandatory_request_after"),
    regime="codex",
    sentences={
        "codex_2026.trajectory_request": "{workers} workers (at least {minimum}) and work "
        "potential estimated on {date}: request a re-integration trajectory at the latest "
        "{term} after the start of the incapacity",
    },
)
def trajectory_request(ctx: Context) -> Iterator[Draft]:
    """KB 17-12-2025 (CODEX RIT 3.0): when the occupational physician finds work potential, an
    employer with 20 or more workers requests a re-integration trajectory at the latest 6
    months after the start of the incapacity. Any CODEX request in the episode fulfils it.
    Interpretation (docs/rules.md 9.3, issue 9 point 5): "at the latest 6 months after the
    start" is a term that runs from the start date (Ger.W. art. 52, 54), not a period of
    incapacity counted in: 5-1-2026 gives 5-7-2026, 31-8-2026 gives 28-2-2027."""
    workers = ctx.facts.employer_workers
    if not ctx.facts.employment_contract or workers is None:
        return
    law_day = ctx.law_date("codex", ctx.start)
    minimum = parameters.value("codex.mandatory_request_min_workers", law_day)
    if minimum.value is None or workers < int(minimum.value):
        return
    estimate = ctx.first_after(
        "work_potential_estimated",
        ctx.start,
        where=lambda e: e.text("estimated_by") == "occupational_physician" and e.flag("sufficient"),
    )
    if estimate is None:
        return
    term, basis = parameters.term("codex.mandatory_request_after", law_day)
    assert term is not None
    why = message(
        "codex_2026.trajectory_request",
        workers=workers, minimum=int(minimum.value), date=estimate.date, term=term,
    )  # fmt: skip
    requested = ctx.events("codex_requested")
    yield Draft(
        opens=estimate.date,
        due=term.after(ctx.start),
        why=(why,),
        basis=(*minimum.reference, *basis),
        triggered_by=(estimate.index,),
        done=requested[0] if requested else None,
        late_cause="work_potential_estimated",  # an estimate after 6 months (issue 17, point 9)
    )
