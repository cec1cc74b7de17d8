"""Who may work as a TNW coordinator (circular V.I. 2022/383, II 2.1; KB 3-7-1996 art.
215octies). Not an episode rule: it computes one coordinator's status on a date, for the
coordinator register, and registers nothing with the engine.

II 2.1 (seed 002): "Om als 'Terug Naar Werk-coördinator' binnen het ziekenfonds te kunnen
werken, dienen de volgende voorwaarden te zijn vervuld:
- de betrokkene beschikt minstens over een diploma op grond waarvan hij in aanmerking komt voor
  de toelating tot de federale overheidsdiensten wat het niveau B betreft [...]
- de betrokkene is als 'Certified Return to Work Coordinator' geslaagd voor het door het
  Rijksinstituut [...] georganiseerde examen van de opleiding 'Disability Management' of slaagt
  binnen een termijn van twee jaar na de opname van de functie [...] voor dit examen
- de betrokkene neemt na het slagen voor het examen [...] deel aan minstens de helft van de door
  het Rijksinstituut [...] maximaal vier keer per jaar ingerichte intervisiemomenten [...]"
"Een activiteit van minstens 1u30 kan beschouwd worden als één intervisiemoment." RIZIV
invitations say whether an initiative counts ("een webinar [...] zal niet noodzakelijkerwijs in
aanmerking komen"): an activity carries that flag.

Later version (consolidated art. 215octies to BS 23-01-2024, domain-notes 2.10): three years
instead of two, and two intervision moments a year. Its amending act and effective date are
UNCONFIRMED [U]; parameters `coordinator.exam_grace` and `coordinator.intervision_required`
carry it from 23-01-2024 and say so in their references.

Readings chosen ([I], documented in docs/rules.md 11):
1. The term of two (three) years runs from the day after taking up the function (Ger.W. art.
   52, as every term here) and is set by the version in force on the day the function is taken
   up. An exam passed after the term ends the lapse from the day it is passed: the condition
   "is geslaagd" is then met.
2. Intervision is counted per calendar year ("per jaar"), from the first full calendar year
   after both the exam and taking up the function; a year is judged when it has ended, under
   the version in force on its 1 January. The status follows the last ended year: a shortfall
   in that year makes the coordinator lapsed until the next year ends with enough moments.
3. Without the number of moments the RIZIV organised in a year, the maximum (four) is assumed;
   "at least half" of an odd number is rounded up. An activity of 3 hours is still one moment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .. import parameters

Status = Literal["qualified", "grace", "lapsed"]
Reason = Literal["diploma_not_level_b", "exam_not_passed_in_term", "intervision_short"]


@dataclass(frozen=True)
class ExamAttempt:
    """An attempt at the RIZIV "Disability Management" exam, and its result."""

    on: date
    passed: bool


@dataclass(frozen=True)
class IntervisionActivity:
    """An RIZIV activity the coordinator attended; `recognised` is what the invitation said."""

    on: date
    minutes: int
    reference: str = ""
    recognised: bool = True


@dataclass(frozen=True)
class IntervisionYear:
    year: int
    attended: int
    required: int

    @property
    def met(self) -> bool:
        return self.attended >= self.required


@dataclass(frozen=True)
class CoordinatorStatus:
    status: Status
    until: date | None  # the last day of the grace period
    reasons: tuple[Reason, ...]
    next_deadline: date | None  # the grace end, or 31 Dec of a year still short of moments
    years: tuple[IntervisionYear, ...]
    basis: tuple[str, ...]


def coordinator_status(
    *,
    on: date,
    diploma_level_b: bool,
    started_on: date,
    exams: Sequence[ExamAttempt] = (),
    activities: Sequence[IntervisionActivity] = (),
    organised: Mapping[int, int] | None = None,
) -> CoordinatorStatus:
    """The coordinator's status on `on` under II 2.1 (see the module docstring)."""
    if on < started_on:
        raise ValueError("the status is computed from the day the function is taken up")
    grace, basis = parameters.term("coordinator.exam_grace", started_on)
    assert grace is not None
    grace_end = grace.after(started_on)
    passed = min((e.on for e in exams if e.passed and e.on <= on), default=None)
    reasons: list[Reason] = [] if diploma_level_b else ["diploma_not_level_b"]
    years: tuple[IntervisionYear, ...] = ()
    deadline: date | None = None
    if passed is None:
        if on > grace_end:
            reasons.append("exam_not_passed_in_term")
        deadline = grace_end
    else:
        years = _intervision_years(on, max(passed, started_on), passed, activities, organised)
        ended = [y for y in years if y.year < on.year]
        if ended and not ended[-1].met:
            reasons.append("intervision_short")
        if years and years[-1].year == on.year and not years[-1].met:
            deadline = date(on.year, 12, 31)
        basis += parameters.value("coordinator.intervision_required", on).reference
    status: Status = "lapsed" if reasons else ("grace" if passed is None else "qualified")
    until = grace_end if status == "grace" else None
    return CoordinatorStatus(status, until, tuple(reasons), deadline, years, basis)


def _intervision_years(
    on: date,
    later_start: date,
    passed: date,
    activities: Sequence[IntervisionActivity],
    organised: Mapping[int, int] | None,
) -> tuple[IntervisionYear, ...]:
    """Each calendar year from the first full one after the exam and taking up the function,
    up to the year of `on`: moments attended (after the exam, up to `on`) against those due."""
    found = []
    for year in range(later_start.year + 1, on.year + 1):
        minimum, _ = parameters.integer("coordinator.intervision_min_minutes", date(year, 1, 1))
        attended = sum(
            1
            for a in activities
            if a.on.year == year and passed <= a.on <= on and a.recognised and a.minutes >= minimum
        )
        found.append(IntervisionYear(year, attended, _required(year, organised)))
    return tuple(found)


def _required(year: int, organised: Mapping[int, int] | None) -> int:
    rule = parameters.value("coordinator.intervision_required", date(year, 1, 1)).value
    if rule["kind"] == "per_year":
        return int(rule["moments"])
    most = int(rule["organised_max"])
    held = min(int((organised or {}).get(year, most)), most)
    return math.ceil(held / 2)
