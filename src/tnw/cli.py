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

from tnw.rules import FactsError, evaluate, explain, parse_facts, render_table
from tnw.rules.facts import parse_date

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
    _add_introspection(commands)
    args = parser.parse_args(argv)
    if args.command in ("list", "show"):
        return _introspect(args)

    try:
        as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
        text = _read(args.facts)
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise FactsError(
                args.facts,
                f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}",
            ) from None
        facts = parse_facts(raw)
    except FactsError as error:
        print(f"tnw rules timeline: invalid input: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = evaluate(facts, as_of)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "table":
        print(render_table(facts, result))
    else:
        print(explain(facts, result))
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
