"""What the pages no longer redo per row or per request (issue 11): the engine's answers for
the registration menu are kept per process under the facts they depend on, and only under
them; the worklist's texts are read in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import register
from tests.ops.test_query_counts import _people_with_episodes
from tnw.dossier import possible
from tnw.dossier.models import Episode, Obligation
from tnw.dossier.selectors import obligation_texts, registration_menu

DAY = date(2026, 11, 24)


def _evaluations(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = possible.evaluate

    def counting(facts, on):
        calls.append(1)
        return real(facts, on)

    monkeypatch.setattr(possible, "evaluate", counting)
    return calls


def test_the_menu_asks_the_engine_again_only_when_a_fact_or_the_day_changed(
    ziv_episode, coordinator, monkeypatch
):
    possible._ANSWERS.clear()
    calls = _evaluations(monkeypatch)
    first = registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=DAY)
    asked = len(calls)
    assert asked > 10  # every type and variant, some with several choices
    assert registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=DAY) == first
    assert len(calls) == asked  # the same facts, the same day: the kept answer
    registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=date(2026, 11, 25))
    assert len(calls) == 2 * asked  # another day: asked again
    register(coordinator, ziv_episode, "follow_up_meeting", date(2026, 10, 20), mode="physical")
    calls.clear()
    registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=DAY)
    assert len(calls) == asked  # a new fact: asked again


def test_a_changed_episode_fact_is_asked_again(ziv_episode, coordinator, monkeypatch):
    possible._ANSWERS.clear()
    calls = _evaluations(monkeypatch)
    registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=DAY)
    asked = len(calls)
    # The start of the incapacity is a fact of the engine (whatever changed it).
    Episode.objects.filter(pk=ziv_episode.pk).update(start=date(2026, 3, 2))
    registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=DAY)
    assert len(calls) == 2 * asked


def test_the_kept_answers_are_bounded(ziv_episode, coordinator, monkeypatch):
    possible._ANSWERS.clear()
    monkeypatch.setattr(possible, "MAX_ANSWERS", 2)
    for day in (20, 21, 22):
        registration_menu(user=coordinator, episode_id=ziv_episode.pk, today=date(2026, 11, day))
    assert len(possible._ANSWERS) == 2


def test_the_worklist_texts_take_two_queries_whatever_the_rows(coordinator, physician):
    _people_with_episodes(coordinator, physician, 2)
    ids = list(Obligation.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as few:
        texts = obligation_texts(user=coordinator, obligation_ids=ids)
    assert set(texts) <= set(ids) and texts
    _people_with_episodes(coordinator, physician, 6, first=2)
    ids = list(Obligation.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as many:
        obligation_texts(user=coordinator, obligation_ids=ids)
    assert len(many) == len(few) <= 2


def test_a_batch_of_episodes_is_evaluated_from_two_queries(coordinator, physician):
    """The re-evaluation reads a batch with two queries; every field the engine's facts need
    is loaded with it (a deferred one would be a query per episode)."""
    from tnw.dossier.obligations import episodes_with_events
    from tnw.dossier.timelines import timeline_of

    _people_with_episodes(coordinator, physician, 3)
    Episode.objects.update(employer_workers=25)
    ids = list(Episode.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        episodes, events = episodes_with_events(ids)
        timelines = [timeline_of(episode=e, events=events[e.pk], today=DAY) for e in episodes]
    assert len(captured) == 2
    assert len(timelines) == 3 and all(t.obligations for t in timelines)
