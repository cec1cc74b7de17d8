"""Every registration the law forbids is refused with the engine's code and a readable
message, and nothing is stored: no registration, no version bump, no audit entry."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY, open_episode, register
from tnw.audit.models import AuditEntry
from tnw.dossier.errors import RegistrationRefused
from tnw.dossier.models import Episode, Obligation, Registration

D = date


def refused(user, episode, event_type, on, **fields) -> RegistrationRefused:
    """Assert the registration is refused and leaves no trace; return the refusal."""
    before = (
        Registration.objects.filter(episode=episode).count(),
        Episode.objects.get(pk=episode.pk).version,
        AuditEntry.objects.count(),
        sorted(
            map(str, Obligation.objects.filter(episode=episode).values_list("code", "state", "due"))
        ),
    )
    with pytest.raises(RegistrationRefused) as caught:
        register(user, episode, event_type, on, **fields)
    after = (
        Registration.objects.filter(episode=episode).count(),
        Episode.objects.get(pk=episode.pk).version,
        AuditEntry.objects.count(),
        sorted(
            map(str, Obligation.objects.filter(episode=episode).values_list("code", "state", "due"))
        ),
    )
    assert after == before, "a refused registration must leave nothing behind"
    return caught.value


def test_first_contact_by_phone(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    error = refused(
        coordinator, episode, "first_contact", D(2026, 9, 10), mode="phone", consent=True,
        outcome="ziv",
    )  # fmt: skip
    assert error.code == "contact_mode_not_allowed"
    assert "first contact may be held by physical or video, not by phone" in str(error)
    assert str(error).startswith("['Registration refused: first contact of 2026-09-10:")
    (reason,) = error.violations
    assert (reason.code, reason.field, reason.key) == (
        "contact_mode_not_allowed",
        "mode",
        "violation.contact_mode",
    )
    assert reason.params == {
        "allowed": ["physical", "video"],
        "kind": "first_contact",
        "mode": "phone",
    }


def test_refusal_discussion_by_mail(consented_episode, coordinator):
    error = refused(
        coordinator, consented_episode, "contact", D(2026, 10, 1), mode="mail",
        purpose="refusal_discussion",
    )  # fmt: skip
    assert error.code == "contact_mode_not_allowed"
    assert "refusal discussion may be held by physical or video, not by mail" in str(error)


def test_follow_up_meeting_by_mail(ziv_episode, coordinator):
    error = refused(coordinator, ziv_episode, "follow_up_meeting", D(2026, 10, 10), mode="mail")
    assert error.code == "contact_mode_not_allowed"
    assert "not by mail" in str(error)


def test_plan_without_concrete_action(ziv_episode, coordinator):
    error = refused(
        coordinator, ziv_episode, "plan_drawn_up", D(2026, 10, 20), objectives=["memory"],
        end_result="80% admin job", actions=[], next_appointment="2026-12-01",
    )  # fmt: skip
    assert error.code == "plan_incomplete"
    assert "the re-integration plan lacks one concrete action" in str(error)


def test_plan_without_next_appointment(ziv_episode, coordinator):
    error = refused(
        coordinator, ziv_episode, "plan_drawn_up", D(2026, 10, 20), objectives=["memory"],
        end_result="80% admin job", actions=["training"],
    )  # fmt: skip
    assert error.code == "plan_incomplete"
    assert "one concrete appointment for a next follow-up meeting" in str(error)


def test_dossier_work_without_consent(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", D(2026, 9, 15), mode="video", consent=False,
        outcome="pending",
    )  # fmt: skip
    error = refused(coordinator, episode, "contact", D(2026, 9, 20), mode="phone", purpose="other")
    assert error.code == "no_consent"
    assert "no written consent of the insured person" in str(error)


def test_work_after_consent_withdrawn(ziv_episode, coordinator):
    register(coordinator, ziv_episode, "consent_withdrawn", D(2026, 10, 5))
    error = refused(coordinator, ziv_episode, "follow_up_meeting", D(2026, 10, 10), mode="video")
    assert error.code == "no_consent"


def test_ziv_situation_b_without_contract(consented_episode, coordinator):
    error = refused(coordinator, consented_episode, "ziv_started", D(2026, 10, 1), situation="B")
    assert error.code == "ziv_situation_mismatch"
    assert "situation B is for an insured person with an employment contract" in str(error)


def test_ziv_situation_a_with_contract(coordinator, physician, person):
    episode = open_episode(
        coordinator, person, D(2026, 5, 1), contract=True, coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", D(2026, 9, 15), mode="physical", consent=True,
        outcome="ziv", form_reference="ANNEX-III-0002",
    )  # fmt: skip
    register(coordinator, episode, "permission_requested", D(2026, 9, 16))
    register(physician, episode, "permission_decided", D(2026, 9, 20), granted=True)
    error = refused(coordinator, episode, "ziv_started", D(2026, 10, 1), situation="A")
    assert error.code == "ziv_situation_mismatch"
    assert "situation A is for an insured person without an employment contract" in str(error)


def test_ziv_situation_d_without_codex_end(consented_episode, coordinator):
    error = refused(coordinator, consented_episode, "ziv_started", D(2026, 10, 1), situation="D")
    assert error.code == "ziv_situation_mismatch"
    assert "situation D needs a CODEX trajectory that ended definitively" in str(error)


def test_ziv_in_routing_b_without_permission(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    register(
        coordinator, episode, "first_contact", D(2026, 9, 15), mode="physical", consent=True,
        outcome="ziv", form_reference="ANNEX-III-0002",
    )  # fmt: skip
    error = refused(coordinator, episode, "ziv_started", D(2026, 10, 1), situation="A")
    assert error.code == "ziv_without_permission"
    assert "needs the advising physician's permission" in str(error)


def test_codex_requested_by_advising_physician(coordinator, physician, person):
    episode = open_episode(
        coordinator, person, D(2026, 1, 5), contract=True, coordinator=coordinator
    )
    error = refused(coordinator, episode, "codex_requested", D(2026, 6, 1), by="advising_physician")
    assert error.code == "codex_initiative_not_allowed"
    assert "the advising physician can no longer start a CODEX trajectory" in str(error)


def test_codex_requested_by_employer_too_early(coordinator, person):
    episode = open_episode(
        coordinator, person, D(2026, 9, 1), contract=True, coordinator=coordinator
    )
    error = refused(coordinator, episode, "codex_requested", D(2026, 10, 1), by="employer")
    assert error.code == "codex_initiative_not_allowed"
    assert "the employer may ask only after" in str(error)


def test_codex_without_employment_contract(episode, coordinator):
    error = refused(coordinator, episode, "codex_requested", D(2026, 9, 1), by="worker")
    assert error.code == "codex_without_employment_contract"
    assert "for a worker bound by an employment contract" in str(error)


def test_end_of_the_incapacity_inside_the_presumption(coordinator, physician, person):
    """Circular VI: during the presumption the recognition of the incapacity is kept."""
    episode = open_episode(
        coordinator, person, D(2026, 2, 2), contract=True, coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(coordinator, episode, "codex_requested", D(2026, 3, 2), by="worker")
    register(coordinator, episode, "codex_assessed", D(2026, 4, 1), decision="A")
    register(coordinator, episode, "codex_plan_delivered", D(2026, 5, 4))
    register(coordinator, episode, "codex_plan_answered", D(2026, 5, 6), agreed=True)
    error = refused(physician, episode, "incapacity_ended", D(2026, 8, 31))
    assert error.code == "incapacity_end_in_presumption"
    assert "runs from 2026-05-06 to 2026-11-05 at the latest" in str(error)


def test_codex_before_the_codex_existed(coordinator, person):
    episode = open_episode(
        coordinator, person, D(2016, 1, 4), contract=True, coordinator=coordinator
    )
    error = refused(coordinator, episode, "codex_requested", D(2016, 6, 1), by="worker")
    assert error.code == "codex_not_in_force"
    assert "the CODEX re-integration trajectory exists from 2016-12-01" in str(error)


def test_codex_decision_of_another_regime(coordinator, person):
    episode = open_episode(
        coordinator, person, D(2026, 1, 5), contract=True, coordinator=coordinator
    )
    register(coordinator, episode, "codex_requested", D(2026, 6, 1), by="worker")
    error = refused(coordinator, episode, "codex_assessed", D(2026, 6, 20), decision="E")
    assert error.code == "codex_decision_not_in_regime"
    assert "decision E does not exist in the CODEX regime" in str(error)


def test_event_before_the_incapacity(episode, coordinator):
    error = refused(coordinator, episode, "spontaneous_request", D(2026, 5, 1))
    assert error.code == "event_before_incapacity"
    assert "dated before the start of the incapacity (2026-06-01)" in str(error)


def test_event_after_the_incapacity_ended(episode, coordinator, physician):
    register(physician, episode, "incapacity_ended", D(2026, 8, 31))
    error = refused(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    assert error.code == "event_after_incapacity_ended"
    assert "dated after the end of the incapacity (2026-08-31)" in str(error)


def test_event_in_the_future(episode, coordinator):
    error = refused(coordinator, episode, "spontaneous_request", D(2026, 11, 25))
    assert error.code == "event_in_future"
    assert f"dated after the evaluation date {TODAY.isoformat()}" in str(error)


def test_step_without_its_prior_step(episode, coordinator):
    error = refused(coordinator, episode, "permission_requested", D(2026, 9, 1))
    assert error.code == "missing_prior_step"
    assert "needs an earlier first_contact in this episode" in str(error)


def test_plan_without_running_ziv(consented_episode, coordinator):
    error = refused(
        coordinator, consented_episode, "plan_drawn_up", D(2026, 10, 20), objectives=["x"],
        end_result="y", actions=["z"], next_appointment="2026-12-01",
    )  # fmt: skip
    assert error.code == "missing_prior_step"
    assert "needs a running ZIV re-integration trajectory" in str(error)


def test_backdated_registration_that_would_void_a_later_one(ziv_episode, coordinator):
    """Withdrawing consent before the ZIV start would take the start's legal effect away."""
    error = refused(coordinator, ziv_episode, "consent_withdrawn", D(2026, 9, 25))
    assert error.code == "invalidates_registration"
    assert "earlier registration ziv started of 2026-10-01" in str(error)
    assert "no written consent" in str(error)


def test_malformed_fields_are_refused_with_the_field_named(episode, coordinator):
    from django.core.exceptions import ValidationError

    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    with pytest.raises(ValidationError) as caught:
        register(coordinator, episode, "first_contact", D(2026, 9, 10), mode="physical")
    assert "missing required field 'consent'" in str(caught.value)
    assert Registration.objects.filter(episode=episode).count() == 1


def test_absence_without_an_invitation(episode, physician):
    error = refused(
        physician, episode, "absent", D(2026, 9, 1), appointment="medical_examination",
        justified=False,
    )  # fmt: skip
    assert error.code == "absence_without_invitation"
    assert "an absence needs an earlier invitation to the medical examination" in str(error)


def test_registered_letter_without_an_absence(episode, physician):
    register(
        physician, episode, "invited", D(2026, 9, 1), appointment="medical_examination",
        appointment_date="2026-09-15", mode="physical", sanction_stated=True,
    )  # fmt: skip
    error = refused(
        physician, episode, "registered_letter_sent", D(2026, 9, 16),
        appointment="medical_examination", new_date="2026-10-01",
    )  # fmt: skip
    assert error.code == "registered_letter_without_absence"


def test_registered_letter_with_a_new_date_too_late(episode, physician):
    register(
        physician, episode, "invited", D(2026, 9, 1), appointment="medical_examination",
        appointment_date="2026-09-15", mode="physical", sanction_stated=True,
    )  # fmt: skip
    register(
        physician, episode, "absent", D(2026, 9, 15), appointment="medical_examination",
        justified=False,
    )  # fmt: skip
    error = refused(
        physician, episode, "registered_letter_sent", D(2026, 9, 16),
        appointment="medical_examination", new_date="2026-10-16",
    )  # fmt: skip
    assert error.code == "registered_letter_new_date"
    assert "2026-10-15" in str(error)


@pytest.fixture
def worker_episode(coordinator, physician, person):
    """An incapacity since 2026-01-05 of a worker with an employment contract."""
    return open_episode(
        coordinator, person, D(2026, 1, 5), contract=True, coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip


def test_codex_appeal_after_the_21_days(worker_episode, coordinator):
    register(coordinator, worker_episode, "codex_requested", D(2026, 1, 19), by="worker")
    register(coordinator, worker_episode, "codex_assessed", D(2026, 3, 2), decision="B")
    # Codex I.4-63 as cited: 21 calendar days from 2-3-2026 end on 23-3-2026.
    error = refused(coordinator, worker_episode, "codex_appealed", D(2026, 3, 24))
    assert error.code == "codex_appeal_not_allowed"
    assert "within 21 calendar days, by 2026-03-23" in str(error)


def test_medical_force_majeure_before_six_months(worker_episode, coordinator):
    # Art. 34 (2026): 6 months from 5-1-2026 end on 4-7-2026; the procedure opens on 5-7-2026.
    error = refused(
        coordinator, worker_episode, "medical_force_majeure_requested", D(2026, 7, 4),
        by="employer",
    )  # fmt: skip
    assert error.code == "medical_force_majeure_not_allowed"
    assert "after 6 months of incapacity, from 2026-07-05" in str(error)


def test_every_violation_code_of_the_engine_is_covered():
    """If the engine learns a new violation, this test fails until it gets a refusal test."""
    import inspect
    import re
    import sys

    from tnw.rules import VIOLATION_CODES

    engine = set(VIOLATION_CODES)
    assert len(engine) >= 10
    tested = set(
        re.findall(r'error\.code == "([a-z_]+)"', inspect.getsource(sys.modules[__name__]))
    )
    assert engine - tested == set()
