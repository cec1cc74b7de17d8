"""Who may be a TNW coordinator (circular V.I. 2022/383, II 2.1; KB 3-7-1996 art. 215octies).

Hand-computed from the text, not from the code. Terms: Ger.W. art. 52/54, as everywhere in the
rules: a term of N months after taking up the function on day D runs from D + 1 and ends on the
day before (D + 1)'s number N months later. The later version (3 years, 2 moments a year,
domain-notes 2.10) is carried from 23-01-2024, an UNCONFIRMED [U] effective date.
"""

from __future__ import annotations

from datetime import date

import pytest

from tnw.rules.law.circular_ii_1_coordinator import (
    ExamAttempt,
    IntervisionActivity,
    coordinator_status,
)

D = date.fromisoformat


def act(day: str, minutes: int = 90, recognised: bool = True) -> IntervisionActivity:
    return IntervisionActivity(D(day), minutes, "RIZIV-DM", recognised)


NO_EXAM = ("exam_not_passed_in_term",)
PASSED_2022 = [ExamAttempt(D("2022-05-01"), True)]


@pytest.mark.parametrize(
    ("started", "exams", "on", "status", "until", "reasons"),
    [
        # II 2.1: "slaagt binnen een termijn van twee jaar na de opname van de functie".
        # Started 15-03-2023: the term runs from 16-03-2023, ends 15-03-2025.
        ("2023-03-15", [], "2023-03-15", "grace", "2025-03-15", ()),
        ("2023-03-15", [], "2025-03-15", "grace", "2025-03-15", ()),  # the last day
        ("2023-03-15", [], "2025-03-16", "lapsed", None, NO_EXAM),
        # A failed attempt does not end the grace period, nor count as passing.
        ("2023-03-15", [("2024-01-10", False)], "2025-03-16", "lapsed", None, NO_EXAM),
        # "is geslaagd": passed within the term, qualified from the day of passing.
        ("2023-03-15", [("2024-06-10", True)], "2024-06-09", "grace", "2025-03-15", ()),
        ("2023-03-15", [("2024-06-10", True)], "2024-06-10", "qualified", None, ()),
        # Passed after the term: lapsed until then, qualified again from passing ([I] 1).
        ("2023-03-15", [("2025-04-01", True)], "2025-03-31", "lapsed", None, NO_EXAM),
        ("2023-03-15", [("2025-04-01", True)], "2025-04-01", "qualified", None, ()),
        # Month end: started 28-02-2022, term from 01-03-2022, 24 months end 29-02-2024 (leap).
        ("2022-02-28", [], "2024-02-29", "grace", "2024-02-29", ()),
        ("2022-02-28", [], "2024-03-01", "lapsed", None, NO_EXAM),
        # Passed before taking up the function: qualified from the first day.
        ("2023-03-15", [("2021-11-20", True)], "2023-03-15", "qualified", None, ()),
        # Later version [U], from 23-01-2024: three years. Started 22-01-2024: still two years
        # (to 22-01-2026); started 23-01-2024: three years (to 23-01-2027).
        ("2024-01-22", [], "2026-01-22", "grace", "2026-01-22", ()),
        ("2024-01-22", [], "2026-01-23", "lapsed", None, NO_EXAM),
        ("2024-01-23", [], "2026-01-23", "grace", "2027-01-23", ()),
        ("2024-02-01", [], "2027-02-01", "grace", "2027-02-01", ()),
        ("2024-02-01", [], "2027-02-02", "lapsed", None, NO_EXAM),
    ],
)
def test_the_exam_and_its_grace_period(
    started: str,
    exams: list[tuple[str, bool]],
    on: str,
    status: str,
    until: str | None,
    reasons: tuple[str, ...],
) -> None:
    found = coordinator_status(
        on=D(on),
        diploma_level_b=True,
        started_on=D(started),
        exams=[ExamAttempt(D(day), passed) for day, passed in exams],
    )
    assert found.status == status
    assert found.until == (D(until) if until else None)
    assert found.reasons == reasons
    assert found.basis


def test_without_a_level_b_diploma_the_coordinator_is_lapsed() -> None:
    # II 2.1, first condition: "minstens over een diploma [...] niveau B".
    found = coordinator_status(
        on=D("2023-03-15"), diploma_level_b=False, started_on=D("2023-03-15"), exams=PASSED_2022
    )
    assert (found.status, found.reasons) == ("lapsed", ("diploma_not_level_b",))


@pytest.mark.parametrize(
    ("activities", "organised", "on", "status", "attended_2023", "required_2023"),
    [
        # Passed 01-05-2022, started 01-09-2022: the first full year is 2023; four moments
        # organised (the maximum, assumed), at least half = 2.
        ([act("2023-03-01"), act("2023-09-01", 120)], None, "2024-02-01", "qualified", 2, 2),
        # "Een activiteit van minstens 1u30": 89 minutes is not a moment.
        ([act("2023-03-01", 89), act("2023-09-01")], None, "2024-02-01", "lapsed", 1, 2),
        # One activity of 3 hours is still one moment.
        ([act("2023-03-01", 180)], None, "2024-02-01", "lapsed", 1, 2),
        # An initiative the RIZIV did not announce as intervision (a webinar) does not count.
        ([act("2023-03-01"), act("2023-09-01", 120, False)], None, "2024-02-01", "lapsed", 1, 2),
        # Three organised: at least half of 3 is 2 (rounded up); one organised: 1.
        ([act("2023-03-01")], {2023: 3}, "2024-02-01", "lapsed", 1, 2),
        ([act("2023-03-01")], {2023: 1}, "2024-02-01", "qualified", 1, 1),
        # "maximaal vier keer per jaar": more than four counts as four, so still 2.
        ([act("2023-03-01"), act("2023-04-01")], {2023: 6}, "2024-02-01", "qualified", 2, 2),
        # A year is judged when it has ended: on 31-12-2023 still qualified, 01-01-2024 lapsed.
        ([act("2023-03-01")], None, "2023-12-31", "qualified", 1, 2),
        ([act("2023-03-01")], None, "2024-01-01", "lapsed", 1, 2),
    ],
)
def test_intervision_moments_in_the_2022_version(
    activities: list[IntervisionActivity],
    organised: dict[int, int] | None,
    on: str,
    status: str,
    attended_2023: int,
    required_2023: int,
) -> None:
    found = coordinator_status(
        on=D(on),
        diploma_level_b=True,
        started_on=D("2022-09-01"),
        exams=PASSED_2022,
        activities=activities,
        organised=organised,
    )
    assert found.status == status
    assert found.reasons == (() if status == "qualified" else ("intervision_short",))
    year = next(y for y in found.years if y.year == 2023)
    assert (year.attended, year.required) == (attended_2023, required_2023)
    assert found.years[0].year == 2023  # 2022, the year of the exam and the start, is partial


def test_a_year_still_short_gives_its_last_day_as_the_deadline() -> None:
    # 2023 met; in 2024 none yet: qualified, to attend by 31-12-2024.
    found = coordinator_status(
        on=D("2024-02-01"),
        diploma_level_b=True,
        started_on=D("2022-09-01"),
        exams=PASSED_2022,
        activities=[act("2023-03-01"), act("2023-09-01"), act("2024-09-01")],
    )
    assert (found.status, found.next_deadline) == ("qualified", D("2024-12-31"))


def test_the_status_follows_the_last_ended_year() -> None:
    # [I] 2: 2023 short, 2024 met (1-1-2024 is before 23-01-2024: the 2022 version, half of 4).
    found = coordinator_status(
        on=D("2025-01-05"),
        diploma_level_b=True,
        started_on=D("2022-09-01"),
        exams=PASSED_2022,
        activities=[act("2023-03-01"), act("2024-03-01"), act("2024-10-01")],
    )
    assert found.status == "qualified"
    assert [(y.year, y.met) for y in found.years] == [(2023, False), (2024, True), (2025, False)]


def test_the_grace_period_end_is_the_deadline() -> None:
    found = coordinator_status(on=D("2024-01-01"), diploma_level_b=True, started_on=D("2023-03-15"))
    assert found.next_deadline == D("2025-03-15")


@pytest.mark.parametrize(
    ("organised", "activities", "status"),
    [
        # Later version [U]: "2 intervisiemomenten per jaar", whatever the RIZIV organised.
        # Only two organised in 2025: half would be 1, but 2 are due.
        ({2025: 2}, [act("2025-05-01")], "lapsed"),
        ({2025: 2}, [act("2025-05-01"), act("2025-11-01", 95)], "qualified"),
    ],
)
def test_intervision_moments_in_the_later_version(
    organised: dict[int, int], activities: list[IntervisionActivity], status: str
) -> None:
    found = coordinator_status(
        on=D("2026-01-01"),
        diploma_level_b=True,
        started_on=D("2024-02-01"),
        exams=[ExamAttempt(D("2024-03-01"), True)],
        activities=activities,
        organised=organised,
    )
    assert found.status == status
    assert [(y.year, y.required) for y in found.years] == [(2025, 2), (2026, 2)]


def test_activities_after_the_date_are_not_yet_attended() -> None:
    found = coordinator_status(
        on=D("2023-06-01"),
        diploma_level_b=True,
        started_on=D("2022-09-01"),
        exams=PASSED_2022,
        activities=[act("2023-03-01"), act("2023-09-01")],
    )
    assert found.years[0].attended == 1


def test_the_status_before_taking_up_the_function_is_refused() -> None:
    with pytest.raises(ValueError, match="taken up"):
        coordinator_status(on=D("2023-01-01"), diploma_level_b=True, started_on=D("2023-03-15"))
