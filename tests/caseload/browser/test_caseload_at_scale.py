"""The caseload at the size of real work, in Chromium: a simulated population of 20,000 people
(`tnw simulate`), an advising physician holding more than 1,000 dossiers. Pages to the last
overdue task, sorts, filters, bulk-reassigns, finds "lefebvre", "masson olivier" and
"VAN DEN BOSSCHE" among thousands, corrects a registration and sees the timeline change, and
reads the agenda. Screenshots in var/screenshots/caseload-scale-*.png.

The correction is hand-computed (circular V.I. 2022/383, III 3.2 step 3: the questionnaire is
returned within 14 days of its sending): sent on 10/08/2026, due back 24/08/2026; corrected to
17/08/2026, due back 31/08/2026, and the sending itself becomes late (due 10/08/2026).
"""

from __future__ import annotations

import os
import re
from datetime import date

import pytest
from django.db.models import Count

from tests.browser_fixtures import PASSWORD
from tests.conftest import TODAY, open_episode, register
from tnw.accounts.models import User
from tnw.dossier import services
from tnw.dossier.models import Episode, Obligation, Registration
from tnw.worklists.simulate import simulate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PEOPLE = int(os.environ.get("TNW_JOURNEY_PEOPLE", "20000"))  # smaller only to debug it


def insz_1985(serial: int) -> str:
    """A valid national register number born 1985-03-12 (check digits as for a birth before
    2000; young enough for the pension-age exclusion not to apply): outside the simulated
    numbers."""
    base = f"850312{serial:03d}"
    return base + f"{97 - int(base) % 97:02d}"


@pytest.fixture
def population():
    return make_population(PEOPLE)


def make_population(people: int):
    """The simulated people, their busiest physician (with a password) and three named people
    of that physician's mutuality, one with a questionnaire sent on 10/08/2026."""
    report = simulate(people=people, today=TODAY, workers=1)
    assert report.people == people
    physician = (
        User.objects.filter(role="advising_physician", username__startswith="sim-")
        .annotate(n=Count("physician_episodes"))
        .order_by("-n", "pk")
        .first()
    )
    physician.set_password(PASSWORD)
    physician.save()
    coordinator = User.objects.filter(
        role="coordinator", mutuality=physician.mutuality, username__startswith="sim-"
    ).first()
    named = {}
    for serial, (last, first) in enumerate(
        [("Lefèbvre", "Aurélie"), ("Masson", "Olivier"), ("Van den Bossche", "Jan")], start=701
    ):
        person = services.create_person(
            user=coordinator, insz=insz_1985(serial), first_name=first, last_name=last,
            language="fr", postal_code="4000", city="Liège",
        )  # fmt: skip
        named[last] = open_episode(
            coordinator, person, date(2026, 6, 1), contract=True, coordinator=coordinator,
            advising_physician=physician,
        )  # fmt: skip
    register(physician, named["Lefèbvre"], "questionnaire_sent", date(2026, 8, 10))
    return physician, named


def overdue_count(physician) -> int:
    return Obligation.objects.filter(
        state="pending", actor="advising_physician", episode__advising_physician=physician,
        due__lt=TODAY,
    ).count()  # fmt: skip


def test_a_physician_with_more_than_1000_dossiers_works_through_them(population, open_screen):
    physician, named = population
    assert physician.n > 1000  # the physician with more than 1,000 dossiers
    s = open_screen("nl-BE")
    s.login(physician.username)

    # Every overdue task is reachable: the true count, and the last page holds the last one.
    total = overdue_count(physician)
    assert total > 200
    s.go("/worklist/?view=mine&status=overdue")
    assert f"{total:,}".replace(",", ".") in s.text() or f"{total} taken" in s.text()
    s.shot("caseload-scale-worklist-nl")
    s.page.click("a[rel=last]")
    s.page.wait_for_load_state()
    pages = -(-total // 50)
    assert f"Pagina {pages} van {pages}" in s.text()
    assert re.search(rf"tot {total}\b|tot {total:,}".replace(",", "."), s.text())

    # Sorted on the person, descending, across the whole list.
    s.go("/worklist/?view=mine&status=overdue&sort=person&dir=desc")
    last_name = (
        Obligation.objects.filter(
            state="pending",
            actor="advising_physician",
            episode__advising_physician=physician,
            due__lt=TODAY,
        )
        .order_by("-episode__person__last_name")
        .values_list("episode__person__last_name", flat=True)
        .first()
    )  # the database's own collation decides the order
    first_row = s.page.inner_text("table.worklist tbody tr:first-child td:nth-child(5)")
    assert first_row.startswith(last_name)
    assert s.page.get_attribute("th[aria-sort]", "aria-sort") == "descending"

    # Filtered on a person, and that dossier reassigned to a colleague.
    colleague = (
        User.objects.filter(role="advising_physician", mutuality=physician.mutuality)
        .exclude(pk=physician.pk)
        .first()
    )
    masson = named["Masson"].person_id  # (the population has other Massons too)
    s.go("/worklist/?view=mine&person=Masson+Olivier")
    s.page.check(f"tr:has(a[href*='/people/{masson}/']) input[name=items] >> nth=0")
    s.page.select_option("#id_to", str(colleague.pk))
    s.page.click(".bulk button[type=submit]")
    s.page.wait_for_load_state()
    assert "1 dossier(s) toegewezen aan" in s.text()
    assert Episode.objects.get(pk=named["Masson"].pk).advising_physician_id == colleague.pk

    # Search that forgives, among thousands of people of the mutuality.
    for query, name in (("lefebvre", "Lefèbvre Aurélie"), ("masson olivier", "Masson Olivier"),
                        ("VAN DEN BOSSCHE", "Van den Bossche")):  # fmt: skip
        s.go("/search/?q=" + query.replace(" ", "+"))
        assert name in s.text(), query
    # A common surname gives pages of namesakes (the population has many Van den Bossches):
    # the rows tell them apart, and a postal code narrows the search to the one wanted.
    assert s.text().count("Van den Bossche") > 1 and "Pagina 1 van" in s.text()
    assert "Voeg een postcode of een geboortejaar of -datum toe aan de naam" in s.text()
    s.shot("caseload-scale-search-nl")
    for narrowed in ("VAN+DEN+BOSSCHE+4000", "van+den+bossche+1985", "bossche+4000+1985"):
        s.go("/search/?q=" + narrowed)
        assert "Van den Bossche Jan" in s.text(), narrowed
        assert "12/03/1985" in s.text() and "4000 Liège" in s.text(), narrowed
    s.shot("caseload-scale-search-narrowed-nl")

    # Correct a registration and see the timeline change.
    episode = named["Lefèbvre"]
    sent = Registration.objects.get(episode=episode, type="questionnaire_sent")
    s.go(f"/people/{episode.person_id}/")
    timeline = s.page.inner_text(f"#episode-{episode.pk} .timeline")
    assert "24/08/2026" in timeline and "31/08/2026" not in timeline
    s.page.click(f"a[href='/registrations/{sent.pk}/correct/']")
    s.page.wait_for_load_state()
    s.page.fill("#id_date", "17/08/2026")
    s.page.fill("#id_reason", "verzonden op 17/08, niet op 10/08 (poststempel)")
    s.page.click("form.card button[type=submit]")
    s.page.wait_for_load_state()
    timeline = s.page.inner_text(f"#episode-{episode.pk} .timeline")
    assert "31/08/2026" in timeline and "24/08/2026" not in timeline
    assert "verbeterd" in timeline and "poststempel" in timeline
    s.shot("caseload-scale-corrected-nl")

    # The agenda of the week, with the physician's deadlines.
    s.go("/agenda/?view=week&day=2026-11-24")
    assert "Week van 23/11/2026 tot 29/11/2026" in s.text()
    s.shot("caseload-scale-agenda-nl")
