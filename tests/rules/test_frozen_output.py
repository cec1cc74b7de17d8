"""The engine's output is frozen (tests/rules/frozen): a refactoring changes no timeline.

A deliberate legal change refreshes the freeze (`python -m tests.rules.frozen.freeze write`)
in the same commit, and says in its message which outputs changed and why.
"""

from __future__ import annotations

from tests.rules.frozen.freeze import compare, only_added


def test_the_same_facts_give_the_frozen_timelines() -> None:
    identical, added, total, differences = compare()
    assert total >= 45_000
    assert differences == []
    assert identical + added == total


def test_only_added_fields_are_tolerated() -> None:
    old = {"a": 1, "b": [{"c": "x"}]}
    assert only_added(old, {"a": 1, "b": [{"c": "x", "d": 2}], "e": 3})
    assert not only_added(old, {"a": 1, "b": [{"c": "y"}]})
    assert not only_added(old, {"a": 1, "b": [{"c": "x"}, {"c": "x"}]})
    assert not only_added(old, {"b": [{"c": "x"}]})
    assert not only_added({"a": 1}, {"a": True})
