"""Registrations are immutable records with who registered them and when."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import register
from tnw.dossier.models import ImmutableError, Registration


def test_a_registration_records_who_and_when(episode, coordinator):
    registration = register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    assert registration.registered_by == coordinator
    assert registration.registered_at is not None
    assert registration.position == 0


def test_a_registration_cannot_be_changed_or_deleted(episode, coordinator):
    registration = register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    registration.date = date(2026, 9, 2)
    with pytest.raises(ImmutableError):
        registration.save()
    with pytest.raises(ImmutableError):
        registration.delete()
    assert Registration.objects.get(pk=registration.pk).date == date(2026, 9, 1)


def test_defaults_of_the_contract_are_stored(episode, physician):
    registration = register(physician, episode, "questionnaire_sent", date(2026, 8, 10))
    received = register(physician, episode, "questionnaire_received", date(2026, 8, 20))
    assert registration.data == {}
    assert received.data == {"complete": True}


def test_consent_given_at_first_contact_is_a_consent_record(consented_episode):
    consent = consented_episode.consents.get()
    assert consent.kind == "given"
    assert consent.form_reference == "ANNEX-III-0001"
    assert consent.date == date(2026, 9, 15)


def test_withdrawal_is_a_new_record(ziv_episode, coordinator):
    register(coordinator, ziv_episode, "consent_withdrawn", date(2026, 10, 5))
    assert list(ziv_episode.consents.values_list("kind", flat=True)) == ["given", "withdrawn"]


def test_codex_trajectory_follows_its_registrations(coordinator, person):
    from tests.conftest import open_episode

    episode = open_episode(
        coordinator, person, date(2026, 1, 5), contract=True, coordinator=coordinator
    )
    register(coordinator, episode, "codex_requested", date(2026, 6, 1), by="worker")
    register(coordinator, episode, "codex_assessed", date(2026, 6, 20), decision="B")
    register(coordinator, episode, "codex_ended", date(2026, 8, 1), definitive_unfitness=True)
    codex = episode.codex_trajectories.get()
    assert (codex.requested_by, codex.decision, codex.ended_on, codex.definitive_unfitness) == (
        "worker", "B", date(2026, 8, 1), True,
    )  # fmt: skip


def test_outcome_and_evaluation_are_recorded(consented_episode, coordinator):
    register(coordinator, consented_episode, "trajectory_ended", date(2026, 10, 1),
             outcome="paid work")  # fmt: skip
    register(coordinator, consented_episode, "trajectory_evaluated", date(2026, 10, 15),
             note="goal reached")  # fmt: skip
    outcomes = list(consented_episode.outcomes.values_list("kind", "outcome", "evaluation"))
    assert outcomes == [("ended", "paid work", ""), ("evaluated", "", "goal reached")]


def test_bulk_updates_and_deletes_are_refused(ziv_episode):
    with pytest.raises(ImmutableError):
        Registration.objects.filter(episode=ziv_episode).update(date=date(2026, 1, 1))
    with pytest.raises(ImmutableError):
        Registration.objects.filter(episode=ziv_episode).delete()
    with pytest.raises(ImmutableError):
        ziv_episode.consents.all().update(form_reference="forged")
    assert ziv_episode.registrations.count() == 5


def test_an_error_after_storing_leaves_nothing_half_stored(episode, coordinator, monkeypatch):
    from tnw.audit.models import AuditEntry
    from tnw.dossier import services
    from tnw.dossier.models import Episode, Obligation

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = (
        AuditEntry.objects.count(),
        Episode.objects.get(pk=episode.pk).version,
        sorted(map(str, Obligation.objects.filter(episode=episode).values_list("code", "due"))),
    )
    monkeypatch.setattr(services, "_store_timeline", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    assert not Registration.objects.filter(episode=episode).exists()
    assert before == (
        AuditEntry.objects.count(),
        Episode.objects.get(pk=episode.pk).version,
        sorted(map(str, Obligation.objects.filter(episode=episode).values_list("code", "due"))),
    )


def test_fields_cannot_smuggle_another_type_or_date(episode, users):
    """A staff member may register a help contact, not a capacity estimate in disguise."""
    from django.core.exceptions import ValidationError

    from tnw.dossier.models import Episode
    from tnw.dossier.services import register_event

    with pytest.raises(ValidationError, match="arguments, not fields"):
        register_event(
            user=users["staff"], episode_id=episode.pk,
            expected_version=Episode.objects.get(pk=episode.pk).version,
            event_type="questionnaire_help_contact", on=date(2026, 9, 1),
            fields={"type": "capacity_assessed", "category": 2, "medical_exam": False},
        )  # fmt: skip
    assert not Registration.objects.filter(episode=episode).exists()
