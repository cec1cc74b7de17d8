"""Bulk actions of the worklist screen.

reassign_items(user, *, obligation_ids, to, today) -> int
    Moves the episodes of the chosen worklist items to colleague `to` (same role, same
    mutuality): the coordinator's items to another coordinator, the physician's to
    another physician. All or nothing (one transaction); each move goes through
    `tnw.dossier.services.assign_episode` (role, mutuality, version, audit).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, require
from tnw.dossier import obligations
from tnw.dossier import services as dossier_services
from tnw.worklists.pages import _filtered
from tnw.worklists.services import ROLE_FIELD


def colleagues(user: User) -> list[User]:
    """Who the user may hand their items to: active users of their role and mutuality."""
    if user.role not in ROLE_FIELD:
        return []
    return list(
        User.objects.filter(role=user.role, mutuality_id=user.mutuality_id, is_active=True)
        .order_by("last_name", "first_name", "username")
    )  # fmt: skip


@transaction.atomic
def reassign_items(
    *, user: User, obligation_ids: Collection[int], to: User, today: date,
    channel: str = "service:worklists:bulk",
) -> int:  # fmt: skip
    """Move the episodes of the chosen items (of the user's team view) to `to`; returns the
    number of episodes moved. ValidationError when `to` is not a colleague of the same role."""
    require(user, Cap.ASSIGN, mutuality_id=user.mutuality_id)
    field = ROLE_FIELD.get(user.role)
    if field is None or user.role == Role.STAFF:
        raise PermissionDenied(f"a user with role {user.role} assigns no worklist items")
    if to.role != user.role or to.mutuality_id != user.mutuality_id or not to.is_active:
        raise ValidationError("not a colleague of the same role", code="not_a_colleague")
    team = _filtered(
        user, today=today, view="team", kind=(), status=(), due_from=None, due_before=None,
        person="", episode_ids=(),
    )  # fmt: skip
    rows = obligations.episode_assignments(team, obligation_ids, role=field)
    moved = 0
    for episode_id, version, current in rows:
        if current == to.pk:
            continue
        dossier_services.assign_episode(
            user=user, episode_id=episode_id, expected_version=version, **{field: to},
            channel=channel,
        )  # fmt: skip
        moved += 1
    return moved
