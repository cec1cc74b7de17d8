"""Corrections and annulments (docs/architecture.md, "Corrections"): a new record that points to
the registration it amends, with a reason; the engine evaluates the corrected facts; the
original stays, no longer in force; refusals leave nothing stored.

Hand-computed on the routing B episode of tests/conftest.py (incapacity 2026-06-01, spontaneous
request 2026-09-01, first contact with consent 2026-09-15, permission requested 2026-09-16 and
granted 2026-09-20, ZIV started 2026-10-01): the first follow-up meeting is due one month after
the ZIV start (circular V), 2026-11-01; after a correction of the start to 2026-10-08 it is due
2026-11-08.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import TODAY, register
from tnw.audit.models import AuditEntry
from tnw.dossier import selectors, services
from tnw.dossier.errors import ConflictError, RegistrationRefused
from tnw.dossier.models import Consent, Episode, Registration

REASON = "wrong date typed from the signed form"


def _version(episode) -> int:
    return Episode.objects.get(pk=episode.pk).version


def _obligation(user, episode, code) -> dict:
    rows = selectors.get_timeline(user=user, episode_id=episode.pk, today=TODAY)
    return next(o for o in rows if o["code"] == code)


def _correct(user, registration, on, **fields):
    return services.correct_registration(
        user=user, registration_id=registration.pk,
        expected_version=_version(registration.episode), reason=REASON, on=on, fields=fields,
        form_reference=registration.form_reference, today=TODAY,
    )  # fmt: skip


def _annul(user, registration, reason=REASON):
    return services.annul_registration(
        user=user, registration_id=registration.pk,
        expected_version=_version(registration.episode), reason=reason, today=TODAY,
    )  # fmt: skip


def _ziv_start(episode) -> Registration:
    return Registration.objects.get(episode=episode, type="ziv_started")


def test_a_corrected_date_moves_the_deadline_and_keeps_the_original(ziv_episode, coordinator):
    before = _obligation(coordinator, ziv_episode, "first_follow_up_meeting")
    assert (before["opens"], before["due"]) == (date(2026, 10, 1), date(2026, 11, 1))
    original = _ziv_start(ziv_episode)
    correction = _correct(coordinator, original, date(2026, 10, 8), situation="A")
    assert (correction.amendment, correction.corrects_id, correction.reason) == (
        "corrects", original.pk, REASON,
    )  # fmt: skip
    after = _obligation(coordinator, ziv_episode, "first_follow_up_meeting")
    assert (after["opens"], after["due"]) == (date(2026, 10, 8), date(2026, 11, 8))
    # The original is unchanged and still shown, marked as corrected.
    original.refresh_from_db()
    assert original.date == date(2026, 10, 1)
    dossier = selectors.get_dossier(user=coordinator, person_id=ziv_episode.person_id, today=TODAY)
    shown = {r["id"]: r for r in dossier["episodes"][0]["registrations"]}
    assert shown[original.pk]["in_force"] is False
    assert shown[original.pk]["amended_by"]["id"] == correction.pk
    assert shown[original.pk]["amended_by"]["reason"] == REASON
    assert shown[correction.pk]["in_force"] is True
    assert shown[correction.pk]["amends"] == original.pk


def test_a_correction_is_audited_with_the_original_and_the_reason(ziv_episode, coordinator):
    original = _ziv_start(ziv_episode)
    correction = _correct(coordinator, original, date(2026, 10, 8), situation="A")
    entry = AuditEntry.objects.get(object_type="dossier.registration", object_id=str(correction.pk))
    assert entry.changes["amends"]["date"] == "2026-10-01"
    assert entry.changes["after"]["date"] == "2026-10-08"
    assert entry.changes["after"]["reason"] == REASON
    assert entry.changes["after"]["corrects_id"] == original.pk
    assert "obligations" in entry.changes  # the follow-up meeting's term moved


def test_an_annulment_takes_the_fact_out_of_the_timeline(consented_episode, physician):
    decision = Registration.objects.get(episode=consented_episode, type="permission_decided")
    assert _obligation(physician, consented_episode, "permission_decision")["status"] == "done"
    record = _annul(physician, decision)
    assert (record.amendment, record.corrects_id, record.data) == ("annuls", decision.pk, {})
    # Without the permission the decision is open again, and the physician's questionnaire
    # (due 2026-08-10, voided by the trajectory at the person's request) is overdue again.
    assert _obligation(physician, consented_episode, "permission_decision")["status"] == "open"
    questionnaire = [
        o for o in selectors.get_timeline(user=physician, episode_id=consented_episode.pk,
                                          today=TODAY)
        if o["code"] == "send_questionnaire" and o["actor"] == "advising_physician"
    ]  # fmt: skip
    assert [(o["due"], o["status"]) for o in questionnaire] == [(date(2026, 8, 10), "overdue")]


def test_an_annulment_that_another_registration_needs_is_refused(ziv_episode, coordinator):
    first_contact = Registration.objects.get(episode=ziv_episode, type="first_contact")
    count, version = Registration.objects.count(), _version(ziv_episode)
    with pytest.raises(RegistrationRefused) as refused:
        _annul(coordinator, first_contact)
    assert {v.code for v in refused.value.violations} == {"invalidates_registration"}
    assert Registration.objects.count() == count
    assert _version(ziv_episode) == version  # nothing half-stored


def test_a_correction_that_breaks_the_law_is_refused(ziv_episode, coordinator):
    original = _ziv_start(ziv_episode)
    count = Registration.objects.count()
    with pytest.raises(RegistrationRefused) as refused:
        _correct(coordinator, original, date(2026, 12, 1), situation="A")  # after today
    assert "event_in_future" in {v.code for v in refused.value.violations}
    assert Registration.objects.count() == count


def test_only_the_registration_in_force_is_amended(ziv_episode, coordinator):
    original = _ziv_start(ziv_episode)
    correction = _correct(coordinator, original, date(2026, 10, 8), situation="A")
    with pytest.raises(ValidationError) as refused:
        _correct(coordinator, original, date(2026, 10, 9), situation="A")
    assert refused.value.code == "not_in_force"
    # The correction itself can be corrected: the chain goes on.
    again = _correct(coordinator, correction, date(2026, 10, 9), situation="A")
    assert again.corrects_id == correction.pk
    assert _obligation(coordinator, ziv_episode, "first_follow_up_meeting")["due"] == date(
        2026, 11, 9
    )


def test_the_reason_is_required(ziv_episode, coordinator):
    with pytest.raises(ValidationError) as refused:
        _annul(coordinator, _ziv_start(ziv_episode), reason="  oops ")
    assert refused.value.code == "amendment_reason"


def test_roles_amend_only_their_own_kinds_of_registration(ziv_episode, physician, users):
    with pytest.raises(PermissionDenied):
        _annul(physician, _ziv_start(ziv_episode))  # a coordinator's step
    with pytest.raises(PermissionDenied):
        _annul(users["staff"], _ziv_start(ziv_episode))


def test_a_stale_version_is_a_conflict(ziv_episode, coordinator):
    original = _ziv_start(ziv_episode)
    with pytest.raises(ConflictError):
        services.annul_registration(
            user=coordinator, registration_id=original.pk,
            expected_version=_version(ziv_episode) - 1, reason=REASON, today=TODAY,
        )  # fmt: skip


def test_annulling_a_withdrawal_brings_the_consent_back(ziv_episode, coordinator):
    consent = services.withdraw_consent(
        user=coordinator, episode_id=ziv_episode.pk, expected_version=_version(ziv_episode),
        on=date(2026, 10, 20), form_reference="WITHDRAWAL-1", today=TODAY,
    )  # fmt: skip
    assert _obligation(coordinator, ziv_episode, "first_follow_up_meeting")["status"] == "void"
    _annul(coordinator, consent.registration)
    assert _obligation(coordinator, ziv_episode, "first_follow_up_meeting")["status"] == "overdue"
    dossier = selectors.get_dossier(user=coordinator, person_id=ziv_episode.person_id, today=TODAY)
    assert [c["kind"] for c in dossier["episodes"][0]["consents"]] == ["given"]
    assert Consent.objects.filter(episode=ziv_episode).count() == 2  # the record stays


def test_correcting_the_end_of_the_incapacity_moves_the_episode_end(ziv_episode, coordinator,
                                                                    physician):  # fmt: skip
    end = register(physician, ziv_episode, "incapacity_ended", date(2026, 11, 10))
    assert Episode.objects.get(pk=ziv_episode.pk).end == date(2026, 11, 10)
    corrected = _correct(physician, end, date(2026, 11, 12))
    assert Episode.objects.get(pk=ziv_episode.pk).end == date(2026, 11, 12)
    _annul(physician, corrected)
    assert Episode.objects.get(pk=ziv_episode.pk).end is None
