"""Assignment: whose worklist an episode is on, and cover during an absence.

Each move goes through `tnw.dossier.services.assign_episode`, which checks the role and the
mutuality, claims the episode's version and writes the audit trail. Absence cover records a
`Reassignment` per moved episode, so that `end_cover` moves exactly those back.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, require
from tnw.dossier import obligations
from tnw.dossier import services as dossier_services
from tnw.worklists.models import Reassignment

ROLE_FIELD = {Role.COORDINATOR: "coordinator", Role.ADVISING_PHYSICIAN: "advising_physician"}


def assign(
    *,
    user: User,
    episode_id: int,
    expected_version: int,
    coordinator: User | None = None,
    advising_physician: User | None = None,
) -> int:
    """Assign (or reassign) an episode's coordinator and/or advising physician; returns the
    episode's new version."""
    episode = dossier_services.assign_episode(
        user=user, episode_id=episode_id, expected_version=expected_version,
        coordinator=coordinator, advising_physician=advising_physician,
        channel="service:worklists",
    )  # fmt: skip
    return episode.version


def _check_pair(user: User, absent: User, substitute: User) -> str:
    require(user, Cap.ASSIGN, mutuality_id=absent.mutuality_id)
    if absent.role not in ROLE_FIELD:
        raise ValidationError(f"{absent.username} has no assigned dossiers (role {absent.role})")
    if substitute.role != absent.role:
        raise ValidationError(f"{substitute.username} is not a {absent.role.replace('_', ' ')}")
    if substitute.mutuality_id != absent.mutuality_id:
        raise PermissionDenied(f"{substitute.username} works for another mutuality")
    if substitute.pk == absent.pk:
        raise ValidationError("the substitute is the absent person")
    return ROLE_FIELD[absent.role]


@transaction.atomic
def cover_absence(
    *,
    user: User,
    absent: User,
    substitute: User,
    reason: str = "absence",
    until: date | None = None,
) -> tuple[str, int]:
    """Move every open episode of `absent` to `substitute` (same role and mutuality).
    Returns the batch id (for `end_cover`) and the number of episodes moved."""
    role_field = _check_pair(user, absent, substitute)
    batch = uuid.uuid4().hex
    moved = 0
    for episode_id, version in obligations.assigned_open_episodes(
        role=role_field, user_id=absent.pk
    ):
        dossier_services.assign_episode(
            user=user, episode_id=episode_id, expected_version=version,
            **{role_field: substitute}, channel="service:worklists:cover",
        )  # fmt: skip
        Reassignment.objects.create(
            batch=batch, episode_id=episode_id, role=absent.role, from_user=absent,
            to_user=substitute, reason=reason, until=until, created_by=user,
        )  # fmt: skip
        moved += 1
    return batch, moved


@transaction.atomic
def end_cover(*, user: User, batch: str) -> int:
    """Move the episodes of a cover back to the person who was absent, unless someone has
    reassigned them meanwhile. Returns the number moved back."""
    moves = list(Reassignment.objects.filter(batch=batch, reverted_at__isnull=True))
    moved = 0
    for move in moves:
        role_field = ROLE_FIELD[move.role]
        episode = obligations.assignment_of(move.episode_id)
        require(user, Cap.ASSIGN, mutuality_id=episode.mutuality_id)
        if getattr(episode, f"{role_field}_id") == move.to_user_id:
            dossier_services.assign_episode(
                user=user, episode_id=episode.episode_id, expected_version=episode.version,
                **{role_field: move.from_user}, channel="service:worklists:cover",
            )  # fmt: skip
            moved += 1
        move.reverted_at = timezone.now()
        move.save(update_fields=["reverted_at"])
    return moved
