"""Assigning a dossier to a coordinator (circular II 2.1): refused while their qualification
has lapsed, with the reason in the user's language, unless an administrator allowed it for a
period with a reason (`services.grant_override`); each assignment made under that permission
is audited with it.

Reading chosen [I]: a coordinator who is not in the register (yet) is not refused: the
register is kept by the manager and the manager's screen lists whoever is missing from it. A
coordinator in the register is refused only when the rule says "lapsed"; the grace period
before the exam is a lawful state (II 2.1: "of slaagt binnen een termijn van twee jaar").
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.accounts.models import User
from tnw.audit.services import append
from tnw.coordinators import selectors

REASONS = {
    "diploma_not_level_b": gettext_lazy("no diploma giving access to federal level B"),
    "exam_not_passed_in_term": gettext_lazy(
        "the RIZIV Disability Management exam was not passed within the term"
    ),
    "intervision_short": gettext_lazy("too few RIZIV intervision moments attended last year"),
}


class CoordinatorLapsed(ValidationError):
    """The coordinator may not receive dossiers: their qualification has lapsed (II 2.1)."""

    def __init__(self, coordinator: User, reasons: tuple[str, ...]) -> None:
        self.reasons = reasons
        why = "; ".join(str(REASONS.get(r, r)) for r in reasons)
        super().__init__(
            _(
                "%(name)s cannot be assigned this dossier: their qualification as TNW "
                "coordinator has lapsed (circular II 2.1: %(why)s). Choose another "
                "coordinator, or ask an administrator for a temporary exception."
            )
            % {"name": coordinator.get_full_name() or coordinator.username, "why": why},
            code="coordinator_lapsed",
        )


def refuse_lapsed(
    *,
    actor: User,
    coordinator: User,
    person_id: int,
    episode_id: int,
    on: date,
    channel: str,
) -> None:
    """The dossier's check on a new coordinator of an episode (add_coordinator_check)."""
    status = selectors.coordinator_status(coordinator=coordinator, on=on)
    if status is None or status.status != "lapsed":
        return
    override = selectors.active_override(coordinator=coordinator, on=on)
    if override is None:
        raise CoordinatorLapsed(coordinator, status.reasons)
    append(
        actor=actor, action="update", object_type="coordinators.assignmentoverride",
        object_id=override.pk, person_id=person_id, channel=channel,
        changes={"assigned_under_override": {
            "episode_id": episode_id, "coordinator": coordinator.username,
            "reasons": list(status.reasons), "override_reason": override.reason,
        }},
    )  # fmt: skip
