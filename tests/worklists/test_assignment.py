"""Assignment and reassignment (absence cover) move the items between worklists."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import TODAY
from tnw.dossier.models import Episode
from tnw.worklists.models import Reassignment
from tnw.worklists.selectors import worklist_for
from tnw.worklists.services import assign, cover_absence, end_cover


def episodes_of(user) -> set[int]:
    return {i.episode_id for i in worklist_for(user, today=TODAY)}


def test_reassigning_an_episode_moves_its_items(team, caseload):
    episode = caseload["request"]
    assert episode.pk in episodes_of(team["co1"]) and episode.pk not in episodes_of(team["co2"])
    assign(
        user=team["co1"], episode_id=episode.pk,
        expected_version=Episode.objects.get(pk=episode.pk).version, coordinator=team["co2"],
    )  # fmt: skip
    assert episode.pk not in episodes_of(team["co1"]) and episode.pk in episodes_of(team["co2"])


def test_absence_cover_moves_every_open_episode_and_back(team, caseload):
    co1, co2 = team["co1"], team["co2"]
    own1, own2 = episodes_of(co1), episodes_of(co2)
    batch, moved = cover_absence(user=co2, absent=co1, substitute=co2, reason="leave")
    assert moved == Episode.objects.filter(coordinator=co2).count() - 1  # + co2's own
    assert episodes_of(co1) == set() and episodes_of(co2) == own1 | own2
    assert Reassignment.objects.filter(batch=batch).count() == moved
    # One of them was handed to someone else meanwhile: it stays there.
    kept = caseload["ziv"]
    assign(user=co2, episode_id=kept.pk, expected_version=Episode.objects.get(pk=kept.pk).version,
           coordinator=co2)  # fmt: skip
    assert end_cover(user=co2, batch=batch) == moved
    assert episodes_of(co1) == own1 and episodes_of(co2) == own2
    assert end_cover(user=co2, batch=batch) == 0  # done once


def test_cover_only_by_the_same_role_in_the_same_mutuality(team, caseload, outsiders):
    with pytest.raises(ValidationError):
        cover_absence(user=team["co1"], absent=team["co1"], substitute=team["ap1"])
    with pytest.raises(PermissionDenied):
        cover_absence(user=team["co1"], absent=team["co1"], substitute=outsiders["coordinator"])
    with pytest.raises(PermissionDenied):
        cover_absence(user=team["manager"], absent=team["co1"], substitute=team["co2"])
    with pytest.raises(PermissionDenied):
        cover_absence(user=outsiders["coordinator"], absent=team["co1"], substitute=team["co2"])
    assert episodes_of(team["co1"])  # nothing moved
