"""Every write and every dossier read lands in the audit trail: who, when, what, old and new
values, whose dossier, through what."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY, register
from tnw.audit.models import AuditEntry
from tnw.dossier import selectors, services


def test_a_registration_is_one_audit_entry_with_its_values_and_the_timeline(episode, coordinator):
    start = AuditEntry.objects.count()
    registration = register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    created = AuditEntry.objects.filter(seq__gt=start).get()  # one entry, not one per row
    assert created.action == "create"
    assert created.object_type == "dossier.registration"
    assert created.object_id == str(registration.pk)
    assert created.actor_username == "coordinator"
    assert created.person_id == episode.person_id
    assert created.channel == "service"
    assert created.changes["after"]["type"] == "spontaneous_request"
    assert created.changes["after"]["date"] == "2026-09-01"
    obligations = created.changes["obligations"]
    assert not any(o.startswith("first_contact#") for o in obligations["before"])
    assert any(o.startswith("first_contact#") for o in obligations["after"])


def test_a_registrations_entry_names_the_records_it_created(consented_episode, coordinator):
    start = AuditEntry.objects.count()
    register(coordinator, consented_episode, "consent_withdrawn", date(2026, 10, 20))
    entry = AuditEntry.objects.filter(seq__gt=start).get()
    (effect,) = entry.changes["effects"]
    assert (effect["action"], effect["object"]) == ("create", "dossier.consent")
    assert effect["after"]["kind"] == "withdrawn"
    assert effect["after"]["date"] == "2026-10-20"


def test_a_recompute_that_changes_the_timeline_is_audited(episode, coordinator):
    from tnw.dossier.models import Episode, Obligation

    # A stored timeline behind the engine's, written before digests were kept: a row missing.
    Obligation.objects.filter(episode=episode).order_by("pk").first().delete()
    Episode.objects.filter(pk=episode.pk).update(timeline_digest="")
    start = AuditEntry.objects.count()
    services.recompute_timeline(user=None, episode_id=episode.pk, today=TODAY)
    entry = AuditEntry.objects.filter(seq__gt=start).get()
    assert entry.channel == "service:timeline"
    assert entry.object_type == "dossier.episode"
    assert entry.changes["before"]["obligations"] != entry.changes["after"]["obligations"]


def test_an_update_records_old_and_new_values(person, coordinator):
    services.update_person(
        user=coordinator, person_id=person.pk, expected_version=person.version, city="Brugge"
    )
    entry = AuditEntry.objects.filter(object_type="dossier.person", action="update").get()
    assert entry.changes["before"]["city"] == "Gent"
    assert entry.changes["after"]["city"] == "Brugge"
    assert entry.person_id == person.pk


def test_every_dossier_read_is_audited(person, users):
    for role in ("advising_physician", "coordinator", "staff"):
        selectors.get_dossier(user=users[role], person_id=person.pk, channel="api", today=TODAY)
    reads = AuditEntry.objects.filter(action="read", person_id=person.pk).order_by("seq")
    assert [(e.actor_username, e.channel, e.changes["read"]) for e in reads] == [
        ("advising_physician", "api", "dossier"),
        ("coordinator", "api", "dossier"),
        ("staff", "api", "dossier"),
    ]


def test_a_timeline_read_is_audited(episode, coordinator):
    selectors.get_timeline(user=coordinator, episode_id=episode.pk, today=TODAY)
    entry = AuditEntry.objects.filter(action="read", object_type="dossier.person").get()
    assert entry.changes == {"read": "timeline"}
    assert entry.person_id == episode.person_id


def test_a_refused_read_is_not_a_read(person, users):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.get_dossier(user=users["manager"], person_id=person.pk)
    assert not AuditEntry.objects.filter(action="read", object_type="dossier.person").exists()


def test_health_data_writes_are_flagged_medical(episode, physician):
    services.record_health(
        user=physician, episode_id=episode.pk, kind="diagnosis", text="x",
        recorded_on=date(2026, 7, 1),
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="dossier.healthrecord").get()
    assert entry.medical is True
    assert entry.person_id == episode.person_id


def test_user_creation_is_audited(users):
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(users["staff"].pk))
    assert entry.get().changes["after"]["role"] == "staff"
    assert "password" not in entry.get().changes["after"]


def test_save_audited_validates_then_stores_and_audits_once(person, coordinator):
    from django.core.exceptions import ValidationError

    from tnw.audit.services import save_audited, snapshot
    from tnw.dossier.models import Person

    start = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    before = snapshot(person, ["city"])
    person.city = "Brugge"
    save_audited(person, actor=coordinator, fields=["city"], channel="service", before=before)
    entry = AuditEntry.objects.filter(seq__gt=start).get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "update", "dossier.person", str(person.pk),
    )  # fmt: skip
    assert entry.changes == {"before": {"city": "Gent"}, "after": {"city": "Brugge"}}
    # A value the model refuses (not one of the languages): nothing stored, nothing audited.
    person.language = "xx"
    with pytest.raises(ValidationError, match="language"):
        save_audited(person, actor=coordinator, fields=["language"], channel="service", before={})
    assert AuditEntry.objects.filter(seq__gt=entry.seq).count() == 0
    assert Person.objects.get(pk=person.pk).language != "xx"
