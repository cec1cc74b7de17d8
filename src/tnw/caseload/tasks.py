"""Which registration does a worklist item's task: the link from a row to its form.

An obligation of the engine is fulfilled by a registration (its `done_by`); the worklist row
links to the form of that registration, so a task is one click from its form (the form opens
dated today; the engine still decides on saving). Items done by someone else (the insured
person, the employer) link to the dossier.
"""

from __future__ import annotations

from django.urls import reverse

# Obligation code -> (registration type, purpose variant or None).
TASK_EVENTS: dict[str, tuple[str, str | None]] = {
    "send_questionnaire": ("questionnaire_sent", None),
    "inform_exemption": ("exemption_letter_sent", None),
    "questionnaire_help_contact": ("questionnaire_help_contact", None),
    "first_capacity_assessment": ("capacity_assessed", None),
    "category1_reexamination": ("capacity_assessed", None),
    "category3_examination": ("capacity_assessed", None),
    "refer_to_coordinator": ("referred_to_coordinator", None),
    "first_contact": ("first_contact", None),
    "request_permission": ("permission_requested", None),
    "permission_decision": ("permission_decided", None),
    "refusal_contact": ("contact", "refusal_discussion"),
    "inform_occupational_physician": ("occupational_physician_informed", None),
    "first_follow_up_meeting": ("follow_up_meeting", None),
    "draw_up_plan": ("plan_drawn_up", None),
    "plan_follow_up": ("plan_reviewed", None),
    "suspend_ziv": ("ziv_suspended", None),
    "resume_ziv": ("ziv_resumed", None),
    "evaluate_trajectory": ("trajectory_evaluated", None),
    "codex_assessment": ("codex_assessed", None),
    "codex_plan_answer": ("codex_plan_answered", None),
    "codex_reassessment": ("codex_assessed", None),
}


def task_url(code: str, episode_id: int, dossier_url: str) -> str:
    """The form that does the task, or the dossier when no registration of ours does it."""
    found = TASK_EVENTS.get(code)
    if found is None:
        return dossier_url
    event_type, variant = found
    url = reverse("web:register", args=[episode_id, event_type])
    return f"{url}?purpose={variant}" if variant else url
