"""Human-readable output: the explanation of each obligation and a table for people."""

from __future__ import annotations

from .facts import Event, Facts
from .model import Obligation, Timeline


def _event_label(facts: Facts, index: int) -> str:
    for event in facts.events:
        if event.index == index:
            return _describe(event)
    return f"event {index}"


def _describe(event: Event) -> str:
    details = ", ".join(
        f"{name}={value}" for name, value in event.to_json().items() if name not in ("type", "date")
    )
    return f"#{event.index} {event.type} on {event.date}" + (f" ({details})" if details else "")


def explain_obligation(facts: Facts, obligation: Obligation) -> str:
    lines = [
        f"{obligation.code} ({obligation.actor}) — rule {obligation.rule}",
        f"  window: opens {obligation.opens}, due {obligation.due or 'no legal term'}",
        f"  why: {obligation.explanation}",
    ]
    if obligation.arrival is not None:
        lines.append(f"  {obligation.arrival.text} (caused by {obligation.late_cause})")
    if obligation.triggered_by:
        produced = "; ".join(_event_label(facts, index) for index in obligation.triggered_by)
    else:
        produced = f"the start of the incapacity on {facts.incapacity_start}"
    lines.append(f"  produced by: {produced}")
    if obligation.status == "done" and obligation.done_by is not None:
        lateness = " (late)" if obligation.late else ""
        lines.append(f"  done by: {_event_label(facts, obligation.done_by)}{lateness}")
    elif obligation.status == "void":
        lines.append(f"  no longer applies: {obligation.void_reason}")
    else:
        lines.append(f"  status: {obligation.status}")
    lines.append(f"  legal basis: {'; '.join(obligation.basis)}")
    return "\n".join(lines)


def explain(facts: Facts, timeline: Timeline) -> str:
    """For each obligation: which facts and which rule produced it, and its legal basis."""
    parts = [f"Timeline as of {timeline.as_of}; regimes: {_regimes(timeline)}"]
    parts.extend(explain_obligation(facts, o) for o in timeline.obligations)
    for presumption in timeline.presumptions:
        parts.append(
            f"presumption of incapacity ({presumption.kind}): {presumption.start} to "
            f"{presumption.end}, ends at {presumption.ends_because}; "
            f"basis: {'; '.join(presumption.basis)}"
        )
    for violation in timeline.violations:
        parts.append(f"violation {violation.code}: {violation.message}")
    return "\n".join(parts)


def _regimes(timeline: Timeline) -> str:
    return ", ".join(f"{name} {value or 'none'}" for name, value in timeline.regimes.items())


def render_table(facts: Facts, timeline: Timeline) -> str:
    """A plain-text table for people, with the legal basis of each line."""
    header = ("due", "opens", "status", "obligation", "who", "legal basis")
    rows = [header]
    for o in timeline.obligations:
        status: str = o.status
        if o.status == "done":
            status = f"done {o.done_on}" + (" late" if o.late else "")
        if o.late_on_arrival:
            status += f", late on arrival (target {o.target})"
        rows.append(
            (
                str(o.due or "-"),
                str(o.opens),
                status,
                o.code,
                o.actor,
                o.basis[-1] if o.basis else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"Incapacity from {facts.incapacity_start}; as of {timeline.as_of}; "
        f"regimes: {_regimes(timeline)}",
        "",
    ]
    for position, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if position == 0:
            lines.append("  ".join("-" * w for w in widths))
    void = [o for o in timeline.obligations if o.status == "void"]
    if void:
        lines.append("")
        lines.append("No longer applies:")
        lines.extend(f"  {o.code}: {o.void_reason}" for o in void)
    if timeline.presumptions:
        lines.append("")
        lines.append("Legal presumption of incapacity:")
        lines.extend(
            f"  {p.kind}: {p.start} to {p.end} (ends: {p.ends_because})"
            for p in timeline.presumptions
        )
    if timeline.violations:
        lines.append("")
        lines.append("Violations:")
        lines.extend(f"  [{v.code}] {v.message}" for v in timeline.violations)
    return "\n".join(lines)
