"""Fixtures for the worklists: two teams of one mutuality and a team of another one, and
episodes in several stages assigned to them."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY, _user, make_insz, open_episode, register


def new_person(user, n: int, **extra):
    from tnw.dossier.services import create_person

    return create_person(
        user=user, insz=make_insz(n), first_name=f"P{n}", last_name=f"Person{n:03d}",
        language="nl", **extra,
    )  # fmt: skip


@pytest.fixture
def team(users, mutuality):
    """Two coordinators and two physicians of `mutuality` (with e-mail addresses)."""
    out = {
        "co1": users["coordinator"],
        "ap1": users["advising_physician"],
        "co2": _user("coordinator", mutuality, "2"),
        "ap2": _user("advising_physician", mutuality, "2"),
        "staff": users["staff"],
        "manager": users["manager"],
        "admin": users["admin"],
    }
    for key, user in out.items():
        user.email = f"{key}@example.invalid"
        user.save(update_fields=["email"])
    return out


@pytest.fixture
def caseload(team):
    """Episodes of team 1 (co1 + ap1) in several stages, and one of team 2 (co2 + ap2)."""
    co1, ap1, co2, ap2 = team["co1"], team["ap1"], team["co2"], team["ap2"]
    episodes = {}
    # New incapacity: the physician's questionnaire (due) and 4th-month assessment.
    p = new_person(co1, 1, email="p1@example.invalid")
    episodes["new"] = open_episode(co1, p, date(2026, 9, 1), coordinator=co1,
                                   advising_physician=ap1)  # fmt: skip
    # Routing B: a request (coordinator's first contact, no term yet) ...
    p = new_person(co1, 2)
    e = open_episode(co1, p, date(2026, 6, 1), coordinator=co1, advising_physician=ap1)
    register(co1, e, "spontaneous_request", date(2026, 10, 1))
    episodes["request"] = e
    # ... and a running ZIV trajectory (follow-up meeting, plan).
    p = new_person(co1, 3)
    e = open_episode(co1, p, date(2026, 5, 1), coordinator=co1, advising_physician=ap1)
    register(co1, e, "spontaneous_request", date(2026, 8, 1))
    register(co1, e, "first_contact", date(2026, 8, 10), mode="physical", consent=True,
             outcome="ziv", form_reference="ANNEX-III-3")  # fmt: skip
    register(co1, e, "permission_requested", date(2026, 8, 11))
    register(ap1, e, "permission_decided", date(2026, 8, 20), granted=True)
    register(co1, e, "ziv_started", date(2026, 11, 1), situation="A", form_reference="IV-3")
    episodes["ziv"] = e
    # Routing A, category 3: the physician's examination (medical: not the coordinator's).
    p = new_person(co1, 4)
    e = open_episode(co1, p, date(2026, 4, 1), coordinator=co1, advising_physician=ap1)
    register(ap1, e, "questionnaire_sent", date(2026, 6, 10))
    register(ap1, e, "questionnaire_received", date(2026, 6, 20))
    register(ap1, e, "capacity_assessed", date(2026, 7, 15), category=3, medical_exam=False)
    episodes["category3"] = e
    # Team 2.
    p = new_person(co2, 5, email="p5@example.invalid")
    e = open_episode(co2, p, date(2026, 6, 1), coordinator=co2, advising_physician=ap2)
    register(co2, e, "spontaneous_request", date(2026, 10, 5))
    episodes["team2"] = e
    return episodes


__all__ = ["TODAY", "new_person"]
