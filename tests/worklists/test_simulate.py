"""`tnw simulate`: a synthetic population whose stored timelines are the engine's."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import TODAY
from tests.worklists.test_schedule import engine_disagrees
from tnw.audit.models import AuditEntry
from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode, Obligation, Person, Registration
from tnw.rules import evaluate
from tnw.worklists.models import EpisodeSchedule
from tnw.worklists.simulate import simulate


def test_simulate_a_small_population(db):
    report = simulate(people=400, today=TODAY, workers=1, seed=3)
    assert report.people == Person.objects.count() == Episode.objects.count() == 400
    assert EpisodeSchedule.objects.count() == 400
    assert Registration.objects.count() == report.registrations > 400
    assert Obligation.objects.count() == report.obligations
    # Every registration is accepted by the engine; the timelines are the engine's.
    for episode in Episode.objects.select_related("person")[:400]:
        events = [r.to_contract() for r in episode.registrations.order_by("position")]
        assert evaluate(episode_facts(episode, events), TODAY).violations == ()
    assert engine_disagrees(TODAY) == []
    # The process as published: ~40% of questionnaires late or blank; every stage present.
    assert 0.25 < report.late_or_blank / report.questionnaires < 0.55
    types = set(Registration.objects.values_list("type", flat=True))
    assert {
        "capacity_assessed", "referred_to_coordinator", "spontaneous_request",
        "permission_decided", "ziv_started", "plan_drawn_up", "codex_requested",
        "codex_assessed", "medical_exemption", "questionnaire_help_contact",
    } <= types  # fmt: skip
    categories = {r.data["category"] for r in Registration.objects.filter(type="capacity_assessed")}
    assert {1, 2, 3, 4} <= categories
    starts = sorted(Episode.objects.values_list("start", flat=True))
    assert (starts[-1] - starts[0]).days > 3 * 365  # over the past years
    # Every episode is on a coordinator's and a physician's worklist (a few unassigned).
    assert Episode.objects.filter(advising_physician__isnull=True).count() == 0
    assert Episode.objects.filter(coordinator__isnull=True).count() < 20
    assert AuditEntry.objects.filter(channel="command:simulate").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simulate_command_with_two_worker_processes_adds_to_what_exists():
    out = StringIO()
    call_command("simulate", "--people", "150", "--today", TODAY.isoformat(), "--workers", "2",
                 stdout=out, stderr=StringIO())  # fmt: skip
    assert "event=simulated people=150" in out.getvalue()
    call_command("simulate", "--people", "50", "--today", TODAY.isoformat(), "--workers", "2",
                 stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert Person.objects.count() == Episode.objects.count() == 200
    assert len(set(Person.objects.values_list("insz", flat=True))) == 200
    assert engine_disagrees(TODAY) == []
