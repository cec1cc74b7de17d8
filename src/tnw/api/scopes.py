"""What an integrator's client may do (like Open Zaak's authorisations per client).

A client's role follows from its scopes: a client with `health.read` is an advising
physicians' system and acts with the advising physician's role (it sees health data and
registers the physician's steps); every other client acts with the coordinator's role. The
dossier package then applies the one access matrix (tnw.accounts.roles) to both.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TIMELINES_READ = "timelines.read"
EVENTS_WRITE = "events.write"
IMPORTS_WRITE = "imports.write"
HEALTH_READ = "health.read"

SCOPES = {
    TIMELINES_READ: _("read people, episodes, timelines and worklists"),
    EVENTS_WRITE: _("create people and episodes, register events"),
    IMPORTS_WRITE: _("bulk import of incapacity episodes"),
    HEALTH_READ: _("read health data (advising physicians' systems only)"),
}


def role_for(scopes: list[str] | tuple[str, ...]) -> str:
    """The role a client with `scopes` acts with (see the module's docstring)."""
    return "advising_physician" if HEALTH_READ in scopes else "coordinator"
