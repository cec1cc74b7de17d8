"""A small world, built row by row and counted by hand (the expected figures are in the tests,
worked out from the dates below, never from the reports' own queries).

Mutuality A (203, the `mutuality` fixture) has episodes e1..e8, mutuality B (216) e9 and e10.
Registrations and obligations are written straight into the tables (the reports read what is
stored; which obligations the rules engine would make is not under test here).

Funnel dates of e1..e5 (A, started in March 2026), days from the previous step in brackets:

| ep | questionnaire sent | received    | category     | referral   | first contact | ZIV start  | plan        | ended       |
|----|--------------------|-------------|--------------|------------|---------------|------------|-------------|-------------|
| e1 | 05-11              | 05-21 (10)  | 06-01 (11)   | 06-03 (2)  | 06-10 (7)     | 06-20 (10) | 07-01 (11)  | 09-01 (62)  |
| e2 | 05-12              | 05-20 (8)   | 06-05 (16)   | 06-06 (1)  | 06-16 (10)    | 06-26 (10) | 07-10 (14)  | 09-10 (62)  |
| e3 | 05-13              | 05-27 (14)  | 06-10 (14)   | 06-11 (1)  | 06-20 (9)     | 07-01 (11) | 07-15 (14)  | 09-15 (62)  |
| e4 | 05-14              | 05-24 (10)  | 06-12 (19)   | 06-15 (3)  | 06-25 (10)    | 07-06 (11) | 07-20 (14)  | 10-01 (73)  |
| e5 | 05-15              | 05-25 (10)  | 06-15 (21)   | 06-16 (1)  | 06-30 (14)    | 07-10 (10) | 07-31 (21)  | 10-02 (63)  |

e6 (A, March) only had a questionnaire sent on 05-18; e7 and e8 (A) started in April and ended
in May; e9 and e10 (B) started in March, e9 had a questionnaire sent on 05-12 (by B's staff).
All five estimates are category 2. Results: e1, e2 paid work; e3 retraining; e4, e5 other.
"""

# ruff: noqa: E501

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from tests.conftest import make_insz
from tnw.dossier.models import Episode, Obligation, Person, PlanVersion, Registration

D = date
FUNNEL = {
    1: ("05-11", "05-21", "06-01", "06-03", "06-10", "06-20", "07-01", "09-01"),
    2: ("05-12", "05-20", "06-05", "06-06", "06-16", "06-26", "07-10", "09-10"),
    3: ("05-13", "05-27", "06-10", "06-11", "06-20", "07-01", "07-15", "09-15"),
    4: ("05-14", "05-24", "06-12", "06-15", "06-25", "07-06", "07-20", "10-01"),
    5: ("05-15", "05-25", "06-15", "06-16", "06-30", "07-10", "07-31", "10-02"),
}
STEPS = ("questionnaire_sent", "questionnaire_received", "capacity_assessed",
         "referred_to_coordinator", "first_contact", "ziv_started", "plan_drawn_up",
         "trajectory_ended")  # fmt: skip
COORDINATOR_STEPS = {"first_contact", "ziv_started", "plan_drawn_up", "trajectory_ended"}
# The fields each step needs in the rules contract (the follow-up report evaluates the facts).
FIELDS: dict[str, dict[str, Any]] = {
    "capacity_assessed": {"category": 2, "medical_exam": False},
    "first_contact": {"mode": "physical", "consent": True, "outcome": "ziv"},
    "ziv_started": {"situation": "A"},
    "plan_drawn_up": {"objectives": ["work"], "end_result": "a job", "actions": ["training"]},
    "trajectory_ended": {"outcome": "done"},
}


def day(text: str) -> date:
    return date.fromisoformat(f"2026-{text}")


@dataclass
class World:
    users: dict[str, Any]
    outsiders: dict[str, Any]
    episodes: dict[int, Episode] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)

    def person(self, n: int, mutuality) -> Person:
        return Person.objects.create(
            mutuality=mutuality, insz=make_insz(n), number_kind="nn", first_name=f"First{n}",
            last_name=f"Secretname{n}", language="nl",
        )  # fmt: skip

    def episode(self, n: int, mutuality, start: str, end: str | None = None, team=None) -> None:
        team = team or self.users
        self.episodes[n] = Episode.objects.create(
            person=self.person(n, mutuality), start=day(start), end=day(end) if end else None,
            employment_contract=False, coordinator=team["coordinator"],
            advising_physician=team["advising_physician"],
        )  # fmt: skip

    def register(self, n: int, event_type: str, on: str, by=None, **data) -> None:
        episode = self.episodes[n]
        position = self.positions.get(n, 0)
        self.positions[n] = position + 1
        if by is None:
            role = "coordinator" if event_type in COORDINATOR_STEPS else "advising_physician"
            by = self.users[role]
        Registration.objects.create(
            episode=episode, position=position, type=event_type, date=day(on), data=data,
            registered_by=by,
        )  # fmt: skip

    def obligation(self, n: int, code: str, actor: str, opens: str, due: str | None,
                   done_on: str | None = None, late: bool | None = None, state: str = "") -> None:  # fmt: skip
        Obligation.objects.create(
            episode=self.episodes[n], code=code, actor=actor, opens=day(opens),
            due=day(due) if due else None,
            state=state or ("done" if done_on else "pending"),
            done_on=day(done_on) if done_on else None, late=late, basis=[], explanation="",
            rule="test", computed_on=D(2026, 11, 24),
        )  # fmt: skip


def _registrations(world: World, users, outsiders) -> None:
    for n, dates in FUNNEL.items():
        for step, on in zip(STEPS, dates, strict=True):
            world.register(n, step, on, **FIELDS.get(step, {}))
    plan = Registration.objects.get(episode=world.episodes[1], type="plan_drawn_up")
    PlanVersion.objects.create(
        episode=world.episodes[1], number=1, registration=plan, objectives=["work"],
        end_result="a job", actions=["training"], created_by=users["coordinator"],
    )  # fmt: skip
    world.register(1, "paid_work_started", "08-20", by=users["coordinator"])
    world.register(2, "paid_work_started", "08-25", by=users["coordinator"])
    world.register(3, "retraining_started", "08-30", by=users["coordinator"])
    world.register(6, "questionnaire_sent", "05-18")
    world.register(9, "questionnaire_sent", "05-12", by=outsiders["advising_physician"])


def _obligations(world: World) -> None:
    # first_contact (coordinator): 5 on time, 1 late, 1 overdue, 1 open on 2026-11-24.
    for n, (opens, due, done) in {
        1: ("06-03", "07-03", "06-10"), 2: ("06-06", "07-06", "06-16"),
        3: ("06-11", "07-11", "06-20"), 4: ("06-15", "07-15", "06-25"),
        5: ("06-16", "07-16", "06-30"),
    }.items():  # fmt: skip
        world.obligation(n, "first_contact", "coordinator", opens, due, done, late=False)
    world.obligation(6, "first_contact", "coordinator", "06-01", "07-01", "07-20", late=True)
    world.obligation(7, "first_contact", "coordinator", "07-01", "07-31")
    world.obligation(8, "first_contact", "coordinator", "11-01", "12-01")
    # send_questionnaire (physician): 6 on time, 0/0/1/1/2/3 days from opening to done.
    for n, delay in zip(
        range(1, 7), ("05-10", "05-10", "05-11", "05-11", "05-12", "05-13"), strict=True
    ):
        world.obligation(
            n, "send_questionnaire", "advising_physician", "05-10", "05-20", delay, late=False
        )
    # first_capacity_assessment (physician): 5 open, opened 4 days before 2026-11-24.
    for n in range(1, 6):
        world.obligation(n, "first_capacity_assessment", "advising_physician", "11-20", "12-20")
    # Not counted: a void obligation and one that opens after 2026-11-24.
    world.obligation(
        7, "refer_to_coordinator", "advising_physician", "06-01", "06-10", state="void"
    )
    world.obligation(8, "refer_to_coordinator", "advising_physician", "12-01", "12-10")
    # Mutuality B: one first_contact done on time.
    world.obligation(9, "first_contact", "coordinator", "06-01", "07-01", "06-05", late=False)


@pytest.fixture
def world(users, outsiders) -> World:
    from tnw.accounts.models import User

    mutuality_a = users["coordinator"].mutuality
    mutuality_b = outsiders["coordinator"].mutuality
    world = World(users, outsiders)
    for n, start in enumerate(("03-02", "03-03", "03-04", "03-05", "03-06", "03-09"), start=1):
        world.episode(n, mutuality_a, start)
    world.episode(7, mutuality_a, "04-01", end="05-15")
    world.episode(8, mutuality_a, "04-02", end="05-20")
    world.episode(9, mutuality_b, "03-10", team=outsiders)
    world.episode(10, mutuality_b, "03-11", team=outsiders)
    _registrations(world, users, outsiders)
    _obligations(world)
    assert User.objects.filter(role="coordinator").count() == 2
    return world
