"""The work potential (arbeidspotentieel; FR potentiel de travail) of the law of 19-12-2025 (BS
30-12-2025, in force 1-1-2026): it replaces the "remaining capacities" (restcapaciteiten) in the
ZIV law, and a person without a job whose work potential is sufficient must register with the
regional employment service (VDAB, Forem, Actiris, ADG) [C] domain-notes 3.4 (Unisoc, ABVV).

Unconfirmed [U]: the term of the registration (late registration is sanctioned, but the term
was not found: `tnw.employment_service_registration_term` is null) and what changed in the TNW
steps themselves (the 2022 terms are kept, docs/rules.md section 9).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import parameters
from ..framework import Context, Draft, rule
from ..messages import message


@rule(
    "work_potential.register_employment_service",
    code="register_employment_service",
    actor="insured",
    parameters=("tnw.employment_service_registration", "tnw.employment_service_registration_term"),
    sentences={
        "work_potential.register": "without a job, work potential judged sufficient on {date}: "
        "register with the regional employment service (VDAB, Forem, Actiris or ADG)",
    },
)
def register_employment_service(ctx: Context) -> Iterator[Draft]:
    """Wet 19-12-2025: a person without an employment contract whose work potential the advising
    physician judges sufficient registers with the regional employment service. The duty
    follows the law in force on the day of the estimate."""
    if ctx.facts.employment_contract:
        return
    estimate = ctx.first_after(
        "work_potential_estimated",
        ctx.start,
        where=lambda e: e.text("estimated_by") == "advising_physician" and e.flag("sufficient"),
    )
    if estimate is None:
        return
    law_day = ctx.law_date("tnw", estimate.date)
    duty = parameters.value("tnw.employment_service_registration", law_day)
    if not duty.value:
        return
    term, term_basis = parameters.term("tnw.employment_service_registration_term", law_day)
    registered = ctx.events("employment_service_registered")
    yield Draft(
        opens=estimate.date,
        due=term.after(estimate.date) if term is not None else None,
        why=(message("work_potential.register", date=estimate.date),),
        basis=(*duty.reference, *term_basis),
        triggered_by=(estimate.index,),
        done=registered[0] if registered else None,
    )
