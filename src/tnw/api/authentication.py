"""Token authentication per integrator: `Authorization: Bearer tnw_<key id>_<secret>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tnw.api.models import ApiClient
from tnw.api.services import secret_matches, split_token


class ClientTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        parts = split_token(header[1]) if len(header) == 2 else None
        client = None
        if parts is not None:
            client = ApiClient.objects.select_related("user").filter(key_id=parts[0]).first()
        if client is None or not secret_matches(client, parts[1]):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if not client.active or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("This client has been revoked."))
        return client.user, client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="tnw-api"'
