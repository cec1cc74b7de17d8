"""Fixtures of the caseload screens: the worklists' teams and caseload, the screens' clients
and fixed date, and a bulk of new incapacities for paging."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import open_episode
from tests.web.conftest import client_for, fixed_today  # noqa: F401 (fixtures)
from tests.worklists.conftest import caseload, new_person, team  # noqa: F401 (fixtures)


@pytest.fixture
def many(team):  # noqa: F811 (the imported fixture)
    """120 new incapacities of team 1: each gives the physician a questionnaire to send."""
    co1, ap1 = team["co1"], team["ap1"]
    episodes = []
    for n in range(100, 220):
        person = new_person(co1, n)
        episodes.append(
            open_episode(co1, person, date(2026, 9, 1), coordinator=co1, advising_physician=ap1)
        )
    return episodes
