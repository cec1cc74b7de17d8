"""`tnw createuser USERNAME --role ROLE [--mutuality CODE]`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tnw.accounts.models import User
from tnw.audit.models import AuditEntry


def test_creates_a_user_with_role_and_mutuality(mutuality, capsys):
    call_command("createuser", "els", "--role", "coordinator", "--mutuality", "203",
                 "--password", "s3cret-passphrase")  # fmt: skip
    user = User.objects.get(username="els")
    assert (user.role, user.mutuality, user.is_staff) == ("coordinator", mutuality, False)
    assert user.check_password("s3cret-passphrase")
    assert "created els with role coordinator" in capsys.readouterr().out
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.channel == "command:createuser"


def test_an_administrator_needs_no_mutuality_and_may_use_the_admin(db, capsys):
    call_command("createuser", "root", "--role", "admin")
    user = User.objects.get(username="root")
    assert user.is_staff and user.mutuality is None
    output = capsys.readouterr().out
    password = output.split("password: ")[1].strip()
    assert user.check_password(password)


def test_other_roles_need_a_mutuality(db):
    with pytest.raises(CommandError, match="must belong to a mutuality"):
        call_command("createuser", "x", "--role", "staff")
    assert not User.objects.filter(username="x").exists()


def test_unknown_mutuality_and_duplicate_user(mutuality):
    with pytest.raises(CommandError, match="no mutuality with code 999"):
        call_command("createuser", "x", "--role", "staff", "--mutuality", "999")
    call_command("createuser", "x", "--role", "staff", "--mutuality", "203")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "x", "--role", "staff", "--mutuality", "203")


def test_unknown_role_is_refused(db):
    with pytest.raises(CommandError):
        call_command("createuser", "x", "--role", "superhero")
