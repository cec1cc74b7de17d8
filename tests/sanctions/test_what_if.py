"""The what-if comparison on the dossier ("what would change under other rules"), through the
dossier selector; hand-computed from docs/rules.md section 9."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.sanctions.test_dossier_sanctions import _second_absence
from tnw.dossier import selectors


def test_the_selector_compares_the_law_with_the_2022_rules(episode, physician):
    _second_absence(physician, episode)
    found = selectors.compare_regimes(
        user=physician, episode_id=episode.pk, regimes={"tnw": "2022-09-01"},
        today=date(2026, 11, 24),
    )  # fmt: skip
    # Incapacity of 1-6-2026: the 2022 rules have no sanction procedure, so the registered
    # letter (due 15-10-2026, one month after 15-9-2026) and the 10% reduction from 6-10-2026
    # disappear.
    assert [(d["kind"], d["what"], d["code"]) for d in found["differences"]] == [
        ("dropped", "obligation", "registered_letter_examination"),
        ("dropped", "sanction", "medical_examination"),
    ]
    assert found["differences"][0]["before"]["due"] == "2026-10-15"
    assert found["after"]["tnw"] == "2022-09-01"


def test_the_page_in_dutch(episode, physician, client_for):
    _second_absence(physician, episode)
    url = reverse("sanctions:compare", args=[episode.pk])
    html = client_for(physician, "nl").get(url + "?under=2022").content.decode()
    assert "Wat zou er veranderen onder andere regels" in html
    assert "niet meer onder deze regels" in html
    assert "15/10/2026" in html


def test_the_dossier_page_links_to_the_comparison(episode, physician, client_for):
    html = (
        client_for(physician, "fr")
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    assert reverse("sanctions:compare", args=[episode.pk]) + "?under=2026" in html
    assert "Qu&#x27;est-ce qui changerait sous les règles de 2026" in html or (
        "Qu'est-ce qui changerait sous les règles de 2026" in html
    )


def test_rules_that_do_not_exist_get_a_clear_message(episode, physician, client_for):
    url = reverse("sanctions:compare", args=[episode.pk])
    response = client_for(physician, "de").get(url + "?under=2024")
    assert response.status_code == 400
    assert "Es gibt keine Regeln 2024 zum Vergleich" in response.content.decode()


def test_another_mutualitys_episode_is_not_found(episode, outsiders, client_for):
    url = reverse("sanctions:compare", args=[episode.pk])
    response = client_for(outsiders["advising_physician"], "nl").get(url)
    assert response.status_code == 404
