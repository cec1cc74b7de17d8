"""Template tags of the caseload screens on the dossier page: the "what next" panel, a
registration's correction state with its Correct / Annul links, the episode's actions."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from tnw.accounts.roles import Cap, has
from tnw.caseload import agendaforms
from tnw.caseload.next import what_next
from tnw.dossier import selectors

PERSON_EDIT_LABEL = _("Edit identity and contact data")

register = template.Library()


@register.inclusion_tag("caseload/includes/what_next.html", takes_context=True)
def what_next_panel(context, episode):
    """`{% what_next_panel e %}` on the dossier page (context: request, today)."""
    user = context["request"].user
    return {"panel": what_next(user, episode, context["today"]), "episode": episode}


def _registrable(context) -> list[str]:
    """The registration types of the user's role (once per page)."""
    if "_caseload_registrable" not in context.render_context:
        user = context["request"].user
        context.render_context["_caseload_registrable"] = selectors.registrable_types(user)
    return context.render_context["_caseload_registrable"]


@register.inclusion_tag("caseload/includes/amendment.html", takes_context=True)
def amendment_of(context, item, episode):
    """`{% amendment_of item e %}` on a registration of the timeline: corrected or annulled
    (by whom, when, why), a correction's reason, and the links to correct or annul it for a
    user whose role registers its type and who acts on the episode."""
    can_amend = (
        item.registration_id is not None
        and item.in_force
        and episode.get("acts")
        and item.event_type in _registrable(context)
    )
    return {"item": item, "can_amend": can_amend}


@register.inclusion_tag("caseload/includes/episode_actions.html", takes_context=True)
def episode_actions(context, episode):
    """`{% episode_actions e %}`: schedule an appointment, close the episode (the advising
    physician), withdraw the consent given (the coordinator), for a user who acts on it."""
    types = _registrable(context) if episode.get("acts") else []
    consent = episode.get("consent") or {}
    user = context["request"].user
    return {
        "episode": episode,
        "can_close": "incapacity_ended" in types and not episode.get("end"),
        "can_withdraw": "consent_withdrawn" in types and consent.get("state") == "given",
        "can_edit": episode.get("acts") and has(user, Cap.EDIT_PERSON),
        "can_assign": has(user, Cap.ASSIGN) and user.role != "staff",
        "can_schedule": bool(types)
        and not episode.get("end")
        and user.role in ("coordinator", "advising_physician"),
    }


@register.simple_tag
def person_edit_label() -> str:
    """The dossier page's link to edit the person (this app's catalogue)."""
    return str(PERSON_EDIT_LABEL)


@register.simple_tag
def agenda_label() -> str:
    return str(agendaforms.NAV_LABEL)


@register.simple_tag
def mode_label(mode: str) -> str:
    return str(agendaforms.MODE_LABELS.get(mode, mode))


@register.simple_tag
def outcome_label(outcome: str) -> str:
    return str(agendaforms.OUTCOME_LABELS.get(outcome, outcome))


@register.simple_tag
def entry_label(kind: str) -> str:
    return str(agendaforms.ENTRY_LABELS.get(kind, kind))
