"""A software authenticator for the WebAuthn tests: a real P-256 key pair that answers the
server's options as a security key does (attestation "none", an ES256 signature over the
authenticator data and the hash of the client data, a signature counter). The answers are
the JSON the browser script (tnw/security/static/security/webauthn.js) posts."""

from __future__ import annotations

import hashlib
import json
import os

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

UP, UV, AT = 0x01, 0x04, 0x40


class SoftKey:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _cose(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})  # fmt: skip

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin,
                           "crossOrigin": False}).encode()  # fmt: skip

    def create(self, options_json: str, *, origin: str, rp_id: str | None = None,
               challenge: str | None = None) -> str:  # fmt: skip
        """The answer to navigator.credentials.create() with these options."""
        options = json.loads(options_json)
        rp_hash = hashlib.sha256((rp_id or options["rp"]["id"]).encode()).digest()
        auth_data = (rp_hash + bytes([UP | UV | AT]) + self.counter.to_bytes(4, "big")
                     + bytes(16) + len(self.credential_id).to_bytes(2, "big")
                     + self.credential_id + self._cose())  # fmt: skip
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client = self._client_data("webauthn.create", challenge or options["challenge"], origin)
        return json.dumps({"id": self.id, "rawId": self.id, "type": "public-key",
                           "clientExtensionResults": {},
                           "response": {"clientDataJSON": bytes_to_base64url(client),
                                        "attestationObject": bytes_to_base64url(attestation),
                                        "transports": ["usb"]}})  # fmt: skip

    def get(self, options_json: str, *, origin: str, rp_id: str | None = None,
            challenge: str | None = None) -> str:  # fmt: skip
        """The answer to navigator.credentials.get(): the counter goes up by one."""
        options = json.loads(options_json)
        allowed = [c["id"] for c in options.get("allowCredentials", [])]
        assert not allowed or self.id in allowed, "the server did not ask for this key"
        self.counter += 1
        rp_hash = hashlib.sha256((rp_id or options["rpId"]).encode()).digest()
        auth_data = rp_hash + bytes([UP | UV]) + self.counter.to_bytes(4, "big")
        client = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps({"id": self.id, "rawId": self.id, "type": "public-key",
                           "clientExtensionResults": {},
                           "response": {"clientDataJSON": bytes_to_base64url(client),
                                        "authenticatorData": bytes_to_base64url(auth_data),
                                        "signature": bytes_to_base64url(signature),
                                        "userHandle": None}})  # fmt: skip
