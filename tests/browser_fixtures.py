"""Real headless Chromium (the system's /usr/bin/chromium, never a downloaded one) driven by
Playwright's sync API against pytest-django's live server.

Playwright's sync API runs an event loop in this thread; the test code's own database calls
(fixtures, checks) are synchronous and safe, so Django's async guard is relaxed for these tests.
Screenshots of the key pages go to var/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
PASSWORD = "test-password"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Screen:
    """One browser tab of one user, with helpers that do not depend on the language."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base = base_url

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def switch_language(self, code: str) -> None:
        self.page.click(f".lang button[value={code}]")
        self.page.wait_for_load_state()

    def login(self, username: str) -> None:
        self.go("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form.card button[type=submit]")
        self.page.wait_for_load_state()

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def register(self, episode_id: int, event_type: str, fields: dict, purpose: str = "") -> None:
        """Open a registration form and fill it: text by name, radios by value."""
        url = f"/episodes/{episode_id}/register/{event_type}/"
        self.go(url + (f"?purpose={purpose}" if purpose else ""))
        self.fill(fields)

    def fill(self, fields: dict) -> None:
        for name, value in fields.items():
            selector = f"[name={name}]"
            kind = self.page.get_attribute(selector, "type") or ""
            if kind == "radio":
                self.page.check(f"input[name={name}][value='{value}']")
            elif kind == "checkbox":
                self.page.set_checked(selector, bool(value))
            elif self.page.eval_on_selector(selector, "e => e.tagName") == "SELECT":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)

    def submit(self) -> None:
        self.page.click("form.card button[type=submit]")
        self.page.wait_for_load_state()

    def text(self) -> str:
        return self.page.inner_text("main")


@pytest.fixture
def open_screen(browser, live_server):
    """open_screen(locale="nl-BE"): a fresh browser context (no cookies) and its tab."""
    contexts = []

    def make(
        locale: str = "nl-BE", width: int = 1280, height: int = 900, bypass_csp: bool = False
    ) -> Screen:
        # bypass_csp: only to inject a test tool (axe-core) past the strict CSP.
        context = browser.new_context(
            locale=locale, viewport={"width": width, "height": height}, bypass_csp=bypass_csp
        )
        contexts.append(context)
        return Screen(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()
