"""Stored obligations: pending/done/void in the database; upcoming/open/overdue follow from
the date at read time, so nothing needs a nightly job to become overdue."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import TODAY, register
from tnw.dossier import obligations, selectors
from tnw.dossier.models import Episode, Obligation


def test_registration_fulfils_an_obligation_in_the_same_transaction(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    first_contact = Obligation.objects.get(episode=episode, code="first_contact")
    assert first_contact.state == "pending"
    register(
        coordinator, episode, "first_contact", date(2026, 9, 10), mode="video", consent=True,
        outcome="pending", form_reference="ANNEX-III-1",
    )  # fmt: skip
    first_contact = Obligation.objects.get(episode=episode, code="first_contact")
    assert first_contact.state == "done"
    assert first_contact.done_on == date(2026, 9, 10)
    assert first_contact.done_by == 1


def test_status_is_derived_from_the_date(episode):
    # The advising physician sends the questionnaire 10 weeks after the start (2026-06-01).
    obligation = Obligation.objects.get(episode=episode, code="send_questionnaire")
    assert obligation.state == "pending"
    assert obligation.due is not None
    before, inside, after = (
        date.fromordinal(obligation.opens.toordinal() - 1),
        obligation.due,
        date.fromordinal(obligation.due.toordinal() + 1),
    )
    assert selectors.obligation_status(obligation, before) == "upcoming"
    assert selectors.obligation_status(obligation, inside) == "open"
    assert selectors.obligation_status(obligation, after) == "overdue"
    # The same in the database, for worklists that filter on it.
    for day, expected in ((before, "upcoming"), (inside, "open"), (after, "overdue")):
        annotated = selectors.with_status(Obligation.objects.filter(pk=obligation.pk), day)
        assert annotated.get().status == expected


def test_one_order_of_urgency_for_python_and_sql(episode):
    # Overdue first, then open, then upcoming: the page's sort (urgency_rank) and the
    # worklist's (obligations.urgency, in SQL) read the same order.
    obligation = Obligation.objects.get(episode=episode, code="send_questionnaire")
    assert obligation.due is not None
    days = {
        "upcoming": date.fromordinal(obligation.opens.toordinal() - 1),
        "open": obligation.due,
        "overdue": date.fromordinal(obligation.due.toordinal() + 1),
    }
    ranks = {status: selectors.urgency_rank(status) for status in days}
    assert ranks == {"overdue": 0, "open": 1, "upcoming": 2}
    for status, day in days.items():
        row = Obligation.objects.filter(pk=obligation.pk).annotate(rank=obligations.urgency(day))
        assert row.get().rank == ranks[status]
    with pytest.raises(ValueError, match="done"):
        selectors.urgency_rank("done")


def test_stored_obligations_match_the_engine(consented_episode):
    from tnw.dossier.facts import episode_facts
    from tnw.rules import evaluate

    events = [r.to_contract() for r in consented_episode.registrations.order_by("position")]
    timeline = evaluate(episode_facts(consented_episode, events), TODAY)
    stored = {
        (o.code, o.sequence, o.due, o.state)
        for o in Obligation.objects.filter(episode=consented_episode)
    }
    expected = {
        (o.code, o.sequence, o.due, o.status if o.status in ("done", "void") else "pending")
        for o in timeline.obligations
    }
    assert stored == expected


def test_worklist_lists_pending_obligations_of_my_episodes(episode, coordinator, users):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    mine = list(selectors.worklist(user=coordinator, today=TODAY))
    assert "first_contact" in [o.code for o in mine]
    assert {o.actor for o in mine} == {"coordinator"}
    assert all(o.state == "pending" and o.episode_id == episode.pk for o in mine)
    assert all(o.status == selectors.obligation_status(o, TODAY) for o in mine)
    others = selectors.worklist(user=users["advising_physician"], today=TODAY)
    assert {o.actor for o in others} <= {"advising_physician"}


def test_incapacity_end_is_mirrored_on_the_episode_and_voids_what_remains(episode, coordinator,
                                                                          physician):  # fmt: skip
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    register(physician, episode, "incapacity_ended", date(2026, 9, 5))
    episode.refresh_from_db()
    assert episode.end == date(2026, 9, 5)
    assert Obligation.objects.get(episode=episode, code="first_contact").state == "void"


def test_recompute_refreshes_the_stored_state_as_of_a_later_day(episode, coordinator):
    """Stored pending/done/void are as of the last recompute that changed them; a recompute
    on a later day brings them up to date, and writes nothing (no rows, no audit) when nothing
    changed (the timeline is stored by difference)."""
    from tnw.audit.models import AuditEntry
    from tnw.dossier.services import recompute_timeline

    computed = {o.computed_on for o in Obligation.objects.filter(episode=episode)}
    assert computed == {TODAY}
    entries = AuditEntry.objects.count()
    recompute_timeline(user=coordinator, episode_id=episode.pk, today=TODAY)
    assert AuditEntry.objects.count() == entries  # nothing changed
    later = date(2027, 3, 1)
    recompute_timeline(user=None, episode_id=episode.pk, today=later)
    assert {o.computed_on for o in Obligation.objects.filter(episode=episode)} == {TODAY}
    # Made stale, as if written before digests were kept: a row missing, no digest.
    Obligation.objects.filter(episode=episode).order_by("pk").first().delete()
    Episode.objects.filter(pk=episode.pk).update(timeline_digest="")
    recompute_timeline(user=None, episode_id=episode.pk, today=later)
    assert {o.computed_on for o in Obligation.objects.filter(episode=episode)} == {later}
    assert AuditEntry.objects.count() == entries + 1
