"""Only the HTTP methods the application serves (issue 18, "Low": TRACE and OPTIONS were served
like GET and audited as reads). The screens and the portal answer GET, HEAD and POST; the API
also PUT, PATCH and DELETE, and OPTIONS (its framework's description of an endpoint, no data).
Every other method gets 405 with the Allow header before any view runs: nothing is read,
written or audited. Each view then refuses the methods it does not need itself
(`require_POST`, the API's method handlers)."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed

SCREENS = ("GET", "HEAD", "POST")
API = (*SCREENS, "PUT", "PATCH", "DELETE", "OPTIONS")


class MethodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = API if request.path.startswith("/api/") else SCREENS
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return self.get_response(request)
