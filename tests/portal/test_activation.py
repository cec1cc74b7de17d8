"""Activation by the code in a letter: one use, expires, blocked after five wrong codes, and
the portal log-in by INSZ and password (circular II: the person's own access; issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portal.conftest import PORTAL_PASSWORD
from tnw.dossier import portal
from tnw.dossier.models import PortalActivation

pytestmark = pytest.mark.django_db


def test_a_code_activates_once_and_links_the_person(coordinator, person):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    user = portal.activate_portal_account(
        insz="85.07.30-033.28", code=code.lower().replace("-", " "), password=PORTAL_PASSWORD
    )
    assert user.role == "insured"
    assert user.portal_account.person == person
    assert user.check_password(PORTAL_PASSWORD)
    with pytest.raises(portal.ActivationRefused) as refused:
        portal.activate_portal_account(insz=person.insz, code=code, password=PORTAL_PASSWORD)
    assert refused.value.code == "invalid"  # used: the letter no longer works


def test_an_expired_code_does_not_work(coordinator, person):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    PortalActivation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(portal.ActivationRefused):
        portal.activate_portal_account(insz=person.insz, code=code, password=PORTAL_PASSWORD)


def test_five_wrong_codes_block_the_letter_even_with_the_right_code_after(coordinator, person):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    for _ in range(4):
        with pytest.raises(portal.ActivationRefused) as refused:
            portal.activate_portal_account(
                insz=person.insz, code="AAAA-BBBB-CCCC", password=PORTAL_PASSWORD
            )
        assert refused.value.code == "invalid"
    with pytest.raises(portal.ActivationRefused) as refused:
        portal.activate_portal_account(
            insz=person.insz, code="AAAA-BBBB-CCCC", password=PORTAL_PASSWORD
        )
    assert refused.value.code == "blocked"
    with pytest.raises(portal.ActivationRefused):
        portal.activate_portal_account(insz=person.insz, code=code, password=PORTAL_PASSWORD)
    assert PortalActivation.objects.get().failed_attempts == 5


def test_a_new_letter_replaces_the_old_one(coordinator, person):
    old = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    new = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    with pytest.raises(portal.ActivationRefused):
        portal.activate_portal_account(insz=person.insz, code=old, password=PORTAL_PASSWORD)
    assert portal.activate_portal_account(insz=person.insz, code=new, password=PORTAL_PASSWORD)


def test_a_weak_password_stores_nothing(coordinator, person):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    with pytest.raises(Exception) as error:
        portal.activate_portal_account(insz=person.insz, code=code, password="1234")
    assert not isinstance(error.value, portal.ActivationRefused)
    assert not PortalActivation.objects.filter(used_at__isnull=False).exists()
    assert portal.activate_portal_account(insz=person.insz, code=code, password=PORTAL_PASSWORD)


def test_only_staff_who_edit_people_issue_letters(users, person):
    from django.core.exceptions import PermissionDenied

    for role in ("staff", "manager"):
        with pytest.raises(PermissionDenied):
            portal.issue_portal_activation(user=users[role], person_id=person.pk)


def test_the_activation_page_in_french_says_what_is_wrong(client, coordinator, person):
    portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    response = client.post(
        reverse("portal:activate"),
        {"insz": person.insz, "code": "AAAA-BBBB-CCCC", "password1": PORTAL_PASSWORD,
         "password2": PORTAL_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert response.status_code == 200
    assert "ne correspondent pas à une lettre valable" in response.content.decode()


def test_the_activation_page_logs_the_person_in(client, coordinator, person, episode):
    code = portal.issue_portal_activation(user=coordinator, person_id=person.pk)
    response = client.post(
        reverse("portal:activate"),
        {"insz": "85073003328", "code": code, "password1": PORTAL_PASSWORD,
         "password2": PORTAL_PASSWORD},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_log_in_with_insz_and_password(client, insured):
    response = client.post(
        reverse("portal:login"), {"username": "85.07.30-033.28", "password": PORTAL_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_staff_cannot_log_in_on_the_portal(client, coordinator):
    response = client.post(
        reverse("portal:login"), {"username": coordinator.username, "password": "test-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
