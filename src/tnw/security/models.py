"""A security key or passkey (WebAuthn) of a user: a second factor beside the authenticator
app (issue 18, "What to build" 2). A django-otp device, so that a log-in confirmed with it
counts as verified like one with a TOTP code (`request.user.is_verified()`)."""

from __future__ import annotations

from django.db import models
from django_otp.models import Device


class SecurityKey(Device):
    # The credential's id as the browser sends it (base64url), its COSE public key, and the
    # authenticator's signature counter as last seen (a counter that goes back: a copied key).
    credential_id = models.CharField(max_length=255, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def verify_token(self, token) -> bool:
        return False  # a key answers a challenge (tnw.security.passkeys), never a typed code
