"""The worklist screen: paging to the last item with the true count, sorting, filters, saved
views, a link from each row to its task's form, bulk reassign and the CSV export."""

from __future__ import annotations

import csv
import io
import re

from django.urls import reverse

from tnw.audit.models import AuditEntry
from tnw.dossier.models import Episode, Obligation

URL = "/worklist/"


def ids_on(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="items" value="(\d+)"', html)]


def pending(**filters) -> set[int]:
    return set(Obligation.objects.filter(state="pending", **filters).values_list("pk", flat=True))


def test_every_item_is_reachable_by_paging_with_the_true_count(team, many, client_for):
    ap1 = team["ap1"]
    client = client_for(ap1, "en")
    expected = pending(actor="advising_physician", episode__advising_physician=ap1)
    assert len(expected) > 200  # more than the home page's 200 and than one page
    seen: list[int] = []
    first = client.get(URL).content.decode()
    assert f"{len(expected)} tasks: 1 to 50" in first
    pages = -(-len(expected) // 50)
    assert f"Page 1 of {pages}" in first
    for number in range(1, pages + 1):
        seen += ids_on(client.get(URL, {"page": number}).content.decode())
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    # Past the end: the last page, not an error and not the first page again.
    last = client.get(URL, {"page": pages + 5}).content.decode()
    assert f"Page {pages} of {pages}" in last
    assert set(ids_on(last)) <= expected and ids_on(last)[0] not in ids_on(first)


def test_sort_on_person_both_ways(team, many, client_for):
    client = client_for(team["ap1"], "en")
    up = client.get(URL, {"sort": "person", "dir": "asc"}).content.decode()
    down = client.get(URL, {"sort": "person", "dir": "desc"}).content.decode()
    names_up = re.findall(r"(Person\d{3} P\d+)</a>", up)
    names_down = re.findall(r"(Person\d{3} P\d+)</a>", down)
    assert names_up == sorted(names_up) and names_up
    assert names_down == sorted(names_down, reverse=True)
    assert 'aria-sort="descending"' in down


def test_filters_on_task_status_due_window_and_person(team, caseload, many, client_for):
    ap1 = team["ap1"]
    client = client_for(ap1, "en")
    html = client.get(URL, {"kind": "first_capacity_assessment"}).content.decode()
    wanted = pending(
        code="first_capacity_assessment", actor="advising_physician",
        episode__advising_physician=ap1,
    )  # fmt: skip
    assert f"{len(wanted)} tasks: 1 to 50" in html
    shown = Obligation.objects.filter(pk__in=ids_on(html))
    assert len(shown) == 50 and {o.code for o in shown} == {"first_capacity_assessment"}
    html = client.get(URL, {"person": "person004"}).content.decode()
    shown = Obligation.objects.filter(pk__in=ids_on(html)).select_related("episode__person")
    assert shown and {o.episode.person.last_name for o in shown} == {"Person004"}
    html = client.get(URL, {"due_from": "2026-12-01", "due_before": "2026-12-31"}).content
    shown = Obligation.objects.filter(pk__in=ids_on(html.decode()))
    assert all(o.due and o.due.month == 12 for o in shown)
    bad = client.get(URL, {"due_from": "2026-12-31", "due_before": "2026-12-01"})
    assert "The end of the due window is before its start." in bad.content.decode()


def test_each_row_links_to_the_form_of_its_task(team, caseload, client_for):
    html = client_for(team["co1"], "en").get(URL).content.decode()
    episode = caseload["request"]
    assert f'href="/episodes/{episode.pk}/register/first_contact/"' in html


def test_views_team_and_unassigned(team, caseload, client_for):
    co1, co2 = team["co1"], team["co2"]
    client = client_for(co1, "en")
    team_ids = set(ids_on(client.get(URL, {"view": "team"}).content.decode()))
    mine = set(ids_on(client.get(URL).content.decode()))
    theirs = pending(actor="coordinator", episode__coordinator=co2)
    assert mine < team_ids and theirs <= team_ids
    Episode.objects.filter(pk=caseload["team2"].pk).update(coordinator=None)
    unassigned = set(ids_on(client.get(URL, {"view": "unassigned"}).content.decode()))
    assert unassigned == pending(actor="coordinator", episode=caseload["team2"])


def test_bulk_reassign_moves_the_dossiers_and_is_audited(team, caseload, client_for):
    co1, co2 = team["co1"], team["co2"]
    client = client_for(co1, "en")
    chosen = list(pending(actor="coordinator", episode=caseload["request"]))
    response = client.post(
        reverse("caseload:worklist_reassign"), {"items": chosen, "to": co2.pk, "next": URL},
        follow=True,
    )  # fmt: skip
    assert "1 dossier(s) reassigned to coordinator2." in response.content.decode()
    assert Episode.objects.get(pk=caseload["request"].pk).coordinator == co2
    assert AuditEntry.objects.filter(
        object_type="dossier.episode", object_id=str(caseload["request"].pk), action="update"
    ).exists()


def test_bulk_reassign_refuses_a_colleague_of_another_role(team, caseload, client_for):
    co1 = team["co1"]
    chosen = list(pending(actor="coordinator", episode=caseload["request"]))
    response = client_for(co1, "en").post(
        reverse("caseload:worklist_reassign"), {"items": chosen, "to": team["ap1"].pk},
        follow=True,
    )  # fmt: skip
    assert Episode.objects.get(pk=caseload["request"].pk).coordinator == co1
    assert "Select a valid choice" in response.content.decode()


def test_staff_cannot_reassign_and_managers_have_no_worklist(team, caseload, client_for):
    assert client_for(team["manager"]).get(URL).status_code == 403
    staff = client_for(team["staff"], "en")
    assert staff.get(URL).status_code == 200
    refused = staff.post(reverse("caseload:worklist_reassign"), {"items": [1], "to": 1})
    assert refused.status_code == 403


def test_csv_export_has_every_item_of_the_view_in_the_users_language(team, many, client_for):
    ap1 = team["ap1"]
    response = client_for(ap1, "nl").get(reverse("caseload:worklist_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = pending(actor="advising_physician", episode__advising_physician=ap1)
    assert len(rows) - 1 == len(expected)
    assert rows[0][:3] == ["Dossiernummer", "Persoon", "Taak"]
    assert any(row[2] == "Vragenlijst versturen" for row in rows[1:])
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", rows[1][4])
    entry = AuditEntry.objects.filter(object_type="worklists.worklist").order_by("-pk").first()
    assert entry.channel == "web:export" and len(entry.changes["people"]) == 120


def test_a_page_read_is_audited_with_the_people_shown(team, caseload, client_for):
    client_for(team["co1"], "en").get(URL)
    entry = AuditEntry.objects.filter(object_type="worklists.worklist").order_by("-pk").first()
    assert entry.actor_id == team["co1"].pk and entry.changes["people"]


def test_another_mutualitys_users_see_none_of_it(team, caseload, outsiders, client_for):
    html = client_for(outsiders["coordinator"], "en").get(URL, {"view": "team"}).content.decode()
    assert ids_on(html) == []
