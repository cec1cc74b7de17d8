"""The timeline engine: facts in, obligations, presumptions and violations out.

`evaluate(facts, as_of)` screens the events once (building the one event history), runs every
registered rule (`tnw.rules.law`, declared with `framework.rule`), and gives each obligation its
status in the framework's one order of precedence. docs/rules.md and `tnw rules list` name every
rule with its citations; the legal presumption of incapacity is `law.circular_vi_presumption`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from . import law, parameters
from .facts import Facts
from .framework import REGISTRY, Context, finalise, in_force
from .law import circular_vi_presumption
from .model import Obligation, Timeline
from .screening import screen

assert law  # the import registers the rules


def evaluate(facts: Facts, as_of: date) -> Timeline:
    """Evaluate one incapacity episode as known on `as_of`."""
    ctx = Context(facts=facts, as_of=as_of, screened=screen(facts, as_of))
    obligations = [
        finalise(declared, draft, ctx)
        for declared in REGISTRY.values()
        for draft in declared.function(ctx)
        if in_force(declared, draft)
    ]
    return Timeline(
        as_of=as_of,
        regimes=_regimes(ctx),
        obligations=tuple(_number_recurring(obligations)),
        presumptions=tuple(circular_vi_presumption.presumptions(ctx)),
        violations=tuple(ctx.screened.violations),
    )


def _number_recurring(obligations: list[Obligation]) -> list[Obligation]:
    counts: dict[str, int] = {}
    numbered = []
    for obligation in sorted(obligations, key=lambda o: (o.opens, o.code, o.triggered_by)):
        counts[obligation.code] = counts.get(obligation.code, 0) + 1
        numbered.append(replace(obligation, sequence=counts[obligation.code]))
    return sorted(numbered, key=Obligation.sort_key)


def _regimes(ctx: Context) -> dict[str, str | None]:
    tnw = parameters.regime_on("tnw", ctx.as_of)
    requests = ctx.events("codex_requested")
    # The regime governing the latest trajectory today (issue 17, interpretation 5).
    on = parameters.codex_step_date(requests[-1].date, ctx.as_of) if requests else ctx.as_of
    codex = parameters.regime_on("codex", on)
    return {"tnw": tnw.id if tnw else None, "codex": codex.id if codex else None}
