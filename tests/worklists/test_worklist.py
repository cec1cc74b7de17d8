"""Worklists: exactly the open obligations of the user's dossiers, soonest first, with their
basis; filters; who sees what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import TODAY, open_episode, register
from tests.worklists.conftest import new_person
from tnw.audit.models import AuditEntry
from tnw.dossier.models import Episode, Obligation
from tnw.worklists.selectors import counts_for, team_counts, worklist_for


def expected(user_field: str, user, actor: str, exclude=()) -> set[int]:
    return set(
        Obligation.objects.filter(**{f"episode__{user_field}": user}, actor=actor, state="pending")
        .exclude(code__in=exclude)
        .values_list("pk", flat=True)
    )


def is_sorted(items) -> bool:
    keys = [(i.due is None, i.due or date.max, i.opens, i.obligation_id) for i in items]
    return keys == sorted(keys)


def test_coordinator_gets_exactly_the_open_obligations_of_their_dossiers(team, caseload):
    items = worklist_for(team["co1"], today=TODAY)
    assert {i.obligation_id for i in items} == expected("coordinator", team["co1"], "coordinator")
    codes = {i.code for i in items}
    assert {"first_contact", "first_follow_up_meeting", "draw_up_plan"} <= codes
    # Not the physician's steps, not the medical examinations, not another team's dossier.
    assert "category3_examination" not in codes and "first_capacity_assessment" not in codes
    assert all(i.actor == "coordinator" for i in items)
    assert caseload["team2"].pk not in {i.episode_id for i in items}
    assert is_sorted(items)


def test_physician_gets_their_steps_including_the_examinations(team, caseload):
    items = worklist_for(team["ap1"], today=TODAY)
    assert {i.obligation_id for i in items} == expected(
        "advising_physician", team["ap1"], "advising_physician"
    )
    codes = {i.code for i in items}
    assert {"send_questionnaire", "category3_examination", "permission_decision"} & codes
    assert "category3_examination" in codes
    assert all(i.actor == "advising_physician" for i in items)
    assert is_sorted(items)


def test_overdue_on_top_then_soonest_due_then_items_without_a_term_by_age(team, caseload):
    items = worklist_for(team["ap1"], today=TODAY)
    statuses = [i.status for i in items if i.due is not None]
    # Overdue ones (due before today) come before every open or upcoming dated one.
    assert statuses == sorted(statuses, key=lambda s: s != "overdue")
    assert "overdue" in statuses
    dated = [i for i in items if i.due is not None]
    undated = [i for i in items if i.due is None]
    assert items == dated + undated
    assert [i.opens for i in undated] == sorted(i.opens for i in undated)
    for item in undated:
        assert item.age_days == (TODAY - item.opens).days and item.days_left is None
    for item in dated:
        assert item.days_left == (item.due - TODAY).days and item.age_days is None


def test_each_item_links_to_its_dossier_and_shows_its_legal_basis(team, caseload):
    items = worklist_for(team["co1"], today=TODAY)
    assert items
    for item in items:
        obligation = Obligation.objects.get(pk=item.obligation_id)
        assert item.basis == obligation.basis and item.basis
        assert item.explanation == obligation.explanation
        episode = Episode.objects.get(pk=item.episode_id)
        assert item.person_id == episode.person_id
        assert str(item.person_id) in item.dossier_url
        assert item.dossier_url.endswith(f"#episode-{item.episode_id}")
        assert item.person_name == f"{episode.person.last_name} {episode.person.first_name}"


def test_status_follows_from_the_date_at_read_time(team, caseload):
    later = TODAY + timedelta(days=400)
    before = {i.obligation_id: i.status for i in worklist_for(team["ap1"], today=TODAY)}
    after = {i.obligation_id: i.status for i in worklist_for(team["ap1"], today=later)}
    assert before.keys() == after.keys()
    assert any(before[k] != after[k] for k in before)
    assert all(s in ("overdue", "open") for s in after.values())


def test_filters(team, caseload):
    co1, ap1 = team["co1"], team["ap1"]
    everything = worklist_for(ap1, today=TODAY)
    only = worklist_for(ap1, today=TODAY, kind="first_capacity_assessment")
    assert only and {i.code for i in only} == {"first_capacity_assessment"}
    assert len(worklist_for(ap1, today=TODAY, kind=["send_questionnaire",
                                                     "first_capacity_assessment"])) == len(
        [i for i in everything if i.code in ("send_questionnaire", "first_capacity_assessment")]
    )  # fmt: skip
    for status in ("upcoming", "open", "overdue"):
        got = worklist_for(ap1, today=TODAY, status=status)
        assert [i.obligation_id for i in got] == [
            i.obligation_id for i in everything if i.status == status
        ]
    assert any(worklist_for(ap1, today=TODAY, status=s) for s in ("upcoming", "overdue"))
    window = worklist_for(co1, today=TODAY, due_from=TODAY, due_before=TODAY + timedelta(30))
    assert window and all(TODAY <= i.due <= TODAY + timedelta(30) for i in window)
    assert worklist_for(co1, today=TODAY, mutuality=co1.mutuality_id)
    assert worklist_for(co1, today=TODAY, mutuality=co1.mutuality_id + 999) == []
    assert worklist_for(co1, today=TODAY, assignee=ap1)
    assert worklist_for(co1, today=TODAY, assignee=team["ap2"]) == []
    with pytest.raises(ValueError):
        worklist_for(co1, today=TODAY, status="late")
    with pytest.raises(ValueError):  # a status of the dossier, never of a pending item
        worklist_for(co1, today=TODAY, status="done")


def test_counts(team, caseload):
    counts = counts_for(team["ap1"], TODAY)
    items = worklist_for(team["ap1"], today=TODAY)
    assert counts.overdue == sum(i.status == "overdue" for i in items)
    assert counts.upcoming == sum(i.status == "upcoming" for i in items)
    assert counts.open == sum(i.status == "open" for i in items)
    assert counts.due_this_week == sum(
        i.status == "open" and i.due is not None and i.due <= TODAY + timedelta(7) for i in items
    )
    assert counts.no_term == sum(i.due is None and i.status == "open" for i in items)


def test_coordinator_never_sees_another_coordinators_or_mutualitys_items(team, caseload, outsiders):
    mine = {i.episode_id for i in worklist_for(team["co2"], today=TODAY)}
    assert mine == {caseload["team2"].pk}
    assert worklist_for(outsiders["coordinator"], today=TODAY) == []
    assert worklist_for(outsiders["advising_physician"], today=TODAY) == []


def test_an_assignment_to_someone_of_another_mutuality_shows_nothing(team, caseload, outsiders):
    # Even if a row pointed at an outsider (the services refuse that), the worklist filters
    # on the user's own mutuality.
    Episode.objects.filter(pk=caseload["request"].pk).update(coordinator=outsiders["coordinator"])
    assert worklist_for(outsiders["coordinator"], today=TODAY) == []


def test_staff_see_the_questionnaire_help_contacts_of_their_mutuality(team, caseload):
    co1, ap1 = team["co1"], team["ap1"]
    person = new_person(co1, 9)
    episode = open_episode(co1, person, date(2026, 6, 1), coordinator=co1, advising_physician=ap1)
    register(ap1, episode, "questionnaire_sent", date(2026, 8, 10))
    items = worklist_for(team["staff"], today=TODAY)
    assert [i.code for i in items] == ["questionnaire_help_contact"]
    assert items[0].episode_id == episode.pk and items[0].due is None and items[0].age_days > 0


def test_manager_and_administrator_have_no_worklist_the_manager_gets_counts_only(team, caseload):
    for role in ("manager", "admin"):
        with pytest.raises(PermissionDenied):
            worklist_for(team[role], today=TODAY)
    with pytest.raises(PermissionDenied):
        team_counts(team["admin"], TODAY)
    rows = {row.username: row for row in team_counts(team["manager"], TODAY)}
    assert set(rows) == {"coordinator", "coordinator2", "advising_physician",
                         "advising_physician2"}  # fmt: skip
    for username, user in (("coordinator", team["co1"]), ("advising_physician", team["ap1"])):
        assert rows[username].counts == counts_for(user, TODAY)
    # Counts only: integers, nothing about people.
    assert all(isinstance(v, int) for row in rows.values() for v in vars(row.counts).values())


def test_a_worklist_read_is_audited_with_the_people_shown(team, caseload):
    before = AuditEntry.objects.count()
    items = worklist_for(team["co1"], today=TODAY)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.actor_id == team["co1"].pk and entry.action == "read"
    assert entry.changes["people"] == sorted({i.person_id for i in items})


def test_the_status_sort_puts_overdue_first_then_open_then_upcoming(team, caseload):
    from tnw.worklists.pages import worklist_rows

    rank = {"overdue": 0, "open": 1, "upcoming": 2}
    for user in (team["ap1"], team["co1"]):
        items = worklist_rows(user, today=TODAY, sort="status")
        ranks = [rank[i.status] for i in items]
        assert ranks == sorted(ranks)
        backwards = [rank[i.status] for i in worklist_rows(user, today=TODAY, sort="status",
                                                           descending=True)]  # fmt: skip
        assert backwards == sorted(ranks, reverse=True)
    statuses = {i.status for i in worklist_rows(team["ap1"], today=TODAY, sort="status")}
    assert len(statuses) >= 2  # not vacuous
