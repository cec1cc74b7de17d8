"""The timeline engine: facts in, obligations, presumptions and violations out.

`evaluate(facts, as_of)` screens the events once (building the one event history), runs every
registered rule (`tnw.rules.law`, declared with `framework.rule`), and gives each obligation its
status in the framework's one order of precedence. docs/rules.md and `tnw rules list` name every
rule with its citations; the legal presumption of incapacity is `law.circular_vi_presumption`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from . import law, parameters
from .facts import Facts
from .framework import REGISTRY, Context, finalise, in_force
from .law import circular_vi_presumption
from .model import Obligation, Timeline, Violation
from .screening import screen

assert law  # the import registers the rules


def evaluate(facts: Facts, as_of: date, regimes: Mapping[str, str] | None = None) -> Timeline:
    """Evaluate one incapacity episode as known on `as_of`.

    `regimes` (family -> regime id, checked by `replay.parse_regimes`) replays the facts under
    the chosen regimes instead of the law by date (what-if; docs/rules.md section 9.4).
    """
    screened = screen(facts, as_of)
    ctx = Context(facts=facts, as_of=as_of, screened=screened, regimes=dict(regimes or {}))
    obligations = [
        finalise(declared, draft, ctx)
        for declared in REGISTRY.values()
        for draft in declared.function(ctx)
        if in_force(declared, draft)
    ]
    sanctions, later_violations = law.law_2023_sanctions.sanctions(ctx)
    return Timeline(
        as_of=as_of,
        regimes=_regimes(ctx),
        obligations=tuple(_number_recurring(obligations)),
        presumptions=tuple(circular_vi_presumption.presumptions(ctx)),
        violations=_violations([*ctx.screened.violations, *later_violations]),
        sanctions=tuple(sanctions),
    )


def _violations(found: list[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(found, key=lambda v: (v.event_index is None, v.event_index or 0, v.code)))


def _number_recurring(obligations: list[Obligation]) -> list[Obligation]:
    counts: dict[str, int] = {}
    numbered = []
    for obligation in sorted(obligations, key=lambda o: (o.opens, o.code, o.triggered_by)):
        counts[obligation.code] = counts.get(obligation.code, 0) + 1
        numbered.append(replace(obligation, sequence=counts[obligation.code]))
    return sorted(numbered, key=Obligation.sort_key)


def _regimes(ctx: Context) -> dict[str, str | None]:
    tnw = parameters.regime_on("tnw", ctx.law_date("tnw", ctx.as_of))
    requests = ctx.events("codex_requested")
    # The regime governing the latest trajectory today (issue 17, interpretation 5), or the
    # regime chosen for a replay.
    on = parameters.codex_step_date(requests[-1].date, ctx.as_of) if requests else ctx.as_of
    codex = parameters.regime_on("codex", ctx.law_date("codex", on))
    return {"tnw": tnw.id if tnw else None, "codex": codex.id if codex else None}
