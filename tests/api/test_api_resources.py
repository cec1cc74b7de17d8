"""The API's resources: people, episodes, registrations, timeline, the stateless rules
evaluation; ETag/If-Match, idempotency keys, problem details in the caller's language."""

from __future__ import annotations

import pytest

from tests.api.conftest import client_for
from tests.conftest import INSZ

pytestmark = pytest.mark.django_db

PERSON = {"insz": "85.07.30-033.28", "first_name": "An", "last_name": "Claes", "language": "nl"}


def _registration(api, episode_id: int, body: dict, **headers):
    return api.post(f"/api/v1/episodes/{episode_id}/registrations/", body, format="json", **headers)


def test_create_a_person_and_read_it_back(api):
    created = api.post("/api/v1/people/", PERSON, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["insz"] == "85073003328"
    assert body["birth_date"] == "1985-07-30"  # from the INSZ
    assert api.get(f"/api/v1/people/{body['id']}/").json() == body
    found = api.get("/api/v1/people/", {"q": "85073003328"}).json()
    assert [row["id"] for row in found] == [body["id"]]


def test_an_invalid_insz_names_the_field_in_the_callers_language(coordination):
    for language, words in (("nl", "geldig"), ("fr", "valide"), ("en", "valid")):
        api = client_for(coordination.token, language)
        response = api.post("/api/v1/people/", {**PERSON, "insz": "85073003329"}, format="json")
        assert response.status_code == 400
        problem = response.json()
        assert problem["code"] == "invalid"
        [param] = problem["invalid_params"]
        assert param["name"] == "insz" and param["code"] == "invalid_insz"
        assert words in param["reason"].lower()


def test_a_duplicate_insz_is_refused_with_its_code(api):
    assert api.post("/api/v1/people/", PERSON, format="json").status_code == 201
    again = api.post("/api/v1/people/", PERSON, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate"


def test_open_an_episode_with_etag(api, person):
    response = api.post(
        "/api/v1/episodes/",
        {"person": person.pk, "start": "2026-06-01", "employment_contract": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["ETag"] == f'"{body["version"]}"'
    read = api.get(f"/api/v1/episodes/{body['id']}/")
    assert read.json() == body and read["ETag"] == response["ETag"]


def test_register_an_event_with_if_match_then_a_stale_version_is_412(api, api_episode):
    etag = api.get(f"/api/v1/episodes/{api_episode.pk}/")["ETag"]
    body = {"type": "spontaneous_request", "date": "2026-09-01"}
    done = _registration(api, api_episode.pk, body, HTTP_IF_MATCH=etag)
    assert done.status_code == 201, done.content
    assert done.json()["type"] == "spontaneous_request"
    assert done["ETag"] != etag
    stale = _registration(
        api, api_episode.pk, {"type": "first_contact", "date": "2026-09-10",
                              "fields": {"mode": "phone", "consent": False, "outcome": "none"}},
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"


def test_a_write_without_a_version_is_428(api, api_episode):
    response = _registration(api, api_episode.pk, {"type": "spontaneous_request",
                                                   "date": "2026-09-01"})  # fmt: skip
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


def test_the_engines_refusal_is_422_with_its_code_in_the_callers_language(
    coordination, api_episode
):
    from tnw.dossier.models import Registration

    # A first contact before any request or referral has no legal basis.
    body = {"type": "ziv_started", "date": "2026-09-01", "expected_version": 1,
            "fields": {"situation": "A"}}  # fmt: skip
    answers = {}
    for language in ("nl", "fr", "en"):
        response = _registration(client_for(coordination.token, language), api_episode.pk, body)
        assert response.status_code == 422, response.content
        answers[language] = response.json()
    codes = {a["code"] for a in answers.values()}
    assert len(codes) == 1 and codes != {"invalid"}
    assert answers["nl"]["detail"] != answers["en"]["detail"]
    assert answers["fr"]["detail"] != answers["en"]["detail"]
    assert answers["en"]["invalid_params"][0]["code"] == answers["en"]["code"]
    assert not Registration.objects.filter(episode=api_episode).exists()


def test_a_replayed_idempotency_key_answers_the_same_and_stores_once(api, api_episode):
    from tnw.dossier.models import Registration

    body = {"type": "spontaneous_request", "date": "2026-09-01", "expected_version": 1}
    first = _registration(api, api_episode.pk, body, HTTP_IDEMPOTENCY_KEY="req-1")
    again = _registration(api, api_episode.pk, body, HTTP_IDEMPOTENCY_KEY="req-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(episode=api_episode).count() == 1
    other = _registration(api, api_episode.pk, {**body, "date": "2026-09-02"},
                          HTTP_IDEMPOTENCY_KEY="req-1")  # fmt: skip
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_failed_request_does_not_burn_its_idempotency_key(api, api_episode):
    body = {"type": "spontaneous_request", "date": "2026-09-01", "expected_version": 7}
    assert _registration(api, api_episode.pk, body, HTTP_IDEMPOTENCY_KEY="k").status_code == 412
    fixed = {**body, "expected_version": 1}
    assert _registration(api, api_episode.pk, fixed, HTTP_IDEMPOTENCY_KEY="k").status_code == 201


def test_timeline_with_filters(api, api_episode):
    everything = api.get(f"/api/v1/episodes/{api_episode.pk}/timeline/").json()
    assert everything["episode"] == api_episode.pk
    statuses = {o["status"] for o in everything["obligations"]}
    assert statuses
    one = sorted(statuses)[0]
    only = api.get(f"/api/v1/episodes/{api_episode.pk}/timeline/", {"status": one}).json()
    assert {o["status"] for o in only["obligations"]} == {one}
    wrong = api.get(f"/api/v1/episodes/{api_episode.pk}/timeline/", {"status": "late"})
    assert wrong.status_code == 400 and wrong.json()["invalid_params"][0]["name"] == "status"


def test_health_data_only_for_a_physicians_system(api, physicians_api, api_episode, physician):
    from datetime import date

    from tests.conftest import register

    register(physician, api_episode, "questionnaire_sent", date(2026, 8, 10))
    register(physician, api_episode, "questionnaire_received", date(2026, 8, 20))
    register(physician, api_episode, "capacity_assessed", date(2026, 8, 25), category=1,
             medical_exam=False)  # fmt: skip
    url = f"/api/v1/episodes/{api_episode.pk}/timeline/"
    medical = {"category1_reexamination", "category3_examination"}
    physicians = {o["code"] for o in physicians_api.get(url).json()["obligations"]}
    coordinators = {o["code"] for o in api.get(url).json()["obligations"]}
    assert physicians & medical
    assert not coordinators & medical


def test_rules_timeline_stores_nothing(api):
    from tnw.dossier.models import Episode

    facts = {"incapacity_start": "2026-01-05", "employment_contract": False, "events": []}
    response = api.post("/api/v1/rules/timeline", {"facts": facts, "as_of": "2026-06-01"},
                        format="json")  # fmt: skip
    assert response.status_code == 200
    codes = {o["code"] for o in response.json()["obligations"]}
    assert "send_questionnaire" in codes
    assert not Episode.objects.exists()
    bad = api.post("/api/v1/rules/timeline", {"facts": {"events": 3}, "as_of": "2026-06-01"},
                   format="json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_mutualities_directory(api, mutuality):
    [row] = api.get("/api/v1/mutualities/").json()
    assert row["code"] == "203" and row["contacts"][0]["email"] == "terugnaarwerk@vnz.be"


def test_schema_and_swagger_ui_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-dist" in page or "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


def test_insz_constant_is_valid():
    from stdnum.be import nn

    assert nn.is_valid(INSZ[0])


def test_bulk_import_reports_per_row_and_is_idempotent(api, coordination):
    from tnw.dossier.models import Episode

    rows = [
        {"source_key": "A1", "insz": "85073003328", "first_name": "Jan", "last_name": "Peeters",
         "language": "nl", "start": "2026-03-02", "employment_contract": True},
        {"source_key": "A2", "insz": "85073003329", "first_name": "An", "last_name": "Claes",
         "language": "nl", "start": "2026-03-02", "employment_contract": False},
    ]  # fmt: skip
    first = api.post("/api/v1/imports/", {"rows": rows}, format="json")
    assert first.status_code == 201, first.content
    report = first.json()
    assert (report["stored"], report["refused"]) == (1, 1)
    [refusal] = report["refusals"]
    assert (refusal["line"], refusal["key"], refusal["field"]) == (2, "A2", "insz")
    again = api.post("/api/v1/imports/", {"rows": rows}, format="json").json()
    assert (again["stored"], again["unchanged"], again["refused"]) == (0, 1, 1)
    assert Episode.objects.count() == 1
    assert api.get(f"/api/v1/imports/{report['id']}/").json() == report


def test_bulk_import_needs_the_import_scope(issue):
    writer = client_for(issue("writer", ["events.write"]).token)
    response = writer.post("/api/v1/imports/", {"rows": [{"source_key": "x"}]}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "missing_scope"


PLAN = {"objectives": ["stage"], "end_result": "job", "next_appointment": "2026-11-20",
        "actions": ["opleiding bij de VDAB", "werkpost aanpassen"]}  # fmt: skip


def test_a_plan_names_who_does_each_action(api, ziv_episode):
    """The plan's `action_by` (issue 16) is taken in and stored with the plan version (the API
    shows no plan of its own); a party that is not in the list, or one too few, names the
    field."""
    from tnw.dossier.models import Episode, PlanVersion

    version = Episode.objects.get(pk=ziv_episode.pk).version
    wrong = _registration(api, ziv_episode.pk, {
        "type": "plan_drawn_up", "date": "2026-10-20", "expected_version": version,
        "fields": {**PLAN, "action_by": ["regional_service"]}})  # fmt: skip
    assert wrong.status_code == 400, wrong.content
    assert "action_by" in str(wrong.json()["invalid_params"])
    done = _registration(api, ziv_episode.pk, {
        "type": "plan_drawn_up", "date": "2026-10-20", "expected_version": version,
        "fields": {**PLAN, "action_by": ["regional_service", "employer"]}})  # fmt: skip
    assert done.status_code == 201, done.content
    assert PlanVersion.objects.get(episode=ziv_episode).action_by == ["regional_service",
                                                                      "employer"]  # fmt: skip
