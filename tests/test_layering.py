"""One door from the apps to the engine and to personal data: the dossier package.

- The apps that face users or integrators (web, portal, reports, caseload, ops, and any new
  app) import no dossier models and no engine internals: from `tnw.dossier` only its public
  modules (services, selectors, errors, types, access, statistics, portal, and timelines: its
  door to the engine for facts that are not a stored dossier), from `tnw.rules`
  only its vocabulary (event types, actors, statuses, violation codes, the sentences).
- The background apps (worklists, notifications) use the dossier's public modules too, and
  `tnw.dossier.obligations`: the querysets of stored obligations and episodes they filter,
  count and sort in SQL. They import no dossier model either, and ask the engine through
  `tnw.dossier.timelines`, never the engine itself.
- Nobody outside the dossier imports a private name (`_name`) of it.
- The background apps refine the dossier's querysets through `tnw.dossier.obligations`
  (`refined`, `with_assignee`, `sorted_by`, `digest_rows`, ...), never by the field paths of
  the dossier's models (`due__gte`, `episode__person_id`, ...): the dossier may rename a field
  without reading the worklists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tnw"
# The engine, the dossier and what they stand on; the rest are apps on top of the dossier.
CORE = {"rules", "dossier", "accounts", "audit", "mutualities", "settings"}
BACKGROUND = {"worklists", "notifications"}

PUBLIC_DOSSIER = {
    "services", "selectors", "errors", "types", "access", "statistics", "portal", "letters",
    "timelines", "bulk", "replay",
}  # fmt: skip
BACKGROUND_DOSSIER = PUBLIC_DOSSIER | {"obligations", "demo"}
RULES_VOCABULARY = {
    "ACTORS",
    "EVENT_TYPES",
    "STATUSES",
    "VIOLATION_CODES",
    "message_templates",
    "obligation_codes",
}
BACKGROUND_RULES = RULES_VOCABULARY | {"Timeline"}  # a type the dossier's door returns


# An ORM lookup through a dossier model: a relation to it, or a field of a stored obligation.
DOSSIER_PATH = re.compile(
    r"^(episodes?|person|people|obligations?|registrations?|code|due|opens|actor|state|target"
    r"|sequence|late_on_arrival)(_id)?__"
)


def field_paths(source: str) -> list[str]:
    """The dossier field paths in a module: as keyword arguments (`due__gte=`) or strings
    (`"episode__person_id"`, the start of an f-string)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg and DOSSIER_PATH.match(node.arg):
            found.append(f"line {node.lineno}: {node.arg}=")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOSSIER_PATH.match(node.value)
        ):
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


def _is_module(package: str, name: str) -> bool:
    folder = SRC / package.split(".")[1]
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def imported(source: str) -> list[tuple[str, str | None, int]]:
    """(module, name or None, line) for every import of `tnw.dossier` or `tnw.rules`.

    `from tnw.dossier import selectors` is the module `tnw.dossier.selectors`."""
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if node.module == "tnw" and alias.name in ("dossier", "rules"):
                    found.append((f"tnw.{alias.name}", None, node.lineno))
                elif node.module in ("tnw.dossier", "tnw.rules") and _is_module(
                    node.module, alias.name
                ):
                    found.append((f"{node.module}.{alias.name}", None, node.lineno))
                else:
                    found.append((node.module, alias.name, node.lineno))
    return [f for f in found if f[0].split(".")[:2] in (["tnw", "dossier"], ["tnw", "rules"])]


def problems(source: str, background: bool) -> list[str]:
    dossier_ok = BACKGROUND_DOSSIER if background else PUBLIC_DOSSIER
    rules_ok = BACKGROUND_RULES if background else RULES_VOCABULARY
    found = []
    for module, name, line in imported(source):
        parts = module.split(".")
        where = f"line {line}: {module}{'.' + name if name else ''}"
        if parts[1] == "dossier" and (len(parts) < 3 or parts[2] not in dossier_ok):
            found.append(f"{where} (not a public module of the dossier)")
        elif parts[1] == "dossier" and name is not None and name.startswith("_"):
            found.append(f"{where} (a private name of the dossier)")
        elif parts[1] == "rules" and (len(parts) > 2 or name not in rules_ok):
            found.append(f"{where} (the engine: go through the dossier)")
    return found


def app_modules() -> list[tuple[str, Path]]:
    apps = [p for p in SRC.iterdir() if (p / "__init__.py").exists() and p.name not in CORE]
    return [
        (app.name, path)
        for app in sorted(apps)
        for path in sorted(app.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_the_apps_are_found() -> None:
    names = {name for name, _ in app_modules()}
    assert {"web", "reports", "worklists", "notifications"} <= names


@pytest.mark.parametrize(("app", "path"), app_modules(), ids=lambda v: str(v))
def test_the_apps_use_the_dossier_as_their_one_door(app: str, path: Path) -> None:
    found = problems(path.read_text("utf-8"), background=app in BACKGROUND)
    assert found == [], f"{path.relative_to(SRC.parent)}: {found}"


@pytest.mark.parametrize(
    ("app", "path"), [(a, p) for a, p in app_modules() if a in BACKGROUND], ids=lambda v: str(v)
)
def test_the_background_apps_know_no_dossier_field_paths(app: str, path: Path) -> None:
    found = field_paths(path.read_text("utf-8"))
    assert found == [], f"{path.relative_to(SRC.parent)}: {found} (use tnw.dossier.obligations)"


def test_the_field_path_check_finds_each_form() -> None:
    source = (
        "queryset.filter(due__gte=day, code__in=codes)\n"
        'rows.values("episode__person_id")\n'
        'rows.values_list(f"episode__{field}_id")\n'
        'Lower("episode__person__last_name")\n'
        'EpisodeSchedule.objects.exclude(episode_version=F("episode__version"))\n'
    )
    assert len(field_paths(source)) == 6
    # The background apps' own models and the users are theirs to query.
    own = (
        "EpisodeSchedule.objects.filter(next_boundary__lte=today, schedule__isnull=True)\n"
        'User.objects.filter(role__in=roles, username__startswith="sim-")\n'
        "rows.filter(obligations.registered_since())\n"
    )
    assert field_paths(own) == []


def test_the_check_finds_each_kind_of_breach() -> None:
    source = (
        "from tnw.dossier.models import Person\n"
        "from tnw.dossier import facts\n"
        "from tnw.dossier.selectors import _private\n"
        "from tnw.rules import evaluate\n"
        "from tnw.rules.parameters import all_regimes\n"
        "import tnw.rules.engine\n"
        "from tnw import dossier\n"
    )
    assert len(problems(source, background=False)) == 7
    # The background apps get their querysets from the dossier, not from its models.
    assert len(problems("from tnw.dossier.models import Obligation\n", background=True)) == 1
    assert len(problems("import tnw.dossier.models\n", background=True)) == 1
    assert problems("from tnw.dossier import obligations\n", background=True) == []
    assert len(problems("from tnw.dossier import obligations\n", background=False)) == 1
    allowed = (
        "from tnw.dossier import selectors, services\n"
        "from tnw.dossier.errors import RegistrationRefused\n"
        "from tnw.rules import EVENT_TYPES, message_templates\n"
    )
    assert problems(allowed, background=False) == []
