"""The manager's dashboard in real Chromium, in Dutch and French: the eight barometer themes
and the compliance per obligation, every chart drawn, and the XLSX download read back.
Screenshots: var/screenshots/reports-dashboard-{nl,fr}.png."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser_fixtures import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUERY = "?start=2026-01-01&end=2026-12-31&grain=month"
T = {
    "nl": {"title": "Dashboard", "theme1": "1. In- en uitstroom van arbeidsongeschiktheid",
           "compliance": "Naleving van de termijnen per verplichting",
           "obligation": "Eerste contactmoment", "on_time": "Tijdig gedaan",
           "counted": "Cijfers nu geteld uit de registraties en verplichtingen."},
    "fr": {"title": "Tableau de bord", "theme1": "1. Entrées et sorties en incapacité de travail",
           "compliance": "Respect des délais par obligation",
           "obligation": "Premier moment de contact", "on_time": "Fait dans le délai",
           "counted": "Chiffres comptés maintenant à partir des enregistrements et des "
                      "obligations."},
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_day(settings):
    settings.TNW_TODAY = "2026-11-24"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_manager_dashboard_with_charts_and_xlsx(language, world, open_screen):
    screen = open_screen(locale=f"{language}-BE", width=1400)
    screen.login("manager")
    screen.go("/reports/" + QUERY)
    page = screen.page
    words = T[language]
    assert page.inner_text("h1") == words["title"]
    # No refresh yet: the page says its figures are counted now (tnw.dossier.figures).
    assert page.inner_text(".figures-source") == words["counted"]
    headings = page.eval_on_selector_all(
        "section.card h2", "nodes => nodes.map(n => n.textContent)"
    )
    assert len(headings) == 9 and headings[0] == words["theme1"]
    assert headings[-1] == words["compliance"]
    assert [h[:2] for h in headings[:8]] == [f"{n}." for n in range(1, 9)]
    # Every chart is drawn (lazy images: bring each into view, then check it decoded).
    for image in page.query_selector_all("figure.chart img"):
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image)
        assert image.bounding_box()["width"] > 300
    assert len(page.query_selector_all("figure.chart img")) == 9
    table = page.inner_text("#compliance_by_total table")
    assert words["obligation"] in table and "<5" in table
    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screen.shot(f"reports-dashboard-{language}")
    page.locator("#compliance_by_total").screenshot(
        path=str(SCREENSHOTS / f"reports-compliance-{language}.png")
    )
    with page.expect_download() as download:
        page.click("a[href*='export.xlsx']")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["compliance_by_total"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("Verplichting" if language == "nl" else "Obligation", words["on_time"])
    first_contact = next(row for row in rows if row[0] == words["obligation"])
    assert first_contact[1:7] == (5, "<5", 0, "<5", "<5", 8)
