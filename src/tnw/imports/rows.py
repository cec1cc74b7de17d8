"""Reading and checking import rows (CSV or JSON Lines): each row as a whole, every problem
named by line, field and reason in the reader's language; the checks the rules engine makes
come later, in the dossier package."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from stdnum.be import bis, nn

from tnw.dossier.bulk import EpisodeRow

COLUMNS = (
    "source_key", "insz", "first_name", "last_name", "language", "birth_date", "start",
    "employment_contract", "employer_name", "employer_number", "end", "employer_workers",
)  # fmt: skip
# Columns added after the first version: an empty value leaves a row's digest as it was, so a
# file of the earlier format imported again stays "unchanged".
LATER_COLUMNS = ("employer_workers",)
MAX_WORKERS = 1_000_000  # a plausible bound (the database column is a 32-bit integer)
REQUIRED = ("source_key", "insz", "first_name", "last_name", "language", "start",
            "employment_contract")  # fmt: skip
LANGUAGES = ("nl", "fr", "de")
TRUE = ("1", "true", "yes", "ja", "oui", "y")
FALSE = ("0", "false", "no", "nee", "non", "n")
LENGTHS = {"source_key": 100, "first_name": 100, "last_name": 100, "employer_name": 200,
           "employer_number": 12}  # fmt: skip


@dataclass(frozen=True)
class Problem:
    line: int
    key: str
    field: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "key": self.key, "field": self.field, "code": self.code,
                "reason": self.reason}  # fmt: skip


@dataclass(frozen=True)
class Parsed:
    line: int
    key: str
    row: EpisodeRow
    digest: str  # of the row's values: the same row imported again is "unchanged"


def read_csv(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for record in reader:
        yield reader.line_num, record


def read_jsonl(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, _("not valid JSON: %(error)s") % {"error": error.msg}
                continue
            yield number, value if isinstance(value, dict) else _("not a JSON object")


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _field(values: dict[str, Any], name: str, problems: list[tuple[str, str, str]]) -> Any:
    text = _text(values, name)
    if not text:
        if name in REQUIRED:
            problems.append((name, "required", _("this field is required")))
        return None
    if len(text) > LENGTHS.get(name, 100):
        problems.append((name, "too_long", _("longer than %(n)d characters")
                         % {"n": LENGTHS.get(name, 100)}))  # fmt: skip
        return None
    try:
        return _convert(name, text)
    except ValueError as error:
        problems.append((name, "invalid", str(error)))
        return None


def _convert(name: str, text: str) -> Any:
    if name in ("birth_date", "start", "end"):
        try:
            return _date(text)
        except ValueError:
            raise ValueError(_("not a date (YYYY-MM-DD): %(value)s") % {"value": text}) from None
    if name == "employment_contract":
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ValueError(_("not yes or no: %(value)s") % {"value": text})
    if name == "employer_workers":
        return _workers(text)
    if name == "language" and text not in LANGUAGES:
        raise ValueError(_("not one of nl, fr, de: %(value)s") % {"value": text})
    if name == "insz":
        digits = "".join(ch for ch in text if ch.isdigit())
        if nn.is_valid(digits):
            return digits, "nn"
        if bis.is_valid(digits):
            return digits, "bis"
        raise ValueError(_("not a valid INSZ or bis number: %(value)s") % {"value": text})
    return text


def _workers(text: str) -> int:
    """The employer's number of workers (CODEX 2026: an employer with 20 or more must request
    a re-integration trajectory): a whole number of 0 or more."""
    if not text.isascii() or not text.lstrip("-").isdigit():
        raise ValueError(_("not a whole number of workers: %(value)s") % {"value": text})
    if text.startswith("-"):
        raise ValueError(_("a number of workers is 0 or more: %(value)s") % {"value": text})
    if int(text) > MAX_WORKERS:
        raise ValueError(_("a number of workers is at most 1,000,000: %(value)s")
                         % {"value": text})  # fmt: skip
    return int(text)


def digest_of(values: dict[str, Any]) -> str:
    texts = {name: _text(values, name) for name in COLUMNS}
    canonical = json.dumps(
        {name: text for name, text in texts.items() if text or name not in LATER_COLUMNS},
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check(line: int, values: dict[str, Any] | str) -> Parsed | list[Problem]:
    """One row as a whole: every field's problem, or the parsed row."""
    if isinstance(values, str):
        return [Problem(line, "", "row", "invalid", values)]
    key = _text(values, "source_key")[:100]
    problems: list[tuple[str, str, str]] = []
    unknown = sorted(set(values) - set(COLUMNS) - {None})
    if unknown:
        problems.append(
            (
                "row",
                "unknown_column",
                _("unknown columns: %(names)s") % {"names": ", ".join(unknown)},
            )
        )
    if values.get(None):
        problems.append(("row", "invalid", _("more values than columns")))
    got = {name: _field(values, name, problems) for name in COLUMNS}
    if got["start"] and got["end"] and got["end"] < got["start"]:
        problems.append(("end", "end_before_start", _("the end is before the start")))
    if problems:
        return [Problem(line, key, field, code, reason) for field, code, reason in problems]
    insz, kind = got["insz"]
    birth = got["birth_date"] or (nn if kind == "nn" else bis).get_birth_date(insz)
    row = EpisodeRow(
        insz=insz, number_kind=kind, first_name=got["first_name"], last_name=got["last_name"],
        language=got["language"], birth_date=birth, start=got["start"],
        employment_contract=got["employment_contract"],
        employer_name=got["employer_name"] or "", employer_number=got["employer_number"] or "",
        end=got["end"], employer_workers=got["employer_workers"],
    )  # fmt: skip
    return Parsed(line, key, row, digest_of(values))


def checked(
    records: Iterable[tuple[int, dict[str, Any] | str]],
) -> Iterator[Parsed | list[Problem]]:
    for line, values in records:
        yield check(line, values)
