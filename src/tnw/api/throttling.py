"""Rate limit per client (429 with Retry-After): settings.TNW_API_RATE (environment variable
TNW_API_RATE), default 1200 calls a minute."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "1200/min"


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self) -> str:
        # Read at each request (not at import), so the setting can change without a restart
        # of the class and a test can lower it.
        return getattr(settings, "TNW_API_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view):
        client = getattr(request, "auth", None)
        if client is None or not hasattr(client, "key_id"):
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"client-{client.pk}"}
