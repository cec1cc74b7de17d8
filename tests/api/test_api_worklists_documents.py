"""The API's worklists, documents and the whole timeline (presumptions, sanctions,
violations): through the worklists', documents' and dossier's selectors, per scope and per
mutuality, audited with the client's service account."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import client_for
from tests.conftest import TODAY, open_episode, register
from tnw.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ziv(coordinator, physician, person):
    """Routing B to a running ZIV trajectory (situation A) from 2026-10-01, its plan drawn up
    on 2026-10-20."""
    episode = open_episode(coordinator, person, date(2026, 6, 1), coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(coordinator, episode, "first_contact", date(2026, 9, 15), mode="physical",
             consent=True, outcome="ziv", form_reference="ANNEX-III-0001")  # fmt: skip
    register(coordinator, episode, "permission_requested", date(2026, 9, 16))
    register(physician, episode, "permission_decided", date(2026, 9, 20), granted=True)
    register(coordinator, episode, "ziv_started", date(2026, 10, 1), situation="A",
             form_reference="ANNEX-IV-0001")  # fmt: skip
    register(coordinator, episode, "plan_drawn_up", date(2026, 10, 20), objectives=["memory"],
             end_result="80% admin job", actions=["training"],
             next_appointment="2026-12-01")  # fmt: skip
    return episode


# --- The whole timeline -----------------------------------------------------------------------


def test_timeline_has_the_presumption_of_a_ziv_trajectory(api, ziv):
    body = api.get(f"/api/v1/episodes/{ziv.pk}/timeline/").json()
    # Circular VI: presumed incapacitated from the day the first ZIV plan is drawn up, for six
    # months minus one day: 2026-10-20 + 6 months = 2027-04-20, minus one day.
    [presumption] = body["presumptions"]
    assert presumption["kind"] == "ziv"
    assert (presumption["start"], presumption["end"]) == ("2026-10-20", "2027-04-19")
    assert presumption["basis"]
    assert body["sanctions"] == [] and body["violations"] == []
    assert {"obligations", "episode", "version"} <= set(body)


def test_timeline_read_is_one_audit_entry_as_the_client(api, coordination, ziv):
    before = AuditEntry.objects.count()
    api.get(f"/api/v1/episodes/{ziv.pk}/timeline/")
    entries = AuditEntry.objects.order_by("seq")[before:]
    assert entries
    assert {e.actor_id for e in entries} == {coordination.client.user_id}
    assert {e.channel for e in entries} == {"api"}


# --- Worklists ---------------------------------------------------------------------------------


def _all_pages(api, url: str, **query) -> list[dict]:
    items, page = [], api.get(url, {**query, "limit": 1})
    while True:
        assert page.status_code == 200, page.content
        body = page.json()
        items += body["results"]
        if body["next"] is None:
            return items
        assert len(body["results"]) == 1
        page = api.get(body["next"])


def test_a_coordinators_worklist_in_pages_equals_the_screens_list(api, ziv, coordinator):
    from django.utils import timezone

    from tnw.worklists.selectors import worklist_for

    url = f"/api/v1/worklists/{coordinator.username}/"
    whole = api.get(url).json()
    assert whole["user"] == coordinator.username and whole["next"] is None
    screen = worklist_for(coordinator, today=timezone.localdate())
    assert [i["obligation_id"] for i in whole["results"]] == [i.obligation_id for i in screen]
    assert len(screen) >= 2  # the ZIV plan and its follow-up at least
    # Page by page (one item each) gives the same list, nothing twice, nothing left out.
    paged = _all_pages(api, url)
    assert [i["obligation_id"] for i in paged] == [i.obligation_id for i in screen]


def test_worklist_filters(api, ziv, coordinator):
    url = f"/api/v1/worklists/{coordinator.username}/"
    everything = api.get(url).json()["results"]
    kind = everything[0]["code"]
    only = api.get(url, {"kind": kind}).json()["results"]
    assert only and {i["code"] for i in only} == {kind}
    overdue = api.get(url, {"status": "overdue"}).json()["results"]
    assert {i["status"] for i in overdue} <= {"overdue"}
    assert api.get(url, {"status": "done"}).status_code == 400  # not a worklist status
    assert api.get(url, {"assignee": "nobody"}).json()["results"] == []
    with_physician = api.get(url, {"assignee": "advising_physician"}).json()["results"]
    assert len(with_physician) == len(everything)
    window = api.get(url, {"due_from": "2000-01-01", "due_before": "2000-01-02"}).json()
    assert window["results"] == []
    bad = api.get(url, {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert bad.json()["invalid_params"][0]["name"] == "cursor"


def test_a_bad_cursor_is_explained_in_the_clients_language(coordination, coordinator):
    api = client_for(coordination.token, "fr")
    bad = api.get(f"/api/v1/worklists/{coordinator.username}/", {"cursor": "xyz"}).json()
    assert "curseur" in bad["invalid_params"][0]["reason"]


def test_worklist_access(api, physicians_api, issue, ziv, physician, outsiders):
    # Another mutuality's user is not found, as a missing one.
    other = outsiders["coordinator"].username
    assert api.get(f"/api/v1/worklists/{other}/").status_code == 404
    assert api.get("/api/v1/worklists/nobody/").status_code == 404
    # A physician's worklist is health data: only for a physicians' system.
    url = f"/api/v1/worklists/{physician.username}/"
    refused = api.get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert physicians_api.get(url).status_code == 200
    # Missing scope.
    writer = client_for(issue("writer", ["events.write"]).token)
    missing = writer.get(f"/api/v1/worklists/{physician.username}/")
    assert missing.status_code == 403 and missing.json()["code"] == "missing_scope"


def test_worklist_read_is_audited_with_the_client_and_the_people(api, coordination, ziv,
                                                                 coordinator):  # fmt: skip
    api.get(f"/api/v1/worklists/{coordinator.username}/")
    entry = AuditEntry.objects.filter(object_type="worklists.worklist").latest("seq")
    assert entry.actor_id == coordination.client.user_id and entry.channel == "api"
    assert entry.changes["people"] == [ziv.person_id]
    assert entry.changes["read"] == f"worklist of {coordinator.username}"


# --- Documents ---------------------------------------------------------------------------------


@pytest.fixture
def assessed(coordinator, physician, person):
    """Routing A, category 2 after an examination (Annex I holds health data)."""
    episode = open_episode(coordinator, person, date(2026, 6, 1), coordinator=coordinator,
                           advising_physician=physician)  # fmt: skip
    register(physician, episode, "questionnaire_sent", date(2026, 8, 10), today=date(2026, 8, 12))
    register(physician, episode, "questionnaire_received", date(2026, 8, 20))
    register(physician, episode, "capacity_assessed", date(2026, 9, 15), category=2,
             medical_exam=True)  # fmt: skip
    return episode


def test_documents_list_and_pdf(api, physicians_api, assessed, coordinator, physician):
    from tnw.documents import services

    letter = services.issue(user=coordinator, episode_id=assessed.pk,
                            kind="questionnaire_letter", language="nl", today=TODAY)  # fmt: skip
    annex = services.issue(user=physician, episode_id=assessed.pk, kind="annex_i",
                           language="nl", today=TODAY,
                           inputs={"motivation": "Hervatting niet haalbaar"})  # fmt: skip
    rows = api.get(f"/api/v1/episodes/{assessed.pk}/documents/").json()
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {letter.pk, annex.pk}
    assert by_id[annex.pk]["restricted"] and not by_id[letter.pk]["restricted"]
    assert by_id[letter.pk]["sha256"] == letter.sha256
    pdf = api.get(f"/api/v1/documents/{letter.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(letter.pdf)
    # Health data: the coordinators' system may not read Annex I, the physicians' may.
    assert api.get(f"/api/v1/documents/{annex.pk}/pdf").status_code == 403
    medical = physicians_api.get(f"/api/v1/documents/{annex.pk}/pdf")
    assert medical.status_code == 200 and medical.content == bytes(annex.pdf)
    assert not physicians_api.get(f"/api/v1/episodes/{assessed.pk}/documents/").json()[0][
        "restricted"
    ]
    read = AuditEntry.objects.filter(object_type="documents.issued_document", action="read")
    assert {e.channel for e in read} == {"api"}


def test_documents_of_another_mutuality_are_not_found(issue, other_mutuality, assessed,
                                                      coordinator):  # fmt: skip
    from tnw.documents import services

    letter = services.issue(user=coordinator, episode_id=assessed.pk,
                            kind="questionnaire_letter", language="nl", today=TODAY)  # fmt: skip
    outsider = client_for(issue("other", ["timelines.read"], other_mutuality.code).token)
    assert outsider.get(f"/api/v1/episodes/{assessed.pk}/documents/").status_code == 404
    assert outsider.get(f"/api/v1/documents/{letter.pk}/pdf").status_code == 404
    assert outsider.get("/api/v1/documents/999999/pdf").status_code == 404
