"""Writes on users (creation through `tnw createuser`, the admin, the demo)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.audit.services import audit_write, snapshot
from tnw.mutualities.models import Mutuality

USER_FIELDS = (
    "username", "first_name", "last_name", "email", "role", "mutuality_id", "is_active",
    "mdt_non_physician",
)  # fmt: skip


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    password: str | None,
    mutuality: Mutuality | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: User | None = None,
    channel: str = "service",
) -> User:
    if role not in Role.values:
        raise ValidationError(f"unknown role {role!r}; roles: {', '.join(Role.values)}")
    if role != Role.ADMIN and mutuality is None:
        raise ValidationError(f"a user with role {role} must belong to a mutuality")
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"a user named {username!r} already exists")
    user = User(
        username=username,
        role=role,
        mutuality=mutuality,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # Only administrators log in to the Django admin (reference data, audit).
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_write(
        actor=actor,
        action="create",
        obj=user,
        before=None,
        after=snapshot(user, USER_FIELDS),
        channel=channel,
    )
    return user
