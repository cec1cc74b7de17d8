"""`tnw rules list` and `tnw rules show`: from a citation to the one function, in one hop.

Run as a real process, as a newcomer would. docs/rules.md is checked against the list, so the
legal reading cannot drift from the registered rules.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "rules.md"
# A rule's row in docs/rules.md: | `rule id` | `obligation code` ... | actor | ...
DOC_ROW = re.compile(r"^\| `([a-z0-9_]+\.[a-z0-9_]+)` \| `([a-z0-9_]+)`[^|]*\| ([^|]+) \|", re.M)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tnw.cli", "rules", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def listing() -> list[dict[str, Any]]:
    result = run("list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _declaration(source: str) -> str:
    """The lines from the source line down to the function's `def` (decorator included)."""
    file_name, line = source.rsplit(":", 1)
    lines = (ROOT / "src" / file_name).read_text(encoding="utf-8").splitlines()
    start = int(line) - 1
    end = next(n for n in range(start, len(lines)) if lines[n].lstrip().startswith("def "))
    return "\n".join(lines[start : end + 1])


def test_every_rule_id_has_its_citations_and_the_line_of_its_function() -> None:
    rows = listing()
    ids = [row["rule"] for row in rows]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert row["citations"], row["rule"]
        assert row["code"] and row["actor"], row["rule"]
        declaration = _declaration(str(row["source"]))
        assert f'"{row["rule"]}"' in declaration, (row["rule"], declaration)


def test_a_citation_leads_to_its_rule() -> None:
    """The issue's examples: "IV 4.3" and the CODEX plan of decision A (55 working days)."""
    rows = listing()
    cited = {row["rule"] for row in rows if any("IV 4.3" in c for c in row["citations"])}
    assert cited == {"ziv.plan_follow_up"}
    codex = {row["rule"] for row in rows if any("I.4-74" in c for c in row["citations"])}
    assert "codex.plan" in codex


def test_the_table_names_every_rule_and_its_source() -> None:
    result = run("list")
    assert result.returncode == 0, result.stderr
    for row in listing():
        assert re.search(
            rf"^{re.escape(str(row['rule']))} .* {row['source']}$", result.stdout, re.M
        )


def test_show_prints_the_declaration_docstring_and_dated_values() -> None:
    result = run("show", "ziv.plan_follow_up")
    assert result.returncode == 0, result.stderr
    assert "obligation  plan_follow_up" in result.stdout
    assert "actor       coordinator" in result.stdout
    assert "IV 4.3: the coordinator follows up the plan every three months" in result.stdout
    assert "tnw.plan_follow_up_every" in result.stdout
    assert "from 2022-01-01: {'amount': 3, 'unit': 'months'}" in result.stdout


def test_show_names_the_known_rules_for_an_unknown_one() -> None:
    result = run("show", "ziv.no_such_rule")
    assert result.returncode != 0
    assert "unknown rule 'ziv.no_such_rule'" in result.stderr
    assert "ziv.plan_follow_up" in result.stderr
    assert result.stdout == ""


def test_docs_rules_md_agrees_with_the_list() -> None:
    documented = {
        rid: (code, actor.strip()) for rid, code, actor in DOC_ROW.findall(DOCS.read_text("utf-8"))
    }
    registered = {str(row["rule"]): row for row in listing()}
    assert set(documented) == set(registered), (
        "docs/rules.md has a table row `| `rule id` | `code` | actor |` for each registered rule: "
        f"missing {sorted(set(registered) - set(documented))}, "
        f"unknown {sorted(set(documented) - set(registered))}"
    )
    for rule_id, (code, actor) in documented.items():
        assert code == registered[rule_id]["code"], rule_id
        assert actor.startswith(str(registered[rule_id]["actor"]).replace("_", " ")), rule_id
