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

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.dossier.models import Obligation, ObligationState
from tnw.dossier.selectors import MEDICAL_OBLIGATIONS
from tnw.worklists.selectors import (
    ITEM_COLUMNS,
    WORKING_DATE,
    WorklistItem,
    _queryset,
    _status_filter,
    audit_worklist_read,
    worklist_item,
)

VIEWS = ("mine", "team", "unassigned", "late")
STAFF_VIEWS = ("mine",)
# Sort keys of the screen -> the columns they order by (then a stable tie-break).
SORTS = {
    "due": (WORKING_DATE, "opens"),  # a task late on arrival by its working target
    "opens": ("opens",),
    "task": ("code",),
    "person": (Lower("episode__person__last_name"), Lower("episode__person__first_name")),
    "status": ("status_rank", WORKING_DATE),
    "dossier": ("episode__person_id",),
}
PER_PAGE = 50
MAX_PER_PAGE = 500
ROLE_ACTOR = {Role.COORDINATOR: "coordinator", Role.ADVISING_PHYSICIAN: "advising_physician"}
ASSIGNEE = {Role.COORDINATOR: "episode__coordinator", Role.ADVISING_PHYSICIAN:
            "episode__advising_physician"}  # fmt: skip


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


def _role_items(user: User) -> Q:
    """The items of the user's role on any episode of the mutuality (team, unassigned)."""
    actor = ROLE_ACTOR.get(user.role)
    if actor is None:
        raise PermissionDenied(f"a user with role {user.role} has no team worklist")
    q = Q(actor=actor)
    if user.role == Role.COORDINATOR:
        q &= ~Q(code__in=MEDICAL_OBLIGATIONS)
    return q


def _base(user: User, view: str, today: date, **filters) -> QuerySet[Obligation]:
    if view not in views_for(user):
        raise ValueError(f"unknown worklist view {view!r}; one of {', '.join(views_for(user))}")
    mine = _queryset(user, today=today, **filters)  # checks the role and the mutuality
    if view == "mine":
        return mine
    if view == "late":
        return mine.filter(Q(late_on_arrival=True) | Q(due__lt=F("episode__created_at__date")))
    team = Obligation.objects.filter(
        _role_items(user), state=ObligationState.PENDING,
        episode__person__mutuality_id=user.mutuality_id,
    )  # fmt: skip
    kinds, statuses = filters.get("kind"), filters.get("status")
    if kinds:
        team = team.filter(code__in=(kinds,) if isinstance(kinds, str) else tuple(kinds))
    if statuses:
        team = team.filter(_status_filter((statuses,) if isinstance(statuses, str) else
                                          tuple(statuses), today))  # fmt: skip
    if filters.get("due_from") is not None:
        team = team.filter(due__gte=filters["due_from"])
    if filters.get("due_before") is not None:
        team = team.filter(due__lte=filters["due_before"])
    if view == "unassigned":
        team = team.filter(**{f"{ASSIGNEE[user.role]}__isnull": True})
    return team


def _filtered(
    user: User, *, today: date, view: str, kind: Collection[str], status: Collection[str],
    due_from: date | None, due_before: date | None, person: str, episode_ids: Collection[int],
) -> QuerySet[Obligation]:  # fmt: skip
    queryset = _base(
        user, view, today, kind=tuple(kind) or None, status=tuple(status) or None,
        due_from=due_from, due_before=due_before,
    )  # fmt: skip
    for word in person.split():
        queryset = queryset.filter(
            Q(episode__person__last_name__icontains=word)
            | Q(episode__person__first_name__icontains=word)
        )
    if episode_ids:
        queryset = queryset.filter(episode_id__in=list(episode_ids))
    return queryset


def _urgency(today: date) -> Case:
    """0 overdue, 1 open, 2 upcoming (tnw.dossier.status: upcoming before overdue)."""
    return Case(
        When(opens__gt=today, then=Value(2)), When(due__lt=today, then=Value(0)),
        default=Value(1), output_field=IntegerField(),
    )  # fmt: skip


def _ordered(queryset: QuerySet[Obligation], today: date, sort: str, descending: bool):
    keys = SORTS.get(sort, SORTS["due"])
    if sort == "status":
        # Overdue first, then open, then upcoming (the order of urgency).
        queryset = queryset.annotate(status_rank=_urgency(today))
    ordering = []
    for key in (*keys, "id"):
        expression = F(key) if isinstance(key, str) else key
        if descending:
            ordering.append(expression.desc(nulls_last=True))
        else:
            ordering.append(expression.asc(nulls_last=True))
    return queryset.order_by(*ordering)


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
