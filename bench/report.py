"""Render bench/results-*.json as the tables of bench/RESULTS.md (printed on stdout)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def summary_field(output: str, name: str) -> str:
    match = re.search(rf"\b{name}=(\S+)", output)
    return match.group(1) if match else ""


def main(paths: list[str]) -> None:
    results = [json.loads(Path(p).read_text()) for p in paths]
    print("| | " + " | ".join(f"{r['database']} ({r['people']:,} people)" for r in results) + " |")
    print("|---" * (len(results) + 1) + "|")

    def row(label: str, cell) -> None:
        print(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    def step(r, name):
        return r["steps"].get(name, {})

    for name, label in (
        ("daily_next_day", "daily run, next day: wall time"),
        ("daily_rerun_same_day", "daily run again, same day: wall time"),
        ("full_reevaluation", "full re-evaluation of every episode: wall time"),
    ):
        row(label, lambda r, n=name: f"{step(r, n).get('seconds', '-')} s")
        row(
            "... peak memory (maxrss)",
            lambda r, n=name: f"{step(r, n).get('max_rss_mib', '-')} MiB",
        )
        row(
            "... summary",
            lambda r, n=name: (
                "`"
                + " ".join(
                    f"{k}={summary_field(step(r, n).get('output', ''), k)}"
                    for k in ("reevaluated", "timelines_changed", "sent", "seconds")
                )
                + "`"
            ),
        )
    for role in ("coordinator", "advising_physician"):
        w = lambda r, role=role: r["steps"]["worklists"][role]  # noqa: E731
        row(
            f"worklist {role}: episodes / items",
            lambda r, w=w: f"{w(r)['assigned_episodes']} / {w(r)['items_returned']}",
        )
        row(
            f"worklist {role}: p50 / p95 / max",
            lambda r, w=w: (
                " / ".join(str(w(r)[f"worklist_ms_{k}"]) for k in ("p50", "p95", "max")) + " ms"
            ),
        )
        row(
            f"counts {role}: p50 / p95",
            lambda r, w=w: f"{w(r)['counts_ms_p50']} / {w(r)['counts_ms_p95']} ms",
        )


if __name__ == "__main__":
    main(sys.argv[1:])
