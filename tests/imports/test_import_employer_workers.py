"""The employer's number of workers in the bulk import (CODEX 2026, docs/rules.md 9.3): stored
on the episode, a negative or non-whole number refuses the row (nothing stored) with a reason
in the reader's language, an empty value changes nothing (an older file stays unchanged)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.utils import translation

from tnw.imports.rows import digest_of, read_csv
from tnw.imports.services import run_import

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)
HEADER = (
    "source_key,insz,first_name,last_name,language,start,employment_contract,employer_workers\n"
)
OLD_COLUMNS = (
    "source_key", "insz", "first_name", "last_name", "language", "birth_date", "start",
    "employment_contract", "employer_name", "employer_number", "end",
)  # fmt: skip


def _run(user, text: str):
    return run_import(user=user, records=read_csv(text), source="test.csv",
                      channel="test:import", today=TODAY)  # fmt: skip


def test_the_number_of_workers_is_stored_on_the_episode(coordinator):
    from tnw.dossier.models import Episode

    batch = _run(coordinator, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-01-05,yes,25\n"
                 "K2,17073003384,Lotte,Janssens,nl,2026-01-05,yes,\n")  # fmt: skip
    assert (batch.stored, batch.refused) == (2, 0), batch.refusals
    workers = dict(Episode.objects.values_list("person__insz", "employer_workers"))
    assert workers == {"85073003328": 25, "17073003384": None}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-1", {"en": "0 or more", "nl": "0 of meer", "fr": "0 ou plus", "de": "0 oder mehr"}),
        ("2.5", {"en": "whole number", "nl": "geen geheel", "fr": "nombre entier",
                 "de": "ganze Zahl"}),
        ("many", {"en": "whole number", "nl": "geen geheel", "fr": "nombre entier",
                  "de": "ganze Zahl"}),
        ("1000001", {"en": "at most", "nl": "hoogstens", "fr": "au plus", "de": "höchstens"}),
    ],
)  # fmt: skip
def test_a_bad_number_refuses_the_row_and_stores_nothing(coordinator, value, words):
    from tnw.dossier.models import Episode, Person

    for language, expected in words.items():
        with translation.override(language):
            batch = _run(coordinator, HEADER + f"K{language},85073003328,Jan,Peeters,nl,"
                         f"2026-01-05,yes,{value}\n")  # fmt: skip
        assert (batch.stored, batch.refused) == (0, 1)
        [refusal] = batch.refusals
        assert (refusal["line"], refusal["field"], refusal["code"]) == (2, "employer_workers",
                                                                        "invalid")  # fmt: skip
        assert expected in refusal["reason"] and value in refusal["reason"], refusal["reason"]
    assert Person.objects.count() == 0 and Episode.objects.count() == 0


def test_a_row_without_the_column_keeps_the_digest_of_the_earlier_format():
    values = {"source_key": "K1", "insz": "85073003328", "first_name": "Jan",
              "last_name": "Peeters", "language": "nl", "start": "2026-01-05",
              "employment_contract": "yes"}  # fmt: skip
    before = json.dumps({name: values.get(name, "") for name in OLD_COLUMNS}, sort_keys=True)
    assert digest_of(values) == hashlib.sha256(before.encode()).hexdigest()
    assert digest_of({**values, "employer_workers": ""}) == digest_of(values)
    assert digest_of({**values, "employer_workers": "20"}) != digest_of(values)


def test_a_changed_row_sets_the_number_and_an_empty_one_keeps_it(issue):
    from tnw.dossier.models import Episode

    service = issue("benefits", ["imports.write"]).client.user
    _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-01-05,yes,\n")
    assert Episode.objects.get().employer_workers is None
    batch = _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-01-05,yes,30\n")
    assert (batch.updated, batch.refused) == (1, 0)
    assert Episode.objects.get().employer_workers == 30
    batch = _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-01-12,yes,\n")
    assert (batch.updated, batch.refused) == (1, 0)
    episode = Episode.objects.get()
    assert (episode.start, episode.employer_workers) == (date(2026, 1, 12), 30)
    batch = _run(service, HEADER + "K1,85073003328,Jan,Peeters,nl,2026-01-12,yes,-3\n")
    assert (batch.updated, batch.refused) == (0, 1)
    assert Episode.objects.get().employer_workers == 30
