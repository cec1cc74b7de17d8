"""Translated names for everything the rules and the dossier identify by code: event types and
their fields and choices, obligations, actors, statuses, roles and violation codes.

The msgids are English; the legal terms in NL/FR/DE come from docs/glossary.md (in the .po
files). Every code of `tnw.rules` must have a name here (tests/web/test_labels.py checks it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "medical_exemption": _("Medical exemption (no questionnaire)"),
    "exemption_letter_sent": _("Exemption letter sent"),
    "authorised_work_started": _("Authorised work started"),
    "authorised_work_ended": _("Authorised work ended"),
    "questionnaire_sent": _("Questionnaire sent"),
    "questionnaire_received": _("Questionnaire received"),
    "questionnaire_waived": _("Questionnaire not needed (waived)"),
    "questionnaire_help_contact": _("Help contact for the questionnaire"),
    "capacity_assessed": _("Estimate of the remaining capacities (category)"),
    "referred_to_coordinator": _("Referral to the TNW coordinator"),
    "spontaneous_request": _("Spontaneous request of the insured person"),
    "first_contact": _("First contact moment"),
    "consent_given": _("Consent given"),
    "consent_withdrawn": _("Consent withdrawn"),
    "permission_requested": _("Permission requested from the advising physician"),
    "permission_decided": _("Decision on the permission"),
    "contact": _("Contact moment"),
    "codex_requested": _("CODEX re-integration request"),
    "codex_assessed": _("CODEX re-integration assessment"),
    "codex_plan_delivered": _("CODEX plan delivered by the employer"),
    "codex_plan_answered": _("Answer to the CODEX plan"),
    "codex_ended": _("End of the CODEX trajectory"),
    "work_resumed": _("Work resumption"),
    "ziv_started": _("Start of the ZIV re-integration trajectory"),
    "occupational_physician_informed": _("Occupational physician informed"),
    "follow_up_meeting": _("Follow-up meeting"),
    "plan_drawn_up": _("Re-integration plan drawn up or adjusted"),
    "plan_reviewed": _("Plan follow-up"),
    "ziv_suspended": _("ZIV trajectory suspended"),
    "ziv_resumed": _("ZIV trajectory resumed"),
    "paid_work_started": _("Paid work started"),
    "retraining_started": _("Vocational retraining started"),
    "trajectory_ended": _("End of the trajectory"),
    "trajectory_evaluated": _("Evaluation of the results"),
    "incapacity_ended": _("End of the incapacity for work"),
}

# Groups of the registration menu, in the order of the process.
EVENT_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("Routing A: questionnaire and estimate"),
        ("medical_exemption", "exemption_letter_sent", "questionnaire_sent",
         "questionnaire_received", "questionnaire_help_contact", "capacity_assessed",
         "referred_to_coordinator"),
    ),
    (
        _("Routing B: spontaneous request"),
        ("spontaneous_request", "questionnaire_waived", "permission_requested",
         "permission_decided"),
    ),
    (
        _("Contacts and consent"),
        ("first_contact", "contact", "consent_given", "consent_withdrawn"),
    ),
    (
        _("ZIV re-integration trajectory"),
        ("ziv_started", "occupational_physician_informed", "follow_up_meeting", "plan_drawn_up",
         "plan_reviewed", "ziv_suspended", "ziv_resumed", "paid_work_started",
         "retraining_started", "trajectory_ended", "trajectory_evaluated"),
    ),
    (
        _("CODEX re-integration trajectory"),
        ("codex_requested", "codex_assessed", "codex_plan_delivered", "codex_plan_answered",
         "codex_ended", "work_resumed"),
    ),
    (
        _("Incapacity"),
        ("authorised_work_started", "authorised_work_ended", "incapacity_ended"),
    ),
)  # fmt: skip

FIELD_LABELS = {
    "date": _("Date"),
    "reason": _("Reason for the exemption"),
    "complete": _("Properly completed"),
    "mode": _("Contact mode"),
    "category": _("Category"),
    "medical_exam": _("With a medical examination"),
    "consent": _("Written consent for the TNW dossier (Annex III)"),
    "outcome": _("Outcome"),
    "granted": _("Permission granted"),
    "purpose": _("Purpose"),
    "by": _("Requested by"),
    "definitive_unfitness_certificate": _("With a certificate of definitive unfitness"),
    "worker_consent": _("With the worker's consent"),
    "decision": _("Decision"),
    "agreed": _("The worker agrees (signs the plan)"),
    "definitive_unfitness": _("Definitive unfitness for the agreed work"),
    "situation": _("Start situation"),
    "objectives": _("Objectives"),
    "end_result": _("End result"),
    "actions": _("Concrete actions"),
    "action_by": _("Who does each action"),
    "next_appointment": _("Next follow-up meeting (concrete appointment)"),
    "next_review": _("Next plan follow-up"),
    "note": _("Note (findings, agreements)"),
    "form_reference": _("Reference of the signed form"),
    "shared_with_coordinator": _("Share with the TNW coordinator (relevant to the trajectory)"),
    "plan_reason": _("Why the plan is adjusted"),
    "engagement_signed": _("The positive engagement declaration is signed"),
}

CHOICE_LABELS = {
    # Who does an action of the re-integration plan (tnw.rules.facts.PLAN_ACTORS).
    "action_by": {
        "person": pgettext_lazy("who does a plan action", "insured person"),
        "coordinator": pgettext_lazy("who does a plan action", "TNW coordinator"),
        "advising_physician": pgettext_lazy("who does a plan action", "advising physician"),
        "treating_physician": pgettext_lazy("who does a plan action", "treating physician"),
        "counsellor": pgettext_lazy("who does a plan action", "therapeutic counsellor"),
        "employer": pgettext_lazy("who does a plan action", "employer"),
        "regional_service": pgettext_lazy(
            "who does a plan action",
            "regional service (VDAB, Le Forem, Actiris, ADG, Bruxelles Formation)",
        ),
        "provider": pgettext_lazy("who does a plan action", "other provider"),
    },
    "mode": {
        "physical": _("physical meeting"),
        "video": _("video call"),
        "phone": _("telephone"),
        "mail": _("letter or e-mail"),
    },
    "outcome": {
        "occupational_physician": _("referred to the occupational physician"),
        "ziv": _("towards a ZIV re-integration trajectory"),
        "none": _("no trajectory wanted"),
        "pending": _("not decided yet"),
    },
    "purpose": {
        "refusal_discussion": _("discussion of a negative decision"),
        "other": _("other contact"),
    },
    "by": {
        "worker": _("the worker"),
        "treating_physician": _("the treating physician"),
        "advising_physician": _("the advising physician"),
        "employer": _("the employer"),
    },
    "situation": {
        "A": _("A: no employment contract"),
        "B": _("B: employment contract, not referred to the occupational physician"),
        "C": _("C: employment contract, after the pre-return visit"),
        "D": _("D: after a CODEX trajectory ended for definitive unfitness"),
    },
    "decision": {
        "A": _("decision A"),
        "B": _("decision B"),
        "C": _("decision C"),
        "D": _("decision D"),
        "E": _("decision E"),
    },
    "category": {
        "1": _("1: expected to resume work by the end of month 6"),
        "2": _("2: return to work seems impossible for medical reasons"),
        "3": _("3: diagnosis or treatment comes first"),
        "4": _("4: return possible with adaptation or guidance"),
    },
    "reason": {
        "severe_oncology": _("severe oncological pathology"),
        "transplant": _("heart, lung, liver, kidney or intestine transplant"),
        "amputation": _("amputation of a complete limb"),
        "plegia_paresis": _("acquired plegia or paresis"),
        "dementia": _("dementia"),
        "korsakov": _("Korsakoff syndrome"),
        "coma": _("coma"),
        "spinal_muscular_atrophy": _("spinal muscular atrophy, such as ALS"),
        "parkinson": _("Parkinson's disease, parkinsonism"),
        "bilateral_visual_impairment": _("acquired severe bilateral visual impairment"),
        "decompensated_cirrhosis": _("decompensated liver cirrhosis"),
        "terminal_renal_failure": _("terminal renal failure"),
        "severe_polytrauma": _("severe polytrauma"),
        "severe_burns": _("severe burns"),
    },
}

OBLIGATION_LABELS = {
    "send_questionnaire": _("Send the questionnaire"),
    "inform_exemption": _("Inform the person of the exemption"),
    "return_questionnaire": _("Return the completed questionnaire"),
    "questionnaire_help_contact": _("Help with the questionnaire"),
    "first_capacity_assessment": _("First estimate of the remaining capacities"),
    "questionnaire_medical_examination": _("Invite to a medical examination (questionnaire)"),
    "category1_reexamination": _("Re-examination (category 1)"),
    "category3_examination": _("Examination (category 3)"),
    "refer_to_coordinator": _("Refer to the TNW coordinator"),
    "first_contact": _("First contact moment"),
    "request_permission": _("Ask the advising physician's permission"),
    "permission_decision": _("Decide on the permission"),
    "refusal_contact": _("Discuss the negative decision"),
    "inform_occupational_physician": _("Inform the occupational physician"),
    "first_follow_up_meeting": _("First follow-up meeting"),
    "draw_up_plan": _("Draw up the re-integration plan"),
    "plan_follow_up": _("Follow up the re-integration plan"),
    "suspend_ziv": _("Suspend the ZIV trajectory"),
    "resume_ziv": _("Resume the ZIV trajectory"),
    "evaluate_trajectory": _("Evaluate the results"),
    "codex_assessment": _("CODEX re-integration assessment"),
    "codex_plan": _("CODEX re-integration plan"),
    "codex_plan_answer": _("Answer to the CODEX plan"),
    "codex_reassessment": _("CODEX reassessment"),
}

ACTOR_LABELS = {
    "advising_physician": _("advising physician"),
    "coordinator": _("TNW coordinator"),
    "insured": _("insured person"),
    "employer": _("employer"),
    "occupational_physician": _("occupational physician"),
}

STATUS_LABELS = {
    "done": _("done"),
    "open": _("open"),
    "overdue": _("overdue"),
    "upcoming": _("upcoming"),
    "void": _("void"),
}

ROLE_LABELS = {
    "advising_physician": _("Advising physician"),
    "coordinator": _("TNW coordinator"),
    "staff": _("Mutuality staff member"),
    "manager": _("Manager"),
    "admin": _("Administrator"),
    "mdt": _("Multidisciplinary team member"),
}

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}

PERSON_LANGUAGE_LABELS = {"nl": _("Dutch"), "fr": _("French"), "de": _("German")}

HEALTH_KIND_LABELS = {
    "diagnosis": _("diagnosis"),
    "exam_finding": _("medical examination findings"),
    "restriction": _("functional restrictions"),
    "other": _("other health data"),
}

PRESUMPTION_LABELS = {
    "ziv": _("ZIV plan (art. 100 §1/1)"),
    "codex": _("CODEX plan signed"),
}

# The coarse stage labels of `tnw.dossier.selectors.stage_of`, by their English text.
STAGE_LABELS = {
    "evaluated": _("results evaluated"),
    "trajectory ended": _("trajectory ended"),
    "ZIV: plan follow-up": _("ZIV: plan follow-up"),
    "ZIV: started, plan pending": _("ZIV: started, plan pending"),
    "CODEX trajectory": _("CODEX trajectory"),
    "routing B: permission": _("routing B: permission"),
    "first contact held": _("first contact held"),
    "routing A: referred": _("routing A: referred"),
    "routing B: request": _("routing B: request"),
    "routing A: estimated": _("routing A: estimated"),
    "routing A: questionnaire received": _("routing A: questionnaire received"),
    "routing A: questionnaire sent": _("routing A: questionnaire sent"),
    "exempted (medical)": _("no questionnaire (medical reasons)"),
    "incapacity ended": _("incapacity ended"),
    "new incapacity": _("new incapacity"),
}

# Violation codes of the rules engine and of the dossier services, as the user reads them.
VIOLATION_MESSAGES = {
    "event_before_incapacity": _("This date is before the start of the incapacity."),
    "event_after_incapacity_ended": _("The incapacity has already ended on this date."),
    "event_in_future": _("This date is in the future: register a fact once it has happened."),
    "missing_prior_step": _(
        "The earlier step this registration answers is missing in this dossier."
    ),
    "contact_mode_not_allowed": _("The law does not allow this contact mode for this contact."),
    "no_consent": _(
        "There is no written consent of the person in force: register the consent first."
    ),
    "plan_incomplete": _(
        "The plan lacks its legal minimum: objectives, the end result, one concrete action "
        "and one concrete appointment for the next follow-up meeting."
    ),
    "ziv_situation_mismatch": _("This start situation does not fit the person's situation."),
    "ziv_without_permission": _(
        "In routing B, a ZIV trajectory needs the advising physician's permission."
    ),
    "codex_without_employment_contract": _("A CODEX trajectory needs an employment contract."),
    "codex_initiative_not_allowed": _("This initiator may not ask for a CODEX trajectory yet."),
    "incapacity_end_in_presumption": _(
        "The legal presumption of incapacity runs on this date: the recognition of the "
        "incapacity is kept."
    ),
    "codex_decision_not_in_regime": _(
        "This decision does not exist in the CODEX regime of this trajectory."
    ),
    "codex_not_in_force": _("The CODEX trajectory did not exist yet on this date."),
    "invalidates_registration": _(
        "This would take the legal effect away from an earlier registration."
    ),
    "invalid_input": _("The registration is incomplete or malformed."),
    "conflict": _(
        "Someone else changed this dossier since you opened it. Nothing was saved: check the "
        "dossier and register again."
    ),
}


def violation_message(code: str) -> str:
    return str(VIOLATION_MESSAGES.get(code, VIOLATION_MESSAGES["invalid_input"]))


def event_label(code: str) -> str:
    return str(EVENT_LABELS.get(code, code.replace("_", " ")))


def obligation_label(code: str) -> str:
    return str(OBLIGATION_LABELS.get(code, code.replace("_", " ")))


def choice_label(field: str, value: object) -> str:
    labels = CHOICE_LABELS.get(field, {})
    return str(labels.get(str(value), value))


def plan_actions(plan: Any) -> list[tuple[str, str]]:
    """(action, who does it) for each action of a plan version (a dict of the selectors or the
    stored letter facts, or the portal's plan); who is "" when the plan does not name it."""

    def get(name: str, default: Any) -> Any:
        return plan.get(name, default) if isinstance(plan, dict) else getattr(plan, name, default)

    actions, by = list(get("actions", []) or []), list(get("action_by", []) or [])
    by += [""] * (len(actions) - len(by))
    return [
        (a, choice_label("action_by", b) if b else "") for a, b in zip(actions, by, strict=False)
    ]


# The neutral sentences that replace an engine message naming the category of an estimate, for
# readers who may not see it (keys of tnw.dossier.redaction; medical secrecy).
WITHHELD_MESSAGES = {
    "withheld.refer_to_coordinator": _(
        "estimate of %(date)s: refer to the TNW coordinator for a first contact"
    ),
    "withheld.first_contact_after_estimate": _(
        "after the first estimate: first contact at the latest during month %(month)s of the "
        "incapacity"
    ),
    "withheld.medical_examination": _("a medical examination set by the advising physician"),
}


# The law after 2022 (issue 9: sanctions, work potential, CODEX 2026) names its own codes, in
# its own translation catalogue (tnw.sanctions).
from tnw.sanctions import labels as _later_law  # noqa: E402

EVENT_LABELS.update(_later_law.EVENT_LABELS)
EVENT_GROUPS = (*EVENT_GROUPS, _later_law.EVENT_GROUP, _later_law.CODEX_EVENT_GROUP)
FIELD_LABELS.update(_later_law.FIELD_LABELS)
CHOICE_LABELS.update(_later_law.CHOICE_LABELS)
OBLIGATION_LABELS.update(_later_law.OBLIGATION_LABELS)
VIOLATION_MESSAGES.update(_later_law.VIOLATION_MESSAGES)


def _with_plan_outcomes(events: tuple[str, ...]) -> tuple[str, ...]:
    """The ZIV group gets the plan's outcomes before paid work and the retraining start."""
    if "retraining_started" not in events:
        return events
    at = events.index("paid_work_started")
    return (*events[:at], *_plan_outcomes.ZIV_EVENTS, *events[at:])


# Where a plan leads (issue 16: circular IV 4.2), in its own catalogue (tnw.planoutcomes).
from tnw.planoutcomes import labels as _plan_outcomes  # noqa: E402

EVENT_LABELS.update(_plan_outcomes.EVENT_LABELS)
EVENT_GROUPS = tuple(
    (title, _with_plan_outcomes(events)) for title, events in EVENT_GROUPS
)  # fmt: skip
FIELD_LABELS.update(_plan_outcomes.FIELD_LABELS)
OBLIGATION_LABELS.update(_plan_outcomes.OBLIGATION_LABELS)
