"""Template tags of the caseload screens: the dossier page's "what next" panel."""

from __future__ import annotations

from django import template

from tnw.caseload.next import what_next

register = template.Library()


@register.inclusion_tag("caseload/includes/what_next.html", takes_context=True)
def what_next_panel(context, episode):
    """`{% what_next_panel e %}` on the dossier page (context: request, today)."""
    user = context["request"].user
    return {"panel": what_next(user, episode, context["today"]), "episode": episode}
