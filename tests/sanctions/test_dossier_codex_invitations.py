"""The CODEX invitations and the window of medical force majeure on the dossier (issue 9):
registered through tnw.dossier services, named and explained on the dossier page in the user's
language (docs/rules.md 7.1, 9.5)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import open_episode, register


@pytest.fixture
def worker_episode(coordinator, physician, person):
    """A worker with an employment contract, incapacitated since 5-1-2026."""
    return open_episode(
        coordinator, person, date(2026, 1, 5), contract=True, coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ["Inviter à nouveau le travailleur (CODEX)", "au moins 14 jours calendrier après "
                "l&#x27;invitation du 07/07/2026", "Procédure de force majeure médicale possible",
                "peut commencer après 6 mois d&#x27;incapacité, à partir du 05/07/2026"]),
        ("nl", ["De werknemer opnieuw uitnodigen (CODEX)", "ten vroegste 14 kalenderdagen na de "
                "uitnodiging van 07/07/2026", "Procedure van medische overmacht mogelijk",
                "kan starten na 6 maanden arbeidsongeschiktheid, vanaf 05/07/2026"]),
        ("de", ["Den Arbeitnehmer erneut einladen (CODEX)", "frühestens 14 Kalendertage nach der "
                "Einladung vom 07/07/2026", "höheren Gewalt aus medizinischen Gründen möglich",
                "sobald die Arbeitsunfähigkeit 6 Monate gedauert hat, ab dem 05/07/2026"]),
        ("en", ["Invite the worker again (CODEX)", "at least 14 calendar days after the "
                "invitation of 07/07/2026", "Medical force majeure procedure possible",
                "may start after 6 months of incapacity, from 05/07/2026"]),
    ],
)  # fmt: skip
def test_the_dossier_page_names_and_explains_them(
    language, texts, worker_episode, coordinator, client_for
):
    episode = worker_episode
    register(coordinator, episode, "codex_requested", date(2026, 7, 6), by="worker")
    register(coordinator, episode, "codex_invited", date(2026, 7, 7), appointment_date="2026-07-14")
    register(coordinator, episode, "codex_unanswered", date(2026, 7, 14))
    # The occupational physician finds no sufficient work potential: 6 months from 5-1-2026
    # (counted in, 5-1 .. 4-7) open the window of medical force majeure on 5-7-2026.
    register(
        coordinator, episode, "work_potential_estimated", date(2026, 7, 20),
        estimated_by="occupational_physician", sufficient=False,
    )  # fmt: skip
    html = (
        client_for(coordinator, language)
        .get(reverse("web:dossier", args=[episode.person_id]))
        .content.decode()
    )
    for text in texts:
        assert text in html, text
