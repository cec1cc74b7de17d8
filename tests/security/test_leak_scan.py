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

Every document issued on the dossiers is asked for by every role, and a PDF served is read as
text (pdftotext). Each person crawls their own portal. The whole demo data set (`tnw demo`) is
crawled too, with markers drawn from what the demo holds.
"""

from __future__ import annotations

import html
import re
import subprocess
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
    issue_every_document(users, (episode, exempt))
    return episode, exempt


APPOINTMENT = {"appointment_date": "2026-12-01", "appointment_time": "10:00", "mode": "phone"}


def issue_every_document(users, episodes) -> list[str]:
    """Every kind of document that fits the dossiers, issued by every role that may issue it
    (the physician's medical letters come with their coordinator's copy): what the crawls
    download. Returns kind/role/episode of each one issued."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from tnw.documents.kinds import KINDS
    from tnw.documents.services import issue

    issued = []
    for episode in episodes:
        for kind in KINDS.values():
            for role in ("advising_physician", "coordinator", "staff"):
                if role not in kind.issuers:
                    continue
                inputs = {i.name: APPOINTMENT[i.name] for i in kind.inputs if i.required}
                try:
                    issue(user=users[role], episode_id=episode.pk, kind=kind.code,
                          language="en", inputs=inputs, today=TODAY)  # fmt: skip
                except (PermissionDenied, ValidationError):
                    continue  # does not fit this dossier
                issued.append(f"{kind.code}/{role}/{episode.pk}")
    return issued


def _links(body: str, skip: re.Pattern[str] = SKIP) -> list[str]:
    found = []
    for match in LINK.finditer(body):
        url = html.unescape(match.group(1) or match.group(2)).split("#")[0]
        if url.startswith("/") and not url.startswith("//") and not skip.match(url):
            found.append(url)
    return found


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def crawl(client: Client, start: list[str], skip: re.Pattern[str] = SKIP,
          max_pages: int = MAX_PAGES) -> dict[str, str]:  # fmt: skip
    """Every text page reachable from `start` by GET: url -> body (a PDF: its text)."""
    pages: dict[str, str] = {}
    queue, seen, shapes = list(start), set(start), {}
    while queue and len(pages) < max_pages:
        url = queue.pop(0)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith(("text/", "application/")):
            continue
        if "pdf" in kind:
            pages[url] = pdf_text(response)  # a letter or form: its text, every page
            continue
        if getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        pages[url] = body
        for link in _links(body, skip):
            shape = _shape(link)
            if link not in seen and shapes.get(shape, 0) < PER_PATTERN:
                seen.add(link)
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(link)
    return pages


def pdf_text(response) -> str:
    """The text of a PDF answer as a person reads it (poppler's pdftotext, as in
    tests/documents)."""
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True)  # fmt: skip
    return "%PDF\n" + done.stdout.decode("utf-8", errors="replace")


# The aggregated figures (reports) name kinds of obligation with counts, about no one: the
# "Examination (category 3)" row counts every such examination of the mutuality (small counts
# shown as "<5"). A person's own report (/reports/dossiers/N/) is scanned in full.
AGGREGATE = re.compile(r"^/reports/(?!dossiers/)")
SELECT = re.compile(r"<select\b.*?</select>", re.DOTALL)


def leaks(
    pages: dict[str, str], markers: dict[str, re.Pattern[str]] | None = None
) -> list[tuple[str, str, str]]:
    """(marker, url, context) of every marker met; a filter's list of choices (every kind of
    obligation, every category) is no one's data and is left out."""
    out = []
    for url, body in pages.items():
        text = html.unescape(SELECT.sub("", body))
        for name, pattern in (markers or MARKERS).items():
            if name == "category" and AGGREGATE.match(url):
                continue
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
    # Every document issued on them, whether or not a page links to it: what the role may
    # download is read (its text), what it may not is refused.
    pages += [f"/documents/{pk}/download/" for pk in _documents(episode, exempt)]
    for e in (episode, exempt):
        pages += [
            f"/people/{e.person_id}/",
            f"/episodes/{e.pk}/register/",
            f"/what-if/episodes/{e.pk}/compare/",
            f"/reports/dossiers/{e.person_id}/",
        ]
    return pages


def _documents(*episodes) -> list[int]:
    from tnw.documents.models import IssuedDocument

    found = IssuedDocument.objects.filter(episode_id__in=[e.pk for e in episodes])
    return sorted(found.values_list("pk", flat=True))


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
    if role == "coordinator":  # every document but the physician's originals, as text
        from tnw.documents.models import IssuedDocument

        read = {int(url.split("/")[2]) for url, body in pages.items() if body.startswith("%PDF")}
        theirs = IssuedDocument.objects.filter(pk__in=_documents(*seeded), medical=False)
        assert read == set(theirs.values_list("pk", flat=True)), read
        assert len(read) >= 10


def test_the_physician_meets_every_marker_so_the_scan_finds_them(seeded, users):
    pages = crawl(_client(users["advising_physician"]), _start(*seeded))
    assert {name for name, _, _ in leaks(pages)} == set(MARKERS)
    # in the text of the PDFs too (their copy of the dossier names the category)
    in_pdfs = {name for name, url, _ in leaks(pages) if pages[url].startswith("%PDF")}
    assert "category" in in_pdfs, in_pdfs


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


# --- the insured person's portal -----------------------------------------------------------

PORTAL_SKIP = re.compile(r"^/(?!portal/)|^/portal/(?:logout|login|activate|oidc|verify|two-step)")


def test_the_person_on_the_portal_meets_no_medical_value_withheld_from_them(seeded, users):
    """Each person crawls their portal (pages, letters as PDF text, the GDPR copy): the
    physician's health records never appear (the person gets them from the physician), nor
    the other person's category or exemption. (Their own decision letters, such as the Annex I
    addressed to them, may name their own category.)"""
    from tests.portal.conftest import activate

    episode, exempt = seeded
    own = {"diagnosis": MARKERS["diagnosis"]}
    withheld = {
        episode.person_id: {**own, "exemption reason": MARKERS["exemption reason"]},
        exempt.person_id: {**own, "category": MARKERS["category"]},
    }
    for e in seeded:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(activate(users["coordinator"], e.person))
        start = ["/portal/", "/portal/letters/", "/portal/my-data/", "/portal/preferences/"]
        pages = crawl(client, start, skip=PORTAL_SKIP)
        assert "/portal/my-data/" in pages and any(b.startswith("%PDF") for b in pages.values())
        assert e.person.last_name in "".join(pages.values())  # their own pages
        assert leaks(pages, withheld[e.person_id]) == [], e.person.last_name
        if e == episode:  # the scan reads the letters: Jan's Annex I names his own category
            met = leaks(pages, {"category": MARKERS["category"]})
            assert any(pages[url].startswith("%PDF") for _, url, _ in met), met


# --- the whole demo data set (`tnw demo`) ---------------------------------------------------

DEMO_MARKERS: dict[str, re.Pattern[str]] = {
    # the demo's health record (category-3 dossiers), never marked relevant
    "diagnosis": re.compile(r"lumbar disc herniation", re.IGNORECASE),
    # the first estimates in category 1, 2 or 3 are not shared (the demo shares category 4)
    "category": re.compile(
        r"placed in category [123]\b|in categorie [123] geplaatst|\(categor(?:y|ie) [123]\)"
        r"|category[123]_|\"category\":\s*[123]\b|diagnosis or treatment comes first"
        r"|diagnose of behandeling",
        re.IGNORECASE,
    ),
    "exemption reason": MARKERS["exemption reason"],
}


def _demo_start() -> list[str]:
    from tnw.documents.models import IssuedDocument
    from tnw.dossier.models import Person

    start = ["/", "/worklist/", "/reports/", "/admin/", "/admin/audit/auditentry/"]
    start += [f"/people/{pk}/" for pk in Person.objects.values_list("pk", flat=True)]
    start += [f"/documents/{pk}/download/" for pk in IssuedDocument.objects.values_list("pk",
              flat=True)]  # fmt: skip
    return start


def _demo_marked(physician: str) -> list[str]:
    """The dossier pages of the physician's demo people with a marker."""
    from django.db.models import Q

    from tnw.dossier.models import Episode

    marked = Episode.objects.filter(
        Q(registrations__type="medical_exemption") | Q(health_records__isnull=False)
        | Q(registrations__type="capacity_assessed", registrations__data__category=3),
        advising_physician__username=physician,
    )  # fmt: skip
    return sorted({f"/people/{pk}/" for pk in marked.values_list("person_id", flat=True)})


def test_the_demo_data_set_shows_no_role_a_medical_value_it_may_not_see(db):
    """`tnw demo` (224 people in every stage, the audit trail, its documents): every dossier
    page, every document and what they link to, for the coordinator, the staff member, the
    multidisciplinary team member, the manager and the administrator, and every demo person
    on the portal; the physician meets every marker in their own dossiers."""
    from django.core.management import call_command

    from tnw.accounts.models import User
    from tnw.dossier.models import Episode

    call_command("demo", "--today", TODAY.isoformat())
    start = _demo_start()
    limit = len(start) + 60
    for username in ("tnwc", "medewerker", "mdt", "manager", "admin"):
        pages = crawl(_client(User.objects.get(username=username)), start, max_pages=limit)
        assert leaks(pages, DEMO_MARKERS) == [], username
        if username == "tnwc":  # every dossier assigned to them was read
            theirs = Episode.objects.filter(coordinator__username="tnwc")
            assert {f"/people/{pk}/" for pk in theirs.values_list("person_id", flat=True)} <= set(
                pages
            )
            assert set(_demo_marked("arts")) & set(pages), "no dossier with a marker was read"
    for insured in User.objects.filter(role="insured"):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(insured)
        pages = crawl(client, ["/portal/", "/portal/letters/", "/portal/my-data/"],
                      skip=PORTAL_SKIP)  # fmt: skip
        assert "/portal/my-data/" in pages
        assert leaks(pages, DEMO_MARKERS) == [], insured.username
    physician = crawl(_client(User.objects.get(username="arts")), _demo_marked("arts"),
                      max_pages=40)  # fmt: skip
    assert {name for name, _, _ in leaks(physician, DEMO_MARKERS)} == set(DEMO_MARKERS)
