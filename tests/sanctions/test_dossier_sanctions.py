"""The benefit sanction on the dossier: registered through tnw.dossier services, shown on the
dossier page in the user's language, the registered letter on the worklist (issue 9)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import register
from tnw.dossier import selectors


def _second_absence(physician, episode, contact: date | None = None) -> None:
    """Incapacity since 1-6-2026 (2026 law): examination by video missed twice."""
    register(
        physician, episode, "invited", date(2026, 9, 1), appointment="medical_examination",
        appointment_date="2026-09-15", mode="video", sanction_stated=True,
    )  # fmt: skip
    register(
        physician, episode, "absent", date(2026, 9, 15), appointment="medical_examination",
        justified=False,
    )  # fmt: skip
    register(
        physician, episode, "registered_letter_sent", date(2026, 9, 17),
        appointment="medical_examination", new_date="2026-10-06",
    )  # fmt: skip
    register(
        physician, episode, "absent", date(2026, 10, 6), appointment="medical_examination",
        justified=False,
    )  # fmt: skip
    if contact is not None:
        register(
            physician, episode, "contacted_after_absence", contact,
            appointment="medical_examination",
        )  # fmt: skip


def test_the_dossier_selector_gives_the_sanction_periods(episode, physician):
    _second_absence(physician, episode, contact=date(2026, 10, 20))
    dossier = selectors.get_dossier(
        user=physician, person_id=episode.person_id, today=date(2026, 11, 24)
    )
    [shown] = dossier["episodes"]
    # Hand-computed: 10% (law of 19-12-2025) from the second absence (6-10-2026) to the day
    # before the contact (19-10-2026).
    assert [(s["kind"], s["start"], s["end"], s["percentage"]) for s in shown["sanctions"]] == [
        ("reduction", "2026-10-06", "2026-10-19", 10.0)
    ]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Vermindering van de uitkering met 10% na afwezigheden op het medisch onderzoek",
                "vanaf 06/10/2026, loopt tot de persoon contact opneemt"]),
        ("fr", ["Réduction de l&#x27;indemnité de 10% après des absences au examen médical",
                "à partir du 06/10/2026, jusqu'à ce que la personne prenne contact"]),
        ("de", ["Kürzung der Entschädigung um 10% nach Abwesenheiten",
                "ab dem 06/10/2026, bis die Person Kontakt aufnimmt"]),
        ("en", ["Reduction of the benefit of 10% after absences from the medical examination",
                "from 06/10/2026, running until the person makes contact"]),
    ],
)  # fmt: skip
def test_the_dossier_page_shows_a_running_sanction(language, texts, episode, physician, client_for):
    _second_absence(physician, episode)
    html = (
        client_for(physician, language)
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    for text in texts:
        assert text in html, text


def test_without_a_sanction_the_page_says_so(episode, physician, client_for):
    html = (
        client_for(physician, "nl")
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    assert "Geen vermindering of schorsing van de uitkering." in html


def test_the_registered_letter_is_a_task_with_a_due_date(episode, physician):
    register(
        physician, episode, "invited", date(2026, 9, 1), appointment="medical_examination",
        appointment_date="2026-09-15", mode="physical", sanction_stated=True,
    )  # fmt: skip
    register(
        physician, episode, "absent", date(2026, 9, 15), appointment="medical_examination",
        justified=False,
    )  # fmt: skip
    timeline = selectors.get_timeline(
        user=physician, episode_id=episode.pk, today=date(2026, 9, 20)
    )
    [letter] = [o for o in timeline if o["code"] == "registered_letter_examination"]
    # One month after the initially planned date of 15-9-2026.
    assert letter["due"] == date(2026, 10, 15)
    assert letter["actor"] == "advising_physician"
