"""What the engine knows about its own rules: `tnw rules list` and `tnw rules show RULE_ID`.

Each registered rule with its obligation code, actor, citations (the dated parameters' current
references and the rule's own citations), exceptions, regime family and the file and line of its
function, so that a reader goes from a citation to the one function in one hop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import law, parameters
from .framework import REGISTRY, Rule

assert law  # the import registers the rules

PACKAGE = Path(__file__).resolve().parent


def declared_rules() -> list[Rule]:
    return list(REGISTRY.values())


def obligation_codes() -> set[str]:
    return {declared.code for declared in declared_rules()}


def _location(declared: Rule) -> str:
    file_name, line = declared.source
    path = Path(file_name).resolve()
    shown = path.relative_to(PACKAGE.parents[1]) if path.is_relative_to(PACKAGE) else path
    return f"{shown.as_posix()}:{line}"


def citations(declared: Rule) -> list[str]:
    """Every citation of the rule, of every dated version: its parameters' references, then
    its own citations."""
    found: list[str] = []
    texts = [
        *(text for name in declared.parameters for text in _references(name)),
        *(
            str(v.value)
            for name in declared.citations
            for v in parameters.all_citations()[name].values
        ),
    ]
    for text in texts:
        if text not in found:
            found.append(text)
    return found


def _references(name: str) -> list[str]:
    return [text for dated in parameters.all_parameters()[name].values for text in dated.reference]


def listing() -> list[dict[str, Any]]:
    return [
        {
            "rule": declared.id,
            "code": declared.code,
            "actor": declared.actor,
            "regime": declared.regime,
            "citations": citations(declared),
            "parameters": list(declared.parameters),
            "exceptions": list(declared.exceptions),
            "source": _location(declared),
        }
        for declared in declared_rules()
    ]


def render_list(output: str) -> str:
    rows = listing()
    if output == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    lines = [f"{'rule':40} {'obligation':30} {'actor':22} source / citations"]
    for row in rows:
        lines.append(f"{row['rule']:40} {row['code']:30} {row['actor']:22} {row['source']}")
        lines.extend(f"{'':94} {text}" for text in row["citations"])
    return "\n".join(lines)


def render_rule(rule_id: str) -> str:
    """The declaration, docstring and dated parameter values of one rule (KeyError: unknown)."""
    declared = REGISTRY[rule_id]
    lines = [
        f"rule        {declared.id}",
        f"obligation  {declared.code}",
        f"actor       {declared.actor}",
        f"regime      {declared.regime}",
        f"exceptions  {', '.join(declared.exceptions) or '-'}",
        f"incapacity  {'ends it' if declared.ends_with_incapacity else 'survives its end'}",
        f"source      {_location(declared)}",
        "",
        declared.doc,
        "",
        "parameters (dated values):",
    ]
    for name in declared.parameters:
        found = parameters.all_parameters()[name]
        lines.append(f"  {name}: {found.description}")
        for dated in found.values:
            lines.append(f"    from {dated.since}: {dated.value}  [{'; '.join(dated.reference)}]")
    lines.append("citations (dated):")
    for name in declared.citations:
        for dated in parameters.all_citations()[name].values:
            lines.append(f"  {name} from {dated.since}: {dated.value}")
    lines.append("sentences:")
    lines.extend(f"  {key}: {text}" for key, text in declared.sentences.items())
    return "\n".join(lines)
