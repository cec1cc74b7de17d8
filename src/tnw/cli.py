"""The `tnw` console script: the single entry point.

`tnw rules ...` runs the pure rules engine (no Django needed); every other command is passed to
Django's management commands (`tnw migrate`, `tnw runserver`, `tnw demo`, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

from tnw.rules import FactsError, evaluate, explain, parse_facts, render_table, replay
from tnw.rules.facts import Facts, parse_date

EXIT_BAD_INPUT = 2


def rules_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tnw rules", description="The TNW / CODEX rules engine (law as code)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    timeline = commands.add_parser(
        "timeline", help="evaluate the facts of one incapacity episode and print its timeline"
    )
    timeline.add_argument("facts", help="a JSON file with the facts ('-' reads standard input)")
    timeline.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    timeline.add_argument(
        "--format",
        choices=("json", "table", "explain"),
        default="json",
        help="json: the contract; table: for people; explain: which facts and rules produced what",
    )
    timeline.add_argument(
        "--regime",
        default="",
        help="replay under chosen regimes, e.g. tnw=2022-09-01,codex=2022-10-01 (default: the "
        "law by date)",
    )
    _add_compare(commands)
    _add_introspection(commands)
    args = parser.parse_args(argv)
    if args.command in ("list", "show"):
        return _introspect(args)
    if args.command == "compare":
        return _compare(args)

    try:
        as_of, facts = _facts_and_date(args)
        regimes = replay.parse_regimes(args.regime)
    except FactsError as error:
        print(f"tnw rules timeline: invalid input: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = evaluate(facts, as_of, regimes)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "table":
        print(render_table(facts, result))
    else:
        print(explain(facts, result))
    return 0


def _facts_and_date(args: argparse.Namespace) -> tuple[date, Facts]:
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
    text = _read(args.facts)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise FactsError(
            args.facts,
            f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None
    return as_of, parse_facts(raw)


def _add_compare(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare",
        help="evaluate the same facts under two regimes and show, obligation by obligation, "
        "what differs (one --regime: the law by date against it)",
    )
    compare.add_argument("facts", help="a JSON file with the facts ('-' reads standard input)")
    compare.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    compare.add_argument(
        "--regime",
        action="append",
        required=True,
        help="tnw=ID,codex=ID or 'law'; once (law against it) or twice (first against second)",
    )
    compare.add_argument("--format", choices=("table", "json"), default="table")


def _compare(args: argparse.Namespace) -> int:
    try:
        if len(args.regime) > 2:
            raise FactsError("--regime", "give one or two regimes to compare")
        as_of, facts = _facts_and_date(args)
        texts = ["law", *args.regime][-2:]
        chosen = [replay.parse_regimes(text) for text in texts]
    except FactsError as error:
        print(f"tnw rules compare: invalid input: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    before, after = (evaluate(facts, as_of, regimes) for regimes in chosen)
    differences = replay.compare(before, after)
    names = [replay.describe(regimes) for regimes in chosen]
    if args.format == "json":
        out = {
            "as_of": as_of.isoformat(),
            "before": {"regime": names[0], "regimes": before.regimes},
            "after": {"regime": names[1], "regimes": after.regimes},
            "differences": [d.to_json() for d in differences],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(replay.render(differences, names[0], names[1]))
    return 0


def _add_introspection(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser(
        "list", help="every rule id with its obligation, actor, citations and source line"
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    show = commands.add_parser(
        "show", help="one rule: its declaration, docstring and dated parameters"
    )
    show.add_argument("rule_id")


def _introspect(args: argparse.Namespace) -> int:
    from tnw.rules import introspection

    if args.command == "show":
        try:
            print(introspection.render_rule(args.rule_id))
        except KeyError:
            known = ", ".join(rule.id for rule in introspection.declared_rules())
            print(f"tnw rules show: unknown rule {args.rule_id!r}; known: {known}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return 0
    print(introspection.render_list(args.format))
    return 0


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise FactsError(path, "no such file") from None
    except IsADirectoryError:
        raise FactsError(path, "is a directory, not a JSON file") from None
    except UnicodeDecodeError:
        raise FactsError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise FactsError(path, f"cannot be read ({error.strerror})") from None


def django_main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tnw.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tnw", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "rules":
        return rules_main(args[1:])
    return django_main(args)


if __name__ == "__main__":
    sys.exit(main())
