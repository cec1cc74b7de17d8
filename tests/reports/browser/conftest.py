"""The browser fixtures of the screens' journeys (real headless Chromium, never downloaded)."""

from tests.web.browser.conftest import browser, open_screen  # noqa: F401
