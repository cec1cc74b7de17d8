"""A physician with more than 200 tasks in Chromium: pages to the last task, sorts, filters,
reassigns a dossier to a colleague, finds people by forgiving searches, and sees "what next"
on the dossier. Screenshots in var/screenshots/caseload-*.png."""

from __future__ import annotations

import re

import pytest

from tests.caseload.test_search import add
from tnw.dossier.models import Episode, Obligation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physician_works_through_a_large_worklist(team, many, open_screen):
    ap1, ap2, co1 = team["ap1"], team["ap2"], team["co1"]
    add(co1, 300, "Lefèbvre", "Aurélie", "4000", "Liège")
    add(co1, 301, "Van den Bossche", "Jan")
    add(co1, 302, "Masson", "Olivier", "5000", "Namur")
    total = Obligation.objects.filter(
        state="pending", actor="advising_physician", episode__advising_physician=ap1
    ).count()
    s = open_screen("nl-BE")
    s.login(ap1.username)
    s.go("/worklist/")
    assert f"{total} taken: 1 tot 50" in s.text()
    s.shot("caseload-worklist-nl")
    s.page.click("a[rel=last]")
    s.page.wait_for_load_state()
    pages = -(-total // 50)
    assert f"Pagina {pages} van {pages}" in s.text()
    assert f"tot {total}" in s.text()

    # Sort on the person, descending: the last name first.
    s.go("/worklist/?sort=person&dir=desc")
    first_row = s.page.inner_text("table.worklist tbody tr:first-child")
    assert "Person219" in first_row

    # Filter on a person and reassign that dossier to the other physician.
    s.go("/worklist/?person=Person150")
    s.page.check("input[name=items] >> nth=0")
    s.page.select_option("#id_to", str(ap2.pk))
    s.page.click(".bulk button[type=submit]")
    s.page.wait_for_load_state()
    assert "1 dossier(s) toegewezen aan" in s.text()
    moved = Episode.objects.get(person__last_name="Person150")
    assert moved.advising_physician_id == ap2.pk

    # Forgiving search.
    for query, name in (("lefebvre", "Lefèbvre Aurélie"), ("masson olivier", "Masson Olivier"),
                        ("VAN DEN BOSSCHE", "Van den Bossche Jan")):  # fmt: skip
        s.go("/search/?q=" + query.replace(" ", "+"))
        assert name in s.text(), query
    s.shot("caseload-search-nl")

    # The dossier of a task starts with "what next".
    s.go("/worklist/?person=Person100")
    s.page.click("table.worklist tbody tr:first-child td:nth-child(5) a")
    s.page.wait_for_load_state()
    panel = s.page.inner_text(".what-next")
    assert "Wat nu" in panel and re.search(r"\d\d/\d\d/\d{4}", panel)
    s.shot("caseload-dossier-what-next-nl")
