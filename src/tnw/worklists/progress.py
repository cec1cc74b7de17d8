"""A plain progress bar on a terminal; structured key=value log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def kv(**fields) -> str:
    """One structured log line: key=value pairs (values with spaces are quoted)."""
    parts = []
    for key, value in fields.items():
        text = str(value)
        if not text or any(ch in text for ch in ' "='):
            text = '"' + text.replace('"', '\\"') + '"'
        parts.append(f"{key}={text}")
    return " ".join(parts)


class Progress:
    """`start(total)`, `advance(n)`, `finish()`. On a terminal: a bar redrawn in place at most
    ten times a second. Otherwise: a key=value line at start, every 10% and at the end."""

    def __init__(self, phase: str, stream: TextIO | None = None, tty: bool | None = None):
        self.phase = phase
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = 0
        self.done = 0
        self._last_draw = 0.0
        self._last_decile = -1
        self._started = time.monotonic()

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._started = time.monotonic()
        if not self.tty:
            self.stream.write(kv(event="phase_start", phase=self.phase, total=total) + "\n")
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        self._draw(force=True)
        elapsed = time.monotonic() - self._started
        if self.tty:
            self.stream.write("\n")
        else:
            self.stream.write(
                kv(event="phase_end", phase=self.phase, done=self.done, seconds=f"{elapsed:.2f}")
                + "\n"
            )
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        if self.tty:
            now = time.monotonic()
            if not force and now - self._last_draw < 0.1:
                return
            self._last_draw = now
            width = 30
            fraction = self.done / self.total if self.total else 1.0
            filled = int(width * fraction)
            self.stream.write(
                f"\r{self.phase:<12} [{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done}/{self.total} {fraction:6.1%}"
            )
            self.stream.flush()
        elif self.total:
            decile = self.done * 10 // self.total
            if decile != self._last_decile and not force and 0 < decile < 10:
                self._last_decile = decile
                self.stream.write(
                    kv(event="progress", phase=self.phase, done=self.done, total=self.total) + "\n"
                )
