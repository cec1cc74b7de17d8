"""The employer's number of workers through the API (CODEX 2026, docs/rules.md 9.3): opening
an episode with it, a bad value refused naming the field in the caller's language (nothing
stored), the bulk import's rows, and the OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

WORDS = {"en": "workers", "nl": "werknemers", "fr": "travailleurs", "de": "Arbeitnehmer"}


def _open(api, person, **extra):
    body = {"person": person.pk, "start": "2026-01-05", "employment_contract": True, **extra}
    return api.post("/api/v1/episodes/", body, format="json")


@pytest.mark.parametrize("workers", [0, 20, 1_000_000, None])
def test_an_episode_opens_with_the_number_of_workers(api, person, workers):
    from tnw.dossier.models import Episode

    response = _open(api, person, employer_workers=workers)
    assert response.status_code == 201, response.content
    assert Episode.objects.get(pk=response.json()["id"]).employer_workers == workers


@pytest.mark.parametrize(
    ("value", "code"),
    [(-1, "min_value"), ("20", "invalid"), (2.5, "invalid"), (True, "invalid"),
     (1_000_001, "max_value")],
)  # fmt: skip
def test_a_bad_number_is_refused_naming_the_field_in_the_callers_language(
    coordination, person, value, code
):
    from tnw.dossier.models import Episode

    for language, word in WORDS.items():
        response = _open(client_for(coordination.token, language), person, employer_workers=value)
        assert response.status_code == 400, response.content
        problem = response.json()
        assert problem["code"] == "invalid"
        [param] = problem["invalid_params"]
        assert (param["name"], param["code"]) == ("employer_workers", code)
        assert word in param["reason"], (language, param["reason"])
    assert Episode.objects.count() == 0


def test_the_bulk_import_takes_the_number_and_refuses_a_negative_row(api):
    from tnw.dossier.models import Episode

    row = {"insz": "85073003328", "first_name": "Jan", "last_name": "Peeters",
           "language": "nl", "start": "2026-01-05", "employment_contract": True}  # fmt: skip
    rows = [
        {**row, "source_key": "A1", "employer_workers": 25},
        {**row, "source_key": "A2", "insz": "17073003384", "employer_workers": -4},
    ]
    response = api.post("/api/v1/imports/", {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    report = response.json()
    assert (report["stored"], report["refused"]) == (1, 1)
    [refusal] = report["refusals"]
    assert (refusal["line"], refusal["field"]) == (2, "employer_workers")
    assert refusal["code"] == "invalid"
    assert list(Episode.objects.values_list("employer_workers", flat=True)) == [25]
    wrong_type = api.post("/api/v1/imports/", {"rows": [{**rows[0], "employer_workers": "25"}]},
                          format="json")  # fmt: skip
    assert wrong_type.status_code == 400
    assert wrong_type.json()["invalid_params"][0]["name"] == "rows.0.employer_workers"


def test_the_schema_describes_the_number_of_workers(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    field = components["EpisodeInRequest"]["properties"]["employer_workers"]
    assert field["minimum"] == 0 and field["maximum"] == 1_000_000
    assert "null" in field["type"] and "20 or more" in field["description"]
    assert "employer_workers" not in components["EpisodeInRequest"].get("required", [])
    assert "employer_workers" in components["ImportRowRequest"]["properties"]
