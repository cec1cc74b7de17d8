"""Translated names of what the law after 2022 adds to the rules engine (tnw.rules.law:
law_2023_sanctions, law_2026_work_potential, codex_2026). tnw.web.labels and tnw.web.catalogue
merge these tables into theirs. Legal terms from docs/glossary.md and domain-notes 3 and 4.3:
work potential = arbeidspotentieel / potentiel de travail / Arbeitspotenzial."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "invited": _("Invitation to an appointment"),
    "absent": _("Absence from an appointment"),
    "registered_letter_sent": _("Registered letter with a new date"),
    "contacted_after_absence": _("Contact by the person after an absence"),
    "work_potential_requested": _("Estimate of the work potential requested by the employer"),
    "work_potential_estimated": _("Estimate of the work potential"),
    "employment_service_registered": _("Registration with the regional employment service"),
    "codex_invited": _("Invitation to the CODEX re-integration assessment"),
    "codex_unanswered": _("The worker did not answer the invitation"),
    "codex_appealed": _("Appeal against the decision of definitive unfitness"),
    "medical_force_majeure_requested": _("Request to start the medical force majeure procedure"),
}

EVENT_GROUP = (
    _("Sanctions and work potential (2023, 2026)"),
    (
        "invited",
        "absent",
        "registered_letter_sent",
        "contacted_after_absence",
        "work_potential_estimated",
        "employment_service_registered",
        "work_potential_requested",
    ),
)

# The CODEX invitations and appeal (Codex art. I.4-73, I.4-63) and medical force majeure
# (art. 34 Employment Contracts Act): a menu group of their own on the dossier page.
CODEX_EVENT_GROUP = (
    _("CODEX invitations, appeal and medical force majeure"),
    ("codex_invited", "codex_unanswered", "codex_appealed", "medical_force_majeure_requested"),
)

FIELD_LABELS = {
    "appointment": _("Appointment"),
    "appointment_date": _("Date of the appointment"),
    "sanction_stated": _("The invitation states the sanction"),
    "justified": _("Justified absence"),
    "justification": _("Justification"),
    "new_date": _("New date"),
    "estimated_by": _("Estimated by"),
    "sufficient": _("Sufficient work potential"),
    "service": _("Regional employment service"),
}

CHOICE_LABELS = {
    "appointment": {
        "medical_examination": _("medical examination by the advising physician"),
        "first_contact": _("first contact moment with the TNW coordinator"),
    },
    "estimated_by": {
        "advising_physician": _("the advising physician"),
        "occupational_physician": _("the occupational physician"),
    },
    "service": {"VDAB": "VDAB", "Forem": "Le Forem", "Actiris": "Actiris", "ADG": "ADG"},
}

OBLIGATION_LABELS = {
    "registered_letter_examination": _("Registered letter after an absence (examination)"),
    "registered_letter_first_contact": _("Registered letter after an absence (first contact)"),
    "register_employment_service": _("Register with the regional employment service"),
    "work_potential_request": _("Ask for the estimate of the work potential"),
    "codex_trajectory_request": _("Request a re-integration trajectory (20 or more workers)"),
    "codex_reinvitation": _("Invite the worker again (CODEX)"),
    "codex_end_unanswered": _("End the CODEX trajectory after unanswered invitations"),
    "medical_force_majeure_window": _("Medical force majeure procedure possible"),
}

VIOLATION_MESSAGES = {
    "absence_without_invitation": _(
        "An absence needs an earlier invitation to that appointment: register the invitation first."
    ),
    "registered_letter_without_absence": _(
        "A registered letter follows a first unjustified absence from an invitation that "
        "stated the sanction."
    ),
    "registered_letter_new_date": _(
        "The new date must lie between the letter and one month after the initially planned date."
    ),
    "codex_appeal_not_allowed": _(
        "An appeal is against a decision of definitive unfitness and within the appeal term "
        "(7 working days in 2017, 21 calendar days from 1 October 2022)."
    ),
    "medical_force_majeure_not_allowed": _(
        "The medical force majeure procedure needs an employment contract and can start only "
        "after 9 months of incapacity (from 28 November 2022) or 6 months (from 1 January 2026)."
    ),
}

# The engine's sentences of these rules (sanctions.registered_letter, work_potential.register,
# codex_2026.*) are translated in this app's catalogue with their English sentence as msgid
# (tnw.web.catalogue.msgid); they are not repeated here.

SANCTION_KIND_LABELS = {
    "reduction": _("Reduction of the benefit"),
    "suspension": _("Suspension of the benefit"),
}
