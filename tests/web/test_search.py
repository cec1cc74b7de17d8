"""Search a person by INSZ in any common formatting, by name or by dossier number."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "text",
    ["85.07.30-033.28", "85073003328", "850730 033 28", " 85 07 30 033 28 ", "850730-033.28"],
)
def test_insz_in_any_formatting_opens_the_dossier(text, coordinator, person, client_for):
    response = client_for(coordinator).get(reverse("web:search"), {"q": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dossier", args=[person.pk])


@pytest.mark.parametrize("text", ["Peet", "peeters", "Jan"])
def test_by_name(text, coordinator, person, client_for):
    response = client_for(coordinator).get(reverse("web:search"), {"q": text})
    assert response.status_code == 200
    assert [r["id"] for r in response.context["results"]] == [person.pk]
    assert "85.07.30-033.28" in response.content.decode()


@pytest.mark.parametrize("form", ["{}", "TNW-{}", "#{}", "tnw {}"])
def test_by_dossier_number(form, coordinator, person, client_for):
    response = client_for(coordinator).get(reverse("web:search"), {"q": form.format(person.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dossier", args=[person.pk])


def test_four_digits_are_a_dossier_number_and_a_postal_code(coordinator, person, client_for):
    """Ids reach four digits (on PostgreSQL sequences go on across tests): "1000" is here Peeters's
    postal code and may be a dossier number too; both are looked up, and one match opens it."""
    from tnw.dossier.models import Person

    Person.objects.filter(pk=person.pk).update(postal_code="1000")
    response = client_for(coordinator).get(reverse("web:search"), {"q": "1000"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dossier", args=[person.pk])
    response = client_for(coordinator).get(reverse("web:search"), {"q": "9999"})
    assert response.status_code == 200
    assert response.context["results"] == []


def test_nothing_found_and_other_mutualities_stay_hidden(person, outsiders, client_for):
    client = client_for(outsiders["coordinator"], "fr")
    for text in ("85.07.30-033.28", "Peeters", str(person.pk)):
        response = client.get(reverse("web:search"), {"q": text})
        assert response.status_code == 200
        assert response.context["results"] == []
        assert "Personne trouvé pour" in response.content.decode()


def test_staff_may_search(users, person, client_for):
    response = client_for(users["staff"]).get(reverse("web:search"), {"q": "Peeters"})
    assert [r["id"] for r in response.context["results"]] == [person.pk]
