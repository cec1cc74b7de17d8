"""Every form of every role, fuzzed (issue 18, "What to build" 7: "a fuzz test posts generated
values to every form of every role"). The forms are found as a user finds them: by crawling
each role's pages from its start pages (the leak scan's crawler, on its seeded dossiers) and
reading every `<form method="post">` with its fields, hidden ones included. Hypothesis then
posts generated values (empty, huge, dates in year 1 or 9999, script and SQL text, random
Unicode) to forms drawn from all of them: never a server error, and the audit chain stays
green. (The registration forms have their own fuzz with the stored-nothing check:
tests/security/test_fuzz.py.)"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_fuzz import values
from tests.security.test_leak_scan import PORTAL_SKIP, SKIP, _client, _start, crawl, seeded

pytestmark = pytest.mark.django_db
REPORT = Path(__file__).resolve().parents[2] / "var"  # the list of forms fuzzed, to look at
__all__ = ["seeded"]  # the leak scan's fixture, used here

# Forms not posted: leaving, the language switch, and the second-factor pages (none is
# shown to these logged-in users; they have their own tests).
NOT_POSTED = ("/logout/", "/language/", "/portal/logout/", "/security/")


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._open = (a.get("action") or "", [])
        elif tag in ("input", "select", "textarea") and self._open and self._named(a):
            self._open[1].append(a["name"])

    @staticmethod
    def _named(a: dict) -> bool:
        return (
            bool(a.get("name"))
            and a["name"] != "csrfmiddlewaretoken"
            and a.get("type") != ("submit")
        )

    def handle_endtag(self, tag):
        if tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None


def forms_of(pages: dict[str, str]) -> dict[str, list[str]]:
    """action URL -> field names, for every post form met (one per action)."""
    found: dict[str, list[str]] = {}
    for url, body in pages.items():
        if body.startswith("%PDF"):
            continue
        parser = _Forms()
        parser.feed(body)
        for action, fields in parser.forms:
            target = action or url
            if target.startswith("/") and not target.startswith(NOT_POSTED):
                found.setdefault(target, sorted(set(fields)))
    return found


@pytest.fixture
def every_form(seeded, users):
    from tests.portal.conftest import activate

    out = []
    for role in ("coordinator", "advising_physician", "staff", "manager", "mdt"):
        if role not in users:
            continue
        client = _client(users[role])
        pages = crawl(client, _start(*seeded), skip=SKIP, max_pages=150)
        out += [(client, action, fields) for action, fields in forms_of(pages).items()
                if not action.startswith("/admin/")]  # fmt: skip
    person = Client(HTTP_ACCEPT_LANGUAGE="en")
    person.force_login(activate(users["coordinator"], seeded[0].person))
    pages = crawl(person, ["/portal/", "/portal/letters/", "/portal/preferences/"],
                  skip=PORTAL_SKIP, max_pages=60)  # fmt: skip
    out += [(person, action, fields) for action, fields in forms_of(pages).items()]
    assert len(out) >= 40, [a for _, a, _ in out]
    REPORT.mkdir(exist_ok=True)
    (REPORT / "fuzz-forms.txt").write_text("\n".join(sorted(a for _, a, _ in out)) + "\n")
    return out


@settings(
    max_examples=120,
    derandomize=True,  # the same cases every run (other seeds by hand hunt new ones)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_input_to_every_form_of_every_role_never_gives_a_server_error(every_form, data):
    from tnw.audit.selectors import verify_chain

    client, action, fields = data.draw(st.sampled_from(every_form))
    posted = {name: data.draw(values, label=name) for name in fields}
    response = client.post(action, posted)  # a server error raises here (test client)
    assert response.status_code < 500, (action, posted, response.status_code)
    assert verify_chain().ok


def test_a_next_address_that_is_no_path_falls_back_instead_of_a_server_error(users):
    """Found by the fuzz: `next=abc` passed the same-site check, and redirect() took it for a
    view name (NoReverseMatch, a 500) after the bulk reassignment, the agenda, breaking the
    glass and the second factor."""
    client = _client(users["coordinator"])
    response = client.post("/worklist/reassign/", {"items": "", "to": "", "next": "abc"})
    assert response.status_code == 302 and response["Location"].startswith("/")
