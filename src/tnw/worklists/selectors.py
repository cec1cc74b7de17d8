"""Worklists: the stored obligations of the dossiers assigned to a user, as a to-do list.

The API for screens (tnw.web) and e-mails:

    worklist_for(user, *, today, kind=None, status=None, due_from=None, due_before=None,
                 mutuality=None, assignee=None, limit=200) -> list[WorklistItem]
        The user's open obligations: soonest due first (overdue therefore on top; a task late
        on arrival by its working target, issue 17 point 9), then the items without a legal
        term by age (oldest first). Filters:
          kind       an obligation code or a collection of codes ("first_contact", ...)
          status     "upcoming" | "open" | "overdue" (or a collection); default: all three
          due_from, due_before
                     due window (inclusive); items without a term are left out when set
          mutuality  a mutuality id (must be the user's own; another one gives nothing)
          assignee   the other person on the episode: for a physician the coordinator, for a
                     coordinator the physician (a user or a user id)
        Each item carries its dossier link data (person id, name, episode id, URL) and its
        legal basis. The read is audited (one entry naming the people shown).

    counts_for(user, today) -> WorklistCounts
        overdue, due_this_week (open, due within 7 days), open, upcoming, no_term.

    worklist_of(reader=..., username=..., today=..., after=None, limit=100, ...)
        -> tuple[list[WorklistItem], WorklistCursor | None]
        Another user's worklist read by an integrator's service account (tnw.api): the owner
        must be of the reader's mutuality; a physician's worklist only for a reader who sees
        all health data. Keyset pages (`after` the returned cursor); audited with the reader
        as actor.

    team_counts(user, today) -> list[TeamRow]
        The manager's team view: counts only per coordinator and physician of the mutuality
        (no names of insured people, no obligations).

Whose items: an advising physician gets the obligations of actor `advising_physician` of the
episodes assigned to them; a coordinator those of actor `coordinator` of theirs; a staff member
the questionnaire help contacts of their mutuality (delegated questionnaire support). The
status (upcoming/open/overdue) follows from the date at read time, never from a nightly job.
Both are the dossier's to decide (`tnw.dossier.obligations`, the background apps' door: the
worklists import no dossier model); this module filters, sorts and audits what it shows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, has, require
from tnw.audit.services import append
from tnw.dossier import obligations
from tnw.dossier.errors import NotFound
from tnw.dossier.obligations import ITEM_COLUMNS

STATUSES = obligations.PENDING_STATUSES


@dataclass(frozen=True)
class WorklistItem:
    obligation_id: int
    code: str
    actor: str
    sequence: int
    opens: date
    due: date | None
    status: str  # upcoming | open | overdue
    days_left: int | None  # due - today (negative when overdue); None without a term
    age_days: int | None  # today - opens, for items without a legal term
    basis: list[str]
    explanation: str
    rule: str
    episode_id: int
    episode_start: date
    person_id: int
    person_name: str
    mutuality_id: int
    coordinator_id: int | None
    advising_physician_id: int | None
    dossier_url: str
    # Issue 17 point 9: opened after its legal due date because an earlier step came late;
    # `due` stays the legal date, `target` (one month from the opening) orders the list.
    late_on_arrival: bool = False
    target: date | None = None


@dataclass(frozen=True)
class WorklistCounts:
    overdue: int = 0
    due_this_week: int = 0
    open: int = 0
    upcoming: int = 0
    no_term: int = 0


@dataclass
class TeamRow:
    user_id: int
    username: str
    role: str
    counts: WorklistCounts = field(default_factory=WorklistCounts)


# The dossier page's URL with a placeholder for the person, by script prefix and URL conf:
# one reverse() per process instead of one per row.
_DOSSIER_URLS: dict[tuple[str, Any], str] = {}
_PLACEHOLDER = 987654321


def dossier_url(person_id: int, episode_id: int) -> str:
    key = (get_script_prefix(), get_urlconf())
    template = _DOSSIER_URLS.get(key)
    if template is None:
        try:
            template = reverse("web:dossier", args=[_PLACEHOLDER])
        except NoReverseMatch:
            template = f"/people/{_PLACEHOLDER}/"
        template = _DOSSIER_URLS[key] = template.replace(str(_PLACEHOLDER), "{}")
    return f"{template.format(person_id)}#episode-{episode_id}"


def _as_tuple(value: str | Collection[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def items_query(
    user: User,
    *,
    today: date,
    kind: str | Collection[str] | None = None,
    status: str | Collection[str] | None = None,
    due_from: date | None = None,
    due_before: date | None = None,
    mutuality: int | None = None,
    assignee: User | int | None = None,
) -> QuerySet[Any]:
    """The user's pending items with these filters (the worklist's rows, unsorted)."""
    require(user, Cap.VIEW_TIMELINE, Cap.VIEW_QUESTIONNAIRE, mutuality_id=user.mutuality_id)
    # Of the user's own mutuality only, whatever the assignment says (tnw.dossier).
    queryset = obligations.of_user(user)
    if mutuality is not None and mutuality != user.mutuality_id:
        return queryset.none()
    queryset = obligations.refined(
        queryset, today=today, kinds=_as_tuple(kind), statuses=_as_tuple(status),
        due_from=due_from, due_before=due_before,
    )  # fmt: skip
    if assignee is not None:
        # The other person on the episode: a physician's coordinator, anyone else's physician.
        other = "coordinator" if user.role == Role.ADVISING_PHYSICIAN else "advising_physician"
        assignee_id = assignee if isinstance(assignee, int) else assignee.pk
        queryset = obligations.with_assignee(queryset, role=other, user_id=assignee_id)
    return queryset


def worklist_for(
    user: User,
    *,
    today: date,
    kind: str | Collection[str] | None = None,
    status: str | Collection[str] | None = None,
    due_from: date | None = None,
    due_before: date | None = None,
    mutuality: int | None = None,
    assignee: User | int | None = None,
    limit: int | None = 200,
    channel: str = "selector:worklist",
) -> list[WorklistItem]:
    """The user's worklist (see the module docstring). PermissionDenied for roles without one
    (manager, administrator)."""
    queryset = obligations.in_working_order(
        items_query(
            user, today=today, kind=kind, status=status, due_from=due_from,
            due_before=due_before, mutuality=mutuality, assignee=assignee,
        )
    )  # fmt: skip
    rows = queryset.values_list(*ITEM_COLUMNS)
    if limit is not None:
        rows = rows[:limit]
    items = [worklist_item(row, today) for row in rows]
    audit_worklist_read(user, items, channel, "worklist")
    return items


def audit_worklist_read(user: User, items: list[WorklistItem], channel: str, what: str) -> None:
    """One audit entry for a worklist read, naming the people shown (none when empty)."""
    if items:
        with transaction.atomic():
            append(
                actor=user, action="read", object_type="worklists.worklist", object_id=user.pk,
                person_id=None, channel=channel,
                changes={"read": what, "people": sorted({i.person_id for i in items})},
            )  # fmt: skip


def worklist_item(row: tuple[Any, ...], today: date) -> WorklistItem:
    (pk, code, actor, sequence, opens, due, basis, explanation, rule, episode_id, start,
     person_id, first, last, mutuality_id, coordinator_id, physician_id, late_on_arrival,
     target) = row  # fmt: skip
    return WorklistItem(
        obligation_id=pk, code=code, actor=actor, sequence=sequence, opens=opens, due=due,
        status=obligations.pending_status(opens=opens, due=due, today=today),
        days_left=(due - today).days if due is not None else None,
        age_days=(today - opens).days if due is None else None,
        basis=list(basis or []), explanation=explanation, rule=rule, episode_id=episode_id,
        episode_start=start, person_id=person_id, person_name=f"{last} {first}",
        mutuality_id=mutuality_id, coordinator_id=coordinator_id,
        advising_physician_id=physician_id, dossier_url=dossier_url(person_id, episode_id),
        late_on_arrival=bool(late_on_arrival), target=target,
    )  # fmt: skip


# The position of a worklist item in the worklist's order (due, nulls last; opens; id): the
# next page starts after it, however the list changed meanwhile.
WorklistCursor = obligations.Position


def _owner(reader: User, username: str) -> User:
    require(reader, Cap.VIEW_TIMELINE, mutuality_id=reader.mutuality_id)
    owner = User.objects.filter(
        username=username, mutuality_id=reader.mutuality_id, is_active=True,
        is_service_account=False,
        role__in=(Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF),
    ).first()  # fmt: skip
    if owner is None:
        raise NotFound("worklist")
    if owner.role == Role.ADVISING_PHYSICIAN and not has(reader, Cap.VIEW_HEALTH_ALL):
        raise PermissionDenied("an advising physician's worklist is for health data readers")
    return owner


def worklist_of(
    *,
    reader: User,
    username: str,
    today: date,
    kind: Collection[str] | None = None,
    status: Collection[str] | None = None,
    due_from: date | None = None,
    due_before: date | None = None,
    assignee: str | None = None,
    after: WorklistCursor | None = None,
    limit: int = 100,
    channel: str = "selector:worklist",
) -> tuple[list[WorklistItem], WorklistCursor | None]:
    """The worklist of `username` as `reader` (an integrator) may read it; with the cursor of
    the next page (None on the last). See the module docstring."""
    owner = _owner(reader, username)
    assignee_id = None
    if assignee is not None:
        other = User.objects.filter(username=assignee, mutuality_id=reader.mutuality_id).first()
        assignee_id = other.pk if other is not None else 0  # nobody: an empty list
    queryset = items_query(
        owner, today=today, kind=kind, status=status, due_from=due_from,
        due_before=due_before, assignee=assignee_id,
    )  # fmt: skip
    ordered = obligations.in_due_order(queryset, after=after)
    rows = list(ordered.values_list(*ITEM_COLUMNS)[: limit + 1])
    items = [worklist_item(row, today) for row in rows[:limit]]
    last = items[-1] if len(rows) > limit else None
    cursor = WorklistCursor(last.due, last.opens, last.obligation_id) if last else None
    audit_worklist_read(reader, items, channel, f"worklist of {owner.username}")
    return items, cursor


def counts_for(user: User, today: date) -> WorklistCounts:
    """How many of the user's items are overdue, due this week, open, upcoming, without a
    term (open ones). Counts only: not audited as a dossier read."""
    return WorklistCounts(**obligations.counts(items_query(user, today=today), today))


def team_counts(user: User, today: date) -> list[TeamRow]:
    """The manager's team view: per coordinator and advising physician of the mutuality, the
    counts of their worklist, plus a row (user_id 0) for obligations of unassigned episodes.
    Counts only; also open to coordinators and physicians (anonymous figures)."""
    require(user, Cap.VIEW_FIGURES, mutuality_id=user.mutuality_id)
    by_user = obligations.team_counts(user.mutuality_id, today)
    users = User.objects.filter(
        mutuality_id=user.mutuality_id, role__in=(Role.COORDINATOR, Role.ADVISING_PHYSICIAN)
    ).order_by("role", "username")
    rows = [
        TeamRow(u.pk, u.username, u.role, WorklistCounts(**by_user.get(u.pk, {}))) for u in users
    ]
    if 0 in by_user:
        rows.append(TeamRow(0, "(unassigned)", "", WorklistCounts(**by_user[0])))
    return rows
