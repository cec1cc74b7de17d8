"""The shape every report answers in: tables of aggregated figures, with small cells suppressed.

A cell that counts fewer than 5 people (1 to 4) is shown as "<5", so no report identifies a
person; 0 stays 0. Where such a cell could be worked out from a total, one more cell is hidden
("x"). Medians and percentiles of fewer than 5 values are suppressed as "<5".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

SMALL_CELL = 5
SUPPRESSED = "<5"
PROTECTED = "x"

Cell = int | float | str | None


def people(n: int) -> int | str:
    """A count of people (or of their obligations) as it may be shown."""
    return SUPPRESSED if 0 < n < SMALL_CELL else n


def hidden_keys(counts: dict[str, int]) -> tuple[set[str], set[str]]:
    """Which of counts that add up to a shown total must be hidden: every one from 1 to 4
    (primary) and, when that is only one, also the smallest other non-zero one (secondary),
    so that no hidden cell follows from the total minus the others."""
    primary = {key for key, n in counts.items() if 0 < n < SMALL_CELL}
    secondary: set[str] = set()
    if len(primary) == 1:
        others = sorted((n, str(key), key) for key, n in counts.items() if n and key not in primary)
        if others:
            secondary.add(others[0][2])
    return primary, secondary


def protected(counts: dict) -> dict:
    """The counts as they may be shown next to their total: "<5" for a small cell, "x" for a
    cell hidden only so that a small one cannot be worked out (see `hidden_keys`)."""
    primary, secondary = hidden_keys(counts)
    return {
        key: SUPPRESSED if key in primary else PROTECTED if key in secondary else n
        for key, n in counts.items()
    }


def share(part: int, total: int, shown: int | str | None = None) -> float | str | None:
    """`part` as a percentage of `total` (one decimal); hidden as the count it comes from is
    (`shown`: that count as shown, when it was protected)."""
    if total == 0:
        return None
    if shown in (SUPPRESSED, PROTECTED):
        return shown
    if 0 < part < SMALL_CELL:
        return SUPPRESSED
    return round(100 * part / total, 1)


def percentile(histogram: dict[int, int], fraction: float) -> int | str | None:
    """The nearest-rank percentile of a histogram {value: count}: the smallest value with at least
    ceil(fraction x n) values at or below it (the median is fraction 0.5)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    if total < SMALL_CELL:
        return SUPPRESSED
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")


@dataclass
class Column:
    key: str
    label: Any  # a lazy translation


@dataclass
class Chart:
    """What to draw from a table: `kind` line, stacked or funnel; `x` the column of the
    categories; `series` the columns drawn."""

    kind: str
    x: str
    series: list[str]
    total_rows_only: bool = False


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[dict[str, Cell]] = field(default_factory=list)
    source: Any = ""
    note: Any = ""
    chart: Chart | None = None

    def cells(self) -> list[list[Cell]]:
        return [[row.get(column.key) for column in self.columns] for row in self.rows]

    def label_of(self, key: str) -> str:
        return next(str(c.label) for c in self.columns if c.key == key)


@dataclass
class Report:
    name: str
    title: Any
    tables: list[Table]
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)
