"""The manager's coordinator register screens, the refusal on the episode form, and the daily
run's reminders (circular II 2.1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.conftest import TODAY
from tnw.accounts.services import create_user
from tnw.coordinators import services
from tnw.coordinators.daily import reminder_drafts
from tnw.coordinators.models import ExamAttempt
from tnw.dossier.models import Episode
from tnw.notifications import services as outbox


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.TNW_TODAY = TODAY


def client(user, language="nl") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


@pytest.fixture
def team(users, mutuality):
    """`coordinator`: qualified, but none of 2026's two intervision moments yet (deadline
    31/12/2026, 37 days after 24/11/2026); `lapsed`: no exam two years after 15/03/2023;
    `newcomer`: not in the register."""
    manager = users["manager"]
    lapsed = create_user(
        username="lapsed", role="coordinator", password="x-password-1", mutuality=mutuality,
        first_name="Lea", last_name="Laps", email="lea@example.org",
    )  # fmt: skip
    create_user(username="newcomer", role="coordinator", password="x-password-1",
                mutuality=mutuality)  # fmt: skip
    for who in (users["coordinator"], lapsed):
        services.record_coordinator(
            actor=manager, coordinator=who, diploma_level_b=True, started_on=date(2023, 3, 15)
        )
    coordinator = users["coordinator"]
    services.record_exam(actor=manager, coordinator=coordinator, on=date(2023, 6, 1), passed=True)
    for day in (date(2024, 3, 1), date(2024, 10, 1), date(2025, 3, 1), date(2025, 10, 1)):
        services.record_intervision(actor=manager, coordinator=coordinator, on=day, minutes=90)
    return {"manager": manager, "coordinator": coordinator, "lapsed": lapsed}


def test_the_manager_sees_each_coordinators_status_and_deadline(team) -> None:
    page = client(team["manager"]).get("/coordinators/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vervallen: het RIZIV-examen Disability Management is niet binnen" in html
    assert "Niet in het register" in html and "Gekwalificeerd" in html
    assert "31/12/2026" in html and "binnen 90 dagen" in html
    assert "0 / 2" in html  # 2026: none of the two moments yet


def test_only_the_manager_sees_the_register(team, users) -> None:
    for role in ("coordinator", "advising_physician", "staff", "admin"):
        assert client(users[role]).get("/coordinators/").status_code == 403


def test_the_manager_records_an_exam_from_the_screen(team) -> None:
    lapsed = team["lapsed"]
    url = f"/coordinators/{lapsed.pk}/"
    page = client(team["manager"], "fr").post(
        url, {"kind": "exam", "exam-on": "2026-11-20", "exam-passed": "on"}
    )
    assert page.status_code == 302
    assert ExamAttempt.objects.filter(entry__coordinator=lapsed, passed=True).exists()
    assert "Qualifié" in client(team["manager"], "fr").get(url).content.decode()


def test_the_episode_form_says_why_a_lapsed_coordinator_is_refused(team, person, users) -> None:
    page = client(users["coordinator"], "de").post(
        f"/people/{person.pk}/episodes/new/",
        {"start": "01/06/2026", "employment_contract": "no", "coordinator": str(team["lapsed"].pk)},
    )
    assert page.status_code == 200
    assert "Qualifikation als Rückkehr-zur-Arbeit-Koordinator ist erloschen" in (
        page.content.decode()
    )
    assert not Episode.objects.filter(person=person).exists()


def test_the_daily_run_reminds_the_coordinator_and_the_manager_once(team, users) -> None:
    users["manager"].email = "manager@example.org"
    users["manager"].save()
    team["coordinator"].email = "c@example.org"
    team["coordinator"].save()
    drafts = reminder_drafts(TODAY)
    keys = sorted(d.key for d in drafts)
    c, lapsed, m = team["coordinator"].pk, team["lapsed"].pk, users["manager"].pk
    assert keys == sorted([
        f"register:{c}:2026-12-31:90:{c}", f"register:{c}:2026-12-31:90:{m}",
        f"register:{lapsed}:lapsed:exam_not_passed_in_term:2026:{lapsed}",
        f"register:{lapsed}:lapsed:exam_not_passed_in_term:2026:{m}",
    ])  # fmt: skip
    assert outbox.queue(drafts) == 4 and outbox.queue(reminder_drafts(TODAY)) == 0
    # 01/12/2026: 30 days left, the second reminder; 24/12: 7 days, the third.
    assert {
        d.key.split(":")[3] for d in reminder_drafts(date(2026, 12, 1)) if "lapsed" not in d.key
    } == {"30"}
    assert {
        d.key.split(":")[3] for d in reminder_drafts(date(2026, 12, 24)) if "lapsed" not in d.key
    } == {"7"}


def test_the_demo_register_is_idempotent_and_shows_both_states(mutuality, users) -> None:
    from tnw.coordinators import selectors
    from tnw.coordinators.demo import load_register

    for name in ("tnwc", "tnwc2"):
        create_user(username=name, role="coordinator", password="x-password-1",
                    mutuality=mutuality)  # fmt: skip
    assert load_register(today=TODAY) == 2 and load_register(today=TODAY) == 0
    team = selectors.team_status(mutuality_id=mutuality.pk, on=TODAY)
    states = {u.username: (s.status, s.next_deadline, soon) for u, s, soon in team}
    # tnwc: 2024 and 2025 with two moments each, one of two in 2026 so far.
    assert states["tnwc"] == ("qualified", date(2026, 12, 31), True)
    # tnwc2: took up the function on 01/11/2025, three years (2024 version) for the exam.
    assert states["tnwc2"] == ("grace", date(2028, 11, 1), False)
