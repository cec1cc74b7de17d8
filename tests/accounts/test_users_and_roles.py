"""Users: one role each; every role but the administrator belongs to a mutuality."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tnw.accounts.models import User
from tnw.accounts.roles import MATRIX, Cap, Role
from tnw.accounts.services import create_user


def test_the_matrix_covers_every_capability():
    assert set(MATRIX) == set(Cap)
    assert all(roles <= set(Role) for roles in MATRIX.values())


def test_only_the_administrator_uses_the_admin_site(users):
    assert {role for role, user in users.items() if user.is_staff} == {"admin"}


def test_a_user_without_mutuality_must_be_an_administrator(db):
    with pytest.raises(ValidationError, match="must belong to a mutuality"):
        create_user(username="x", role="coordinator", password="pw")
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role="coordinator")


def test_unknown_role(mutuality):
    with pytest.raises(ValidationError, match="unknown role"):
        create_user(username="x", role="boss", password="pw", mutuality=mutuality)
