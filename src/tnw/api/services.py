"""Writes on API clients: create, rotate, revoke (through `tnw apiclient`). Audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tnw.accounts.services import create_user
from tnw.api.models import ApiClient
from tnw.api.scopes import SCOPES, role_for
from tnw.audit.services import audit_write, snapshot
from tnw.mutualities.models import Mutuality

TOKEN_PREFIX = "tnw"
CLIENT_FIELDS = ("name", "user_id", "key_id", "scopes", "rotated_at", "revoked_at")
CHANNEL = "command:apiclient"


@dataclass(frozen=True)
class Issued:
    client: ApiClient
    token: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    # The secret is 32 random bytes: a plain SHA-256 cannot be brute-forced, no slow hash needed.
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """`tnw_<key id>_<secret>` as (key id, secret); None when it is not of that form."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not key_id or not secret:
        return None
    return key_id, secret


def secret_matches(client: ApiClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_hash, hash_secret(secret))


def _new_credentials() -> tuple[str, str, str]:
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32).replace("_", "-")
    return key_id, secret, f"{TOKEN_PREFIX}_{key_id}_{secret}"


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValidationError(
            f"unknown scopes: {', '.join(unknown) or '(none given)'}; known: {', '.join(SCOPES)}"
        )
    return sorted(set(scopes))


@transaction.atomic
def create_client(*, name: str, mutuality_code: str, scopes: list[str]) -> Issued:
    """A client acting for one mutuality with `scopes`; returns the token once."""
    scopes = _check_scopes(scopes)
    mutuality = Mutuality.objects.filter(code=mutuality_code).first()
    if mutuality is None:
        raise ValidationError(f"no mutuality with code {mutuality_code!r}")
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError(f"an API client named {name!r} already exists")
    user = create_user(
        username=f"api.{name}", role=role_for(scopes), password=None, mutuality=mutuality,
        first_name="API", last_name=name, channel=CHANNEL,
    )  # fmt: skip
    user.is_service_account = True
    user.save(update_fields=["is_service_account"])
    key_id, secret, token = _new_credentials()
    client = ApiClient.objects.create(
        name=name, user=user, key_id=key_id, secret_hash=hash_secret(secret), scopes=scopes
    )
    audit_write(
        actor=None, action="create", obj=client, before=None,
        after=snapshot(client, CLIENT_FIELDS), channel=CHANNEL,
    )  # fmt: skip
    return Issued(client, token)


def _client(name: str) -> ApiClient:
    client = ApiClient.objects.select_for_update().filter(name=name).first()
    if client is None:
        raise ValidationError(f"no API client named {name!r}")
    return client


@transaction.atomic
def rotate_client(*, name: str) -> Issued:
    """A new secret (and key id); the old token stops working at once."""
    client = _client(name)
    before = snapshot(client, CLIENT_FIELDS)
    key_id, secret, token = _new_credentials()
    client.key_id, client.secret_hash = key_id, hash_secret(secret)
    client.rotated_at = timezone.now()
    client.save()
    audit_write(
        actor=None, action="update", obj=client, before=before,
        after=snapshot(client, CLIENT_FIELDS), channel=CHANNEL,
    )  # fmt: skip
    return Issued(client, token)


@transaction.atomic
def revoke_client(*, name: str) -> ApiClient:
    """The client's token stops working (401) and its service account is deactivated."""
    client = _client(name)
    before = snapshot(client, CLIENT_FIELDS)
    client.revoked_at = client.revoked_at or timezone.now()
    client.save()
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    audit_write(
        actor=None, action="update", obj=client, before=before,
        after=snapshot(client, CLIENT_FIELDS), channel=CHANNEL,
    )  # fmt: skip
    return client
