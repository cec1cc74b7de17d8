"""Security headers on every response (issue 18, finding 13; ASVS 5.0 V3.4):

- Content-Security-Policy: only this site's own scripts, styles and images (no inline script,
  no inline style), no plug-ins, no framing, forms post only here;
- Permissions-Policy: no camera, microphone, location, payment and the like;
- Cache-Control: no-store on every page served to a logged-in user, since these pages hold
  personal data and must not stay in a shared or browser cache.

Referrer-Policy (same-origin), X-Content-Type-Options and X-Frame-Options come from Django's
SecurityMiddleware and XFrameOptionsMiddleware; HSTS from the production settings. Static
files are answered by WhiteNoise before this middleware and keep their long cache.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", getattr(settings, "TNW_CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: no-store (and no-cache ...)
        return response
