"""A done obligation never changes when a later event is registered (regression cases)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tnw.rules import evaluate, parse_facts

AS_OF = date(2026, 1, 10)


def _done(raw: dict[str, Any], code: str) -> dict[str, Any]:
    (obligation,) = [o for o in evaluate(parse_facts(raw), AS_OF).obligations if o.code == code]
    assert obligation.status == "done"
    return obligation.to_json()


def _with(raw: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    return dict(raw, events=[*raw["events"], event])


ZIV = {
    "incapacity_start": "2025-01-06",
    "employment_contract": False,
    "events": [
        {"type": "spontaneous_request", "date": "2025-03-03"},
        {"type": "questionnaire_waived", "date": "2025-03-03"},
        {
            "type": "first_contact",
            "date": "2025-03-20",
            "mode": "physical",
            "consent": True,
            "outcome": "ziv",
        },
        {"type": "permission_requested", "date": "2025-03-21"},
        {"type": "permission_decided", "date": "2025-04-01", "granted": True},
        {"type": "ziv_started", "date": "2025-06-02", "situation": "A"},
        {"type": "follow_up_meeting", "date": "2025-06-10", "mode": "video"},
    ],
}


def test_a_suspension_after_the_follow_up_meeting_does_not_move_its_due_date() -> None:
    before = _done(ZIV, "first_follow_up_meeting")
    after = _done(
        _with(ZIV, {"type": "ziv_suspended", "date": "2025-06-20"}), "first_follow_up_meeting"
    )
    assert after == before
    assert before["due"] == "2025-07-02"


ROUTING_B = {
    "incapacity_start": "2025-01-06",
    "employment_contract": True,
    "events": [
        {"type": "spontaneous_request", "date": "2025-03-03"},
        {"type": "questionnaire_sent", "date": "2025-03-04"},
        {
            "type": "first_contact",
            "date": "2025-03-10",
            "mode": "physical",
            "consent": True,
            "outcome": "pending",
        },
    ],
}


def test_a_questionnaire_received_after_the_first_contact_does_not_give_it_a_due_date() -> None:
    before = _done(ROUTING_B, "first_contact")
    late_receipt = {"type": "questionnaire_received", "date": "2025-03-15", "complete": True}
    after = _done(_with(ROUTING_B, late_receipt), "first_contact")
    assert after == before
    assert before["due"] is None
