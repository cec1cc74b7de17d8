"""Fixtures of the web tests, reused for the sanctions screens."""

from tests.web.conftest import client_for  # noqa: F401
