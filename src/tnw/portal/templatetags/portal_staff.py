"""The person's meeting proposals on the staff's dossier page (read through the dossier's
portal selector, which checks the reader's role and audits the read)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from tnw.dossier.portal import ProposalView, meeting_proposals

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_proposals_for(context: Any, episode_id: int) -> list[ProposalView]:
    try:
        return meeting_proposals(user=context["request"].user, episode_id=episode_id)
    except (ObjectDoesNotExist, PermissionDenied):
        return []
