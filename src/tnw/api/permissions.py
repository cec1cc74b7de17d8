"""The scope a view needs (`required_scopes` per HTTP method); 403 when the client lacks it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class HasScope(BasePermission):
    message = _("This client lacks the scope this operation needs.")
    code = "missing_scope"

    def has_permission(self, request, view) -> bool:
        needed = getattr(view, "required_scopes", {}).get(request.method)
        if needed is None:
            return True
        client = request.auth
        granted = getattr(client, "scopes", [])
        if needed in granted:
            return True
        self.message = _("This client lacks the scope %(scope)s.") % {"scope": needed}
        return False
