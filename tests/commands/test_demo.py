"""`tnw demo`: a realistic, idempotent demo set."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from stdnum.be import bis, nn

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.audit.selectors import verify_chain
from tnw.dossier.models import Episode, Obligation, Person, PlanVersion, Registration
from tnw.dossier.selectors import stage_of
from tnw.mutualities.models import Mutuality

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(db):
    call_command("demo", "--today", TODAY.isoformat())


def test_the_demo_set(demo):
    """One demo load (it takes a few seconds), checked from several sides."""
    check_reference_data_users_and_people()
    check_every_stage_of_routings_a_and_b_ziv_and_codex()
    check_dates_spread_around_today()
    check_portal_people_in_their_stages()


def check_portal_people_in_their_stages():
    """Issue 14, point 4: portal log-ins for demo people in different stages."""
    from tnw.dossier.demo_portal import PORTAL_PASSWORD
    from tnw.dossier.portal import own_overview

    insured = {u.last_name: u for u in User.objects.filter(role=Role.INSURED)}
    assert set(insured) == {"Dupont", "Jacobs", "Schmitz", "Wouters"}
    assert all(u.check_password(PORTAL_PASSWORD) for u in insured.values())
    marie = own_overview(user=insured["Dupont"], today=TODAY).episodes[0]
    assert marie.questionnaire_expected
    pieter = own_overview(user=insured["Jacobs"], today=TODAY).episodes[0]
    assert pieter.acts["spontaneous_request"] and not pieter.steps
    anna = own_overview(user=insured["Schmitz"], today=TODAY).episodes[0]
    assert "plan_drawn_up" in {step.event_type for step in anna.steps}
    from tnw.documents.portal import own_documents

    lotte = own_documents(user=insured["Wouters"])
    assert [(d.kind, d.to_sign) for d in lotte] == [("annex_iv", True)]


def check_reference_data_users_and_people():
    mutuality = Mutuality.objects.get(code="203")
    assert mutuality.name == "Vlaams & Neutraal Ziekenfonds"
    contact = mutuality.contacts.get()
    assert (contact.email, contact.phone) == ("terugnaarwerk@vnz.be", "+32 (0)3 491 09 88")
    mutualia = Mutuality.objects.get(code="228")
    assert set(mutualia.contacts.values_list("email", flat=True)) == {
        "rsp@mutualia.be", "rsp_bxl@mutualia.be",
    }  # fmt: skip
    assert {u.role for u in User.objects.all()} == set(Role.values)
    for user in User.objects.exclude(role=Role.INSURED):
        assert user.check_password("tnw-demo")
    people = Person.objects.all()
    assert people.count() >= 200
    for person in people:
        valid = (
            nn.is_valid(person.insz) if person.number_kind == "nn" else bis.is_valid(person.insz)
        )
        assert valid, person.insz
    assert people.filter(number_kind="bis").exists()
    assert set(people.values_list("language", flat=True)) == {"nl", "fr", "de"}


def check_every_stage_of_routings_a_and_b_ziv_and_codex():
    stages = set()
    for episode in Episode.objects.all():
        stages.add(stage_of(episode.registrations.values_list("type", flat=True)))
    for expected in (
        "new incapacity",
        "routing A: questionnaire sent",
        "routing A: questionnaire received",
        "routing A: estimated",
        "routing A: referred",
        "routing B: request",
        "routing B: permission",
        "first contact held",
        "CODEX trajectory",
        "ZIV: started, plan pending",
        "ZIV: plan follow-up",
        "trajectory ended",
        "exempted (medical)",
        "incapacity ended",
    ):
        assert expected in stages, expected
    types = set(Registration.objects.values_list("type", flat=True))
    for event_type in ("questionnaire_help_contact", "ziv_suspended", "codex_ended",
                       "trajectory_evaluated", "permission_decided", "plan_reviewed"):  # fmt: skip
        assert event_type in types
    assert PlanVersion.objects.filter(number=2).exists()


def check_dates_spread_around_today():
    starts = Episode.objects.values_list("start", flat=True)
    assert min(starts) < date(2025, 12, 1) and max(starts) > date(2026, 10, 1)
    dues = Obligation.objects.filter(state="pending", due__isnull=False)
    assert dues.filter(due__lt=TODAY).exists() and dues.filter(due__gte=TODAY).exists()


def test_rerunning_adds_nothing_and_the_trail_is_intact(db, capsys):
    call_command("demo", "--today", TODAY.isoformat(), "--people", "40")
    assert "40 people created" in capsys.readouterr().out
    counts = (Person.objects.count(), Registration.objects.count(), User.objects.count())
    call_command("demo", "--today", TODAY.isoformat(), "--people", "40")
    assert "0 people created, 40 already there, 0 registrations" in capsys.readouterr().out
    assert (Person.objects.count(), Registration.objects.count(), User.objects.count()) == counts
    assert Mutuality.objects.count() == 4
    assert verify_chain().ok
