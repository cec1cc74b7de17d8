"""A full routing-B flow through the services stores registrations and obligations."""

from datetime import date

from tests.conftest import register
from tnw.dossier.models import Obligation, PlanVersion, Registration


def test_ziv_flow_stores_registrations_and_timeline(ziv_episode, coordinator):
    plan = register(
        coordinator, ziv_episode, "plan_drawn_up", date(2026, 10, 20),
        objectives=["improve concentration"], end_result="80% admin job",
        actions=["training at VDAB"], next_appointment="2026-12-01",
    )  # fmt: skip
    assert Registration.objects.filter(episode=ziv_episode).count() == 6
    assert PlanVersion.objects.get(registration=plan).number == 1
    codes = set(Obligation.objects.filter(episode=ziv_episode).values_list("code", flat=True))
    assert "plan_follow_up" in codes
