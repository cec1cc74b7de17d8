"""Dossiers in the state each document kind needs, built through the dossier services."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tests.conftest import open_episode, register

D = date
NAMES = {"coordinator": ("Sofie", "Maes"), "advising_physician": ("Dr. Pieter", "Claes"),
         "staff": ("Els", "Wouters")}  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test asks for a language (the default is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def named_users(users):
    """Letters print the coordinator's and physician's names."""
    for role, (first, last) in NAMES.items():
        type(users[role]).objects.filter(pk=users[role].pk).update(first_name=first, last_name=last)
        users[role].refresh_from_db()
    return users


def _routing_a(coordinator, physician, person):
    return open_episode(coordinator, person, D(2026, 6, 1), coordinator=coordinator,
                        advising_physician=physician)  # fmt: skip


@pytest.fixture
def questionnaire_episode(coordinator, physician, person):
    """Routing A: the questionnaire sent at 10 weeks and not yet returned."""
    episode = _routing_a(coordinator, physician, person)
    register(physician, episode, "questionnaire_sent", D(2026, 8, 10), today=D(2026, 8, 12))
    return episode


@pytest.fixture
def exempted_episode(coordinator, physician, person):
    episode = _routing_a(coordinator, physician, person)
    register(physician, episode, "medical_exemption", D(2026, 7, 1), reason="coma")
    return episode


@pytest.fixture
def assessed_episode(questionnaire_episode, physician):
    """Category 2 after a medical examination: no referral (Annex I when ZIV is asked)."""
    register(physician, questionnaire_episode, "questionnaire_received", D(2026, 8, 20))
    register(physician, questionnaire_episode, "capacity_assessed", D(2026, 9, 15), category=2,
             medical_exam=True)  # fmt: skip
    return questionnaire_episode


@pytest.fixture
def refused_episode(episode, coordinator, physician):
    """Routing B: the physician refuses the start (Annex II)."""
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    register(coordinator, episode, "first_contact", D(2026, 9, 15), mode="physical",
             consent=True, outcome="ziv", form_reference="ANNEX-III-0001")  # fmt: skip
    register(coordinator, episode, "permission_requested", D(2026, 9, 16))
    register(physician, episode, "permission_decided", D(2026, 9, 20), granted=False)
    return episode


@pytest.fixture
def withdrawn_episode(consented_episode, coordinator):
    register(coordinator, consented_episode, "consent_withdrawn", D(2026, 10, 5))
    return consented_episode


@pytest.fixture
def plan_episode(ziv_episode, coordinator):
    register(coordinator, ziv_episode, "plan_drawn_up", D(2026, 10, 20),
             objectives=["Stage bij een drukkerij"], end_result="Halftijds administratief werk",
             actions=["Opleiding Excel", "Werkpost aanpassen"],
             action_by=["regional_service", "employer"], next_appointment="2026-12-01")  # fmt: skip
    return ziv_episode


@pytest.fixture
def evaluated_episode(plan_episode, coordinator):
    """The ZIV trajectory ended and evaluated (circular IV 4.4)."""
    register(coordinator, plan_episode, "trajectory_ended", D(2026, 11, 10),
             outcome="Halftijds werk hervat bij de drukkerij")  # fmt: skip
    register(coordinator, plan_episode, "trajectory_evaluated", D(2026, 11, 20),
             note="Doelen bereikt; opvolging door de arbeidsarts")  # fmt: skip
    return plan_episode


def sanction_steps(physician, episode, second_absence: bool = True, mode: str = "physical"):
    """Incapacity since 1-6-2026 (law of 19-12-2025): the examination of 15-9-2026 missed,
    the registered letter of 17-9 sets 6-10-2026 (within one month), missed again."""
    register(physician, episode, "invited", D(2026, 9, 1), appointment="medical_examination",
             appointment_date="2026-09-15", mode=mode, sanction_stated=True)  # fmt: skip
    register(physician, episode, "absent", D(2026, 9, 15), appointment="medical_examination",
             justified=False)  # fmt: skip
    register(physician, episode, "registered_letter_sent", D(2026, 9, 17),
             appointment="medical_examination", new_date="2026-10-06")  # fmt: skip
    if second_absence:
        register(physician, episode, "absent", D(2026, 10, 6),
                 appointment="medical_examination", justified=False)  # fmt: skip
    return episode


@pytest.fixture
def sanction_episode(episode, physician):
    """Both absences from an examination by video: a 10% reduction from 6-10-2026."""
    return sanction_steps(physician, episode, mode="video")


INPUTS = {
    "invitation": {"appointment_date": "2026-12-03", "appointment_time": "10:30",
                   "mode": "physical", "place": "Kerkstraat 12, Gent"},
    "annex_i": {"motivation": "Hervatting niet haalbaar"},
    "annex_ii": {"motivation": ""},
}  # fmt: skip

# kind -> (fixture, issuing role)
CASES = {
    "questionnaire_letter": ("questionnaire_episode", "advising_physician"),
    "questionnaire_reminder": ("questionnaire_episode", "staff"),
    "no_questionnaire_letter": ("exempted_episode", "advising_physician"),
    "invitation": ("consented_episode", "coordinator"),
    "annex_i": ("assessed_episode", "advising_physician"),
    "annex_ii": ("refused_episode", "advising_physician"),
    "annex_iii": ("consented_episode", "coordinator"),
    "annex_iv": ("consented_episode", "coordinator"),
    "consent_withdrawal": ("withdrawn_episode", "coordinator"),
    "plan": ("plan_episode", "coordinator"),
    "evaluation": ("evaluated_episode", "coordinator"),
    "dossier_copy": ("evaluated_episode", "coordinator"),
    "sanction_invitation": ("sanction_episode", "advising_physician"),
    "registered_letter": ("sanction_episode", "advising_physician"),
    "sanction_notice": ("sanction_episode", "coordinator"),
}


@pytest.fixture
def referred_episode_docs(questionnaire_episode, physician):
    """Routing A up to the referral (category 4)."""
    register(physician, questionnaire_episode, "questionnaire_received", D(2026, 8, 20))
    register(physician, questionnaire_episode, "capacity_assessed", D(2026, 9, 15), category=4,
             medical_exam=False)  # fmt: skip
    register(physician, questionnaire_episode, "referred_to_coordinator", D(2026, 9, 20))
    return questionnaire_episode
