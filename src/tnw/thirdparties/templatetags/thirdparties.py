"""`{{ labels|label:code }}`: a code's label from a dict of the view."""

from django import template

register = template.Library()


@register.filter
def label(labels: dict, code: str) -> str:
    return str(labels.get(code, code))


@register.filter
def labels_of(labels: dict, codes) -> str:
    return ", ".join(str(labels.get(c, c)) for c in codes)
