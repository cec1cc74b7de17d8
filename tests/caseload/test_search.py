"""Search that forgives: names in any order, without accents or case, names with spaces
written as one word, birth date and postal code, INSZ with or without punctuation; results
paged with the true count and enough to tell namesakes apart; every search audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_insz
from tnw.audit.models import AuditEntry
from tnw.dossier import selectors, services
from tnw.dossier.models import Person
from tnw.dossier.searchkey import fold, search_key

URL = reverse("web:search")


def add(user, n: int, last: str, first: str, postal_code: str = "9000", city: str = "Gent"):
    return services.create_person(
        user=user, insz=make_insz(n), first_name=first, last_name=last, language="nl",
        postal_code=postal_code, city=city,
    )  # fmt: skip


@pytest.fixture
def people(coordinator):
    return {
        "lefebvre": add(coordinator, 1, "Lefèbvre", "Aurélie", "4000", "Liège"),
        "muller": add(coordinator, 2, "Müller", "Jürgen", "4700", "Eupen"),
        "bossche": add(coordinator, 3, "Van den Bossche", "Jan"),
        "masson": add(coordinator, 4, "Masson", "Olivier", "5000", "Namur"),
        "pieter": add(coordinator, 5, "Aerts", "Pieter"),
        "sara_gent": add(coordinator, 6, "Aerts", "Sara", "9000", "Gent"),
        "sara_leuven": add(coordinator, 7, "Aerts", "Sara", "3000", "Leuven"),
    }


def names(user, text: str) -> set[str]:
    return {row["name"] for row in selectors.find_people(user=user, text=text).rows}


def test_the_key_drops_accents_case_and_joins_names_with_spaces():
    assert fold("Lefèbvre") == "lefebvre" and fold("MÜLLER") == "muller"
    assert search_key("Van den Bossche", "Jan") == "van den bossche jan vandenbossche"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lefebvre", {"Lefèbvre Aurélie"}),
        ("LEFEBVRE aurelie", {"Lefèbvre Aurélie"}),
        ("Muller", {"Müller Jürgen"}),
        ("jurgen muller", {"Müller Jürgen"}),
        ("vandenbossche", {"Van den Bossche Jan"}),
        ("VAN DEN BOSSCHE", {"Van den Bossche Jan"}),
        ("Masson Olivier", {"Masson Olivier"}),
        ("olivier masson", {"Masson Olivier"}),
        ("Pieter Aerts", {"Aerts Pieter"}),
        ("mass", {"Masson Olivier"}),
        ("Aerts Sara 3000", {"Aerts Sara"}),
    ],
)
def test_names_are_found_whatever_the_order_accents_case_or_spaces(
    coordinator, people, text, expected
):
    assert names(coordinator, text) == expected


def test_postal_code_and_birth_date_tell_namesakes_apart(coordinator, people):
    found = selectors.find_people(user=coordinator, text="Aerts Sara 3000").rows
    assert [row["id"] for row in found] == [people["sara_leuven"].pk]
    born = people["masson"].birth_date
    found = selectors.find_people(user=coordinator, text=born.strftime("%d/%m/%Y")).rows
    assert people["masson"].pk in {row["id"] for row in found}
    assert all(row["birth_date"] == born for row in found)


def born(day: str, serial: int) -> str:
    """A valid national register number of someone born on `day` (YYMMDD, before 2000)."""
    base = f"{day}{serial:03d}"
    return base + f"{97 - int(base) % 97:02d}"


def test_namesakes_are_narrowed_by_postal_code_or_birth_year_in_the_same_query(coordinator):
    def bossche(day, serial, postal_code, city):
        return services.create_person(
            user=coordinator, insz=born(day, serial), first_name="Jan",
            last_name="Van den Bossche", language="nl", postal_code=postal_code, city=city,
        ).pk  # fmt: skip

    gent_75 = bossche("750612", 11, "9000", "Gent")
    gent_82 = bossche("820203", 13, "9000", "Gent")
    brugge_75 = bossche("750930", 15, "8000", "Brugge")
    antwerpen_00 = bossche("000101", 17, "2000", "Antwerpen")  # born 1900: not 2000

    def found(text):
        return {row["id"] for row in selectors.find_people(user=coordinator, text=text).rows}

    assert found("VAN DEN BOSSCHE") == {gent_75, gent_82, brugge_75, antwerpen_00}
    assert found("van den bossche 9000") == {gent_75, gent_82}
    assert found("van den bossche 1975") == {gent_75, brugge_75}
    assert found("1975 vandenbossche") == {gent_75, brugge_75}
    assert found("van den bossche 9000 1975") == {gent_75}
    assert found("van den bossche 2000") == {antwerpen_00}  # the postal code of Antwerpen
    assert found("van den bossche 1900") == {antwerpen_00}  # the year of birth
    assert found("van den bossche 1976") == set()
    rows = selectors.find_people(user=coordinator, text="van den bossche 1975").rows
    assert {(r["birth_date"].isoformat(), r["postal_code"], r["city"]) for r in rows} == {
        ("1975-06-12", "9000", "Gent"), ("1975-09-30", "8000", "Brugge"),
    }  # fmt: skip


def test_insz_with_or_without_punctuation_opens_the_dossier(coordinator, people, client_for):
    digits = people["masson"].insz
    dotted = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"
    for text in (digits, dotted, f"{digits[:6]} {digits[6:9]} {digits[9:]}"):
        response = client_for(coordinator).get(URL, {"q": text})
        assert response.status_code == 302
        assert response["Location"] == reverse("web:dossier", args=[people["masson"].pk])


def test_results_are_paged_with_the_true_count(coordinator, client_for):
    for n in range(60):
        add(coordinator, 100 + n, "Dubois", f"Jean{n:02d}")
    client = client_for(coordinator, "en")
    first = client.get(URL, {"q": "dubois"}).content.decode()
    assert "60 people match: 1 to 50" in first and "Page 1 of 2" in first
    # More than a page: how to narrow it, with the query itself as the example.
    assert "Add a postal code or a year or date of birth to the name" in first
    assert "“dubois 1975”" in first
    dutch = client_for(coordinator, "nl").get(URL, {"q": "dubois"}).content.decode()
    assert "Voeg een postcode of een geboortejaar of -datum toe aan de naam" in dutch
    second = client.get(URL, {"q": "dubois", "page": 2}).content.decode()
    assert "60 people match: 51 to 60" in second
    shown = first.count(">Dubois Jean") + second.count(">Dubois Jean")
    assert shown == 60


def test_results_show_birth_date_city_stage_and_coordinator(coordinator, episode, client_for):
    html = client_for(coordinator, "en").get(URL, {"q": "peeters"}).content.decode()
    assert "30/07/1985" in html and "9000 Gent" in html
    assert "new incapacity" in html
    assert (coordinator.get_full_name() or coordinator.username) in html


def test_staff_see_no_stage(users, episode, client_for):
    html = client_for(users["staff"], "en").get(URL, {"q": "peeters"}).content.decode()
    assert "Peeters Jan" in html and "new incapacity" not in html


def test_every_search_is_audited_with_whose_names_came_back(coordinator, people):
    selectors.find_people(user=coordinator, text="aerts sara")
    entry = AuditEntry.objects.filter(object_type="dossier.search").order_by("-pk").first()
    assert entry.changes["search"] == "aerts sara"
    assert set(entry.changes["found"]) == {people["sara_gent"].pk, people["sara_leuven"].pk}


def test_a_renamed_person_is_found_by_the_new_name(coordinator, people):
    person = people["pieter"]
    services.update_person(
        user=coordinator, person_id=person.pk, expected_version=person.version,
        last_name="Ärts-Van Dyck",
    )  # fmt: skip
    assert names(coordinator, "arts van dyck") == {"Ärts-Van Dyck Pieter"}
    assert Person.objects.get(pk=person.pk).search_name.endswith("artsvandyck")


def test_another_mutuality_finds_nobody(outsiders, people):
    assert names(outsiders["coordinator"], "masson") == set()


def test_birth_dates_that_do_not_exist_are_no_error(coordinator, people):
    assert names(coordinator, "31/02/1985") == set()
    born_1970 = {f"{p.last_name} {p.first_name}" for p in people.values()}  # make_insz: 1970
    assert names(coordinator, "1970-01-01") == names(coordinator, "01.01.1970") == born_1970
