"""The user's worklist and its counts, for the home page.

The worklists app (issue 4) owns the real worklists. Until its API (`worklist_for`,
`counts_for`) is importable, the home page shows the pending obligations of the user's
episodes through the dossier selector `worklist`. Both are read through `rows_for`, which
turns what they return into plain rows for the template.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tnw.dossier import selectors

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    person_id: int
    person_name: str
    episode_id: int
    code: str
    actor: str
    opens: date
    due: date | None
    status: str
    basis: tuple[str, ...]


def _worklists_api():
    for module_name in ("tnw.worklists.selectors", "tnw.worklists"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, "worklist_for"):
            return module
    return None


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _row(item: Any, today: date) -> Row:
    episode = _get(item, "episode")
    person = _get(episode, "person") if episode is not None else None
    status = _get(item, "status")
    if status is None:
        status = selectors.obligation_status(item, today)
    person_name = (
        f"{person.last_name} {person.first_name}" if person is not None
        else _get(item, "person_name", "")
    )  # fmt: skip
    return Row(
        person_id=person.pk if person is not None else _get(item, "person_id"),
        person_name=person_name,
        episode_id=episode.pk if episode is not None else _get(item, "episode_id"),
        code=_get(item, "code"),
        actor=_get(item, "actor"),
        opens=_get(item, "opens"),
        due=_get(item, "due"),
        status=str(status),
        basis=tuple(_get(item, "basis", ()) or ()),
    )


def rows_for(user, today: date) -> list[Row]:
    api = _worklists_api()
    if api is not None:
        try:
            return [_row(item, today) for item in api.worklist_for(user, today=today)]
        except (TypeError, AttributeError, ValueError):  # an API shape this page does not know
            log.warning("tnw.worklists.worklist_for: unexpected result, using the dossier one")
    return [_row(item, today) for item in selectors.worklist(user=user, today=today)]


def counts(rows: list[Row], today: date) -> dict[str, int]:
    """overdue; due this week (open, due within 7 days); open later or without a term;
    upcoming (the window has not opened yet)."""
    week_end = today + timedelta(days=6)
    out = {"overdue": 0, "this_week": 0, "open": 0, "upcoming": 0}
    for row in rows:
        if row.status == "overdue":
            out["overdue"] += 1
        elif row.status == "upcoming":
            out["upcoming"] += 1
        elif row.status == "open" and row.due is not None and row.due <= week_end:
            out["this_week"] += 1
        elif row.status == "open":
            out["open"] += 1
    return out


def bucket(row: Row, today: date) -> str:
    week_end = today + timedelta(days=6)
    if row.status == "open" and row.due is not None and row.due <= week_end:
        return "this_week"
    return row.status
