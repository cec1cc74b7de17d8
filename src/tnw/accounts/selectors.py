"""Reads on users: who can be assigned to an episode of a person of a mutuality."""

from __future__ import annotations

from django.db.models import QuerySet

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, require


def assignable_users(*, user: User, role: str) -> QuerySet[User]:
    """Active coordinators or advising physicians of the user's own mutuality."""
    require(user, Cap.ASSIGN, mutuality_id=user.mutuality_id)
    if role not in (Role.COORDINATOR, Role.ADVISING_PHYSICIAN):
        raise ValueError("only coordinators and advising physicians are assigned to episodes")
    return User.objects.filter(mutuality_id=user.mutuality_id, role=role, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
