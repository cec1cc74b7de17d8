"""Log-in with OpenID Connect (mozilla-django-oidc), as the Belgian federal authentication
service offers it: the provider asserts the national register number in a claim, and the person
is matched on it. Configured by environment variables (settings/base.py: TNW_OIDC_*); the
tests run it against a local provider they start (tests/portal/test_oidc.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from tnw.dossier.portal import portal_user_for_insz
from tnw.portal.second_factor import STRONG_LOGIN


def insz_claim(claims: dict[str, Any]) -> str:
    return str(claims.get(settings.TNW_OIDC_INSZ_CLAIM) or "")


class InszOIDCBackend(OIDCAuthenticationBackend):
    """Matches the person on the INSZ claim; never on an e-mail address."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(insz_claim(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> list[Any]:
        user = portal_user_for_insz(insz=insz_claim(claims))
        return [user] if user is not None else []

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # only people of whom a mutuality keeps a dossier get in

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return user


class PortalCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self) -> Any:
        response = super().login_success()
        # The federal service's log-in is strong: no authenticator code on top.
        self.request.session[STRONG_LOGIN] = True
        return response

    @property
    def success_url(self) -> str:
        return reverse("portal:home")

    @property
    def failure_url(self) -> str:
        return reverse("portal:login") + "?oidc=failed"
