"""The stored obligations and episodes as the background apps read them: the one door for the
worklists and the daily run, which filter, count and sort obligations in SQL.

The worklists import no dossier model: they get their querysets here (whose items, which
status, whose team, which episodes) and refine, sort and page them with the functions here
(`refined`, `with_assignee`, `sorted_by`, `in_due_order`, ...), never by a field path of the
dossier's models (tests/test_layering.py), so a field can change here alone. Whose item an
obligation is (`own`, `of_role`) and its status (`tnw.dossier.status`: one definition for
Python and SQL) are decided here only; the audit of what a worklist shows stays with the
worklists, which know what the user saw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lower, RowNumber

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.dossier.facts import EPISODE_FACT_FIELDS
from tnw.dossier.models import Episode, Obligation, ObligationState, Registration
from tnw.dossier.status import (
    PENDING_STATUSES,
    URGENCY,
    WEEK,
    due_this_week_q,
    no_term_q,
    status_of,
    status_q,
    statuses_q,
)
from tnw.dossier.types import MEDICAL_OBLIGATIONS

__all__ = [
    "ASSIGNEES",
    "CONTACT_FIELDS",
    "DIGEST_FIELDS",
    "ITEM_COLUMNS",
    "MESSAGE_FIELDS",
    "PENDING_STATUSES",
    "SORTS",
    "STAFF_CODES",
    "WORKING_DATE",
    "Assignment",
    "DigestItem",
    "Position",
    "assigned_open_episodes",
    "assignee_counts",
    "assignment_of",
    "changed_lately",
    "counts",
    "digest_items",
    "digest_rows",
    "episode_assignments",
    "episode_ids",
    "episodes_with_events",
    "in_due_order",
    "in_working_order",
    "insured_contacts",
    "late_on_arrival",
    "named",
    "of_role",
    "of_user",
    "opened_by",
    "own",
    "pending_status",
    "refined",
    "registered_since",
    "sorted_by",
    "status_filter",
    "team_counts",
    "urgency",
    "with_assignee",
]

STAFF_CODES = ("questionnaire_help_contact",)
ROLE_ACTOR = {Role.COORDINATOR: "coordinator", Role.ADVISING_PHYSICIAN: "advising_physician"}
# The actor of an obligation -> the episode's field that names whose item it is.
ASSIGNEES = (
    ("coordinator", "episode__coordinator_id"),
    ("advising_physician", "episode__advising_physician_id"),
)
# The engine's messages as data, stored since dossier migration 0003.
MESSAGE_FIELDS = ("explanation_parts", "void")
# The columns a worklist row is read with (tnw.worklists.selectors.worklist_item unpacks them).
ITEM_COLUMNS = (
    "id", "code", "actor", "sequence", "opens", "due", "basis", "explanation", "rule",
    "episode_id", "episode__start", "episode__person_id", "episode__person__first_name",
    "episode__person__last_name", "episode__person__mutuality_id", "episode__coordinator_id",
    "episode__advising_physician_id", "late_on_arrival", "target",
)  # fmt: skip


# --- Status (tnw.dossier.status: the one definition) ---------------------------------------


def pending_status(*, opens: date, due: date | None, today: date) -> str:
    """upcoming / open / overdue of a pending obligation as of `today`."""
    return status_of({"state": ObligationState.PENDING, "opens": opens, "due": due}, today)


def status_filter(statuses: Collection[str], today: date) -> Q:
    """Any of these statuses of a pending obligation; ValueError for another word."""
    for status in statuses:
        if status not in PENDING_STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(PENDING_STATUSES)}")
    return statuses_q(tuple(statuses), today)


def urgency(today: date) -> Case:
    """0 overdue, 1 open, 2 upcoming, as a SQL expression to sort on."""
    return Case(
        *(When(status_q(status, today), then=Value(rank)) for status, rank in URGENCY.items()),
        default=Value(URGENCY["open"]),
        output_field=IntegerField(),
    )


def counts(queryset: QuerySet[Obligation], today: date) -> dict[str, int]:
    """Of these pending obligations: overdue, due this week, open, upcoming, open without a
    term (one query)."""
    return queryset.aggregate(**_count_expressions(today))


def _count_expressions(today: date) -> dict[str, Count]:
    return {
        "overdue": Count("id", filter=status_q("overdue", today)),
        "due_this_week": Count("id", filter=due_this_week_q(today)),
        "open": Count("id", filter=status_q("open", today)),
        "upcoming": Count("id", filter=status_q("upcoming", today)),
        "no_term": Count("id", filter=no_term_q(today)),
    }


# --- Whose items ---------------------------------------------------------------------------


def own(user: User) -> Q:
    """The obligations that are this user's to do: an advising physician's of the episodes
    assigned to them, a coordinator's of theirs (never the medical ones), a staff member's the
    questionnaire help contacts of the mutuality."""
    if user.role == Role.ADVISING_PHYSICIAN:
        return Q(episode__advising_physician_id=user.pk, actor="advising_physician")
    if user.role == Role.COORDINATOR:
        return Q(episode__coordinator_id=user.pk, actor="coordinator") & ~Q(
            code__in=MEDICAL_OBLIGATIONS
        )
    if user.role == Role.STAFF:
        return Q(code__in=STAFF_CODES, episode__person__mutuality_id=user.mutuality_id)
    raise PermissionDenied(f"a user with role {user.role} has no worklist")


def _pending(mutuality_id: int | None) -> QuerySet[Obligation]:
    return Obligation.objects.filter(
        state=ObligationState.PENDING, episode__person__mutuality_id=mutuality_id
    )


def of_user(user: User) -> QuerySet[Obligation]:
    """The user's pending items, of their own mutuality only (whatever the assignment says).
    The caller checks the user's capability."""
    return Obligation.objects.filter(own(user), state=ObligationState.PENDING).filter(
        episode__person__mutuality_id=user.mutuality_id
    )


def of_role(user: User, *, unassigned: bool = False) -> QuerySet[Obligation]:
    """The pending items of the user's role on every episode of the mutuality (the team view;
    `unassigned`: of the episodes without anyone of that role)."""
    actor = ROLE_ACTOR.get(user.role)
    if actor is None:
        raise PermissionDenied(f"a user with role {user.role} has no team worklist")
    q = Q(actor=actor)
    if user.role == Role.COORDINATOR:
        q &= ~Q(code__in=MEDICAL_OBLIGATIONS)
    if unassigned:
        q &= Q(**{f"episode__{actor}__isnull": True})
    return _pending(user.mutuality_id).filter(q)


def late_on_arrival(queryset: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """The items that were late on arrival: opened after their legal due date because an
    earlier step came late (issue 17 point 9, `Obligation.late_on_arrival`), or already
    overdue when their episode was entered here."""
    return queryset.filter(Q(late_on_arrival=True) | Q(due__lt=F("episode__created_at__date")))


def named(queryset: QuerySet[Obligation], words: Iterable[str]) -> QuerySet[Obligation]:
    """The items of people whose first or last name contains every word."""
    for word in words:
        queryset = queryset.filter(
            Q(episode__person__last_name__icontains=word)
            | Q(episode__person__first_name__icontains=word)
        )
    return queryset


# --- Refinements: the worklists' filters, orders and cursors (the field paths stay here) ---

# The date a worklist is ordered by: the working target of a task that was late on arrival
# (issue 17 point 9), else its legal due date.
WORKING_DATE = Coalesce("target", "due", output_field=DateField())
# The worklist screen's sort keys -> the columns they order by (then the id, a stable tie-break).
SORTS: dict[str, tuple[Any, ...]] = {
    "due": (WORKING_DATE, "opens"),  # a task late on arrival by its working target
    "opens": ("opens",),
    "task": ("code",),
    "person": (Lower("episode__person__last_name"), Lower("episode__person__first_name")),
    "status": ("status_rank", WORKING_DATE),  # the order of urgency, then the date
    "dossier": ("episode__person_id",),
}


def refined(
    queryset: QuerySet[Obligation], *, today: date, kinds: Collection[str] | None = None,
    statuses: Collection[str] | None = None, due_from: date | None = None,
    due_before: date | None = None, episode_ids: Collection[int] | None = None,
) -> QuerySet[Obligation]:  # fmt: skip
    """These items of these codes, of these statuses (ValueError for another word), due in
    this window (inclusive; items without a term are left out when a bound is set), of these
    episodes. An empty or None filter leaves the items as they are; one word is one code or
    status."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    statuses = (statuses,) if isinstance(statuses, str) else statuses
    if kinds:
        queryset = queryset.filter(code__in=tuple(kinds))
    if statuses:
        queryset = queryset.filter(status_filter(statuses, today))
    if due_from is not None:
        queryset = queryset.filter(due__gte=due_from)
    if due_before is not None:
        queryset = queryset.filter(due__lte=due_before)
    if episode_ids:
        queryset = queryset.filter(episode_id__in=list(episode_ids))
    return queryset


def with_assignee(
    queryset: QuerySet[Obligation], *, role: str, user_id: int
) -> QuerySet[Obligation]:
    """The items of the episodes whose `role` ("coordinator" or "advising_physician") is
    this user."""
    if role not in ROLE_ACTOR.values():
        raise ValueError(f"unknown assignee role {role!r}; one of {', '.join(ROLE_ACTOR.values())}")
    return queryset.filter(**{f"episode__{role}_id": user_id})


def sorted_by(
    queryset: QuerySet[Obligation], *, sort: str, today: date, descending: bool = False
) -> QuerySet[Obligation]:
    """In the order of a sort key of `SORTS` (another word: "due"), nulls last either way."""
    keys = SORTS.get(sort, SORTS["due"])
    if sort == "status":
        queryset = queryset.annotate(status_rank=urgency(today))
    ordering = []
    for key in (*keys, "id"):
        expression = F(key) if isinstance(key, str) else key
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return queryset.order_by(*ordering)


def in_working_order(queryset: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """Soonest working date first (no term last), then by opening day and id."""
    return queryset.order_by(WORKING_DATE.asc(nulls_last=True), "opens", "id")


@dataclass(frozen=True)
class Position:
    """An item's place in the due order (due, no term last; opens; id): a keyset cursor."""

    due: date | None
    opens: date
    id: int


def in_due_order(
    queryset: QuerySet[Obligation], *, after: Position | None = None
) -> QuerySet[Obligation]:
    """By legal due date (no term last), then opening day and id; only the items after
    `after` when given (the next page, however the list changed meanwhile)."""
    if after is not None:
        later = Q(opens__gt=after.opens) | Q(opens=after.opens, id__gt=after.id)
        if after.due is None:
            queryset = queryset.filter(Q(due__isnull=True) & later)
        else:
            queryset = queryset.filter(
                Q(due__isnull=True) | Q(due__gt=after.due) | (Q(due=after.due) & later)
            )
    return queryset.order_by(F("due").asc(nulls_last=True), "opens", "id")


def opened_by(queryset: QuerySet[Obligation], day: date) -> QuerySet[Obligation]:
    """The items open by `day` (upcoming ones left out), oldest first."""
    return queryset.filter(opens__lte=day).order_by("opens", "id")


def changed_lately(
    queryset: QuerySet[Obligation], *, today: date, days: int
) -> QuerySet[Obligation]:
    """The items that opened, or went overdue, in the last `days` days (today included for
    an opening)."""
    since = today - timedelta(days=days)
    return queryset.filter(Q(opens__gt=since, opens__lte=today) | Q(due__gte=since, due__lt=today))


def episode_assignments(
    queryset: QuerySet[Obligation], obligation_ids: Collection[int], *, role: str
) -> list[tuple[int, int, int | None]]:
    """(episode id, episode version, its `role` assignee id) of the episodes of these items
    (of `queryset` only), by episode id."""
    if role not in ROLE_ACTOR.values():
        raise ValueError(f"unknown assignee role {role!r}; one of {', '.join(ROLE_ACTOR.values())}")
    return list(
        queryset.filter(pk__in=list(obligation_ids))
        .values_list("episode_id", "episode__version", f"episode__{role}_id")
        .distinct()
        .order_by("episode_id")
    )


# --- Counts per person on a team -------------------------------------------------------------


def team_counts(mutuality_id: int | None, today: date) -> dict[int, dict[str, int]]:
    """The counts (as `counts`) of the pending items of the mutuality per assignee (user id;
    0 for items of episodes without an assignee for that actor): two queries."""
    expressions = _count_expressions(today)
    by_user: dict[int, dict[str, int]] = {}
    for actor, field_name in ASSIGNEES:
        rows = (
            _pending(mutuality_id).filter(actor=actor).values(field_name)
            .annotate(**expressions).order_by()
        )  # fmt: skip
        for row in rows:
            assignee = row.pop(field_name) or 0
            totals = by_user.setdefault(assignee, dict.fromkeys(expressions, 0))
            for name, value in row.items():
                totals[name] += value
    return by_user


def assignee_counts(today: date) -> dict[int, dict[str, int]]:
    """Overdue and due-this-week counts of every assigned coordinator and physician, all
    mutualities (two queries)."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_this_week": 0})
    pending = Obligation.objects.filter(
        state=ObligationState.PENDING, opens__lte=today, due__lte=today + WEEK
    )
    for actor, field_name in ASSIGNEES:
        rows = (
            pending.filter(actor=actor, **{f"{field_name}__isnull": False})
            .values(field_name)
            .annotate(
                overdue=Count("id", filter=status_q("overdue", today)),
                due_this_week=Count("id", filter=due_this_week_q(today)),
            )
            .order_by()
        )
        for row in rows:
            totals = found[row[field_name]]
            totals["overdue"] += row["overdue"]
            totals["due_this_week"] += row["due_this_week"]
    return found


class DigestItem(TypedDict):
    """An item as a digest or an e-mail names it (`digest_rows`, `digest_items`)."""

    code: str
    due: date | None
    opens: date
    episode_id: int
    person_id: int
    id: NotRequired[int]  # digest_rows
    rank: NotRequired[int]  # digest_items: 1 = the user's most urgent


DIGEST_FIELDS = ("code", "due", "opens", "episode_id")
# ...and whose dossier: `person_id`.
_DIGEST_PERSON = {"person_id": F("episode__person_id")}


def digest_rows(queryset: QuerySet[Obligation]) -> QuerySet[Obligation, DigestItem]:
    """These items as the rows of a digest or an e-mail: id, `DIGEST_FIELDS` and person_id."""
    return queryset.values("id", *DIGEST_FIELDS, **_DIGEST_PERSON)


def digest_items(today: date, limit: int) -> dict[int, list[DigestItem]]:
    """The `limit` most urgent open items (overdue, due within a week, or without a term) of
    every assigned coordinator and physician, of their own mutuality: one query per actor (a
    window function ranks each user's items)."""
    out: dict[int, list[DigestItem]] = defaultdict(list)
    for actor, assignee in ASSIGNEES:
        mutuality = f"{assignee.removesuffix('_id')}__mutuality_id"
        rows = (
            Obligation.objects.filter(
                Q(due__lte=today + WEEK) | Q(due__isnull=True),
                state=ObligationState.PENDING, actor=actor, opens__lte=today,
                **{f"{assignee}__isnull": False},
                episode__person__mutuality_id=F(mutuality),
            )
            .exclude(code__in=MEDICAL_OBLIGATIONS if actor == "coordinator" else ())
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F(assignee)],
                    order_by=[F("due").asc(nulls_last=True), F("opens").asc(), F("id").asc()],
                )
            )
            .filter(rank__lte=limit)
            .values(assignee, "rank", *DIGEST_FIELDS, **_DIGEST_PERSON)
        )  # fmt: skip
        for row in rows:
            out[row.pop(assignee)].append(row)
    for items in out.values():
        items.sort(key=lambda row: row["rank"])
    return out


# The columns of a message to an insured person: whose obligation, and where to write.
CONTACT_FIELDS = (
    "episode_id", "code", "sequence", "due", "episode__person__email",
    "episode__person__first_name", "episode__person__last_name", "episode__person__language",
)  # fmt: skip


def insured_contacts(
    *, codes: Collection[str], opened_by: date, due_from: date, due_until: date | None = None
) -> QuerySet[Obligation, tuple[Any, ...]]:
    """Pending obligations with these codes, open by `opened_by`, due in the window, of people
    with an e-mail address: rows of `CONTACT_FIELDS`."""
    queryset = Obligation.objects.filter(state=ObligationState.PENDING).exclude(
        episode__person__email=""
    )
    queryset = queryset.filter(code__in=list(codes), opens__lte=opened_by, due__gte=due_from)
    if due_until is not None:
        queryset = queryset.filter(due__lte=due_until)
    return queryset.values_list(*CONTACT_FIELDS)


# --- Episodes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    episode_id: int
    version: int
    mutuality_id: int
    coordinator_id: int | None
    advising_physician_id: int | None


def assignment_of(episode_id: int) -> Assignment:
    """Whose an episode is, and its version (one query)."""
    episode = Episode.objects.select_related("person").get(pk=episode_id)
    return Assignment(
        episode_id=episode.pk, version=episode.version, mutuality_id=episode.person.mutuality_id,
        coordinator_id=episode.coordinator_id,
        advising_physician_id=episode.advising_physician_id,
    )  # fmt: skip


def assigned_open_episodes(*, role: str, user_id: int) -> list[tuple[int, int]]:
    """(id, version) of the open episodes whose `role` ("coordinator" or "advising_physician")
    is this user, by id."""
    episodes = Episode.objects.filter(**{f"{role}_id": user_id}, end__isnull=True)
    return list(episodes.order_by("pk").values_list("pk", "version"))


def registered_since(*, seen: str = "episode_version", episode: str = "episode") -> Q:
    """Rows of another app's model that point to an episode (the foreign key `episode`) and
    keep the episode's version they last saw (`seen`): those whose episode has changed since
    (a registration, an edit)."""
    return ~Q(**{seen: F(f"{episode}__version")})


def episode_ids() -> QuerySet[Episode, int]:
    """Every episode's id, by id (the daily run's schedule refines it)."""
    return Episode.objects.order_by("pk").values_list("pk", flat=True)


def episodes_with_events(
    ids: Collection[int],
) -> tuple[list[Episode], defaultdict[int, list[dict[str, Any]]]]:
    """These episodes (what the engine needs of them: `tnw.dossier.timelines.timeline_of`)
    and their registrations in force in contract form, in order (none: an empty list): two
    queries."""
    episodes = list(
        Episode.objects.filter(pk__in=ids)
        .select_related("person")
        .only("id", "version", "timeline_digest", *EPISODE_FACT_FIELDS)
    )
    events: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for episode_id, kind, on, data in (
        Registration.objects.in_force()
        .filter(episode_id__in=ids)
        .order_by("episode_id", "position")
        .values_list("episode_id", "type", "date", "data")
    ):
        events[episode_id].append({"type": kind, "date": on.isoformat(), **data})
    return episodes, events
