"""The OpenAPI schema's shared parts: the client token scheme and the problem responses that
every operation can give (RFC 9457, application/problem+json)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = {
    "type": "object",
    "required": ["type", "code", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "code": {"type": "string", "description": "stable error code"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}
ERRORS = {
    "400": "The request is not valid (invalid_params names the fields).",
    "401": "No valid client token (or a revoked client).",
    "403": "The client lacks the scope, or its role may not do this.",
    "404": "Not found (or of another mutuality: the same answer).",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "412": "The episode changed since the version sent in If-Match.",
    "415": "Unsupported media type.",
    "422": "Refused by the rules engine or a reused Idempotency-Key.",
    "428": "A write needs the episode's version (If-Match or expected_version).",
    "429": "Too many requests: see Retry-After.",
}


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tnw.api.authentication.ClientTokenAuthentication"
    name = "clientToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "tnw_<key id>_<secret>, from `tnw apiclient create`",
        }


def add_problem_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict:
    """Every operation documents the problem responses (a drf-spectacular post-processing
    hook), so clients and Schemathesis know the error format."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {"description": description,
                     "content": {"application/problem+json": {"schema": reference}}},
                )  # fmt: skip
    return result
