"""Health data in the audit trail is sealed (issue 18, "What to build" 1): stored encrypted
under a key from the environment, never searchable in clear, readable with the key (and only
with it), keys rotate, and the hash chain still verifies."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from tests.conftest import register
from tnw.audit.models import AuditEntry
from tnw.audit.sealing import is_sealed, new_key, unseal
from tnw.audit.selectors import verify_chain
from tnw.dossier import services

pytestmark = pytest.mark.django_db

DIAGNOSIS = "HIV-positive, marker 7Q3X"
K1, K2 = new_key(), new_key()


def _health_entry(physician, episode) -> AuditEntry:
    services.record_health(
        user=physician, episode_id=episode.pk, kind="diagnosis", text=DIAGNOSIS,
        recorded_on=date(2026, 9, 2),
    )  # fmt: skip
    return AuditEntry.objects.filter(object_type="dossier.healthrecord").latest("seq")


def test_a_diagnosis_is_stored_sealed_and_cannot_be_searched(physician, episode):
    entry = _health_entry(physician, episode)
    assert entry.medical and is_sealed(entry.changes)
    assert "7Q3X" not in json.dumps(entry.changes) and "HIV" not in json.dumps(entry.changes)
    # The admin's old bypass, and any SQL search of the column, finds nothing.
    assert not AuditEntry.objects.filter(changes__icontains="HIV").exists()
    assert not AuditEntry.objects.filter(changes__icontains="7Q3X").exists()
    assert unseal(entry.changes)["after"]["text"] == DIAGNOSIS
    result = verify_chain()
    assert result.ok and not result.warnings, (result.problems, result.warnings)


def test_a_category_of_an_estimate_is_sealed_with_its_timeline(physician, coordinator, episode):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(
        physician, episode, "capacity_assessed", date(2026, 9, 10), category=3, medical_exam=False
    )
    entry = AuditEntry.objects.filter(object_type="dossier.registration").latest("seq")
    assert entry.medical and is_sealed(entry.changes)
    assert '"category"' not in json.dumps(entry.changes)
    opened = unseal(entry.changes)
    assert opened["after"]["data"]["category"] == 3
    assert "obligations" in opened
    assert verify_chain().ok


def test_keys_rotate_and_old_entries_stay_readable(settings, physician, episode):
    settings.TNW_AUDIT_DATA_KEYS = f"k1:{K1}"
    old = _health_entry(physician, episode)
    settings.TNW_AUDIT_DATA_KEYS = f"k2:{K2},k1:{K1}"  # a new key first: it seals from now on
    new = _health_entry(physician, episode)
    assert (old.changes["sealed"]["key"], new.changes["sealed"]["key"]) == ("k1", "k2")
    assert unseal(old.changes)["after"]["text"] == unseal(new.changes)["after"]["text"]
    assert verify_chain().warnings == []
    settings.TNW_AUDIT_DATA_KEYS = f"k2:{K2}"  # k1 dropped too early: its entries are unreadable
    result = verify_chain()
    assert result.ok  # not tampering: the chain holds
    assert result.warnings == [
        f"entry #{old.seq}: health data that cannot be opened: sealed with key 'k1', "
        "which TNW_AUDIT_DATA_KEYS does not list"
    ]


def test_a_changed_sealed_value_breaks_the_chain(physician, episode):
    entry = _health_entry(physician, episode)
    forged = {"sealed": {"key": "test", "token": entry.changes["sealed"]["token"][:-4] + "AAA="}}
    from tests.audit.test_verify_command import raw

    raw("UPDATE audit_auditentry SET changes = %s WHERE seq = %s", [json.dumps(forged), entry.seq])
    result = verify_chain()
    assert f"entry #{entry.seq}: content does not match its hash (changed after writing)" in (
        result.problems
    )


def test_the_dpo_opens_one_entry_with_the_key_and_that_reading_is_audited(
    physician, episode, capsys
):
    entry = _health_entry(physician, episode)
    call_command("audit", "show", str(entry.seq))
    assert DIAGNOSIS in capsys.readouterr().out
    reading = AuditEntry.objects.latest("seq")
    assert (reading.channel, reading.object_id, reading.person_id) == (
        "command:audit show", str(entry.seq), episode.person_id,
    )  # fmt: skip
    assert verify_chain().ok


def test_without_a_data_key_health_data_is_not_written_at_all(settings, physician, episode):
    from django.core.exceptions import ImproperlyConfigured

    from tnw.dossier.models import HealthRecord

    settings.TNW_AUDIT_DATA_KEYS = ""
    with pytest.raises(ImproperlyConfigured, match="TNW_AUDIT_DATA_KEYS"):
        _health_entry(physician, episode)
    assert not HealthRecord.objects.exists()  # the record and its entry: all or nothing
