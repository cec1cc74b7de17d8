"""People: INSZ or bis number validated with python-stdnum, any common formatting, 11 digits
stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tnw.dossier.identity import normalise_insz
from tnw.dossier.services import create_person


@pytest.mark.parametrize(
    ("text", "digits", "kind"),
    [
        ("85073003328", "85073003328", "nn"),
        ("85.07.30-033.28", "85073003328", "nn"),
        ("850730 033 28", "85073003328", "nn"),
        (" 85 07 30 033 28 ", "85073003328", "nn"),
        ("17.07.30-033.84", "17073003384", "nn"),  # born 2017: check digit with the 2 prefix
        ("98.47.28-997.65", "98472899765", "bis"),
        ("01490700185", "01490700185", "bis"),
    ],
)
def test_accepted_formats(text, digits, kind):
    assert normalise_insz(text) == (digits, kind)


@pytest.mark.parametrize(
    "text", ["85073003329", "8507300332", "850730033281", "abcdefghijk", "", "93051822362"]
)
def test_invalid_numbers_are_refused(text):
    with pytest.raises(ValidationError, match="not a valid INSZ or bis number"):
        normalise_insz(text)


def test_a_person_stores_the_digits_kind_and_birth_date(coordinator):
    person = create_person(
        user=coordinator, insz="98.47.28-997.65", first_name="A", last_name="B", language="de"
    )
    assert person.insz == "98472899765"
    assert person.number_kind == "bis"
    assert person.birth_date.isoformat() == "1998-07-28"


def test_the_same_person_twice_is_refused(coordinator, person):
    with pytest.raises(ValidationError, match="already exists"):
        create_person(
            user=coordinator, insz="850730 033 28", first_name="J", last_name="P", language="nl"
        )


def test_language_must_be_nl_fr_or_de(coordinator):
    with pytest.raises(ValidationError, match="language"):
        create_person(
            user=coordinator, insz="17073003384", first_name="J", last_name="P", language="en"
        )
