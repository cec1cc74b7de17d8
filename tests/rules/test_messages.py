"""Every sentence of the engine has a stable key with one template, so a screen can translate it."""

from __future__ import annotations

import ast
from pathlib import Path

from tnw.rules import evaluate, parse_facts

ENGINE = Path(__file__).parents[2] / "src" / "tnw" / "rules" / "engine.py"


def engine_messages() -> dict[str, str]:
    """All message keys of the engine with their English template (read from the source)."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(ENGINE.read_text("utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message"):
            continue
        keys = _strings(node.args[0])
        templates = _strings(node.args[1])
        assert len(keys) == len(templates), ast.dump(node)
        for key, template in zip(keys, templates, strict=True):
            assert found.get(key, template) == template, f"{key} has two templates"
            found[key] = template
    return found


def _strings(node: ast.expr) -> list[str]:
    """A literal string, or both branches of `a if cond else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    raise AssertionError(f"message keys and templates must be literals: {ast.dump(node)}")


def test_every_key_has_one_template() -> None:
    messages = engine_messages()
    assert len(messages) >= 40
    assert all(key.count(".") >= 1 for key in messages)


def test_obligations_carry_their_keys_and_parameters() -> None:
    facts = parse_facts(
        {
            "incapacity_start": "2025-01-06",
            "employment_contract": True,
            "events": [{"type": "medical_exemption", "date": "2025-02-01", "reason": "coma"}],
        }
    )
    timeline = evaluate(facts, as_of=__import__("datetime").date(2025, 6, 1))
    (questionnaire,) = timeline.by_code("send_questionnaire")
    assert questionnaire.to_json()["void"] == {
        "key": "void.medical_exemption",
        "params": {"date": "2025-02-01", "reason": "coma"},
    }
    assert questionnaire.to_json()["explanation_parts"] == [
        {
            "key": "routing_a.send_questionnaire",
            "params": {"start": "2025-01-06", "term": {"amount": 10, "unit": "weeks"}},
        }
    ]
    messages = engine_messages()
    for obligation in timeline.obligations:
        for part in obligation.why:
            assert messages[part.key] == part.template
