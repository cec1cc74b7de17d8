"""Who sees which report, no way from a report to a person, the follow-up report within medical
secrecy, the exports (CSV, XLSX read back with openpyxl, JSON) and `tnw report`."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tnw.dossier.models import HealthRecord

QUERY = {"start": "2026-01-01", "end": "2026-12-31", "grain": "month"}


@pytest.fixture(autouse=True)
def fixed_day(settings):
    cache.clear()
    settings.TNW_TODAY = "2026-11-24"


def client(user, language: str = "en") -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.force_login(user)
    return browser


@pytest.mark.parametrize("role", ["manager", "coordinator", "advising_physician"])
def test_figures_roles_see_the_dashboard_of_their_mutuality(role, world):
    response = client(world.users[role]).get(reverse("reports:dashboard"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "203 Vlaams" in html and "216 La Mutualit" not in html


@pytest.mark.parametrize("role", ["staff"])
def test_staff_gets_no_reports(role, world):
    assert client(world.users[role]).get(reverse("reports:dashboard")).status_code == 403


def test_a_manager_cannot_ask_for_another_mutuality(world):
    browser = client(world.users["manager"])
    # The manager's form has no mutuality field, so the parameter is ignored...
    html = browser.get(reverse("reports:dashboard"), {**QUERY, "mutuality": "216"}).content
    assert "216 La Mutualit" not in html.decode()
    # ...and asking the scope for it directly is refused.
    from datetime import date

    from django.core.exceptions import PermissionDenied

    from tnw.reports.scope import scope_for

    with pytest.raises(PermissionDenied):
        scope_for(user=world.users["manager"], start=date(2026, 1, 1), end=date(2026, 12, 31),
                  today=date(2026, 11, 24), mutuality_code="216")  # fmt: skip


def test_the_administrator_sees_every_mutuality_and_can_choose_one(world):
    browser = client(world.users["admin"])
    html = browser.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "216 La Mutualit" in html and "203 Vlaams" in html
    one = browser.get(reverse("reports:dashboard"), {**QUERY, "mutuality": "216"}).content.decode()
    assert "203 Vlaams" not in one.split("<table", 1)[1]


@pytest.mark.parametrize("name", ["dashboard", "barometer", "compliance", "flow"])
def test_no_report_leads_to_a_person(name, world):
    html = client(world.users["admin"]).get(reverse("reports:report", args=[name]), QUERY)
    text = html.content.decode()
    assert html.status_code == 200
    assert "/people/" not in text and "Secretname" not in text and "700101" not in text


@pytest.mark.parametrize(("language", "message"), [
    ("nl", "Het begin van de periode ligt na het einde."),
    ("fr", "Le début de la période se situe après sa fin."),
])  # fmt: skip
def test_a_wrong_period_says_what_is_wrong(language, message, world):
    bad = {**QUERY, "start": "2026-12-31", "end": "2026-01-01"}
    response = client(world.users["manager"], language).get(reverse("reports:dashboard"), bad)
    assert response.status_code == 400
    assert message in response.content.decode()


# --- The follow-up report of one dossier ----------------------------------------------------


def test_follow_up_report_only_for_who_may_open_the_dossier(world):
    person_id = world.episodes[1].person_id
    url = reverse("reports:follow_up", args=[person_id])
    for role in ("manager", "admin"):
        assert client(world.users[role]).get(url).status_code == 403, role
    # Another mutuality's dossier is "not found", like an id that does not exist (issue 18).
    assert client(world.outsiders["coordinator"]).get(url).status_code == 404
    html = client(world.users["coordinator"]).get(url).content.decode()
    assert "Secretname1" in html and "Re-integration plan drawn up" in html
    assert "Version 1 of 01/07/2026" in html
    # Staff may open a dossier for the questionnaire only: the report shows no more than that.
    staff = client(world.users["staff"]).get(url).content.decode()
    assert "Questionnaire sent" in staff and "Re-integration plan drawn up" not in staff


def test_follow_up_report_keeps_medical_secrecy(world):
    episode = world.episodes[1]
    HealthRecord.objects.create(
        episode=episode, kind="diagnosis", text="SECRET-DIAGNOSIS", recorded_on="2026-06-01",
        recorded_by=world.users["advising_physician"],
    )  # fmt: skip
    url = reverse("reports:follow_up", args=[episode.person_id])
    assert "SECRET-DIAGNOSIS" not in client(world.users["coordinator"]).get(url).content.decode()
    physician = client(world.users["advising_physician"]).get(url).content.decode()
    assert "SECRET-DIAGNOSIS" in physician


# --- Exports and the command ----------------------------------------------------------------


def _csv_rows(text: str) -> dict[str, list[str]]:
    return {row[0]: row for row in csv.reader(io.StringIO(text)) if row}


def test_command_prints_the_same_figures_as_the_screen(world):
    out = io.StringIO()
    call_command(
        "report", "compliance", "--format", "csv", "--from", "2026-01-01", "--to", "2026-12-31",
        "--as-of", "2026-11-24", "--mutuality", "203", "--table", "compliance_by_total",
        stdout=out,
    )  # fmt: skip
    printed = _csv_rows(out.getvalue())
    # Done on time, late, late on arrival, open, overdue, total, shares, median, p90.
    assert printed["First contact moment"][1:] == [
        "5", "<5", "0", "<5", "<5", "8", "62.5", "<5", "<5", "<5", "10", "49",
    ]  # fmt: skip
    screen = client(world.users["manager"]).get(
        reverse("reports:export", args=["compliance", "csv"]),
        {**QUERY, "table": "compliance_by_total"},
    )
    assert screen["Content-Type"].startswith("text/csv")
    assert screen.content.decode() == out.getvalue()


def test_xlsx_has_every_table_and_reads_back(world):
    response = client(world.users["manager"]).get(
        reverse("reports:export", args=["dashboard", "xlsx"]), QUERY
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "about"
    assert len(workbook.sheetnames) == 1 + 8 + 1  # about, the eight themes, compliance
    sheet = workbook["compliance_by_total"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["Send the questionnaire"][1] == 6
    assert rows["First contact moment"][1:7] == (5, "<5", 0, "<5", "<5", 8)
    estimates = workbook["estimates"]
    may = [row for row in estimates.iter_rows(values_only=True) if row[0] == "05/2026"]
    assert may[0][1] == 6


def test_json_export_and_command(world):
    out = io.StringIO()
    call_command("report", "flow", "--format", "json", "--from", "2026-03-01", "--to",
                 "2026-03-31", "--as-of", "2026-11-24", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    funnel = next(t for t in data["tables"] if t["key"] == "funnel")
    assert [row["reached"] for row in funnel["rows"]] == [7, 5, 5, 5, 5, 5, 5, 5]


def test_command_rejects_bad_input(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("report", "compliance", "--from", "1 March")
    with pytest.raises(CommandError, match="no mutuality with code 999"):
        call_command("report", "compliance", "--mutuality", "999")
    with pytest.raises(CommandError, match="start of the period lies after its end"):
        call_command("report", "compliance", "--from", "2026-05-01", "--to", "2026-04-01")


def test_charts_are_svg_with_the_series_names(world):
    browser = client(world.users["manager"])
    for name, table, label in [
        ("dashboard", "estimates", "Questionnaires sent"),
        ("dashboard", "compliance_by_total", "% on time"),
        ("flow", "funnel", "Questionnaire sent"),
        ("flow", "backlog", "Open 0-7 days"),
    ]:
        response = browser.get(reverse("reports:chart", args=[name, table]), QUERY)
        assert response["Content-Type"] == "image/svg+xml", table
        assert "<svg" in response.content.decode() and label in response.content.decode()
    missing = browser.get(reverse("reports:chart", args=["flow", "nope"]), QUERY)
    assert missing.status_code == 404


def test_the_page_says_where_its_figures_come_from(world):
    """Counted now before any refresh; after `tnw report refresh` (the daily run's), the page
    reads the stored figures and says when they were refreshed, in the user's language."""
    from tnw.dossier.figure_models import FigureRefresh

    manager = world.users["manager"]
    html = client(manager, "nl").get(reverse("reports:report", args=["compliance"]), QUERY)
    assert "Cijfers nu geteld uit de registraties en verplichtingen." in html.content.decode()
    call_command("report", "refresh", "--as-of", "2026-11-24", stdout=io.StringIO())
    cache.clear()
    when = FigureRefresh.objects.get().finished_at
    stamp = timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
    for language, text in (("nl", "Cijfers van de bijwerking van"),
                           ("fr", "Chiffres de la mise à jour du")):  # fmt: skip
        page = client(manager, language).get(reverse("reports:report", args=["compliance"]),
                                             QUERY).content.decode()  # fmt: skip
        assert f"{text} {stamp}" in page


def test_a_long_table_is_cut_on_the_page_and_whole_in_the_csv(world, monkeypatch):
    from tnw.reports import views

    monkeypatch.setattr(views, "PAGE_ROWS", 3)
    browser = client(world.users["manager"], "nl")
    page = browser.get(reverse("reports:report", args=["compliance"]), QUERY).content.decode()
    # The table per period has more than three rows: cut, and said so.
    assert "De eerste 3 van " in page
    body = browser.get(
        reverse("reports:export", args=["compliance", "csv"]),
        {**QUERY, "table": "compliance_by_period"},
    ).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) > 1 + 3  # the title or header lines and every row, not only three
