"""`{% documents_panel episode_id %}`: the documents of an episode on the dossier page, with the
kinds the user may issue now (tnw.documents.selectors decides, not the template)."""

from django import template
from django.core.exceptions import PermissionDenied

from tnw.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/panel.html", takes_context=True)
def documents_panel(context, episode_id: int):
    user = context["request"].user
    try:
        documents = selectors.documents_of(user=user, episode_id=episode_id)
        offered = selectors.offered_kinds(user=user, episode_id=episode_id)
    except PermissionDenied:
        documents, offered = [], []
    return {"episode_id": episode_id, "documents": documents, "offered": offered}
