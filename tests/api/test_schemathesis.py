"""Schemathesis against the generated OpenAPI schema, in-process through the WSGI app (no
network): every operation, bounded examples, no server error and every response matching
the schema (status code, content type, headers and body)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.api.conftest import ALL
from tnw.wsgi import application

EXAMPLES = int(os.environ.get("TNW_SCHEMATHESIS_EXAMPLES", "20"))

# The schema needs no database: drf-spectacular builds it from the views.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def token(db, issue, person, coordinator) -> str:
    """A client with every scope, in a mutuality with a person (id 1 exists)."""
    from django.core import signals
    from django.db import close_old_connections

    # Like Django's test client: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield issue("schemathesis", [*ALL, "health.read"]).token
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_every_operation_conforms_to_the_schema(case, token):
    # Every check but "positive data acceptance": an INSZ's check digits and the facts of the
    # rules contract are validated beyond what a JSON schema can say, so schema-valid input
    # may still be refused, with a documented 400 problem.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
