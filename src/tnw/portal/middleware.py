"""Staff and portal sessions do not cross: an insured person's session reaches the portal only
(any staff page sends them to the portal's home); staff are refused by the portal's views."""

from __future__ import annotations

from django.shortcuts import redirect

from tnw.accounts.roles import Role

OPEN_TO_INSURED = ("/portal/", "/static/", "/language/", "/contact/")


class PortalSeparationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role == Role.INSURED
            and not request.path.startswith(OPEN_TO_INSURED)
        ):
            return redirect("portal:home")
        return self.get_response(request)
