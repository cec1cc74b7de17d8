"""Health data in the audit trail is sealed (issue 18, "What to build" 1).

An entry that holds health data (`medical=True`: a diagnosis, an exemption reason, the category
of an estimate) stores its values encrypted, never in clear: `changes` is
`{"sealed": {"key": KEY_ID, "token": FERNET_TOKEN}}`. Fernet (the `cryptography` package) is
AES-128-CBC with an HMAC-SHA256, so a sealed value can be neither read nor searched
(`changes__icontains=HIV` finds nothing) nor changed without the key.

The keys come from the environment, never from the database: `TNW_AUDIT_DATA_KEYS` is
`id:key[,id:key...]` (each key from `tnw audit newkey`); the first seals new entries, all of
them open old ones. Keys rotate by putting a new one first; an old key stays listed as long as
entries sealed under it must remain readable (the trail is append-only: entries are not
re-encrypted). The hash chain covers the sealed form, so `tnw audit verify` needs no data key
to check the chain, and it also reports sealed entries that no listed key opens.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tnw.audit.chain import canonical_json

SEALED = "sealed"


class UnsealError(RuntimeError):
    """A sealed entry that no configured key opens (unknown key id, or a damaged token)."""


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _keys() -> list[tuple[str, Fernet]]:
    text = getattr(settings, "TNW_AUDIT_DATA_KEYS", "") or ""
    keys: list[tuple[str, Fernet]] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id or not secret:
            raise ImproperlyConfigured("TNW_AUDIT_DATA_KEYS is 'id:key[,id:key...]'")
        try:
            keys.append((key_id, Fernet(secret.encode("ascii"))))
        except ValueError:
            raise ImproperlyConfigured(
                f"TNW_AUDIT_DATA_KEYS: key {key_id!r} is not a Fernet key "
                "(make one with `tnw audit newkey`)"
            ) from None
    return keys


def seal(changes: dict[str, Any]) -> dict[str, Any]:
    """The stored form of health data: encrypted under the first key."""
    keys = _keys()
    if not keys:
        raise ImproperlyConfigured(
            "set TNW_AUDIT_DATA_KEYS: the audit trail stores health data only encrypted"
        )
    key_id, fernet = keys[0]
    token = fernet.encrypt(canonical_json(changes).encode("utf-8")).decode("ascii")
    return {SEALED: {"key": key_id, "token": token}}


def is_sealed(changes: Any) -> bool:
    return isinstance(changes, dict) and set(changes) == {SEALED}


def unseal(changes: dict[str, Any]) -> dict[str, Any]:
    """The values of a sealed entry (for those who may read health data, and the DPO)."""
    if not is_sealed(changes):
        return changes
    key_id = changes[SEALED].get("key")
    for candidate, fernet in _keys():
        if candidate == key_id:
            try:
                return json.loads(fernet.decrypt(changes[SEALED]["token"].encode("ascii")))
            except (InvalidToken, ValueError, AttributeError):
                raise UnsealError(f"sealed with key {key_id!r}, but the token is damaged") from None
    raise UnsealError(f"sealed with key {key_id!r}, which TNW_AUDIT_DATA_KEYS does not list")
