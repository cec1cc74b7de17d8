"""Security keys and passkeys (WebAuthn, the `webauthn` package) as a second factor: the
registration ceremony (a user adds a key) and the authentication ceremony (a log-in confirmed
with a key). The challenge is made here, kept in the session and used once; the answer is
checked for the challenge, the origin, the relying party, the signature and the signature
counter. A counter that does not go up means that the key may have been copied: the answer is
refused and the refusal says so (audited by the views).

The relying party is the host the users reach (`TNW_WEBAUTHN_RP_ID`, `TNW_WEBAUTHN_ORIGIN`
in production; by default the request's own host). Browsers accept WebAuthn on https:// and on
http://localhost only: the demo is then reached at http://localhost:8000, not 127.0.0.1.
"""

from __future__ import annotations

import json

import webauthn
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from tnw.security.models import SecurityKey

SESSION_KEY = "tnw_webauthn_challenge"
RP_NAME = "TNW-dossier"
TIMEOUT_MS = 120_000


class KeyRefused(Exception):
    """A ceremony's answer that is not accepted; `code` says why (the views word it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def relying_party(request) -> tuple[str, str]:
    """(RP ID, origin) for this request."""
    host = request.get_host()
    rp_id = getattr(settings, "TNW_WEBAUTHN_RP_ID", "") or host.rsplit(":", 1)[0]
    origin = getattr(settings, "TNW_WEBAUTHN_ORIGIN", "") or f"{request.scheme}://{host}"
    return rp_id, origin


def _descriptors(user) -> list[PublicKeyCredentialDescriptor]:
    ids = SecurityKey.objects.filter(user=user, confirmed=True).values_list("credential_id")
    return [PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(i)) for (i,) in ids]


def registration_options(*, user, rp_id: str) -> tuple[str, bytes]:
    """The options for navigator.credentials.create() (JSON) and their challenge."""
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=f"tnw-user-{user.pk}".encode(),
        user_name=user.username,
        user_display_name=user.get_full_name() or user.username,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),  # the same key twice: the browser says so
    )
    return options_json(options), options.challenge


def authentication_options(*, user, rp_id: str) -> tuple[str, bytes]:
    """The options for navigator.credentials.get() (JSON): the user's keys only."""
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_json(options), options.challenge


def options_json(options) -> str:
    return webauthn.options_to_json(options)


def _parsed(credential: str) -> dict:
    try:
        data = json.loads(credential)
    except ValueError:
        raise KeyRefused("empty") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise KeyRefused("empty")
    return data


def add_key(*, user, name: str, credential: str, challenge: bytes | None, rp_id: str,
            origin: str) -> SecurityKey:  # fmt: skip
    """Verify a registration answer and store the new key."""
    if not challenge:
        raise KeyRefused("challenge")
    data = _parsed(credential)
    try:
        verified = webauthn.verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin,
        )  # fmt: skip
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise KeyRefused("refused") from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        raise KeyRefused("known")
    return SecurityKey.objects.create(
        user=user, name=name, credential_id=credential_id, confirmed=True,
        public_key=verified.credential_public_key, sign_count=verified.sign_count,
    )  # fmt: skip


def use_key(*, user, credential: str, challenge: bytes | None, rp_id: str,
            origin: str) -> SecurityKey:  # fmt: skip
    """Verify an authentication answer of one of the user's keys; move its counter on."""
    if not challenge:
        raise KeyRefused("challenge")
    data = _parsed(credential)
    with transaction.atomic():
        key = (
            SecurityKey.objects.select_for_update()
            .filter(user=user, confirmed=True, credential_id=data["id"])
            .first()
        )
        if key is None:
            raise KeyRefused("unknown")
        try:
            verified = webauthn.verify_authentication_response(
                credential=data, expected_challenge=challenge, expected_rp_id=rp_id,
                expected_origin=origin, credential_public_key=bytes(key.public_key),
                credential_current_sign_count=0,  # the counter is checked below, with its code
            )  # fmt: skip
        except (WebAuthnException, ValueError, KeyError, TypeError):
            raise KeyRefused("refused") from None
        new = verified.new_sign_count
        if (new or key.sign_count) and new <= key.sign_count:
            raise KeyRefused("counter")  # a replayed answer or a copied key
        key.sign_count = new
        key.last_used_at = timezone.now()
        key.save(update_fields=["sign_count", "last_used_at"])
    return key


def keep_challenge(request, challenge: bytes) -> None:
    request.session[SESSION_KEY] = bytes_to_base64url(challenge)


def take_challenge(request) -> bytes | None:
    """The challenge of the last options shown in this session, once."""
    kept = request.session.pop(SESSION_KEY, None)
    return webauthn.base64url_to_bytes(kept) if kept else None
