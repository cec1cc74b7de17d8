"""WCAG 2.1 AA: the colour pairs of the style sheet have a contrast of at least 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "src" / "tnw" / "web" / "static" / "web" / "tnw.css"
VARIABLES = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text(encoding="utf-8")))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAIRS = [
    ("ink", "paper"), ("ink", "bg"), ("muted", "paper"), ("muted", "bg"), ("brand", "paper"),
    ("brand", "bg"), ("paper", "brand"), ("paper", "brand-dark"),
    ("done-fg", "done-bg"), ("open-fg", "open-bg"), ("over-fg", "over-bg"),
    ("up-fg", "up-bg"), ("void-fg", "void-bg"), ("fact-fg", "fact-bg"),
    ("brand", "open-bg"), ("muted", "void-bg"),
]  # fmt: skip


@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_text_colours_meet_aa(fg, bg):
    assert contrast(VARIABLES[fg], VARIABLES[bg]) >= 4.5, (fg, bg)


def test_the_check_can_fail():
    assert contrast("#777777", "#ffffff") < 4.5
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
