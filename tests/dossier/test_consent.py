"""Consent given and withdrawn (Annex III), through the named services."""

from __future__ import annotations

from datetime import date

from tests.conftest import TODAY
from tnw.audit.models import AuditEntry
from tnw.dossier import selectors, services
from tnw.dossier.models import Consent, Episode


def _version(episode) -> int:
    return Episode.objects.get(pk=episode.pk).version


def test_withdrawing_consent_is_stored_audited_and_voids_what_needs_it(ziv_episode, coordinator):
    before = {
        o["code"]
        for o in selectors.get_timeline(user=coordinator, episode_id=ziv_episode.pk, today=TODAY)
        if o["status"] in ("open", "overdue", "upcoming")
    }
    consent = services.withdraw_consent(
        user=coordinator, episode_id=ziv_episode.pk, expected_version=_version(ziv_episode),
        on=date(2026, 10, 20), form_reference="WITHDRAWAL-1", today=TODAY,
    )  # fmt: skip
    assert (consent.kind, consent.date, consent.form_reference) == (
        "withdrawn", date(2026, 10, 20), "WITHDRAWAL-1",
    )  # fmt: skip
    assert list(Consent.objects.filter(episode=ziv_episode).values_list("kind", flat=True)) == [
        "given", "withdrawn",
    ]  # fmt: skip
    entry = AuditEntry.objects.get(
        object_type="dossier.registration", object_id=str(consent.registration_id)
    )
    assert [(e["object"], e["id"]) for e in entry.changes["effects"]] == [
        ("dossier.consent", consent.pk)
    ]
    rows = selectors.get_timeline(user=coordinator, episode_id=ziv_episode.pk, today=TODAY)
    # The ZIV follow-up needs consent in force (general exception): it is void now.
    assert "first_follow_up_meeting" in before
    follow_up = next(o for o in rows if o["code"] == "first_follow_up_meeting")
    assert follow_up["status"] == "void"
    assert follow_up["void"]["key"] == "exception.no_consent"
