"""The agenda: appointments by day and week with their outcome, the plan's agreed next
appointment, the legal deadlines; a passed appointment without an outcome is a task on the
worklist; the iCalendar export names no one."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import TODAY
from tnw.dossier import selectors, services
from tnw.dossier.models import Appointment, Episode

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime.combine(TODAY, time(12, 0), tzinfo=BRUSSELS)  # Tuesday 24/11/2026, noon


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def schedule(user, episode, when, kind="follow_up", mode="physical", place="Kantoor Gent"):
    return services.schedule_appointment(
        user=user, episode_id=episode.pk, kind=kind, starts_at=when, mode=mode, place=place
    )


def test_the_week_shows_appointments_the_plans_day_and_deadlines(ziv_episode, coordinator):
    services.draw_up_plan(
        user=coordinator, episode_id=ziv_episode.pk,
        expected_version=Episode.objects.get(pk=ziv_episode.pk).version, on=date(2026, 10, 20),
        objectives=["internship"], end_result="part-time work", actions=["training"],
        next_appointment=date(2026, 11, 26), today=TODAY,
    )  # fmt: skip
    schedule(coordinator, ziv_episode, at(date(2026, 11, 25), 10, 30))
    entries = selectors.agenda(
        user=coordinator, start=date(2026, 11, 23), end=date(2026, 11, 29), now=NOW
    )
    shown = [(e.kind, e.day, e.what) for e in entries]
    assert ("appointment", date(2026, 11, 25), "follow_up") in shown
    assert ("plan_appointment", date(2026, 11, 26), "follow_up") in shown
    # Outside the week: nothing of that week's neighbours.
    assert all(date(2026, 11, 23) <= e.day <= date(2026, 11, 29) for e in entries)
    appointment = next(e for e in entries if e.kind == "appointment")
    assert (appointment.at, appointment.place, appointment.missing_outcome) == (
        at(date(2026, 11, 25), 10, 30), "Kantoor Gent", False,
    )  # fmt: skip


def test_the_days_deadlines_are_on_the_agenda(ziv_episode, coordinator):
    # The first follow-up meeting is due 2026-11-01 (a month after the ZIV start, circular V).
    entries = selectors.agenda(
        user=coordinator, start=date(2026, 11, 1), end=date(2026, 11, 1), now=NOW
    )
    assert [(e.kind, e.what, e.status) for e in entries] == [
        ("deadline", "first_follow_up_meeting", "overdue")
    ]


@pytest.mark.parametrize(
    ("language", "deadline", "agreed_day", "before"),
    [
        ("nl", "uiterste datum", "uur af te spreken", "hele dag"),
        ("fr", "échéance", "heure à convenir", "toute la journée"),
        ("de", "Frist", "Uhrzeit offen", "ganztägig"),
        ("en", "deadline", "time to be agreed", "all day"),
    ],
)
def test_a_deadline_and_a_day_without_time_say_what_they_are(
    language, deadline, agreed_day, before, ziv_episode, coordinator, client_for, fixed_today
):
    # Week of 26/10/2026: the first follow-up meeting is due 01/11 (a Sunday, circular V), and
    # the plan agreed its next appointment on 30/10 without a time.
    services.draw_up_plan(
        user=coordinator, episode_id=ziv_episode.pk,
        expected_version=Episode.objects.get(pk=ziv_episode.pk).version, on=date(2026, 10, 20),
        objectives=["internship"], end_result="part-time work", actions=["training"],
        next_appointment=date(2026, 10, 30), today=TODAY,
    )  # fmt: skip
    url = reverse("caseload:agenda") + "?view=week&day=2026-10-26"
    html = client_for(coordinator, language).get(url).content.decode()
    times = re.findall(r'<span class="agenda-time">([^<]*)</span>', html)
    assert times == [agreed_day, deadline], times  # 30/10, then 01/11
    assert before not in html


def test_a_passed_appointment_without_outcome_is_on_the_worklist_until_registered(
    ziv_episode, coordinator, client_for, fixed_today
):
    # Scheduled last week (the service refuses nothing in the past: the form does).
    appointment = schedule(coordinator, ziv_episode, at(date(2026, 11, 20), 9))
    client = client_for(coordinator, "en")
    page = client.get(reverse("caseload:worklist")).content.decode()
    assert "1 appointment passed without an outcome" in page
    assert "Peeters Jan" in page
    posted = {"expected_version": appointment.version, "outcome": "absent", "next": "/worklist/"}
    url = reverse("caseload:appointment_outcome", args=[appointment.pk])
    assert client.post(url, posted).status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).outcome == "absent"
    page = client.get(reverse("caseload:worklist")).content.decode()
    assert "passed without an outcome" not in page


def test_moving_an_appointment_makes_a_new_one(ziv_episode, coordinator):
    first = schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 14))
    moved = services.record_appointment_outcome(
        user=coordinator, appointment_id=first.pk, expected_version=first.version,
        outcome="moved", moved_to=at(date(2026, 12, 3), 9, 15), now=NOW,
    )  # fmt: skip
    assert moved.outcome == "moved"
    assert (moved.moved_to.starts_at, moved.moved_to.place) == (
        at(date(2026, 12, 3), 9, 15), "Kantoor Gent",
    )  # fmt: skip


def test_an_appointment_to_come_is_not_held_yet(ziv_episode, coordinator):
    later = schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 14))
    with pytest.raises(ValidationError) as refused:
        services.record_appointment_outcome(
            user=coordinator, appointment_id=later.pk, expected_version=later.version,
            outcome="held", now=NOW,
        )  # fmt: skip
    assert refused.value.code == "not_yet"
    assert Appointment.objects.get(pk=later.pk).outcome == ""


def test_each_role_schedules_its_own_kind(ziv_episode, coordinator, physician):
    with pytest.raises(PermissionDenied):
        schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 9), kind="medical_exam")
    exam = schedule(physician, ziv_episode, at(date(2026, 11, 27), 9), kind="medical_exam")
    assert exam.holder == physician
    with pytest.raises(PermissionDenied):
        schedule(physician, ziv_episode, at(date(2026, 11, 27), 11), kind="follow_up")


@pytest.mark.parametrize(
    ("language", "place", "past"),
    [
        ("nl", "Geef de plaats van een fysiek gesprek.", "Dit moment is voorbij"),
        ("fr", "Indiquez le lieu d'un entretien en personne.", "Ce moment est passé"),
        ("de", "Geben Sie den Ort eines persönlichen Gesprächs an.", "Dieser Zeitpunkt"),
    ],
)
def test_the_appointment_form_explains_in_the_users_language(
    language, place, past, ziv_episode, coordinator, client_for, fixed_today
):
    client = client_for(coordinator, language)
    url = reverse("caseload:appointment_new", args=[ziv_episode.pk])
    form = dict(
        re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"', client.get(url).content.decode()
        )
    )
    html = client.post(url, {**form, "kind": "follow_up", "day": "23/11/2026", "at": "10:00",
                             "minutes": "45", "mode": "physical"}).content.decode()  # fmt: skip
    assert place in html.replace("&#x27;", "'") and past in html
    assert not Appointment.objects.exists()
    good = {**form, "kind": "follow_up", "day": "26/11/2026", "at": "10:00", "minutes": "45",
            "mode": "phone"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    assert Appointment.objects.get().starts_at == at(date(2026, 11, 26), 10)


def test_the_agenda_page_and_its_calendar_export(ziv_episode, coordinator, client_for,
                                                 fixed_today):  # fmt: skip
    schedule(coordinator, ziv_episode, at(date(2026, 11, 25), 10, 30))
    client = client_for(coordinator, "nl")
    page = client.get(reverse("caseload:agenda"), {"view": "week", "day": "2026-11-24"})
    html = page.content.decode()
    assert "10:30" in html and "Peeters Jan" in html and "Opvolggesprek" in html
    day = client.get(reverse("caseload:agenda"), {"view": "day", "day": "2026-11-26"})
    assert "Peeters Jan" not in day.content.decode()
    ics = client.get(reverse("caseload:agenda_ics")).content.decode()
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261125T093000Z" in ics  # 10:30 in Brussels (UTC+1 in November)
    assert f"TNW {ziv_episode.person_id}" in ics and "Peeters" not in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_roles_without_an_agenda_get_no_page(users, client_for, fixed_today):
    assert client_for(users["manager"], "en").get(reverse("caseload:agenda")).status_code == 403


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_agenda_and_edit_pages_have_no_english_of_their_own(
    language, ziv_episode, coordinator, client_for, fixed_today
):
    from tests.caseload.test_language import catalogue

    schedule(coordinator, ziv_episode, at(date(2026, 11, 20), 9))  # passed, without outcome
    client = client_for(coordinator, language)
    english = {
        e.msgid for e in catalogue(language)
        if e.msgstr != e.msgid and len(e.msgid) > 5 and "%" not in e.msgid
    }  # fmt: skip
    start = ziv_episode.registrations.get(type="ziv_started")
    for url in (
        reverse("caseload:agenda") + "?view=week&day=2026-11-16",
        reverse("caseload:correct", args=[start.pk]),
        reverse("caseload:annul", args=[start.pk]),
        reverse("caseload:person_edit", args=[ziv_episode.person_id]),
        reverse("caseload:consent_withdraw", args=[ziv_episode.pk]),
        reverse("caseload:appointment_new", args=[ziv_episode.pk]),
        reverse("web:dossier", args=[ziv_episode.person_id]),
    ):
        html = client.get(url).content.decode()
        assert [text for text in english if f">{text}<" in html] == [], url
        assert not re.search(r"\[[a-z_]+\]", re.sub(r"<[^>]+>", " ", html)), url  # no codes
    # The register form after a refusal: the engine's (next to its field) and a conflict
    # (above the form), their codes in tooltips only.
    plan = reverse("web:register", args=[ziv_episode.pk, "plan_drawn_up"])
    version = Episode.objects.get(pk=ziv_episode.pk).version
    posted = {"date": "20/10/2026", "objectives": "stage", "end_result": "job",
              "action_1": "VDAB", "action_by_1": "regional_service",
              "next_appointment": "01/10/2026"}  # fmt: skip
    for expected, code in ((version, "plan_incomplete"), (version - 1, "conflict")):
        html = client.post(plan, {**posted, "expected_version": expected}).content.decode()
        assert not re.search(r"\[[a-z_]+\]", re.sub(r"<[^>]+>", " ", html)), code
        assert f'title="{code}"' in html, code  # the refusal is there, its code a tooltip
