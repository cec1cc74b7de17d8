"""Demo portal accounts (issue 14, point 4): three insured people in different stages, each with
a portal log-in made the real way (an activation code issued by the coordinator, then used).

- Marie Dupont (FR): routing A, the questionnaire was sent a few days ago: fill it in online.
- Pieter Jacobs (NL): incapacity for three months, nothing started: ask for a trajectory.
- Anna Schmitz (DE): first contact held with consent, ZIV trajectory with a plan: see the plan.
- Lotte Wouters (NL): routing B, consent given and the physician's permission granted: the
  coordinator's engagement declaration (Annex IV) waits for her signature on the portal
  (issued by `tnw.documents.demo.issue_signing_demo`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from tnw.accounts.models import User
from tnw.dossier import portal, services
from tnw.dossier.demo import DemoReport as _Report
from tnw.dossier.demo import Step, _play, scenario_a_ziv, scenario_b
from tnw.dossier.models import Person

PORTAL_PASSWORD = "tnw-demo-portaal"
# (INSZ, first name, last name, language, days since the incapacity started, steps)
PORTAL_PEOPLE: list[tuple[str, str, str, str, int, list[Step]]] = [
    ("85073003328", "Marie", "Dupont", "fr", 74,
     [(70, "questionnaire_sent", {}, "advising_physician", {})]),
    ("17073003384", "Pieter", "Jacobs", "nl", 95, []),
    ("70010108108", "Anna", "Schmitz", "de", 170, scenario_a_ziv(False, False)),
    # Routing B up to the physician's permission (scenario_b's first seven steps).
    ("88041206494", "Lotte", "Wouters", "nl", 90, scenario_b(True, False)[:7]),
]  # fmt: skip
SIGNS_ONLINE = "88041206494"


def episode_of(insz: str) -> int | None:
    """The latest episode of a demo person (the command hands it to the documents' demo)."""
    person = Person.objects.filter(insz=insz).first()
    episode = person.episodes.order_by("-start").first() if person else None
    return episode.pk if episode else None


def load_portal_people(*, today: date, users: dict[str, User]) -> list[tuple[str, str]]:
    """Create the portal demo people once; return (INSZ, name) of each for the log-in hint."""
    by_role = {
        "advising_physician": [users["arts"]],
        "coordinator": [users["tnwc"]],
        "staff": [users["medewerker"]],
    }
    out = []
    for insz, first, last, language, days, steps in PORTAL_PEOPLE:
        out.append((insz, f"{first} {last}"))
        if Person.objects.filter(insz=insz).exists():
            continue
        with transaction.atomic():
            _create(insz, first, last, language, today - timedelta(days=days), steps, by_role,
                    today)  # fmt: skip
    return out


def _create(insz, first, last, language, start, steps, by_role, today) -> None:
    coordinator = by_role["coordinator"][0]
    person = services.create_person(
        user=coordinator, insz=insz, first_name=first, last_name=last, language=language,
        email=f"{first.lower()}.{last.lower()}@example.invalid", channel="command:demo",
    )  # fmt: skip
    episode = services.open_episode(
        user=coordinator, person_id=person.pk, start=start, employment_contract=False,
        coordinator=coordinator, advising_physician=by_role["advising_physician"][0],
        today=today, channel="command:demo",
    )  # fmt: skip
    _play(episode, steps, by_role, 0, today, insz, _Report())
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    portal.activate_portal_account(insz=insz, code=code, password=PORTAL_PASSWORD)
