"""A copy of one's own dossier (GDPR art. 15), within the limits of medical secrecy."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import register
from tnw.audit.models import AuditEntry
from tnw.dossier.services import record_health

pytestmark = pytest.mark.django_db


def test_the_copy_has_the_dossier_without_medical_content(
    portal_client, insured, episode, physician, neighbour
):
    register(physician, episode, "questionnaire_sent", date(2026, 6, 20))
    register(physician, episode, "capacity_assessed", date(2026, 9, 1), category=2,
             medical_exam=False)  # fmt: skip
    record_health(user=physician, episode_id=episode.pk, kind="diagnosis",
                  text="secret diagnosis", recorded_on=date(2026, 9, 1))  # fmt: skip
    response = portal_client.get(reverse("portal:my_data") + "?download=json")
    assert response["Content-Disposition"].startswith("attachment")
    copy = json.loads(response.content)
    assert copy["person"]["insz"] == "85073003328"
    [ep] = copy["episodes"]
    types = [r["type"] for r in ep["registrations"]]
    assert types == ["questionnaire_sent", "capacity_assessed"]
    assessed = ep["registrations"][1]
    assert assessed["fields"] == {} and assessed["medical_data_withheld"] is True
    assert ep["health_records_with_the_advising_physician"] == 1
    text = response.content.decode()
    assert "secret diagnosis" not in text and "Els" not in text
    reads = AuditEntry.objects.filter(actor_id=insured.pk, action="read", channel="portal")
    assert any("GDPR" in str(entry.changes) for entry in reads)


def test_the_page_explains_in_the_persons_language(portal_client):
    page = portal_client.get(reverse("portal:my_data"), HTTP_ACCEPT_LANGUAGE="de")
    assert "DSGVO" in page.content.decode()
