"""The demo data set: a mutuality (seed 001 contact data), users of every role, and 200+
synthetic people with incapacity episodes in every stage of routings A and B, ZIV and CODEX,
at dates spread around `today`.

Everything goes through the services, so every registration is checked by the rules engine,
obligations are stored and the audit trail is written. Deterministic (a seeded generator) and
idempotent: people are keyed by their INSZ, users by username, mutualities by code; a rerun
adds nothing that exists.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from stdnum.be import bis, nn

from tnw.accounts.models import User
from tnw.accounts.services import create_user
from tnw.dossier import services
from tnw.dossier.errors import RegistrationRefused
from tnw.dossier.models import Episode, Person
from tnw.mutualities.models import Mutuality, TnwContact

DEMO_PASSWORD = "tnw-demo"
DEMO_MUTUALITY = "203"
NEUTRAL_UNION = "Landsbond van de Neutrale Ziekenfondsen"
# Seed 001: the TNW contact details of the neutral mutualities.
MUTUALITIES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("203", "Vlaams & Neutraal Ziekenfonds", [("", "terugnaarwerk@vnz.be", "+32 (0)3 491 09 88")]),
    ("216", "La Mutualité Neutre", [("", "crat@lamn.be", "+32 (0)71 20 53 73")]),
    (
        "228",
        "Mutualia",
        [
            ("wallonia:Verviers", "rsp@mutualia.be", "+32 (0)87 32 06 38"),
            ("brussels:", "rsp_bxl@mutualia.be", "+32 (0)2 743 16 54"),
        ],
    ),
    (
        "235",
        "Neutraal Ziekenfonds Vlaanderen",
        [("", "terugnaarwerk@nzvl.be", "+32 (0)53 422 999")],
    ),
]
# (username, role, first name, last name)
USERS = [
    ("arts", "advising_physician", "Els", "Wouters"),
    ("arts2", "advising_physician", "Marc", "Dubois"),
    ("tnwc", "coordinator", "Sofie", "Maes"),
    ("tnwc2", "coordinator", "Karim", "El Amrani"),
    ("medewerker", "staff", "Lotte", "Jacobs"),
    ("manager", "manager", "Pieter", "Claes"),
    ("mdt", "mdt", "Nadia", "Peeters"),  # multidisciplinary team, not a physician (circular VII)
    ("admin", "admin", "Ada", "Beheerder"),
]

FIRST = {
    "nl": ["Jan", "Lien", "Tom", "Sara", "Wim", "Ann", "Bart", "Eva", "Koen", "Inge", "Ruben",
           "Nele", "Joris", "Femke", "Dries", "Hanne", "Pieter", "Lotte", "Stijn", "Marieke"],
    "fr": ["Jean", "Marie", "Luc", "Sophie", "Pierre", "Julie", "Michel", "Claire", "Olivier",
           "Nathalie", "Thomas", "Camille", "Nicolas", "Aurélie", "François", "Céline"],
    "de": ["Jürgen", "Anja", "Stefan", "Monika", "Klaus", "Sabine", "Uwe", "Heike"],
}  # fmt: skip
LAST = {
    "nl": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
           "Wouters", "De Smet", "Vermeulen", "Van den Bossche", "Hermans", "Aerts", "Pauwels",
           "Van Damme", "De Clercq", "Verstraete", "Lambrechts", "Dewulf"],
    "fr": ["Dubois", "Lambert", "Dupont", "Martin", "Leclercq", "Simon", "Laurent", "Lefèbvre",
           "Renard", "Collard", "Dumont", "Denis", "Masson", "Gilson"],
    "de": ["Schmitz", "Müller", "Kessler", "Heinen", "Cremer", "Lentz", "Margraff"],
}  # fmt: skip
CITIES = {
    "nl": [("9000", "Gent"), ("2000", "Antwerpen"), ("3000", "Leuven"), ("8000", "Brugge"),
           ("9300", "Aalst"), ("2800", "Mechelen"), ("3500", "Hasselt"), ("1000", "Brussel")],
    "fr": [("4000", "Liège"), ("6000", "Charleroi"), ("5000", "Namur"), ("7000", "Mons"),
           ("4800", "Verviers"), ("1000", "Bruxelles")],
    "de": [("4700", "Eupen"), ("4780", "Sankt Vith"), ("4730", "Raeren")],
}  # fmt: skip
STREETS = {"nl": "Kerkstraat", "fr": "Rue de la Station", "de": "Hauptstraße"}
EMPLOYERS = ["AZ Sint-Jan", "Colruyt", "Stad Gent", "Bpost", "Delhaize", "UCLouvain",
             "Bouwbedrijf Janssens", "Carrefour", "De Lijn", "Solvay"]  # fmt: skip
JOBS = ["nurse", "warehouse worker", "administrative clerk", "bus driver", "cashier",
        "construction worker", "teacher", "cleaner", "IT support", "cook"]  # fmt: skip


def make_insz(rng: random.Random, taken: set[str], bis_number: bool = False) -> tuple[str, date]:
    """A random valid INSZ (or bis number) and its birth date, not in `taken`."""
    while True:
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 36))
        month = birth.month + (40 if bis_number else 0)
        serial = rng.randrange(1, 998)
        body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}"
        number = int(("2" if birth.year >= 2000 else "") + body)
        digits = body + f"{97 - number % 97:02d}"
        valid = bis.is_valid(digits) if bis_number else nn.is_valid(digits)
        if valid and digits not in taken:
            taken.add(digits)
            return digits, birth


# --- Scenarios ------------------------------------------------------------------------------
# A step: (days after the incapacity start, event type, fields, role, extra options). A
# scenario is a list of steps; a person's episode gets the steps dated up to `today`, so the
# episodes stand in every stage with obligations due before and after today.

Step = tuple[int, str, dict[str, Any], str, dict[str, Any]]


def _plan(offset: int, review_after: int = 90) -> Step:
    return (
        offset,
        "plan_drawn_up",
        {
            "objectives": ["improve concentration", "refresh administrative skills"],
            "end_result": "administrative job at 80% with another employer",
            "actions": ["vocational training with the regional employment service"],
            "action_by": ["regional_service"],
            "next_appointment": ("+", offset + 30),
        },
        "coordinator",
        {},
    )


def _adjusted_plan(offset: int) -> Step:
    return (
        offset,
        "plan_drawn_up",
        {
            "objectives": ["internship in a hospital administration"],
            "end_result": "administrative job at 50%, growing to 80%",
            "actions": ["internship of 6 weeks", "work with the therapist on memory"],
            "action_by": ["employer", "counsellor"],
            "next_appointment": ("+", offset + 45),
        },
        "coordinator",
        {"plan_reason": "first internship was too heavy; start at 50%"},
    )


def _questionnaire(help_needed: bool) -> list[Step]:
    steps: list[Step] = [(70, "questionnaire_sent", {}, "advising_physician", {})]
    if help_needed:
        steps.append((86, "questionnaire_help_contact", {"mode": "phone"}, "staff", {}))
        steps.append((92, "questionnaire_received", {}, "staff", {}))
    else:
        steps.append((80, "questionnaire_received", {}, "advising_physician", {}))
    return steps


def _first_contact(offset: int, outcome: str, consent: bool = True) -> Step:
    return (
        offset,
        "first_contact",
        {"mode": "physical", "consent": consent, "outcome": outcome},
        "coordinator",
        {"form_reference": "ANNEX-III-{insz}"} if consent else {},
    )


def scenario_a_ziv(contract: bool, help_needed: bool) -> list[Step]:
    situation = "B" if contract else "A"
    return [
        *_questionnaire(help_needed),
        (105, "capacity_assessed", {"category": 4, "medical_exam": False}, "advising_physician",
         {"shared_with_coordinator": True}),
        (107, "referred_to_coordinator", {}, "advising_physician", {}),
        _first_contact(125, "ziv"),
        (135, "ziv_started", {"situation": situation}, "coordinator",
         {"form_reference": "ANNEX-IV-{insz}"}),
        *([(137, "occupational_physician_informed", {}, "coordinator", {})] if contract else []),
        (155, "follow_up_meeting", {"mode": "video"}, "coordinator", {}),
        _plan(160),
        (250, "plan_reviewed", {}, "coordinator", {}),
        _adjusted_plan(255),
        (330, "paid_work_started", {}, "coordinator", {}),
        (331, "trajectory_ended", {"outcome": "paid work, other employer"}, "coordinator", {}),
        (345, "trajectory_evaluated", {}, "coordinator", {"note": "trajectory successful"}),
        (346, "incapacity_ended", {}, "advising_physician", {}),
    ]  # fmt: skip


def scenario_a_category(category: int) -> list[Step]:
    steps = [
        *_questionnaire(False),
        (105, "capacity_assessed", {"category": category, "medical_exam": False},
         "advising_physician", {}),
    ]  # fmt: skip
    if category in (1, 3):
        exam = 185 if category == 1 else 200
        steps.append(
            (exam, "capacity_assessed", {"category": 4, "medical_exam": True},
             "advising_physician", {"shared_with_coordinator": True})
        )  # fmt: skip
        steps.append((exam + 2, "referred_to_coordinator", {}, "advising_physician", {}))
        steps.append(_first_contact(exam + 25, "none"))
        steps.append(
            (exam + 26, "trajectory_ended", {"outcome": "no re-integration trajectory wanted"},
             "coordinator", {})
        )  # fmt: skip
    return steps


def scenario_a_exempt() -> list[Step]:
    return [
        (60, "medical_exemption", {"reason": "severe_oncology"}, "advising_physician", {}),
        (62, "exemption_letter_sent", {}, "advising_physician", {}),
    ]


def scenario_a_codex(definitive: bool) -> list[Step]:
    steps: list[Step] = [
        *_questionnaire(False),
        (105, "capacity_assessed", {"category": 4, "medical_exam": False}, "advising_physician",
         {}),
        (107, "referred_to_coordinator", {}, "advising_physician", {}),
        _first_contact(125, "occupational_physician"),
        (130, "codex_requested", {"by": "worker"}, "coordinator", {}),
    ]  # fmt: skip
    if definitive:
        steps += [
            (165, "codex_assessed", {"decision": "B"}, "coordinator", {}),
            (200, "codex_plan_delivered", {}, "coordinator", {}),
            (210, "codex_plan_answered", {"agreed": False}, "coordinator", {}),
            (220, "codex_ended", {"definitive_unfitness": True}, "coordinator", {}),
            (226, "contact", {"mode": "physical", "purpose": "other"}, "coordinator", {}),
            (230, "ziv_started", {"situation": "D"}, "coordinator",
             {"form_reference": "ANNEX-IV-{insz}"}),
            (245, "follow_up_meeting", {"mode": "physical"}, "coordinator", {}),
            _plan(250),
        ]  # fmt: skip
    else:
        steps += [
            (165, "codex_assessed", {"decision": "A"}, "coordinator", {}),
            (190, "codex_plan_delivered", {}, "coordinator", {}),
            (196, "codex_plan_answered", {"agreed": True}, "coordinator", {}),
            (260, "incapacity_ended", {}, "advising_physician", {}),
            (260, "work_resumed", {}, "coordinator", {}),
        ]
    return steps


def scenario_b(granted: bool, contract: bool) -> list[Step]:
    steps: list[Step] = [
        # A waiver needs a questionnaire completed earlier in this incapacity (circular III 3.2
        # step 2; docs/rules.md 4).
        (14, "questionnaire_sent", {}, "advising_physician", {}),
        (24, "questionnaire_received", {}, "advising_physician", {}),
        (40, "spontaneous_request", {}, "coordinator", {}),
        (42, "questionnaire_waived", {}, "advising_physician", {}),
        _first_contact(60, "ziv"),
        (61, "permission_requested", {}, "coordinator", {}),
        (70, "permission_decided", {"granted": granted}, "advising_physician", {}),
    ]
    if granted:
        steps += [
            (78, "ziv_started", {"situation": "B" if contract else "A"}, "coordinator",
             {"form_reference": "ANNEX-IV-{insz}"}),
            *([(80, "occupational_physician_informed", {}, "coordinator", {})] if contract
              else []),
            (95, "follow_up_meeting", {"mode": "phone"}, "coordinator", {}),
            _plan(100),
            (190, "plan_reviewed", {}, "coordinator", {}),
            (200, "ziv_suspended", {}, "coordinator", {}) if contract else
            (200, "contact", {"mode": "mail", "purpose": "other"}, "coordinator", {}),
            (260, "retraining_started", {}, "coordinator", {}),
            (262, "trajectory_ended", {"outcome": "approved retraining started"},
             "coordinator", {}),
        ]  # fmt: skip
    else:
        steps += [
            (88, "contact", {"mode": "video", "purpose": "refusal_discussion"}, "coordinator",
             {"note": "discussed the physician's decision; actions to be adapted"}),
            (89, "trajectory_ended", {"outcome": "ended: incompatible with the state of health"},
             "coordinator", {}),
        ]  # fmt: skip
    return steps


# name, employment contract, steps, weight
SCENARIOS: list[tuple[str, bool, Callable[[], list[Step]], int]] = [
    ("A: ZIV, no contract", False, lambda: scenario_a_ziv(False, False), 30),
    ("A: ZIV, contract (situation B)", True, lambda: scenario_a_ziv(True, False), 15),
    ("A: ZIV, questionnaire help", False, lambda: scenario_a_ziv(False, True), 15),
    ("A: category 1 then re-examined", True, lambda: scenario_a_category(1), 12),
    ("A: category 2", False, lambda: scenario_a_category(2), 10),
    ("A: category 3 then examined", False, lambda: scenario_a_category(3), 10),
    ("A: medical exemption", False, scenario_a_exempt, 8),
    ("A: CODEX, plan agreed, work resumed", True, lambda: scenario_a_codex(False), 15),
    ("A: CODEX ended definitively, ZIV D", True, lambda: scenario_a_codex(True), 15),
    ("B: permission granted, ZIV", False, lambda: scenario_b(True, False), 25),
    ("B: permission granted, ZIV, contract", True, lambda: scenario_b(True, True), 15),
    ("B: permission refused", False, lambda: scenario_b(False, False), 15),
    ("new incapacity", False, lambda: [], 10),
]


@dataclass
class DemoReport:
    created_people: int = 0
    existing_people: int = 0
    registrations: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    scenarios: Counter[str] = field(default_factory=Counter)


def ensure_reference_data() -> Mutuality:
    for code, name, contacts in MUTUALITIES:
        mutuality, _ = Mutuality.objects.get_or_create(
            code=code, defaults={"name": name, "union": NEUTRAL_UNION}
        )
        for place, email, phone in contacts:
            region, _, label = place.rpartition(":") if ":" in place else ("", "", place)
            TnwContact.objects.get_or_create(
                mutuality=mutuality, region=region, label=label,
                defaults={"email": email, "phone": phone},
            )  # fmt: skip
    return Mutuality.objects.get(code=DEMO_MUTUALITY)


def ensure_users(mutuality: Mutuality) -> dict[str, User]:
    users = {}
    for username, role, first, last in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                mutuality=None if role == "admin" else mutuality,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.tnw.invalid",
                channel="command:demo",
            )
        users[username] = user
    return users


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


def _value(value: Any, start: date) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "+":
        return (start + timedelta(days=value[1])).isoformat()
    return value


@dataclass
class _Drawn:
    """Everything drawn at random for one demo person (drawn first, in a fixed order, so the
    sequence is the same on every run)."""

    index: int
    insz: str
    birth: date
    language: str
    first: str
    last: str
    postal_code: str
    city: str
    house: int
    scenario: tuple[Any, ...]
    start: date
    employer: str
    job: str
    phone: str
    former_employer: str
    career_start: date
    career_end: date

    @property
    def team(self) -> int:
        return self.index % 2


def _draw(rng: random.Random, taken: set[str], index: int, today: date) -> _Drawn:
    insz, birth = make_insz(rng, taken, bis_number=index % 20 == 7)
    language = rng.choices(["nl", "fr", "de"], weights=[70, 25, 5])[0]
    first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
    postal_code, city = rng.choice(CITIES[language])
    house = rng.randrange(1, 200)
    scenario = rng.choices(SCENARIOS, weights=[weight for *_, weight in SCENARIOS])[0]
    start = today - timedelta(days=rng.randrange(0, 420))
    employer = rng.choice(EMPLOYERS)
    job = rng.choice(JOBS)
    phone = " ".join(
        ["+32", f"4{rng.randrange(70, 99)}", *(f"{rng.randrange(10, 99)}" for _ in range(3))]
    )
    former_employer = rng.choice(EMPLOYERS)
    career_start = start - timedelta(days=365 * rng.randrange(2, 15))
    career_end = start - timedelta(days=rng.randrange(30, 400))
    return _Drawn(
        index, insz, birth, language, first, last, postal_code, city, house, scenario, start,
        employer, job, phone, former_employer, career_start, career_end,
    )  # fmt: skip


def load(*, today: date, people: int = 220, seed: int = 2026) -> DemoReport:
    """Load the demo set (idempotent)."""
    report = DemoReport()
    mutuality = ensure_reference_data()
    users = ensure_users(mutuality)
    by_role = {
        "advising_physician": [users["arts"], users["arts2"]],
        "coordinator": [users["tnwc"], users["tnwc2"]],
        "staff": [users["medewerker"]],
    }
    rng = random.Random(seed)
    taken: set[str] = set()
    for index in range(people):
        drawn = _draw(rng, taken, index, today)
        # Nothing random below this line: a rerun must draw the same sequence.
        if Person.objects.filter(insz=drawn.insz).exists():
            report.existing_people += 1
            continue
        with transaction.atomic():
            _create(drawn, by_role, today, report)
        report.created_people += 1
        report.scenarios[drawn.scenario[0]] += 1
    return report


def _create(drawn: _Drawn, by_role: dict[str, list[Any]], today: date, report: DemoReport) -> None:
    """One demo person with a career entry and an episode played through its scenario."""
    name, contract, make_steps, _ = drawn.scenario
    coordinator = by_role["coordinator"][drawn.team]
    person = services.create_person(
        user=coordinator, insz=drawn.insz, first_name=drawn.first, last_name=drawn.last,
        language=drawn.language, birth_date=drawn.birth,
        street=f"{STREETS[drawn.language]} {drawn.house}", postal_code=drawn.postal_code,
        city=drawn.city, phone=drawn.phone,
        email=f"{_ascii(drawn.first)}.{_ascii(drawn.last)}@example.invalid",
        channel="command:demo",
    )  # fmt: skip
    services.add_career_entry(
        user=coordinator, person_id=person.pk,
        employer=drawn.employer if contract else drawn.former_employer, job_title=drawn.job,
        start=drawn.career_start, end=None if contract else drawn.career_end,
        channel="command:demo",
    )  # fmt: skip
    episode = services.open_episode(
        user=coordinator, person_id=person.pk, start=drawn.start, employment_contract=contract,
        employer_name=drawn.employer if contract else "", coordinator=coordinator,
        advising_physician=by_role["advising_physician"][drawn.team], today=today,
        channel="command:demo",
    )  # fmt: skip
    _play(episode, make_steps(), by_role, drawn.team, today, drawn.insz, report)
    if name.startswith("A: category 3"):
        services.record_health(
            user=by_role["advising_physician"][drawn.team], episode_id=episode.pk,
            kind="diagnosis", text="(demo) lumbar disc herniation, surgery planned",
            recorded_on=min(today, drawn.start + timedelta(days=100)), channel="command:demo",
        )  # fmt: skip


def _play(episode, steps, by_role, team, today, insz, report) -> None:
    for offset, event_type, fields, role, options in steps:
        on = episode.start + timedelta(days=offset)
        if on > today:
            return
        user = by_role[role][team % len(by_role[role])]
        extra = {
            key: value.format(insz=insz) if isinstance(value, str) else value
            for key, value in options.items()
        }
        try:
            services.register_event(
                user=user,
                episode_id=episode.pk,
                expected_version=Episode.objects.get(pk=episode.pk).version,
                event_type=event_type,
                on=on,
                fields={name: _value(value, episode.start) for name, value in fields.items()},
                today=today,
                channel="command:demo",
                **extra,
            )
        except RegistrationRefused as refusal:
            report.refused[f"{event_type}: {refusal.code}"] += 1
            return
        report.registrations += 1
