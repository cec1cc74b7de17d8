"""Plain words (B1 level) for the steps and tasks the person sees. The legal terms follow
docs/glossary.md; anything not listed here falls back to the staff screens' label."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tnw.web import labels

STEPS = {
    "questionnaire_sent": _("Your mutuality sent you the questionnaire."),
    "questionnaire_received": _("Your questionnaire was received."),
    "questionnaire_waived": _("You do not need to fill in a new questionnaire."),
    "questionnaire_help_contact": _("Your mutuality helped you with the questionnaire."),
    "capacity_assessed": _("The advising physician looked at your chances to work again."),
    "referred_to_coordinator": _("The advising physician asked the TNW coordinator to help you."),
    "spontaneous_request": _("You asked for a return-to-work trajectory."),
    "permission_requested": _("The coordinator asked the advising physician for permission."),
    "permission_decided": _("The advising physician decided on your request."),
    "first_contact": _("You talked with the TNW coordinator for the first time."),
    "consent_given": _("You gave your consent for the TNW dossier."),
    "consent_withdrawn": _("You withdrew your consent for the TNW dossier."),
    "ziv_started": _("Your re-integration trajectory with the mutuality started."),
    "plan_drawn_up": _("Your re-integration plan was made."),
    "plan_reviewed": _("Your re-integration plan was looked at again."),
    "follow_up_meeting": _("You had a follow-up meeting."),
    "codex_requested": _("A re-integration trajectory with your employer started."),
    "work_resumed": _("You went back to work."),
    "paid_work_started": _("You started paid work."),
    "trajectory_ended": _("Your trajectory ended."),
    "incapacity_ended": _("Your incapacity for work ended."),
}

TASKS = {
    "return_questionnaire": _("Fill in and send back the questionnaire."),
    "questionnaire_help_contact": _("Your mutuality contacts you to help with the questionnaire."),
    "send_questionnaire": _("Your mutuality sends you the questionnaire."),
    "first_capacity_assessment": _("The advising physician looks at your chances to work again."),
    "refer_to_coordinator": _("The advising physician decides whether a coordinator helps you."),
    "first_contact": _("The TNW coordinator contacts you for a first talk."),
    "request_permission": _("The coordinator asks the advising physician for permission."),
    "permission_decision": _("The advising physician decides on your request."),
    "refusal_contact": _("The coordinator explains the decision to you."),
    "draw_up_plan": _("You and the coordinator make your re-integration plan."),
    "first_follow_up_meeting": _("A first follow-up meeting about your plan."),
    "plan_follow_up": _("A follow-up meeting about your plan."),
    "evaluate_trajectory": _("The coordinator looks back on your trajectory with you."),
    "codex_plan_answer": _("Answer the re-integration plan of your employer."),
}

ACTORS = {
    "insured": _("You"),
    "advising_physician": _("Advising physician"),
    "coordinator": _("TNW coordinator"),
    "employer": _("Your employer"),
    "occupational_physician": _("Occupational physician"),
}


# The letters and forms on the portal (tnw.documents.portal.FOR_THE_PERSON), in plain words.
DOCUMENTS = {
    "questionnaire_letter": _("Letter with the questionnaire"),
    "questionnaire_reminder": _("Reminder: send back the questionnaire"),
    "no_questionnaire_letter": _("Letter: you do not need to fill in the questionnaire"),
    "invitation": _("Invitation to a talk with the TNW coordinator"),
    "annex_i": _("Decision of the advising physician about a trajectory"),
    "annex_ii": _("Decision of the advising physician: no trajectory now"),
    "annex_iii": _("Consent form for your TNW dossier"),
    "annex_iv": _("Engagement declaration for your re-integration trajectory"),
    "consent_withdrawal": _("Confirmation: you withdrew your consent"),
    "plan": _("Your re-integration plan"),
    "evaluation": _("Evaluation of your trajectory"),
    "sanction_invitation": _("Invitation: if you do not come, your benefit can be reduced"),
    "registered_letter": _("Registered letter: a new date for your appointment"),
    "sanction_notice": _("Notice: your benefit is reduced or suspended"),
}

# Who signed a form, in plain words.
SIGNERS = {
    "insured": _("you"),
    "coordinator": _("the TNW coordinator"),
    "advising_physician": _("the advising physician"),
}


def document_text(kind: str) -> str:
    return str(DOCUMENTS.get(kind, kind.replace("_", " ")))


def signer_text(party: str) -> str:
    return str(SIGNERS.get(party, party))


def step_text(event_type: str) -> str:
    return str(STEPS.get(event_type) or labels.event_label(event_type))


def task_text(code: str) -> str:
    return str(TASKS.get(code) or labels.obligation_label(code))


def actor_text(actor: str) -> str:
    return str(ACTORS.get(actor, actor))


# The coordinator's answer to a meeting the person proposed (shown on the staff's screen).
PROPOSAL_DECIDED = {True: _("The meeting is confirmed."), False: _("The meeting is declined.")}
