"""Bounded input (issue 18, "What to build" 7; ASVS 5.0 V2.2): no submitted value is longer than
`TNW_MAX_FIELD_CHARS` (5,000 characters by default), in any form or API call.

The forms bound their own fields with a message next to the field (`max_length`); this
middleware is the backstop for every other way in (a field a form does not bound, a forged
POST, a JSON body of the API). It refuses the whole request before any view runs, so nothing is
stored, half or whole: a page in the user's language naming the field, or a problem+json
answer for the API. (A 1 MB note was accepted and grew one dossier page to 24 MB.)
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

DEFAULT_MAX_FIELD_CHARS = 5000
# The free text a person types in a form field or an API call (a note, a plan's objectives,
# health data): one limit for the screens and the API, checked where the field is, with the
# field's own message. The middleware's 5,000 is the backstop above it for everything else.
MAX_TEXT_CHARS = 4000
PORTAL = "/portal/"  # the insured person's portal has its own layout (tnw.portal)
# Fields that are no text a person types (Django's own, or secrets compared, never stored).
EXEMPT = frozenset({"csrfmiddlewaretoken"})


def max_field_chars() -> int:
    return int(getattr(settings, "TNW_MAX_FIELD_CHARS", DEFAULT_MAX_FIELD_CHARS))


def too_long(request) -> tuple[str, int] | None:
    """The first submitted value over the limit: (field name, its length), or None."""
    limit = max_field_chars()
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None  # malformed JSON: the API's own parser answers with a reason
        return _longest_in(data, "", limit)
    for name, values in request.POST.lists():
        for value in values:
            if name not in EXEMPT and len(value) > limit:
                return name, len(value)
    return None


def _longest_in(data: Any, where: str, limit: int) -> tuple[str, int] | None:
    if isinstance(data, str):
        return (where or "(body)", len(data)) if len(data) > limit else None
    items: Any = ()
    if isinstance(data, dict):
        items = ((f"{where}.{k}" if where else str(k), v) for k, v in data.items())
    elif isinstance(data, list):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(data))
    for name, value in items:
        found = _longest_in(value, name, limit)
        if found:
            return found
    return None


class InputLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = too_long(request)
        if found is None:
            return self.get_response(request)
        field, length = found
        detail = _(
            "The field “%(field)s” is %(length)s characters long; at most %(limit)s are "
            "allowed. Shorten it and send it again: nothing was saved."
        ) % {"field": field, "length": length, "limit": max_field_chars()}
        if request.path.startswith("/api/"):
            body = {"type": "urn:tnw:problem:invalid", "code": "invalid", "status": 400,
                    "title": _("Invalid input"), "detail": detail,
                    "invalid_params": [{"name": field, "reason": detail}]}  # fmt: skip
            return JsonResponse(body, status=400, content_type="application/problem+json")
        base = "portal/base.html" if request.path.startswith(PORTAL) else "web/base.html"
        return render(request, "security/too_long.html", {"detail": detail, "base": base},
                      status=400)  # fmt: skip
