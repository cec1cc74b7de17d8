"""Medical force majeure: art. 34 of the Employment Contracts Act (Wet 3-7-1978), in force
28-11-2022, with Codex art. I.4-82/1. The employment contract can end for medical force
majeure (definitive unfitness for the agreed work) through a separate procedure that can start
only after 9 months of uninterrupted incapacity [C] domain-notes 1, 4.2 (bbtk.org, prevent.be);
from 1-1-2026 after 6 months, also for incapacities that began before 2026 [C] domain-notes 4.3
(securex FAQ, incidence-asbl). Before 28-11-2022 it followed CODEX decision D (2017).

A possibility, not a duty: the window is shown (actor employer; the worker may also ask) once
it matters to the dossier: the occupational physician found no sufficient work potential, or a
request was registered. A request before the window opens is refused (screening,
`medical_force_majeure_not_allowed`). The period is read by date (`force_majeure_opens`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from .. import parameters
from ..calendar import Term
from ..framework import Context, Draft, rule
from ..messages import message
from ..screening import force_majeure_opens

PARAMETER = "contract.medical_force_majeure_after"


def _replayed(ctx: Context) -> tuple[date | None, Term | None, tuple[str, ...]]:
    """Under a chosen CODEX regime (what-if): the period as it stood at the end of that
    regime (2022: 9 months; 2026: 6 months; 2017: no separate procedure)."""
    chosen = ctx.regimes["codex"]
    regimes = parameters.all_regimes()["codex"]
    position = next(i for i, r in enumerate(regimes) if r.id == chosen)
    until = regimes[position + 1].since if position + 1 < len(regimes) else None
    values = [
        v for v in parameters.all_parameters()[PARAMETER].values if until is None or v.since < until
    ]
    last = values[-1]
    if last.value is None:
        return None, None, last.reference
    term = Term(int(last.value["amount"]), last.value["unit"])
    return term.after_period(ctx.start), term, last.reference


@rule(
    "force_majeure.window",
    code="medical_force_majeure_window",
    actor="employer",
    parameters=(PARAMETER,),
    regime="codex",
    sentences={
        "force_majeure.window": "the procedure of medical force majeure (art. 34 Employment "
        "Contracts Act) may start after {term} of incapacity, from {date}",
    },
)
def window(ctx: Context) -> Iterator[Draft]:
    """Art. 34 Employment Contracts Act (28-11-2022: 9 months; Wet 19-12-2025, from 1-1-2026:
    6 months, also for older incapacities): the first day on which the procedure of medical
    force majeure may start, after the period of incapacity counted in from its first day
    (Ger.W. art. 54). No term: fulfilled by the first `medical_force_majeure_requested`."""
    if not ctx.facts.employment_contract:
        return
    requests = ctx.events("medical_force_majeure_requested")
    no_potential = ctx.first_after(
        "work_potential_estimated",
        ctx.start,
        where=lambda e: (
            e.text("estimated_by") == "occupational_physician" and not e.flag("sufficient")
        ),
    )
    trigger = requests[0] if requests else no_potential
    if trigger is None:
        return
    if "codex" in ctx.regimes:
        opens, term, basis = _replayed(ctx)
    else:
        opens, term, basis = force_majeure_opens(ctx.start)
    if opens is None or term is None:
        return
    yield Draft(
        opens=opens,
        due=None,
        why=(message("force_majeure.window", term=term, date=opens),),
        basis=basis,
        triggered_by=(trigger.index,),
        done=requests[0] if requests else None,
    )
