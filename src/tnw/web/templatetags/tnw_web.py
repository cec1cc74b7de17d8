"""Template filters: Belgian dates and the translated names of codes."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tnw.accounts.roles import Cap, has
from tnw.web import labels

register = template.Library()


@register.filter
def bedate(value) -> str:
    """dd/mm/yyyy (Belgian format); accepts dates, datetimes and ISO strings."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter
def event_label(code: str) -> str:
    return labels.event_label(code)


@register.filter
def obligation_label(code: str) -> str:
    return labels.obligation_label(code)


@register.filter
def status_label(code: str) -> str:
    return str(labels.STATUS_LABELS.get(code, code))


@register.filter
def actor_label(code: str) -> str:
    return str(labels.ACTOR_LABELS.get(code, code))


@register.filter
def role_label(code: str) -> str:
    return str(labels.ROLE_LABELS.get(code, code))


@register.filter
def stage_label(text: str) -> str:
    return str(labels.STAGE_LABELS.get(text, text))


@register.filter
def field_label(code: str) -> str:
    return str(labels.FIELD_LABELS.get(code, code.replace("_", " ")))


@register.filter
def yesno_label(value) -> str:
    return _("yes") if value else _("no")


@register.filter
def can(user, capability: str) -> bool:
    return has(user, Cap(capability))


@register.filter
def days_left(days) -> str:
    """'in 3 days', 'today', '2 days late' for an item with a legal term."""
    if days is None:
        return ""
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day late", "%(n)d days late", -days) % {"n": -days}


@register.filter
def age(days) -> str:
    """How long an item without a legal term has been open."""
    if days is None or days < 0:
        return ""
    return ngettext("open for %(n)d day", "open for %(n)d days", days) % {"n": days}


@register.filter
def refusal_code(error) -> str:
    """The code of a refusal (an engine violation, a conflict, invalid input) for a form
    error's tooltip; "" for Django's own field errors. Never shown as text."""
    code = getattr(error, "code", None) or ""
    return code if code in labels.VIOLATION_MESSAGES else ""


@register.filter
def plan_actions(plan) -> list[tuple[str, str]]:
    """`{% for action, by in plan|plan_actions %}`: each action with who does it."""
    return labels.plan_actions(plan)
