"""The worklist screen's query: every item reachable, with the true count, sorted and filtered
on the server, in saved views.

    worklist_page(user, *, today, view="mine", kind=(), status=(), due_from=None,
                  due_before=None, person="", sort="due", descending=False, page=1,
                  per_page=50, channel=...) -> WorklistPage
    worklist_rows(user, *, today, ...same filters..., channel=...) -> list[WorklistItem]
        every row of the view (the CSV export); audited like a page.

Views (`VIEWS`):
  mine        the user's own items (tnw.worklists.selectors, the same rule as the home page)
  team        the items of the user's role on every episode of the mutuality (a coordinator
              sees the coordinators' items, a physician the physicians'); identity and
              timeline only, as the access matrix allows any coordinator or physician of the
              mutuality
  unassigned  the items of the user's role on episodes without an assignee for that role
  late        the user's own items that were late on arrival: opened after their legal due
              date because an earlier step came late (issue 17 point 9), or already overdue
              when their episode was entered (due before the day it was created here)

A staff member has one view: the questionnaire help contacts of the mutuality.
Every page read is audited with the people shown, like `worklist_for`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.dossier import obligations
from tnw.dossier.obligations import ITEM_COLUMNS
from tnw.worklists.selectors import (
    WorklistItem,
    audit_worklist_read,
    items_query,
    worklist_item,
)

VIEWS = ("mine", "team", "unassigned", "late")
STAFF_VIEWS = ("mine",)
PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class WorklistPage:
    items: list[WorklistItem]
    total: int  # every item of the view with these filters
    page: int
    pages: int
    per_page: int

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def views_for(user: User) -> tuple[str, ...]:
    return STAFF_VIEWS if user.role == Role.STAFF else VIEWS


def _base(user: User, view: str, today: date, **filters) -> QuerySet[Any]:
    if view not in views_for(user):
        raise ValueError(f"unknown worklist view {view!r}; one of {', '.join(views_for(user))}")
    mine = items_query(user, today=today, **filters)  # checks the role and the mutuality
    if view == "mine":
        return mine
    if view == "late":
        return obligations.late_on_arrival(mine)
    team = obligations.of_role(user, unassigned=view == "unassigned")
    return obligations.refined(
        team, today=today, kinds=filters.get("kind"), statuses=filters.get("status"),
        due_from=filters.get("due_from"), due_before=filters.get("due_before"),
    )  # fmt: skip


def _filtered(
    user: User, *, today: date, view: str, kind: Collection[str], status: Collection[str],
    due_from: date | None, due_before: date | None, person: str, episode_ids: Collection[int],
) -> QuerySet[Any]:  # fmt: skip
    queryset = _base(
        user, view, today, kind=tuple(kind) or None, status=tuple(status) or None,
        due_from=due_from, due_before=due_before,
    )  # fmt: skip
    queryset = obligations.named(queryset, person.split())
    return obligations.refined(queryset, today=today, episode_ids=episode_ids)


def _ordered(queryset: QuerySet[Any], today: date, sort: str, descending: bool):
    return obligations.sorted_by(queryset, sort=sort, today=today, descending=descending)


def worklist_page(
    user: User,
    *,
    today: date,
    view: str = "mine",
    kind: Collection[str] = (),
    status: Collection[str] = (),
    due_from: date | None = None,
    due_before: date | None = None,
    person: str = "",
    episode_ids: Collection[int] = (),
    sort: str = "due",
    descending: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
    channel: str = "selector:worklist",
) -> WorklistPage:
    """One page of the view, with the true count; a page past the end gives the last one."""
    queryset = _filtered(
        user, today=today, view=view, kind=kind, status=status, due_from=due_from,
        due_before=due_before, person=person, episode_ids=episode_ids,
    )  # fmt: skip
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    paginator = Paginator(_ordered(queryset, today, sort, descending).values_list(*ITEM_COLUMNS),
                          per_page)  # fmt: skip
    current = paginator.get_page(page)
    items = [worklist_item(row, today) for row in current.object_list]
    audit_worklist_read(user, items, channel, f"worklist {view} page {current.number}")
    return WorklistPage(
        items=items, total=paginator.count, page=current.number,
        pages=paginator.num_pages, per_page=per_page,
    )  # fmt: skip


def worklist_rows(
    user: User,
    *,
    today: date,
    view: str = "mine",
    kind: Collection[str] = (),
    status: Collection[str] = (),
    due_from: date | None = None,
    due_before: date | None = None,
    person: str = "",
    sort: str = "due",
    descending: bool = False,
    channel: str = "selector:worklist",
) -> list[WorklistItem]:
    """Every item of the view (for an export); audited with every person in it."""
    queryset = _filtered(
        user, today=today, view=view, kind=kind, status=status, due_from=due_from,
        due_before=due_before, person=person, episode_ids=(),
    )  # fmt: skip
    rows = _ordered(queryset, today, sort, descending).values_list(*ITEM_COLUMNS)
    items = [worklist_item(row, today) for row in rows.iterator(chunk_size=2000)]
    audit_worklist_read(user, items, channel, f"worklist {view} export")
    return items
