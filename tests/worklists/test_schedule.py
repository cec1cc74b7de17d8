"""The daily run re-evaluates only the episodes whose timeline can have changed, and that is
enough: day after day, the stored obligations equal what the engine says for that day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from tests.conftest import TODAY, register
from tnw.dossier.facts import episode_facts
from tnw.dossier.models import Episode, Obligation, Registration
from tnw.rules import evaluate
from tnw.worklists import schedule
from tnw.worklists.models import EpisodeSchedule, RulesState
from tnw.worklists.simulate import simulate


def engine_disagrees(day: date) -> list[int]:
    """Episodes whose stored obligations differ from a fresh evaluation as of `day`."""
    events = defaultdict(list)
    for episode_id, kind, on, data in Registration.objects.order_by(
        "episode_id", "position"
    ).values_list("episode_id", "type", "date", "data"):
        events[episode_id].append({"type": kind, "date": on.isoformat(), **data})
    stored = defaultdict(list)
    for row in Obligation.objects.values_list(*schedule.STORED_FIELDS):
        stored[row[0]].append(row[1:])
    wrong = []
    for episode in Episode.objects.select_related("person"):
        timeline = evaluate(episode_facts(episode, events[episode.pk]), day)
        if schedule.stored_form(timeline) != sorted(stored[episode.pk]):
            wrong.append(episode.pk)
    return wrong


def run_day(day: date) -> int:
    ids = schedule.due_for_reevaluation(day)
    for batch in schedule.batches(ids, 100):
        schedule.reevaluate(batch, day)
    schedule.mark_rules_current(day)
    return len(ids)


def test_boundaries_suffice_day_after_day(db):
    simulate(people=250, today=TODAY, workers=1, seed=11)
    assert engine_disagrees(TODAY) == []
    selected = []
    for offset in range(1, 71):
        day = TODAY + timedelta(days=offset)
        selected.append(run_day(day))
        assert engine_disagrees(day) == [], f"stale timelines on {day}"
    # It is selective: far fewer than every episode a day.
    assert 0 < sum(selected) / len(selected) < 250 * 0.2


def test_without_the_daily_run_timelines_do_go_stale(db):
    # The check above can fail: skipping the re-evaluation leaves stale timelines.
    simulate(people=250, today=TODAY, workers=1, seed=11)
    assert engine_disagrees(TODAY + timedelta(days=40)) != []


def test_next_boundary_is_the_earliest_opening_due_passing_or_regime_start():
    from tnw.rules import parse_facts

    facts = parse_facts({"incapacity_start": "2026-09-01", "employment_contract": False})
    as_of = date(2026, 9, 10)
    timeline = evaluate(facts, as_of)
    # Questionnaire opens and is due on 2026-11-10 (S + 10 weeks).
    assert schedule.next_boundary(timeline, as_of) == date(2026, 11, 10)
    assert schedule.next_boundary(timeline, as_of, last_event=as_of) == date(2026, 9, 11)
    timeline = evaluate(facts, date(2026, 11, 10))
    assert schedule.next_boundary(timeline, date(2026, 11, 10)) == date(2026, 11, 11)
    old = parse_facts({"incapacity_start": "2021-01-01", "employment_contract": True})
    # Before 2022 no TNW obligation exists: the TNW regime's start is the next boundary.
    assert evaluate(old, date(2021, 3, 1)).obligations == ()
    assert schedule.next_boundary(evaluate(old, date(2021, 3, 1)), date(2021, 3, 1)) == date(
        2022, 1, 1
    )


def test_a_registration_or_a_new_episode_is_picked_up_the_next_day(episode, coordinator):
    run_day(TODAY)
    assert schedule.due_for_reevaluation(TODAY) == []
    register(coordinator, episode, "spontaneous_request", TODAY)
    assert schedule.due_for_reevaluation(TODAY) == [episode.pk]
    run_day(TODAY)
    assert schedule.due_for_reevaluation(TODAY) == []


def test_a_rules_update_re_evaluates_everything_once(episode, consented_episode):
    run_day(TODAY)
    assert schedule.due_for_reevaluation(TODAY) == []
    EpisodeSchedule.objects.update(fingerprint="older-rules")
    RulesState.objects.update(fingerprint="older-rules")
    assert schedule.due_for_reevaluation(TODAY) == sorted(
        Episode.objects.values_list("pk", flat=True)
    )
    run_day(TODAY)
    assert schedule.due_for_reevaluation(TODAY) == []
