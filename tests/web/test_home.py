"""Each role lands on its own home: a worklist with counts, or the team's counts."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.conftest import open_episode, register


def test_coordinator_worklist_and_counts(coordinator, referred_episode, client_for):
    response = client_for(coordinator).get(reverse("web:home"))
    buckets = {key: number for key, _, number in response.context["buckets"]}
    # The first contact after the referral: due 30/11/2026, six days from TODAY.
    assert buckets == {"overdue": 0, "this_week": 1, "open": 1, "upcoming": 0, "": 1}
    [item] = response.context["worklist"]
    assert (item.code, item.due, item.person_id) == (
        "first_contact", date(2026, 11, 30), referred_episode.person_id,
    )  # fmt: skip
    html = response.content.decode()
    assert "Eerste contactmoment" in html
    assert "over 6 dagen" in html
    assert f"/people/{referred_episode.person_id}/#episode-{referred_episode.pk}" in html


def test_filters_by_counter(coordinator, physician, person, client_for):
    late = open_episode(
        coordinator, person, date(2026, 1, 5), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    # a waiver needs a questionnaire completed earlier in the incapacity (III 3.2 step 2)
    register(physician, late, "questionnaire_sent", date(2026, 2, 2))
    register(physician, late, "questionnaire_received", date(2026, 2, 9))
    register(coordinator, late, "spontaneous_request", date(2026, 3, 2))
    register(physician, late, "questionnaire_waived", date(2026, 3, 3))
    client = client_for(coordinator)
    overdue = client.get(reverse("web:home"), {"show": "overdue"}).context["worklist"]
    assert [i.code for i in overdue] == ["first_contact"]
    assert "dagen te laat" in client.get(reverse("web:home"), {"show": "overdue"}).content.decode()
    assert client.get(reverse("web:home"), {"show": "upcoming"}).context["worklist"] == []
    assert client.get(reverse("web:home"), {"show": "nonsense"}).context["chosen"] == ""


def test_physician_worklist(physician, coordinator, person, client_for):
    episode = open_episode(
        coordinator, person, date(2026, 8, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "questionnaire_sent", date(2026, 10, 10))
    items = client_for(physician).get(reverse("web:home")).context["worklist"]
    assert "first_capacity_assessment" in [i.code for i in items]
    assert {i.actor for i in items} == {"advising_physician"}


def test_staff_gets_the_questionnaire_help(users, coordinator, physician, person, client_for):
    episode = open_episode(
        coordinator, person, date(2026, 6, 1), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "questionnaire_sent", date(2026, 8, 10))
    response = client_for(users["staff"]).get(reverse("web:home"))
    assert [i.code for i in response.context["worklist"]] == ["questionnaire_help_contact"]
    assert "Hulp bij de vragenlijst" in response.content.decode()


def test_manager_sees_counts_and_no_names(users, referred_episode, client_for):
    response = client_for(users["manager"]).get(reverse("web:home"))
    html = response.content.decode()
    assert "Werklijsten van het team" in html
    assert "Peeters" not in html and "85.07.30" not in html
    rows = {row.username: row.counts for row in response.context["team"]}
    assert rows["coordinator"].due_this_week == 1


def test_admin_lands_on_the_administration_link(users, client_for):
    html = client_for(users["admin"]).get(reverse("web:home")).content.decode()
    assert reverse("admin:index") in html


def test_the_home_page_shows_the_most_urgent_rows_and_says_how_many_more(
    coordinator, physician, client_for, monkeypatch
):
    """The home page shows the first rows of the worklist (50 in production; 2 here) and
    says that the others are under "All tasks" (the paged worklist screen). One episode
    after a spontaneous request: two tasks of the coordinator."""
    from tests.ops.test_query_counts import _people_with_episodes
    from tnw.web import worklist

    monkeypatch.setattr(worklist, "HOME_ROWS", 1)
    _people_with_episodes(coordinator, physician, 1)
    response = client_for(coordinator).get(reverse("web:home"))
    assert len(response.context["worklist"]) == 1
    assert response.context["total"] == 2
    assert "De eerste 1 van 2 taken; de andere onder Alle taken." in response.content.decode()
    # All of them fit: no such sentence.
    monkeypatch.setattr(worklist, "HOME_ROWS", 2)
    response = client_for(coordinator).get(reverse("web:home"))
    assert len(response.context["worklist"]) == 2
    assert "De eerste" not in response.content.decode()


def test_a_task_late_on_arrival_shows_its_legal_date_and_working_target(
    coordinator, physician, person, client_for
):
    """The due cell, built in the view: the legal due date, "late on arrival" and the working
    target, no days-left count (month 6 from 5-1-2026 ends 4-7; one month from 10-7 is 10-8)."""
    episode = open_episode(
        coordinator, person, date(2026, 1, 5), coordinator=coordinator,
        advising_physician=physician,
    )  # fmt: skip
    register(physician, episode, "capacity_assessed", date(2026, 4, 22), category=4,
             medical_exam=False)  # fmt: skip
    register(physician, episode, "referred_to_coordinator", date(2026, 7, 10))
    response = client_for(coordinator).get(reverse("web:home"))
    [item] = [i for i in response.context["worklist"] if i.code == "first_contact"]
    assert item.due_cell == (
        '04/07/2026<br><span class="small late">te laat bij aankomst</span>'
        '<br><span class="muted small">werkdoel 10/08/2026</span>'
    )
    assert item.due_cell in response.content.decode()
