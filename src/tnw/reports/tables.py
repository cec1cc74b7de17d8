"""The shape every report answers in: tables of aggregated figures, with small cells suppressed.

A cell that counts fewer than 5 people (1 to 4) is shown as "<5", so no report identifies a
person; 0 stays 0. Medians and percentiles of fewer than 5 values are suppressed the same way.
Totals stay exact (docs/reports.md, "Small cells", says why that is accepted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

SMALL_CELL = 5
SUPPRESSED = "<5"

Cell = int | float | str | None


def people(n: int) -> int | str:
    """A count of people (or of their obligations) as it may be shown."""
    return SUPPRESSED if 0 < n < SMALL_CELL else n


def share(part: int, total: int) -> float | str | None:
    """`part` as a percentage of `total` (one decimal); hidden with the count it comes from."""
    if total == 0:
        return None
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
