"""A reminder to the person of each appointment on the agenda (first contact, follow-up
meeting, medical examination, the plan's next appointment, a confirmed proposal), queued once by
the daily run in the outbox: in the person's language, by e-mail only when they receive letters
by e-mail, with Belgian dates, an absolute link to the portal, and no health data.

Hand-computed: the run of Tuesday 24/11/2026 reminds of the appointments of 24, 25 and 26/11;
25/11/2026 is a Wednesday, 26/11/2026 a Thursday."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings

from tests.conftest import TODAY, register
from tests.portal.conftest import activate
from tnw.caseload.daily import appointment_drafts
from tnw.dossier import portal, services
from tnw.dossier.models import Episode, Person
from tnw.notifications.models import OutboxMessage
from tnw.worklists.daily import run_daily

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def schedule(user, episode, when, kind="follow_up", mode="physical", place="Kantoor Gent",
             note=""):  # fmt: skip
    return services.schedule_appointment(
        user=user, episode_id=episode.pk, kind=kind, starts_at=when, mode=mode, place=place,
        note=note,
    )  # fmt: skip


def reach(person, email="jan@example.invalid", language=None):
    changes = {"email": email, **({"language": language} if language else {})}
    Person.objects.filter(pk=person.pk).update(**changes)


def sent(prefix="appointment"):
    return [m for m in mail.outbox if m.extra_headers["X-TNW-Key"].startswith(prefix)]


def test_an_appointment_is_reminded_once_in_dutch_without_its_note(
    ziv_episode, coordinator, physician, person
):
    reach(person)
    services.record_health(
        user=physician, episode_id=ziv_episode.pk, kind="diagnosis", text="hernia L5-S1",
        recorded_on=date(2026, 11, 2),
    )  # fmt: skip
    meeting = schedule(coordinator, ziv_episode, at(date(2026, 11, 25), 10, 30),
                       note="rugklachten bespreken")  # fmt: skip
    run_daily(today=TODAY)
    run_daily(today=TODAY)  # the same day again
    run_daily(today=TODAY + timedelta(days=1))  # and the next: still one message
    [message] = sent()
    assert message.extra_headers["X-TNW-Key"] == f"appointment:{meeting.pk}"
    assert message.to == ["jan@example.invalid"]
    assert message.subject == (
        "Herinnering: opvolggesprek over uw re-integratieplan op woensdag 25 november 2026 om 10:30"
    )
    assert message.body == (
        "Beste Jan Peeters,\n\n"
        "Wij herinneren u aan uw opvolggesprek over uw re-integratieplan op woensdag "
        "25 november 2026 om 10:30.\n"
        "Waar: Kantoor Gent\n\n"
        "Kunt u niet komen, laat het dan zo snel mogelijk weten aan uw ziekenfonds: "
        "Vlaams & Neutraal Ziekenfonds (+32 3 491 09 88 · terugnaarwerk@vnz.be)\n"
    )
    # No health data: neither the appointment's note nor the physician's record.
    assert "rugklachten" not in message.body and "hernia" not in message.body
    assert OutboxMessage.objects.filter(key__startswith="appointment").count() == 1


def test_a_medical_examination_in_french_by_video(ziv_episode, physician, person):
    reach(person, "marie@example.invalid", "fr")
    schedule(physician, ziv_episode, at(date(2026, 11, 25), 14, 0), kind="medical_exam",
             mode="video", place="")  # fmt: skip
    [draft] = appointment_drafts(TODAY)
    assert draft.subject == (
        "Rappel : rendez-vous avec le médecin-conseil le mercredi 25 novembre 2026 à 14h00"
    )
    assert "Bonjour Jan Peeters," in draft.body
    assert "Par appel vidéo : vous recevrez encore le lien." in draft.body
    assert "prévenez votre mutualité au plus vite" in draft.body


def test_the_plans_next_appointment_in_german_and_a_booked_day_once(
    ziv_episode, coordinator, person
):
    reach(person, "anna@example.invalid", "de")
    services.draw_up_plan(
        user=coordinator, episode_id=ziv_episode.pk,
        expected_version=Episode.objects.get(pk=ziv_episode.pk).version, on=date(2026, 10, 20),
        objectives=["Praktikum"], end_result="Teilzeit", actions=["Schulung"],
        next_appointment=date(2026, 11, 26), today=TODAY,
    )  # fmt: skip
    [draft] = appointment_drafts(TODAY)
    assert draft.key == f"appointment-day:{ziv_episode.pk}:2026-11-26"
    assert draft.subject == (
        "Erinnerung: Folgegespräch zu Ihrem Wiedereingliederungsplan am Donnerstag, "
        "26. November 2026"
    )
    assert draft.body.startswith("Guten Tag Jan Peeters,\n\nWir erinnern Sie an Ihren Termin: ")
    assert appointment_drafts(date(2026, 11, 23)) == []  # three days ahead: not yet
    assert appointment_drafts(date(2026, 11, 27)) == []  # past
    # The coordinator books that day with a time: the appointment is reminded, not the day.
    meeting = schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 9, 0), mode="phone",
                       place="")  # fmt: skip
    [draft] = appointment_drafts(TODAY)
    assert draft.key == f"appointment:{meeting.pk}"
    assert "um 9:00 Uhr" not in draft.subject and "um 09:00 Uhr" in draft.subject
    assert "Telefonisch: Wir rufen Sie an." in draft.body


def test_only_the_current_plans_appointment_and_confirmed_proposals_count(
    ziv_episode, coordinator, person
):
    reach(person)
    user = activate(coordinator, person)
    portal.set_letter_preference(user=user, by_email=True)
    for on, day in ((date(2026, 10, 20), "2026-11-26"), (date(2026, 11, 20), "2026-12-15")):
        register(coordinator, ziv_episode, "plan_drawn_up", on, objectives=["Stage"],
                 end_result="Halftijds", actions=["Opleiding"], next_appointment=day)  # fmt: skip
    assert appointment_drafts(TODAY) == []  # version 2 moved the meeting of 26/11
    proposal = portal.propose_meeting(user=user, episode_id=ziv_episode.pk,
                                      on=date(2026, 11, 25), note="", today=TODAY)  # fmt: skip
    assert appointment_drafts(TODAY) == []  # not confirmed yet
    portal.decide_meeting_proposal(user=coordinator, episode_id=ziv_episode.pk,
                                   proposal_id=proposal.id, confirm=True)  # fmt: skip
    [draft] = appointment_drafts(TODAY)
    assert draft.key == f"appointment-day:{ziv_episode.pk}:2026-11-25"


@override_settings(TNW_PORTAL_URL="https://tnw.example.be/portaal/")
def test_the_letter_preference_decides_and_the_portal_link_is_absolute(
    ziv_episode, coordinator, person
):
    schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 11, 0))
    assert appointment_drafts(TODAY) == []  # no e-mail address
    reach(person)
    [draft] = appointment_drafts(TODAY)  # no portal account: the address decides
    assert "portaal" not in draft.body
    user = activate(coordinator, person)
    assert appointment_drafts(TODAY) == []  # letters on paper (the portal's default)
    portal.set_letter_preference(user=user, by_email=True)
    [draft] = appointment_drafts(TODAY)
    assert draft.body.endswith("\n\nUw dossier op het portaal: https://tnw.example.be/portaal/\n")


def test_no_reminder_once_held_moved_or_after_the_incapacity(ziv_episode, coordinator, person):
    reach(person)
    meeting = schedule(coordinator, ziv_episode, at(date(2026, 11, 24), 9, 0))
    now = at(date(2026, 11, 24), 10, 0)
    moved = services.record_appointment_outcome(
        user=coordinator, appointment_id=meeting.pk, expected_version=meeting.version,
        outcome="moved", moved_to=at(date(2026, 11, 25), 15, 0), now=now,
    )  # fmt: skip
    [draft] = appointment_drafts(TODAY)  # the new appointment only
    assert draft.key == f"appointment:{moved.moved_to_id}" and "om 15:00" in draft.subject
    new = moved.moved_to
    services.record_appointment_outcome(
        user=coordinator, appointment_id=new.pk, expected_version=new.version, outcome="held",
        now=at(date(2026, 11, 25), 16, 0),
    )  # fmt: skip
    assert appointment_drafts(TODAY) == []
    schedule(coordinator, ziv_episode, at(date(2026, 11, 26), 9, 0))
    Episode.objects.filter(pk=ziv_episode.pk).update(end=date(2026, 11, 23))
    assert appointment_drafts(TODAY) == []  # the incapacity is over


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_no_english_and_no_code_in_a_reminder(language, ziv_episode, coordinator, physician,
                                              person):  # fmt: skip
    """Every kind and mode of appointment, and a day agreed without a time, in the person's
    language: none of the English texts of the reminders, and no internal code."""
    reach(person, language=language)
    day = date(2026, 11, 24)
    for hour, (kind, mode, place) in enumerate(
        [("first_contact", "physical", "Kantoor"), ("follow_up", "phone", ""),
         ("medical_exam", "video", ""), ("other", "video", "https://meet.example/x")], start=9,
    ):  # fmt: skip
        holder = physician if kind == "medical_exam" else coordinator
        schedule(holder, ziv_episode, at(day, hour), kind=kind, mode=mode, place=place)
    services.draw_up_plan(
        user=coordinator, episode_id=ziv_episode.pk,
        expected_version=Episode.objects.get(pk=ziv_episode.pk).version, on=date(2026, 10, 20),
        objectives=["x"], end_result="y", actions=["z"], next_appointment=date(2026, 11, 26),
        today=TODAY,
    )  # fmt: skip
    drafts = appointment_drafts(TODAY)
    assert len(drafts) == 5
    english = ["Reminder", "Hello", "This is a reminder", "If you cannot come", "Where:",
               "By telephone", "By video call", "Your dossier", "portal", "first meeting",
               "follow-up", "appointment with", "meeting with", "advising physician",
               "coordinator", "re-integration plan", " on ", " at "]  # fmt: skip
    for draft in drafts:
        text = draft.subject + "\n" + draft.body
        assert [e for e in english if e and e in text] == [], draft.key
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), draft.key  # no first_contact etc.
