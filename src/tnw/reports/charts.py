"""Charts drawn on the server as SVG with matplotlib: lines over time, stacked bars (on time,
late, open, overdue), a funnel. Each chart is drawn from a report table, which the page shows
next to it for screen readers and for copying; a suppressed cell ("<5") is a gap in a line and
nothing in a bar."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
matplotlib.rcParams["font.family"] = "DejaVu Sans"
from matplotlib.figure import Figure  # noqa: E402

from tnw.reports.tables import Table  # noqa: E402

PALETTE = ("#1b6e3a", "#d9822b", "#2f6db5", "#b3261e", "#6b4fa0", "#5f6b73", "#0f7c86")
WIDTH = 6.4


def _number(value, gap: float) -> float:
    return float(value) if isinstance(value, int | float) and value is not None else gap


def _series(table: Table, gap: float) -> tuple[list[str], list[tuple[str, list[float]]]]:
    chart = table.chart
    assert chart is not None
    rows = [r for r in table.rows if r.get("_chart", True)] if chart.total_rows_only else table.rows
    labels = [str(r.get(chart.x, "")) for r in rows]
    series = [(table.label_of(k), [_number(r.get(k), gap) for r in rows]) for k in chart.series]
    return labels, series


def _svg(figure: Figure, key: str) -> str:
    matplotlib.rcParams["svg.hashsalt"] = key  # stable, distinct ids per chart
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def _legend(axes, count: int) -> None:
    """Above the plot, so the plot keeps the width of the page."""
    axes.legend(fontsize=9, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
                ncol=min(count, 4))  # fmt: skip


def _line(table: Table) -> Figure:
    labels, series = _series(table, math.nan)
    figure = Figure(figsize=(WIDTH, 3.2))
    axes = figure.add_subplot()
    for index, (name, values) in enumerate(series):
        axes.plot(labels, values, marker="o", color=PALETTE[index % len(PALETTE)], label=name)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.tick_params(axis="x", labelrotation=45 if len(labels) > 6 else 0, labelsize=9)
    _legend(axes, len(series))
    return figure


def _stacked(table: Table) -> Figure:
    labels, series = _series(table, 0.0)
    figure = Figure(figsize=(WIDTH, 0.9 + 0.32 * max(len(labels), 1)))
    axes = figure.add_subplot()
    left = [0.0] * len(labels)
    for index, (name, values) in enumerate(series):
        axes.barh(labels, values, left=left, color=PALETTE[index % len(PALETTE)], label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.tick_params(axis="y", labelsize=9)
    axes.grid(axis="x", alpha=0.3)
    if len(series) > 1:
        _legend(axes, len(series))
    return figure


def _funnel(table: Table) -> Figure:
    labels, series = _series(table, 0.0)
    values = series[0][1]
    widest = max(values, default=0.0) or 1.0
    figure = Figure(figsize=(WIDTH, 0.9 + 0.34 * len(labels)))
    axes = figure.add_subplot()
    lefts = [(widest - v) / 2 for v in values]
    axes.barh(labels, values, left=lefts, color=PALETTE[2])
    for y, (left, value) in enumerate(zip(lefts, values, strict=True)):
        axes.text(left + value / 2, y, f"{value:g}", ha="center", va="center", fontsize=8,
                  color="white" if value > widest / 8 else "black")  # fmt: skip
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.tick_params(axis="y", labelsize=9)
    return figure


DRAW = {"line": _line, "stacked": _stacked, "funnel": _funnel}


def svg(table: Table) -> str:
    """The table's chart as an SVG document (ValueError when the table has none)."""
    if table.chart is None:
        raise ValueError(f"table {table.key} has no chart")
    return _svg(DRAW[table.chart.kind](table), table.key)
