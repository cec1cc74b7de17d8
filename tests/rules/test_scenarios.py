"""The scenario suite: the law as readable data (tests/rules/scenarios/*.yaml)."""

import pytest

from tests.rules.scenario_runner import Scenario, check, load_scenarios

SCENARIOS = load_scenarios()


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 60
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS), "scenario titles must be unique"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(scenario: Scenario) -> None:
    check(scenario)
