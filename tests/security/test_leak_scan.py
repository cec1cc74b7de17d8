"""The leak scan (issue 18, "What to build" 1): every page, export and API answer a role
reaches, crawled from its start pages by following every link, must not show a medical value
that the role may not see.

The dossiers hold seeded markers in every kind of health data: a diagnosis that the physician
did not mark relevant (a unique text), an estimate in category 3 that the physician did not
share (the category, in the engine's explanations of the timeline too), and a medical exemption
for severe oncological pathology (the reason). The coordinator and staff member assigned to
them, the manager and the administrator crawl the screens, the admin and the API (a client
without `health.read` acts as a coordinator); the advising physician crawls the same screens
and must meet every marker, so the scan is shown to find what it looks for.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import Client

from tests.conftest import TODAY, open_episode, register
from tnw.dossier import services

pytestmark = pytest.mark.django_db

D = date
DIAGNOSIS = "DIAG-7Q3X"
# Each medical value, in every form a page could show it: the stored value, its label in
# English and Dutch, the engine's sentence.
MARKERS: dict[str, re.Pattern[str]] = {
    "diagnosis": re.compile(re.escape(DIAGNOSIS)),
    # The engine's sentence, an obligation named after it, the estimate's choice label, the
    # value in JSON. (Column heads of the managers' aggregated figures, "Category 3", and the
    # worklist's filter listing every kind of obligation are about no one: not markers.)
    "category": re.compile(
        r"placed in category 3|in categorie 3 geplaatst|\(categor(?:y|ie) 3\)|category3_"
        r"|\"category\":\s*3|diagnosis or treatment comes first|diagnose of behandeling",
        re.IGNORECASE,
    ),
    "exemption reason": re.compile(
        r"severe_oncology|severe oncological|ernstige oncologische", re.IGNORECASE
    ),
}
# Links not followed: leaving, switching language, static files, other log-ins.
SKIP = re.compile(r"^/(?:logout|language|static|portal|admin/logout|security/otp|api/v1/docs)")
LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']|"(/api/v1/[^"\s]*)\"""")
PER_PATTERN = 3  # pages per URL shape (digits and query values aside): the admin has many
MAX_PAGES = 400


@pytest.fixture
def seeded(users, person, mutuality):
    """Routing A: category 3 (not shared), an unshared diagnosis, then the person's own request
    for a trajectory; a second person with a
    medical exemption. Both assigned to the coordinator and the physician."""
    from tnw.dossier.services import create_person

    physician, coordinator = users["advising_physician"], users["coordinator"]
    episode = open_episode(
        coordinator, person, D(2026, 6, 1), contract=True, coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "questionnaire_sent", D(2026, 8, 10))
    register(physician, episode, "questionnaire_received", D(2026, 8, 20))
    register(physician, episode, "capacity_assessed", D(2026, 9, 15), category=3,
             medical_exam=False)  # fmt: skip
    # The person asks for a trajectory: the coordinator now has a first contact to make.
    register(coordinator, episode, "spontaneous_request", D(2026, 11, 23))
    services.record_health(
        user=physician, episode_id=episode.pk, kind="diagnosis", text=DIAGNOSIS,
        recorded_on=D(2026, 9, 15),
    )  # fmt: skip
    other = create_person(
        user=coordinator, insz="17073003384", first_name="Pieter", last_name="Jacobs",
        birth_date=D(2017, 7, 30), language="nl",
    )  # fmt: skip
    exempt = open_episode(
        coordinator, other, D(2026, 6, 1), coordinator=coordinator, advising_physician=physician
    )
    register(physician, exempt, "medical_exemption", D(2026, 7, 1), reason="severe_oncology")
    return episode, exempt


def _links(body: str) -> list[str]:
    found = []
    for match in LINK.finditer(body):
        url = html.unescape(match.group(1) or match.group(2)).split("#")[0]
        if url.startswith("/") and not url.startswith("//") and not SKIP.match(url):
            found.append(url)
    return found


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def crawl(client: Client, start: list[str]) -> dict[str, str]:
    """Every text page reachable from `start` by GET: url -> body."""
    pages: dict[str, str] = {}
    queue, seen, shapes = list(start), set(start), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith(("text/", "application/")):
            continue
        if "pdf" in kind or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        pages[url] = body
        for link in _links(body):
            shape = _shape(link)
            if link not in seen and shapes.get(shape, 0) < PER_PATTERN:
                seen.add(link)
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(link)
    return pages


SELECT = re.compile(r"<select\b.*?</select>", re.DOTALL)


def leaks(pages: dict[str, str]) -> list[tuple[str, str, str]]:
    """(marker, url, context) of every marker met; a filter's list of choices (every kind of
    obligation, every category) is no one's data and is left out."""
    out = []
    for url, body in pages.items():
        text = html.unescape(SELECT.sub("", body))
        for name, pattern in MARKERS.items():
            match = pattern.search(text)
            if match:
                start = max(match.start() - 60, 0)
                out.append((name, url, text[start : match.end() + 60]))
    return out


def _start(episode, exempt) -> list[str]:
    from tnw.audit.models import AuditEntry

    pages = ["/", "/admin/", "/reports/", "/worklist/", "/search/?q=Jacobs"]
    # Every audit entry of the two dossiers as the admin shows it (the sealed ones included).
    entries = AuditEntry.objects.filter(person_id__in=[episode.person_id, exempt.person_id])
    pages += [
        f"/admin/audit/auditentry/{pk}/change/" for pk in entries.values_list("pk", flat=True)
    ]
    pages += ["/admin/audit/auditentry/?q=HIV"]  # (the marker itself would be echoed back)
    for e in (episode, exempt):
        pages += [
            f"/people/{e.person_id}/",
            f"/episodes/{e.pk}/register/",
            f"/what-if/episodes/{e.pk}/compare/",
            f"/reports/dossiers/{e.person_id}/",
        ]
    return pages


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role, language",
    [("coordinator", "en"), ("coordinator", "nl"), ("staff", "en"), ("manager", "en"),
     ("admin", "en")],
)  # fmt: skip
def test_no_role_without_medical_access_meets_a_medical_value(seeded, users, role, language):
    pages = crawl(_client(users[role], language), _start(*seeded))
    assert len(pages) >= 3, sorted(pages)
    assert leaks(pages) == []


def test_the_physician_meets_every_marker_so_the_scan_finds_them(seeded, users):
    pages = crawl(_client(users["advising_physician"]), _start(*seeded))
    assert {name for name, _, _ in leaks(pages)} == set(MARKERS)


def test_the_api_without_health_scope_answers_no_medical_value(seeded, mutuality):
    from tnw.api.services import create_client

    episode, exempt = seeded
    issued = create_client(name="scan", mutuality_code=mutuality.code, scopes=["timelines.read"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    start = ["/api/v1/people/", "/api/v1/episodes/", "/api/v1/worklists/coordinator/"]
    for e in (episode, exempt):
        start += [f"/api/v1/episodes/{e.pk}/", f"/api/v1/episodes/{e.pk}/timeline/"]
        start += [f"/api/v1/people/{e.person_id}/", f"/api/v1/episodes/{e.pk}/documents/"]
    pages = crawl(client, start)
    assert any("/timeline/" in url for url in pages), sorted(pages)
    assert leaks(pages) == []


def test_the_engine_texts_name_no_withheld_category_or_reason(seeded, users):
    """The obligations' explanations, violations and presumptions through the dossier's door,
    as data (message keys and parameters) and as English text; the physician's own view names
    the category and the reason, the coordinator's neither."""
    from tnw.dossier import selectors

    def engine_texts(user) -> str:
        return "\n".join(
            repr(view(user=user, episode_id=e.pk, today=TODAY))
            for e in seeded
            for view in (selectors.get_timeline, selectors.get_timeline_details)
        )

    seen_by_physician = engine_texts(users["advising_physician"])
    assert MARKERS["category"].search(seen_by_physician)
    assert MARKERS["exemption reason"].search(seen_by_physician)
    seen_by_coordinator = engine_texts(users["coordinator"])
    assert "obligation" in seen_by_coordinator.lower()  # the engine answered
    for name, pattern in MARKERS.items():
        assert not pattern.search(seen_by_coordinator), name


def test_the_daily_runs_e_mails_to_roles_without_medical_access_name_no_medical_value(
    seeded, users
):
    """The e-mails of the daily run (digests, reminders) to the coordinator, the staff member
    and the manager; the physician's own show that the digests do list the dossiers."""
    from django.core.management import call_command

    from tnw.notifications.models import OutboxMessage

    for role in ("coordinator", "staff", "manager", "advising_physician"):
        users[role].email = f"{role}@vnz.be"
        users[role].save(update_fields=["email"])
    from tnw.notifications.services import set_preference

    for role in ("coordinator", "staff"):  # an e-mail for each new item, not only the digest
        set_preference(user=users[role], delivery="immediate")
    call_command("daily", "--today", TODAY.isoformat(), "--no-send")
    mails = {
        role: {
            f"mail {m.pk} to {m.to}": f"{m.subject}\n{m.body}"
            for m in OutboxMessage.objects.filter(user=users[role])
        }
        for role in ("coordinator", "staff", "manager", "advising_physician")
    }
    assert mails["coordinator"] and mails["advising_physician"], {
        k: len(v) for k, v in mails.items()
    }
    for role in ("coordinator", "staff", "manager"):
        assert leaks(mails[role]) == [], role
