"""INSZ (national register number) and bis numbers, validated with python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as NumberError


def normalise_insz(value: str) -> tuple[str, str]:
    """Return (11 digits, "nn" or "bis") for any common formatting, or raise ValidationError.

    Accepts e.g. "85.07.30-033.28", "850730 033 28", "85073003328".
    """
    text = str(value or "").strip()
    errors = []
    for kind, module in (("nn", nn), ("bis", bis)):
        try:
            return module.validate(text), kind
        except NumberError as error:
            errors.append(str(error))
    raise ValidationError(
        f"{text!r} is not a valid INSZ or bis number (11 digits with a valid check number)",
        code="invalid_insz",
    )


def format_insz(digits: str) -> str:
    return nn.format(digits)


def birth_date_of(digits: str, kind: str):
    module = nn if kind == "nn" else bis
    try:
        return module.get_birth_date(digits)
    except (NumberError, ValueError):
        return None
