"""Retraining approval and work-resumption proposals registered in a dossier (circular IV 4.2;
VI b; art. 100 §2): through the dossier's services and screens, by the role the law gives them,
with their obligations and effects. Hand-computed on the ZIV trajectory of the fixtures (start
01/10/2026, plan 20/10/2026, today 24/11/2026)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.conftest import TODAY, register
from tnw.dossier import services
from tnw.dossier.errors import RegistrationRefused
from tnw.dossier.models import Episode

D = date


@pytest.fixture
def planned(ziv_episode, coordinator):
    services.draw_up_plan(
        user=coordinator, episode_id=ziv_episode.pk,
        expected_version=Episode.objects.get(pk=ziv_episode.pk).version, on=D(2026, 10, 20),
        objectives=["retrain"], end_result="accountancy", actions=["training"],
        next_appointment=D(2026, 12, 1), today=TODAY,
    )  # fmt: skip
    return ziv_episode


def _obligation(episode, code):
    return Episode.objects.get(pk=episode.pk).obligations.get(code=code)


def test_the_coordinator_registers_the_hoge_commissies_decision(planned, coordinator):
    register(coordinator, planned, "retraining_requested", D(2026, 10, 25))
    assert (_obligation(planned, "register_retraining_decision").state) == "pending"
    register(coordinator, planned, "retraining_decided", D(2026, 11, 10), approved=True)
    found = _obligation(planned, "register_retraining_decision")
    assert (found.state, found.done_on) == ("done", D(2026, 11, 10))


def test_the_approved_retraining_ends_the_presumption_the_day_before_it_starts(
    planned, coordinator
):
    register(coordinator, planned, "retraining_requested", D(2026, 10, 25))
    register(coordinator, planned, "retraining_decided", D(2026, 11, 10), approved=True)
    register(coordinator, planned, "retraining_started", D(2026, 11, 16))
    from tnw.dossier.selectors import get_dossier

    episode = get_dossier(user=coordinator, person_id=planned.person_id, today=TODAY)
    presumption = episode["episodes"][0]["presumptions"][0]
    assert (presumption["start"], presumption["end"]) == ("2026-10-20", "2026-11-15")


def test_only_the_advising_physician_decides_on_a_work_resumption(planned, coordinator, physician):
    register(coordinator, planned, "work_resumption_proposed", D(2026, 11, 2))
    assert _obligation(planned, "decide_work_resumption").actor == "advising_physician"
    with pytest.raises(PermissionDenied):
        register(coordinator, planned, "work_resumption_decided", D(2026, 11, 9), approved=True)
    register(physician, planned, "work_resumption_decided", D(2026, 11, 9), approved=True)
    assert _obligation(planned, "decide_work_resumption").state == "done"
    # Approved: authorised work, whose end can now be registered by the physician.
    register(physician, planned, "authorised_work_ended", D(2026, 11, 20))


def test_a_decision_without_a_proposal_is_refused(planned, physician):
    with pytest.raises(RegistrationRefused) as refused:
        register(physician, planned, "work_resumption_decided", D(2026, 11, 9), approved=True)
    assert refused.value.codes == ["missing_prior_step"]


def test_the_registration_menu_offers_them_in_the_users_language(settings, planned, coordinator):
    settings.TNW_TODAY = TODAY
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(coordinator)
    html = client.get(f"/episodes/{planned.pk}/register/").content.decode()
    assert "Réadaptation professionnelle soumise à la Commission supérieure" in html
    assert "Proposition de reprise du travail au médecin-conseil" in html
