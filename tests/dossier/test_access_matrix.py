"""The access matrix (medical secrecy), tested for every role x every kind of data and action.

The expected tables are written out here, independently of tnw.accounts.roles.MATRIX, so a
change of the matrix must be a deliberate change of this test too.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import INSZ, ROLES, TODAY, open_episode, register
from tnw.accounts.roles import Role
from tnw.audit.models import AuditEntry
from tnw.audit.selectors import entries_for_person
from tnw.dossier import selectors, services
from tnw.dossier.errors import NotFound
from tnw.dossier.models import Episode, HealthRecord, Person, Registration

D = date


@pytest.fixture
def dossier(users, person):
    """Routing A up to a plan: questionnaire, estimate (category 4, not shared), referral,
    first contact with consent, ZIV start, plan; health data (one record relevant, one not);
    career data."""
    physician, coordinator = users["advising_physician"], users["coordinator"]
    episode = open_episode(
        coordinator, person, D(2026, 6, 1), coordinator=coordinator, advising_physician=physician
    )
    register(physician, episode, "questionnaire_sent", D(2026, 8, 10))
    register(physician, episode, "questionnaire_received", D(2026, 8, 20))
    assessed = register(
        physician, episode, "capacity_assessed", D(2026, 9, 15), category=4, medical_exam=False
    )
    register(physician, episode, "referred_to_coordinator", D(2026, 9, 16))
    register(
        coordinator, episode, "first_contact", D(2026, 10, 1), mode="physical", consent=True,
        outcome="ziv", form_reference="ANNEX-III-7",
    )  # fmt: skip
    register(coordinator, episode, "ziv_started", D(2026, 10, 5), situation="A",
             form_reference="ANNEX-IV-7")  # fmt: skip
    services.draw_up_plan(
        user=coordinator, episode_id=episode.pk,
        expected_version=Episode.objects.get(pk=episode.pk).version, on=D(2026, 10, 20),
        objectives=["concentration"], end_result="admin job 80%", actions=["VDAB training"],
        next_appointment=D(2026, 12, 1), today=TODAY,
    )  # fmt: skip
    secret = services.record_health(
        user=physician, episode_id=episode.pk, kind="diagnosis", text="SECRET-DIAGNOSIS",
        recorded_on=D(2026, 9, 15),
    )  # fmt: skip
    shared = services.record_health(
        user=physician, episode_id=episode.pk, kind="restriction", text="SHARED-RESTRICTION",
        recorded_on=D(2026, 9, 15), relevant_to_trajectory=True,
    )  # fmt: skip
    career = services.add_career_entry(
        user=coordinator, person_id=person.pk, employer="Hospital AZ", job_title="nurse",
        start=D(2010, 1, 1), end=D(2025, 12, 31),
    )  # fmt: skip
    return {
        "person": person, "episode": episode, "assessed": assessed, "secret": secret,
        "shared": shared, "career": career,
    }  # fmt: skip


KINDS = (
    "identity", "registrations", "questionnaire", "medical_fields", "health_unshared",
    "health_shared", "career", "plans", "consents", "timeline", "figures",
)  # fmt: skip
Y, N = True, False
EXPECTED_READS = {
    #                      ident reg  quest  medf  hunsh hshar car  plan cons time  figs
    "advising_physician": (Y,    Y,   Y,     Y,    Y,    Y,    Y,   Y,   Y,   Y,    Y),
    "coordinator":        (Y,    Y,   Y,     N,    N,    Y,    Y,   Y,   Y,   Y,    Y),
    "staff":              (Y,    N,   Y,     N,    N,    N,    N,   N,   N,   N,    N),
    "manager":            (N,    N,   N,     N,    N,    N,    N,   N,   N,   N,    Y),
    "admin":              (N,    N,   N,     N,    N,    N,    N,   N,   N,   N,    N),
}  # fmt: skip


def observe(user, data) -> dict[str, bool]:
    """What `user` gets to see of each kind of data, through the selectors."""
    try:
        dossier = selectors.get_dossier(user=user, person_id=data["person"].pk, today=TODAY)
    except (PermissionDenied, NotFound):
        dossier = None
    episode = dossier["episodes"][0] if dossier else {}
    registrations = {r["type"]: r for r in episode.get("registrations", [])}
    health = {h["text"] for h in episode.get("health", [])}
    assessed = registrations.get("capacity_assessed", {}).get("data", {})
    obligations = {o["code"] for o in episode.get("obligations", [])}
    try:
        selectors.figures(user=user, today=TODAY)
        figures = True
    except PermissionDenied:
        figures = False
    return {
        "identity": bool(dossier) and dossier["person"]["insz"] == data["person"].insz,
        "registrations": "first_contact" in registrations and "ziv_started" in registrations,
        "questionnaire": "questionnaire_received" in registrations,
        "medical_fields": assessed.get("category") == 4,
        "health_unshared": "SECRET-DIAGNOSIS" in health,
        "health_shared": "SHARED-RESTRICTION" in health,
        "career": bool(dossier and dossier.get("career")),
        "plans": bool(episode.get("plans")),
        "consents": bool(episode.get("consents")),
        "timeline": "plan_follow_up" in obligations,
        "figures": figures,
    }


@pytest.mark.parametrize("role", ROLES)
def test_reads(role, users, dossier):
    seen = observe(users[role], dossier)
    assert seen == dict(zip(KINDS, EXPECTED_READS[role], strict=True))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_nothing_is_visible_to_another_mutuality(role, outsiders, dossier):
    seen = observe(outsiders[role], dossier)
    # Figures are of the user's own mutuality: allowed, but they count nothing of ours.
    assert {k: v for k, v in seen.items() if k != "figures"} == dict.fromkeys(KINDS[:-1], False)
    if seen["figures"]:
        assert selectors.figures(user=outsiders[role], today=TODAY)["people"] == 0


def test_medical_fields_are_redacted_not_dropped_for_the_coordinator(users, dossier):
    episode = selectors.get_dossier(
        user=users["coordinator"], person_id=dossier["person"].pk, today=TODAY
    )["episodes"][0]
    assessed = next(r for r in episode["registrations"] if r["type"] == "capacity_assessed")
    assert assessed["data"]["category"] == selectors.REDACTED
    services.share_registration(
        user=users["advising_physician"], registration_id=dossier["assessed"].pk, shared=True
    )
    episode = selectors.get_dossier(
        user=users["coordinator"], person_id=dossier["person"].pk, today=TODAY
    )["episodes"][0]
    assessed = next(r for r in episode["registrations"] if r["type"] == "capacity_assessed")
    assert assessed["data"]["category"] == 4


def test_staff_sees_only_questionnaire_obligations(users, dossier):
    rows = selectors.get_timeline(
        user=users["staff"], episode_id=dossier["episode"].pk, today=TODAY
    )
    assert {r["code"] for r in rows} <= {
        "send_questionnaire", "return_questionnaire", "questionnaire_help_contact",
    }  # fmt: skip


def test_figures_contain_no_personal_data(users, dossier):
    figures = selectors.figures(user=users["manager"], today=TODAY)
    text = repr(figures)
    person = dossier["person"]
    for secret in (person.insz, person.last_name, person.first_name, "SECRET-DIAGNOSIS"):
        assert secret not in text
    assert figures["people"] == 1 and figures["episodes"] == 1


# --- Actions --------------------------------------------------------------------------------


def _version(episode) -> int:
    return Episode.objects.get(pk=episode.pk).version


def act_create_person(user, data, users):
    return services.create_person(
        user=user, insz=INSZ[1], first_name="An", last_name="Claes", language="fr"
    )


def act_update_person(user, data, users):
    person = data["person"]
    return services.update_person(
        user=user, person_id=person.pk,
        expected_version=Person.objects.get(pk=person.pk).version, phone="+32 9 000 00 00",
    )  # fmt: skip


def act_open_episode(user, data, users):
    # A person of the same mutuality without a running incapacity (one incapacity at a time).
    other, _ = Person.objects.get_or_create(
        mutuality_id=data["person"].mutuality_id, insz=INSZ[1],
        defaults={"first_name": "An", "last_name": "Other", "language": "nl",
                  "number_kind": "nn"},
    )  # fmt: skip
    return services.open_episode(
        user=user, person_id=other.pk, start=D(2026, 11, 1), employment_contract=False,
        today=TODAY,
    )  # fmt: skip


def act_assign(user, data, users):
    return services.assign_episode(
        user=user, episode_id=data["episode"].pk, expected_version=_version(data["episode"]),
        coordinator=users["coordinator"],
    )  # fmt: skip


def act_register_medical(user, data, users):
    return register(
        user, data["episode"], "capacity_assessed", D(2026, 10, 25), category=4,
        medical_exam=True,
    )  # fmt: skip


def act_register_coordination(user, data, users):
    return register(user, data["episode"], "contact", D(2026, 11, 2), mode="phone", purpose="other")


def act_questionnaire_support(user, data, users):
    return register(
        user, data["episode"], "questionnaire_help_contact", D(2026, 8, 25), mode="phone"
    )


def act_record_health(user, data, users):
    return services.record_health(
        user=user, episode_id=data["episode"].pk, kind="exam_finding", text="x",
        recorded_on=D(2026, 10, 1),
    )  # fmt: skip


def act_mark_health_relevant(user, data, users):
    record = data["secret"]
    return services.set_health_relevance(
        user=user, record_id=record.pk,
        expected_version=HealthRecord.objects.get(pk=record.pk).version, relevant=True,
    )  # fmt: skip


def act_share_registration(user, data, users):
    return services.share_registration(user=user, registration_id=data["assessed"].pk, shared=True)


def act_add_career(user, data, users):
    return services.add_career_entry(
        user=user, person_id=data["person"].pk, job_title="clerk", start=D(2000, 1, 1)
    )


def act_adjust_plan(user, data, users):
    return services.draw_up_plan(
        user=user, episode_id=data["episode"].pk, expected_version=_version(data["episode"]),
        on=D(2026, 11, 10), objectives=["a"], end_result="b", actions=["c"],
        next_appointment=D(2026, 12, 15), today=TODAY,
    )  # fmt: skip


def act_give_consent(user, data, users):
    return services.give_consent(
        user=user, episode_id=data["episode"].pk, expected_version=_version(data["episode"]),
        on=D(2026, 11, 3), form_reference="ANNEX-III-8", today=TODAY,
    )  # fmt: skip


def act_read_audit(user, data, users):
    return list(entries_for_person(user=user, person_id=data["person"].pk))


ACTIONS = {
    # action:                    physician coordinator staff manager admin
    act_create_person:           (Y, Y, N, N, N),
    act_update_person:           (Y, Y, N, N, N),
    act_open_episode:            (Y, Y, N, N, N),
    act_assign:                  (Y, Y, N, N, N),
    act_register_medical:        (Y, N, N, N, N),
    act_register_coordination:   (N, Y, N, N, N),
    act_questionnaire_support:   (Y, Y, Y, N, N),
    act_record_health:           (Y, N, N, N, N),
    act_mark_health_relevant:    (Y, N, N, N, N),
    act_share_registration:      (Y, N, N, N, N),
    act_add_career:              (N, Y, N, N, N),
    act_adjust_plan:             (N, Y, N, N, N),
    act_give_consent:            (N, Y, N, N, N),
    act_read_audit:              (N, N, N, N, Y),
}  # fmt: skip
CASES = [
    pytest.param(action, role, allowed[i], id=f"{action.__name__[4:]}-{role}")
    for action, allowed in ACTIONS.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_actions(action, role, allowed, users, dossier):
    writes_before = AuditEntry.objects.exclude(action="read").count()
    registrations_before = Registration.objects.count()
    if allowed:
        assert action(users[role], dossier, users) is not None
    else:
        with pytest.raises(PermissionDenied):
            action(users[role], dossier, users)
        assert AuditEntry.objects.exclude(action="read").count() == writes_before
        assert Registration.objects.count() == registrations_before


@pytest.mark.parametrize(
    "action", [a for a in ACTIONS if a not in (act_create_person, act_read_audit)]
)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_no_action_on_another_mutualitys_dossier(action, role, outsiders, users, dossier):
    """Refused; a role that may do it elsewhere gets "not found", the answer for an id that
    does not exist, so the refusal reveals nothing."""
    allowed_here = ACTIONS[action][ROLES.index(role)]
    with pytest.raises(NotFound if allowed_here else PermissionDenied):
        action(outsiders[role], dossier, users)


# Who may register each event type of the rules contract (all of them, so a new event type
# in the engine fails here until it is placed).
REGISTRARS = {
    "advising_physician": {
        "medical_exemption", "exemption_letter_sent", "authorised_work_started",
        "authorised_work_ended", "questionnaire_sent", "questionnaire_received",
        "questionnaire_waived", "questionnaire_help_contact", "capacity_assessed",
        "referred_to_coordinator", "permission_decided", "incapacity_ended",
        "invited", "absent", "registered_letter_sent", "contacted_after_absence",
        "work_potential_estimated", "work_resumption_decided",
    },
    "coordinator": {
        "questionnaire_sent", "questionnaire_received", "questionnaire_waived",
        "questionnaire_help_contact", "spontaneous_request", "first_contact", "consent_given",
        "consent_withdrawn", "permission_requested", "contact", "codex_requested",
        "codex_assessed", "codex_plan_delivered", "codex_plan_answered", "codex_ended",
        "work_resumed", "ziv_started", "occupational_physician_informed", "follow_up_meeting",
        "plan_drawn_up", "plan_reviewed", "ziv_suspended", "ziv_resumed", "paid_work_started",
        "retraining_started", "trajectory_ended", "trajectory_evaluated",
        "invited", "absent", "registered_letter_sent", "contacted_after_absence",
        "work_potential_estimated", "work_potential_requested", "employment_service_registered",
        "retraining_requested", "retraining_decided", "work_resumption_proposed",
        # CODEX invitations, appeal and medical force majeure (issue 9): registered like the
        # other CODEX facts, by the coordinator who keeps the dossier.
        "codex_invited", "codex_unanswered", "codex_appealed", "medical_force_majeure_requested",
    },
    "staff": {"questionnaire_help_contact", "questionnaire_received"},
    "manager": set(),
    "admin": set(),
}  # fmt: skip


def test_who_registers_each_event_type(users):
    from tnw.accounts.roles import capabilities_for_event, has
    from tnw.rules import EVENT_TYPES

    for role in ROLES:
        allowed = {
            event_type
            for event_type in EVENT_TYPES
            if any(has(users[role], cap) for cap in capabilities_for_event(event_type))
        }
        assert allowed == REGISTRARS[role], role
    assert set().union(*REGISTRARS.values()) == set(EVENT_TYPES)


def test_routing_b_questionnaire_is_sent_by_the_coordinator(episode, coordinator):
    """In routing B the engine makes sending the questionnaire the coordinator's obligation."""
    register(coordinator, episode, "spontaneous_request", D(2026, 9, 1))
    assert episode.obligations.get(code="send_questionnaire", sequence=2).actor == "coordinator"
    register(coordinator, episode, "questionnaire_sent", D(2026, 9, 2))
    assert episode.obligations.get(code="send_questionnaire", sequence=2).state == "done"


@pytest.mark.parametrize("role", ["advising_physician", "coordinator", "staff"])
def test_the_exemption_reason_in_obligation_texts_is_health_data(role, users, episode):
    register(users["advising_physician"], episode, "medical_exemption", D(2026, 7, 1),
             reason="severe_oncology")  # fmt: skip
    rows = selectors.get_timeline(user=users[role], episode_id=episode.pk, today=TODAY)
    texts = " ".join(r["void_reason"] + " " + r["explanation"] for r in rows)
    assert ("medical exemption" in texts) is (role != "staff")
    assert ("severe oncology" in texts) is (role == "advising_physician")
    if role == "staff":
        assert "no longer required" in texts


# --- Assignment and break-the-glass ---------------------------------------------------------
# A coordinator and a physician of the same mutuality who are NOT assigned to the episode:
# they see the dossier without its health data and may not act on it, until they break the
# glass (a reason, audited as such, listed for the manager) or cover an absence.


@pytest.fixture
def colleagues(mutuality):
    from tnw.accounts.services import create_user

    return {
        role: create_user(username=f"{role}2", role=role, password="pw-long-enough-1",
                          mutuality=mutuality)
        for role in ("advising_physician", "coordinator")
    }  # fmt: skip


# action -> (unassigned physician, unassigned coordinator): refused by NotAssigned (N) or
# allowed (Y) without breaking the glass.
UNASSIGNED = {
    act_update_person:           (Y, Y),  # identity and contact: the mutuality's team
    act_open_episode:            (Y, Y),
    act_assign:                  (Y, Y),  # so that the team can (re)assign
    act_register_medical:        (N, None),
    act_register_coordination:   (None, N),
    act_questionnaire_support:   (N, N),
    act_record_health:           (N, None),
    act_mark_health_relevant:    (N, None),
    act_share_registration:      (N, None),
    act_add_career:              (None, N),
    act_adjust_plan:             (None, N),
    act_give_consent:            (None, N),
}  # fmt: skip
UNASSIGNED_CASES = [
    pytest.param(action, role, allowed[i], id=f"{action.__name__[4:]}-{role}")
    for action, allowed in UNASSIGNED.items()
    for i, role in enumerate(("advising_physician", "coordinator"))
    if allowed[i] is not None
]


@pytest.mark.parametrize(("action", "role", "allowed"), UNASSIGNED_CASES)
def test_unassigned_colleagues_act_only_after_breaking_the_glass(
    action, role, allowed, users, colleagues, dossier
):
    from tnw.dossier.errors import NotAssigned

    user = colleagues[role]
    if allowed:
        assert action(user, dossier, users) is not None
        return
    writes_before = AuditEntry.objects.exclude(action="read").count()
    with pytest.raises(NotAssigned):
        action(user, dossier, users)
    assert AuditEntry.objects.exclude(action="read").count() == writes_before
    services.break_the_glass(
        user=user, episode_id=dossier["episode"].pk, reason="urgent call of the insured person"
    )
    assert action(user, dossier, users) is not None
    marked = AuditEntry.objects.exclude(action="read").order_by("-seq").first()
    assert marked.channel.endswith(":break-glass") or ":break-glass:" in marked.channel


@pytest.mark.parametrize("role", ["advising_physician", "coordinator"])
def test_unassigned_colleagues_see_no_health_data(role, users, colleagues, dossier):
    services.share_registration(
        user=users["advising_physician"], registration_id=dossier["assessed"].pk, shared=True
    )
    seen = observe(colleagues[role], dossier)
    assert seen["identity"] and seen["registrations"] and seen["timeline"]
    assert not seen["medical_fields"]
    assert not seen["health_unshared"] and not seen["health_shared"]
    services.break_the_glass(
        user=colleagues[role], episode_id=dossier["episode"].pk,
        reason="the assigned colleague is ill today",
    )  # fmt: skip
    assert observe(colleagues[role], dossier) == observe(users[role], dossier)
    read = AuditEntry.objects.filter(
        action="read", object_type="dossier.person", actor_id=colleagues[role].pk
    ).order_by("seq")
    assert read.last().channel == "selector:break-glass"


def test_breaking_the_glass_is_audited_and_reviewed(users, colleagues, dossier):
    from django.core.exceptions import ValidationError

    coordinator2 = colleagues["coordinator"]
    episode = dossier["episode"]
    with pytest.raises(ValidationError):
        services.break_the_glass(user=coordinator2, episode_id=episode.pk, reason="because")
    with pytest.raises(PermissionDenied):
        services.break_the_glass(user=users["staff"], episode_id=episode.pk, reason="x" * 20)
    with pytest.raises(ValidationError):  # nothing to break: assigned already
        services.break_the_glass(user=users["coordinator"], episode_id=episode.pk,
                                 reason="x" * 20)  # fmt: skip
    glass = services.break_the_glass(
        user=coordinator2, episode_id=episode.pk, reason="  insured person at the desk,  urgent "
    )
    entry = AuditEntry.objects.get(object_type="dossier.glassbreak", action="create")
    assert entry.changes["after"]["break_glass"] is True
    assert entry.changes["after"]["reason"] == "insured person at the desk, urgent"
    assert entry.person_id == dossier["person"].pk and entry.actor_id == coordinator2.pk
    act_register_coordination(coordinator2, dossier, users)
    selectors.get_dossier(user=coordinator2, person_id=dossier["person"].pk, today=TODAY)
    for role in ROLES:
        if role == "manager":
            continue
        with pytest.raises(PermissionDenied):
            selectors.glass_breaks(user=users[role])
    [row] = selectors.glass_breaks(user=users["manager"])
    assert (row.id, row.username, row.person_id, row.episode_id) == (
        glass.pk, "coordinator2", dossier["person"].pk, episode.pk,
    )  # fmt: skip
    # The glass entry itself, the contact's registration (it changes no obligation), the read.
    assert row.entries == 3
    review = AuditEntry.objects.filter(object_type="dossier.glassbreak", action="read").get()
    assert review.actor_id == users["manager"].pk and review.changes["shown"] == [glass.pk]


def test_a_broken_glass_closes_again(users, colleagues, dossier):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from tnw.dossier.errors import NotAssigned

    coordinator2 = colleagues["coordinator"]
    services.break_the_glass(
        user=coordinator2, episode_id=dossier["episode"].pk, reason="covering a phone call"
    )
    later = timezone.now() + services.GLASS_OPEN_FOR + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later), pytest.raises(NotAssigned):
        act_register_coordination(coordinator2, dossier, users)


def test_covering_an_absence_moves_the_right_to_act(users, colleagues, dossier):
    from tnw.dossier.errors import NotAssigned
    from tnw.worklists.services import cover_absence, end_cover

    coordinator, coordinator2 = users["coordinator"], colleagues["coordinator"]
    with pytest.raises(NotAssigned):
        act_register_coordination(coordinator2, dossier, users)
    batch, moved = cover_absence(user=coordinator, absent=coordinator, substitute=coordinator2)
    assert moved == 1
    assert act_register_coordination(coordinator2, dossier, users) is not None
    end_cover(user=coordinator2, batch=batch)
    with pytest.raises(NotAssigned):
        act_give_consent(coordinator2, dossier, users)
    assert not AuditEntry.objects.filter(channel__contains="break-glass").exists()


@pytest.mark.parametrize("role", ["advising_physician", "coordinator", "staff"])
def test_another_mutualitys_id_is_not_found_like_a_missing_one(role, outsiders, dossier):
    """The same exception and the same message: no oracle of which ids exist elsewhere."""
    answers = []
    user = outsiders[role]
    for person_id, episode_id in ((dossier["person"].pk, dossier["episode"].pk), (10**8, 10**8)):
        with pytest.raises(NotFound) as caught:
            selectors.get_dossier(user=user, person_id=person_id)
        answers.append(str(caught.value))
        with pytest.raises(NotFound) as caught:
            selectors.get_timeline(user=user, episode_id=episode_id)
        answers.append(str(caught.value))
    assert answers[:2] == answers[2:]


def test_the_insz_check_stays_in_the_mutuality_and_is_audited(users, outsiders, dossier):
    from django.core.exceptions import ValidationError

    insz = dossier["person"].insz
    with pytest.raises(ValidationError, match="already exists"):
        services.create_person(user=users["coordinator"], insz=insz, first_name="J",
                               last_name="P", language="nl")  # fmt: skip
    # Another mutuality learns nothing: it keeps its own dossier of the same person.
    other = services.create_person(
        user=outsiders["coordinator"], insz=insz, first_name="J", last_name="P", language="fr"
    )
    assert other.mutuality_id != dossier["person"].mutuality_id
    checks = list(AuditEntry.objects.filter(object_type="dossier.insz_check").order_by("seq"))
    # The fixture's person, the refused one (kept although refused), the other mutuality's.
    assert [c.changes["known"] for c in checks] == [False, True, False]
    assert checks[1].actor_id == users["coordinator"].pk
    assert checks[1].person_id == dossier["person"].pk
    assert checks[2].person_id is None


# --- Finding 4: the engine's texts do not reveal an unshared category -----------------------


def _texts_of(user, data) -> str:
    rows = selectors.get_timeline(user=user, episode_id=data["episode"].pk, today=TODAY)
    parts = selectors.explanation_parts(user=user, obligation_ids=[r["id"] for r in rows])
    return repr([(r["explanation"], r["explanation_parts"], r["void_reason"]) for r in rows]) + (
        repr(parts)
    )


def test_the_coordinator_does_not_learn_an_unshared_category_from_the_texts(users, dossier):
    coordinator = users["coordinator"]
    texts = _texts_of(coordinator, dossier)
    assert "category" not in texts
    assert "withheld.first_contact_after_estimate" in texts
    assert "after the first estimate: first contact at the latest during month 6" in texts
    assert "category 4" in _texts_of(users["advising_physician"], dossier)
    services.share_registration(
        user=users["advising_physician"], registration_id=dossier["assessed"].pk, shared=True
    )
    assert "placed in category 4 at the first estimate" in _texts_of(coordinator, dossier)


# --- Figures (tnw.reports) ------------------------------------------------------------------

FIGURES = {
    "advising_physician": {"view_figures"},
    "coordinator": {"view_figures"},
    "staff": set(),
    "manager": {"view_figures"},
    "admin": {"view_national_figures"},
}  # fmt: skip


def test_who_sees_figures_of_their_mutuality_and_of_every_mutuality(users):
    from tnw.accounts.roles import Cap, has

    for role in ROLES:
        seen = {
            cap for cap in ("view_figures", "view_national_figures") if has(users[role], Cap(cap))
        }
        assert seen == FIGURES[role], role


# --- Circular VII: the multidisciplinary team's contacts in the incapacity-evaluation domain --
# A coordinator may also hold the team's non-physician role (`mdt_non_physician`): then only
# preparatory contacts, no contacts for the extension of invalidity and no interim contacts.


@pytest.fixture
def team_members(users, mutuality):
    from tnw.accounts.services import create_user

    both = create_user(username="coordinator_mdt", role="coordinator", password="pw-long-1",
                       mutuality=mutuality)  # fmt: skip
    both.mdt_non_physician = True
    both.save()
    mdt = create_user(username="mdt", role="mdt", password="pw-long-1", mutuality=mutuality)
    return {**users, "coordinator_mdt": both, "mdt": mdt}


EVALUATION_KINDS = ("preparatory", "invalidity_extension", "interim")
EVALUATION_CONTACTS = {
    # who:                  preparatory  extension of invalidity  interim
    "advising_physician":   (Y,          Y,                       Y),
    "mdt":                  (Y,          Y,                       Y),
    "coordinator_mdt":      (Y,          N,                       N),
    "coordinator":          (N,          N,                       N),
    "staff":                (N,          N,                       N),
    "manager":              (N,          N,                       N),
    "admin":                (N,          N,                       N),
}  # fmt: skip


@pytest.mark.parametrize(
    ("who", "kind", "allowed"),
    [
        pytest.param(who, kind, allowed[i], id=f"{who}-{kind}")
        for who, allowed in EVALUATION_CONTACTS.items()
        for i, kind in enumerate(EVALUATION_KINDS)
    ],
)
def test_evaluation_contacts(who, kind, allowed, team_members, dossier):
    from tnw.evaluation.models import EvaluationContact
    from tnw.evaluation.services import RoleLimit, register_contact

    writes_before = AuditEntry.objects.exclude(action="read").count()

    def act():
        return register_contact(
            user=team_members[who], episode_id=dossier["episode"].pk, kind=kind,
            on=D(2026, 11, 2), mode="phone", today=TODAY,
        )  # fmt: skip

    if allowed:
        assert act().person_id == dossier["person"].pk
        return
    with pytest.raises(PermissionDenied) as refused:
        act()
    assert isinstance(refused.value, RoleLimit) is (who == "coordinator_mdt")
    if who == "coordinator_mdt":
        assert str(refused.value).endswith(" VII).")  # the circular, in the user's language
    assert AuditEntry.objects.exclude(action="read").count() == writes_before
    assert not EvaluationContact.objects.exists()


def test_the_second_role_adds_to_the_coordinators_and_nothing_else(team_members, dossier):
    from tnw.accounts.roles import MATRIX, Cap, has

    both, mdt = team_members["coordinator_mdt"], team_members["mdt"]
    for cap in Cap:
        coordinator_or_team = Role.COORDINATOR in MATRIX[cap] or Role.MDT in MATRIX[cap]
        assert has(both, cap) is coordinator_or_team, cap
    # The team's non-physician alone reads no dossier: the health data stay the physician's.
    assert {c for c in Cap if has(mdt, c)} == {
        Cap.REGISTER_EVALUATION_CONTACT, Cap.VIEW_EVALUATION_CONTACTS,
    }  # fmt: skip
    assert observe(mdt, dossier) == dict.fromkeys(KINDS, False)


# The team's way in (circular VII): a search of its own that shows who the person is and their
# episodes, to open the incapacity-evaluation contacts, and nothing of the dossier; audited like
# every search. The general search (identity) stays closed to the team's non-physician.
FIND_FOR_EVALUATION = {
    "advising_physician": Y, "mdt": Y, "coordinator_mdt": Y,
    "coordinator": N, "staff": N, "manager": N, "admin": N,
}  # fmt: skip


@pytest.mark.parametrize(("who", "allowed"), list(FIND_FOR_EVALUATION.items()))
def test_the_teams_way_in_is_a_search_of_its_own(who, allowed, team_members, dossier):
    user, person = team_members[who], dossier["person"]
    searches = AuditEntry.objects.filter(object_type="dossier.search")
    before = searches.count()
    if not allowed:
        with pytest.raises(PermissionDenied):
            selectors.find_for_evaluation(user=user, text="peeters jan")
        assert searches.count() == before
        return
    found = selectors.find_for_evaluation(user=user, text="peeters jan")
    assert found == [{
        "id": person.pk, "name": "Peeters Jan", "birth_date": D(1985, 7, 30),
        "episodes": [{"id": dossier["episode"].pk, "start": D(2026, 6, 1), "end": None}],
    }]  # fmt: skip
    entry = searches.latest("seq")
    assert entry.actor_id == user.pk and entry.changes == {
        "search": "peeters jan", "found": [person.pk], "for": "evaluation",
    }  # fmt: skip
    assert [r["id"] for r in selectors.find_for_evaluation(user=user, text=INSZ[0])] == [person.pk]
    assert selectors.find_for_evaluation(user=user, text="  ") == []  # no question, no list


def test_the_team_finds_nobody_of_another_mutuality_and_not_through_the_identity_search(
    team_members, dossier, other_mutuality
):
    from tnw.accounts.services import create_user

    outsider = create_user(username="mdt_other", role="mdt", password="pw-long-1",
                           mutuality=other_mutuality)  # fmt: skip
    assert selectors.find_for_evaluation(user=outsider, text="peeters jan") == []
    assert selectors.find_for_evaluation(user=outsider, text=INSZ[0]) == []
    with pytest.raises(PermissionDenied):
        selectors.find_people(user=team_members["mdt"], text="peeters jan")
