"""One error format: RFC 9457 problem details with a stable `code` (in the style of Open Zaak),
a title and detail in the caller's language (Accept-Language) and, for bad input, the fields
concerned in `invalid_params`. The dossier's own errors are mapped here, once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tnw.dossier.errors import (
    ConflictError,
    NotAssigned,
    NotFound,
    Refusal,
    RegistrationRefused,
)
from tnw.web.catalogue import render
from tnw.web.labels import violation_message

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    "invalid": gettext_lazy("The request is not valid."),
    "parse_error": gettext_lazy("The request body is not valid JSON."),
    "not_authenticated": gettext_lazy("Authentication is needed: send a client token."),
    "authentication_failed": gettext_lazy("The client token was refused."),
    "permission_denied": gettext_lazy("This client may not do this."),
    "missing_scope": gettext_lazy("This client lacks the scope this operation needs."),
    "not_found": gettext_lazy("Not found."),
    "method_not_allowed": gettext_lazy("This method is not allowed here."),
    "not_acceptable": gettext_lazy("The requested media type cannot be served."),
    "unsupported_media_type": gettext_lazy("Send the body as application/json."),
    "throttled": gettext_lazy("Too many requests: wait before trying again."),
    "stale_version": gettext_lazy(
        "The episode was changed since you read it: nothing was saved. Read it again."
    ),
    "precondition_required": gettext_lazy(
        "Send the episode version you read in If-Match (or expected_version)."
    ),
    "registration_refused": gettext_lazy("The law does not allow this registration."),
    "idempotency_key_reused": gettext_lazy(
        "This Idempotency-Key was used before with another request."
    ),
    "not_assigned": gettext_lazy("This episode cannot be acted on by this client."),
}


class ApiError(exceptions.APIException):
    """An error of the API layer itself with a stable code."""

    def __init__(self, status: int, code: str, detail: str | None = None) -> None:
        self.status_code = status
        super().__init__(detail or str(TITLES[code]), code)


def problem(
    status: int, code: str, detail: str, invalid: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    title = TITLES.get(code, TITLES["invalid"])
    body: dict[str, Any] = {
        "type": f"urn:tnw:problem:{code}",
        "code": code,
        "title": str(title),
        "status": status,
        "detail": detail,
    }
    if invalid:
        body["invalid_params"] = invalid
    return body


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as [{name, code, reason}], one per field and message."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [
                {"name": prefix or "body", "code": getattr(item, "code", "invalid"),
                 "reason": str(item)}
                for item in detail
            ]  # fmt: skip
        return [p for i, item in enumerate(detail) for p in _flatten(item, f"{prefix}[{i}]")]
    return [{"name": prefix or "body", "code": getattr(detail, "code", "invalid"),
             "reason": str(detail)}]  # fmt: skip


def _refusal_text(refusal: Refusal) -> str:
    """The engine's own sentence in the active language (by its message key), else the
    violation's general text."""
    specific = render({"key": refusal.key, "params": refusal.params}) if refusal.key else None
    return specific or violation_message(refusal.code)


def _dossier_error(exc: Exception) -> tuple[int, str, str, list[dict[str, str]]] | None:
    """The dossier package's errors as (status, code, detail, invalid params)."""
    if isinstance(exc, RegistrationRefused):
        invalid = [
            {
                "name": f"fields.{refusal.field}" if refusal.field else "event",
                "code": refusal.code,
                "reason": _refusal_text(refusal),
            }
            for refusal in exc.violations
        ]
        return 422, exc.codes[0], "; ".join(p["reason"] for p in invalid), invalid
    if isinstance(exc, ConflictError):
        return 412, "stale_version", str(TITLES["stale_version"]), []
    if isinstance(exc, NotFound | Http404):
        return 404, "not_found", str(TITLES["not_found"]), []
    if isinstance(exc, NotAssigned):
        return 403, "not_assigned", str(TITLES["not_assigned"]), []
    if isinstance(exc, DjangoPermissionDenied):
        return 403, "permission_denied", str(TITLES["permission_denied"]), []
    if isinstance(exc, DjangoValidationError):
        code = getattr(exc, "code", None) or "invalid"
        reasons = exc.messages
        invalid = [{"name": "body", "code": code, "reason": reason} for reason in reasons]
        return 400, code, "; ".join(reasons), invalid
    return None


def _code_of(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.PermissionDenied):
        codes = exc.get_codes()
        return "missing_scope" if codes == "missing_scope" else "permission_denied"
    codes = exc.get_codes()
    return codes if isinstance(codes, str) and codes in TITLES else exc.default_code


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    mapped = _dossier_error(exc)
    if mapped is not None:
        status, code, detail, invalid = mapped
        return Response(problem(status, code, detail, invalid), status=status,
                        content_type=PROBLEM_TYPE)  # fmt: skip
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = _code_of(exc)
    invalid: list[dict[str, str]] = []
    if isinstance(exc, exceptions.ValidationError):
        invalid = _flatten(exc.detail)
        detail = _("Some fields are not valid: see invalid_params.")
    else:
        detail = str(exc.detail)
    response.data = problem(response.status_code, code, detail, invalid)
    response.content_type = PROBLEM_TYPE
    return response
