"""`tnw.rules` is pure Python: no Django, no clock (the date is always an argument)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).parents[2] / "src" / "tnw" / "rules"


def _modules() -> list[Path]:
    return sorted(RULES.glob("*.py"))


def test_no_module_imports_django() -> None:
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "rest_framework")), f"{path.name}: {name}"


def test_no_module_reads_the_clock() -> None:
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
                raise AssertionError(f"{path.name}:{node.lineno} reads the clock ({node.attr})")


def test_importing_the_engine_loads_no_django() -> None:
    code = "import sys, tnw.rules; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
