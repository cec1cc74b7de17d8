from datetime import date

from django import template

register = template.Library()


@register.filter
def be_date(value) -> str:
    """Belgian date format dd/mm/yyyy (dates may come as ISO text from stored facts)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")
