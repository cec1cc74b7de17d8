"""Functions fit on a screen: none in src/ is over 60 lines, apart from data tables.

A function's length runs from its `def` (its decorators excluded) to its last line, docstring
and comments included. A data table is a module-level assignment, not a function, so it is not
counted; a function that only returns a literal table is exempt too.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LIMIT = 60


def _only_returns_a_literal(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [n for n in node.body if not isinstance(n, ast.Expr)]  # the docstring
    literals = (ast.Dict, ast.List, ast.Tuple, ast.Set)
    return (
        len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, literals)
    )


def long_functions(source: str, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function over `limit` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > limit and not _only_returns_a_literal(node):
            found.append((node.name, node.lineno, length))
    return found


def test_no_function_in_src_is_over_60_lines() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line} {name} ({length} lines)"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
        for name, line, length in long_functions(path.read_text("utf-8"))
    ]
    assert found == [], "split these functions (at most 60 lines each):\n" + "\n".join(found)


def test_the_check_counts_lines_and_spares_tables() -> None:
    body = "".join(f"    x{n} = {n}\n" for n in range(60))
    assert long_functions(f"def f():\n{body}") == [("f", 1, 61)]
    assert long_functions(f"def f():\n{body[: -len(body.splitlines()[-1]) - 1]}") == []
    table = "".join(f"        {n!r}: {n},\n" for n in range(70))
    assert long_functions(f"def table():\n    return {{\n{table}    }}\n") == []
