"""Every sentence of the engine has a stable key with one template, so a screen can translate it.

The sentences are data: `tnw.rules.messages.templates()` is the one table (no test reads the
engine's source for them).
"""

from __future__ import annotations

from datetime import date

import pytest

from tnw.rules import evaluate, message_templates, messages, parse_facts
from tnw.rules.messages import MessageError, declare, message


def engine_messages() -> dict[str, str]:
    """All message keys of the engine with their English template."""
    return dict(message_templates())


def test_every_key_has_one_template() -> None:
    messages = engine_messages()
    assert len(messages) >= 60
    assert all(key.count(".") >= 1 for key in messages)


def test_a_key_cannot_have_two_sentences_nor_be_used_undeclared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messages, "_TABLE", dict(messages._TABLE))  # leave the table as it was
    declare({"test.only": "one {thing}"})
    declare({"test.only": "one {thing}"})  # the same sentence again is harmless
    with pytest.raises(MessageError, match="two sentences"):
        declare({"test.only": "another {thing}"})
    with pytest.raises(MessageError, match="not declared"):
        message("test.never_declared")
    assert message("test.only", thing="key").text == "one key"


def test_obligations_carry_their_keys_and_parameters() -> None:
    facts = parse_facts(
        {
            "incapacity_start": "2025-01-06",
            "employment_contract": True,
            "events": [{"type": "medical_exemption", "date": "2025-02-01", "reason": "coma"}],
        }
    )
    timeline = evaluate(facts, as_of=date(2025, 6, 1))
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


def test_a_violation_carries_its_code_key_parameters_and_field() -> None:
    facts = parse_facts(
        {
            "incapacity_start": "2025-01-06",
            "employment_contract": False,
            "events": [
                {"type": "spontaneous_request", "date": "2025-02-01"},
                {
                    "type": "first_contact",
                    "date": "2025-02-10",
                    "mode": "phone",
                    "consent": True,
                    "outcome": "ziv",
                },
            ],
        }
    )
    (violation,) = evaluate(facts, as_of=date(2025, 6, 1)).violations
    assert violation.to_json() == {
        "event_index": 1,
        "code": "contact_mode_not_allowed",
        "message": "event 1 (first_contact, 2025-02-10): a first contact may be held by "
        "physical or video, not by phone",
        "basis": ["Circular V.I. 2022/383, V (table of contact moments)"],
        "key": "violation.contact_mode",
        "params": {"allowed": ["physical", "video"], "kind": "first_contact", "mode": "phone"},
        "field": "mode",
    }
    assert violation.text == "a first contact may be held by physical or video, not by phone"
