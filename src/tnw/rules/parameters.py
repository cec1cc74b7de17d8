"""Legal parameters as dated data with their references (in the spirit of OpenFisca).

The values live in YAML files beside this module (`parameters/*.yaml`). Each parameter has a
list of values, each valid from a date until the next one; a lookup takes the value in force on
a given date. Loading checks the data: dates in strictly increasing order, a reference on every
value, known regimes; a conflict is an error, never a silent override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .calendar import Term


class ParameterError(RuntimeError):
    """The parameter data is inconsistent (a bug in the data, not in the input)."""


@dataclass(frozen=True)
class DatedValue:
    since: date
    value: Any
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    values: tuple[DatedValue, ...]

    def at(self, on: date) -> DatedValue:
        current: DatedValue | None = None
        for dated in self.values:
            if dated.since <= on:
                current = dated
            else:
                break
        if current is None:
            raise ParameterError(
                f"parameter {self.name} has no value on {on.isoformat()} "
                f"(first value from {self.values[0].since.isoformat()})"
            )
        return current


@dataclass(frozen=True)
class Regime:
    family: str
    id: str
    since: date
    title: str
    reference: tuple[str, ...]


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ParameterError(f"{where}: 'from' must be a date")


def _load_yaml(name: str) -> dict[str, Any]:
    text = resources.files("tnw.rules").joinpath("parameters", name).read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ParameterError(f"{name}: expected a mapping")
    return data


@lru_cache(maxsize=1)
def all_parameters() -> dict[str, Parameter]:
    parameters: dict[str, Parameter] = {}
    for file_name in ("tnw.yaml", "codex.yaml", "law_2023_2026.yaml"):
        for name, spec in _load_yaml(file_name).items():
            if name in parameters:
                raise ParameterError(f"parameter {name} is defined twice")
            values: list[DatedValue] = []
            for raw in spec["values"]:
                since = _as_date(raw["from"], name)
                reference = tuple(str(r) for r in raw.get("reference") or ())
                if not reference:
                    raise ParameterError(f"{name} from {since}: every value needs a reference")
                if values and since <= values[-1].since:
                    raise ParameterError(f"{name}: values must be in increasing date order")
                values.append(DatedValue(since, raw["value"], reference))
            if not values:
                raise ParameterError(f"parameter {name} has no values")
            parameters[name] = Parameter(name, str(spec.get("description", "")), tuple(values))
    return parameters


@lru_cache(maxsize=1)
def all_regimes() -> dict[str, tuple[Regime, ...]]:
    regimes: dict[str, tuple[Regime, ...]] = {}
    for family, items in _load_yaml("regimes.yaml").items():
        found: list[Regime] = []
        for raw in items:
            since = _as_date(raw["from"], f"regime {family} {raw['id']}")
            if found and since <= found[-1].since:
                raise ParameterError(f"regimes of {family} must be in increasing date order")
            found.append(
                Regime(family, str(raw["id"]), since, str(raw["title"]), tuple(raw["reference"]))
            )
        regimes[family] = tuple(found)
    return regimes


def regime_on(family: str, on: date) -> Regime | None:
    """The regime of `family` in force on `on`, or None before the first one."""
    current = None
    for regime in all_regimes()[family]:
        if regime.since <= on:
            current = regime
    return current


def codex_step_date(request: date, step: date) -> date:
    """The date whose CODEX regime governs a step of a trajectory requested on `request`: a
    decision made, or a term that starts, on `step`.

    A trajectory keeps the regime of its request, unless a later regime in force by `step` says
    it applies at once to running trajectories (`codex.applies_to_running_trajectories`): the
    reform of 1-10-2022 has no transitional regime (DN 4.2), while the 2026 rules apply to
    trajectories started from 1-1-2026 (DN 4.3). A court's different reading changes one value.
    """
    on = request
    for regime in all_regimes()["codex"]:
        if on < regime.since <= step:
            immediate, _ = flag("codex.applies_to_running_trajectories", regime.since)
            if immediate:
                on = regime.since
    return on


def value(name: str, on: date) -> DatedValue:
    try:
        parameter = all_parameters()[name]
    except KeyError:
        raise ParameterError(f"unknown parameter {name}") from None
    return parameter.at(on)


def term(name: str, on: date) -> tuple[Term | None, tuple[str, ...]]:
    """A parameter whose value is a term ({amount, unit}), or None where the law sets none."""
    dated = value(name, on)
    if dated.value is None:
        return None, dated.reference
    raw = dated.value
    return Term(int(raw["amount"]), raw["unit"]), dated.reference


def integer(name: str, on: date) -> tuple[int, tuple[str, ...]]:
    dated = value(name, on)
    return int(dated.value), dated.reference


def flag(name: str, on: date) -> tuple[bool, tuple[str, ...]]:
    dated = value(name, on)
    return bool(dated.value), dated.reference


@lru_cache(maxsize=1)
def all_citations() -> dict[str, Parameter]:
    """The dated citations (`parameters/citations.yaml`), in the form of parameters."""
    citations: dict[str, Parameter] = {}
    for name, spec in _load_yaml("citations.yaml").items():
        values: list[DatedValue] = []
        for raw in spec["values"]:
            since = _as_date(raw["from"], name)
            if values and since <= values[-1].since:
                raise ParameterError(f"citation {name}: values must be in increasing date order")
            values.append(DatedValue(since, str(raw["text"]), ()))
        citations[name] = Parameter(name, str(spec.get("description", "")), tuple(values))
    return citations


def citation(name: str, on: date) -> str:
    """The text of citation `name` in force on `on` (the first one before it exists)."""
    try:
        found = all_citations()[name]
    except KeyError:
        raise ParameterError(f"unknown citation {name}") from None
    return str(found.at(max(on, found.values[0].since)).value)
