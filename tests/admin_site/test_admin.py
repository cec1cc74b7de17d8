"""The Django admin: reference data (mutualities, users and roles) for administrators, the
audit trail read-only, and every admin change audited."""

from __future__ import annotations

import pytest

from tnw.audit.models import AuditEntry
from tnw.mutualities.models import Mutuality


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def test_reference_data_pages(admin_client, mutuality):
    for url in ("/admin/", "/admin/mutualities/mutuality/", "/admin/accounts/user/",
                f"/admin/mutualities/mutuality/{mutuality.pk}/change/",
                "/admin/audit/auditentry/"):  # fmt: skip
        assert admin_client.get(url).status_code == 200, url


def test_the_audit_trail_is_read_only_in_the_admin(admin_client):
    entry = AuditEntry.objects.first()
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    change = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    posted = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"channel": "forged"})
    assert posted.status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).channel == entry.channel


def test_health_data_values_are_hidden_in_the_audit_admin(admin_client, episode, physician):
    from datetime import date

    from tnw.dossier.services import record_health

    record_health(user=physician, episode_id=episode.pk, kind="diagnosis",
                  text="SECRET-DIAGNOSIS", recorded_on=date(2026, 7, 1))  # fmt: skip
    entry = AuditEntry.objects.get(object_type="dossier.healthrecord")
    page = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert b"SECRET-DIAGNOSIS" not in page.content
    assert b"visible to advising physicians only" in page.content


@pytest.mark.parametrize("role", ["advising_physician", "coordinator", "staff", "manager"])
def test_only_administrators_enter_the_admin(client, users, role):
    client.force_login(users[role])
    response = client.get("/admin/mutualities/mutuality/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_admin_change_is_audited_with_old_and_new_values(admin_client, users, mutuality):
    response = admin_client.post(
        f"/admin/mutualities/mutuality/{mutuality.pk}/change/",
        {
            "code": "203", "name": "VNZ", "union": "Neutrale",
            "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.filter(object_type="mutualities.mutuality").latest("seq")
    assert entry.channel == "admin"
    assert entry.actor_username == "admin"
    assert entry.changes["before"]["name"] == "Vlaams & Neutraal Ziekenfonds"
    assert entry.changes["after"]["name"] == "VNZ"
    assert Mutuality.objects.get(pk=mutuality.pk).version == 2
