from datetime import date

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def be_date(value) -> str:
    """Belgian date format dd/mm/yyyy (dates may come as ISO text from stored facts)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


@register.filter
def pct(value) -> str:
    """A percentage as a Belgian letter writes it: 2,5 (10 stays 10)."""
    return f"{float(value):g}".replace(".", ",")


@register.filter
def step_label(code: str) -> str:
    """The translated name of a registered step (the screens' labels, tnw.web.labels)."""
    from tnw.web.labels import event_label

    return event_label(code)


@register.filter
def reason_label(value) -> str:
    from tnw.web.labels import choice_label

    return choice_label("reason", value)


PARTIES = {"insured": _("The insured person"), "coordinator": _("The TNW coordinator"),
           "advising_physician": _("The advising physician")}  # fmt: skip


@register.filter
def party_label(value: str) -> str:
    return str(PARTIES.get(value, value))


@register.filter
def party_name(party: dict, language: str) -> str:
    """A third party's name in the document's language (the regional services have theirs)."""
    return {"fr": party.get("name_fr"), "de": party.get("name_de")}.get(language) or party["name"]


@register.filter
def party_kind_label(code: str) -> str:
    from tnw.thirdparties.forms import KIND_LABELS

    return str(KIND_LABELS.get(code, code))


@register.filter
def purposes_label(codes) -> str:
    """One purpose code or a list of them, translated."""
    from tnw.thirdparties.forms import PURPOSE_LABELS

    codes = [codes] if isinstance(codes, str) else codes
    return "; ".join(str(PURPOSE_LABELS.get(c, c)) for c in codes)


@register.filter
def plan_actions(plan) -> list[tuple[str, str]]:
    """`{% for action, by in plan|plan_actions %}`: each action with who does it (translated)."""
    from tnw.web.labels import plan_actions as pairs

    return pairs(plan)


@register.filter
def shared_label(codes) -> str:
    from tnw.thirdparties.forms import SHARED_LABELS

    return "; ".join(str(SHARED_LABELS.get(c, c)) for c in codes)
