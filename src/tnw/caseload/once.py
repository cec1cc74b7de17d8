"""Double submits: a one-time token per form, so that going back after a save (or clicking
again after a conflict) does not store the same registration twice.

The form carries `form_token`; a successful save spends it in the user's session; a second
POST with a spent token stores nothing and says so. The session keeps the last `KEEP` tokens.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _

FIELD = "form_token"
KEEP = 200
SESSION_KEY = "caseload_spent_form_tokens"

ALREADY_SAVED = _(
    "This form was already saved: nothing was stored a second time. The dossier shows the "
    "registration."
)
OVERLAPPING_EPISODE = _(
    "This incapacity overlaps the incapacity from %(start)s, which is still running or ends "
    "after this start. Register the end of that incapacity first, or correct its dates."
)


def issue() -> str:
    return secrets.token_urlsafe(16)


def token_of(request) -> str:
    """The token the form posted, or a new one for a form shown for the first time."""
    posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return posted[:64] or issue()


def spent(request, token: str) -> bool:
    return bool(token) and token in request.session.get(SESSION_KEY, [])


def spend(request, token: str) -> None:
    if token:
        tokens = [t for t in request.session.get(SESSION_KEY, []) if t != token]
        request.session[SESSION_KEY] = [*tokens, token][-KEEP:]
