"""Errors the services raise, with messages a coordinator understands."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError


class ConflictError(Exception):
    """Optimistic concurrency: the record changed since the user read it."""

    def __init__(self, what: str, expected: int, current: int | None) -> None:
        self.what = what
        self.expected = expected
        self.current = current
        now = f"version {current}" if current is not None else "deleted"
        super().__init__(
            f"{what} was changed by someone else since you opened it (you had version "
            f"{expected}, it is now {now}). Nothing was saved: reload it and apply your "
            f"change again."
        )


@dataclass(frozen=True)
class Refusal:
    """One reason the law refuses a registration, as data: the engine's violation code, the
    English sentence (for logs and integrators), the event field it concerns (None: the event
    as a whole) and the engine's message key with its JSON parameters, so that a form shows it
    next to the right field in the user's language."""

    code: str
    message: str
    field: str | None = None
    key: str = ""
    params: dict[str, Any] = dataclass_field(default_factory=dict)


class RegistrationRefused(ValidationError):
    """The rules engine says the registration has no legal effect; nothing was stored.

    `code` is the first violation code, `violations` every `Refusal`.
    """

    def __init__(self, violations: list[Refusal]) -> None:
        self.violations = violations
        text = "; ".join(refusal.message for refusal in violations)
        super().__init__(f"Registration refused: {text}", code=violations[0].code)

    @property
    def codes(self) -> list[str]:
        return [refusal.code for refusal in self.violations]


class NotFound(ObjectDoesNotExist):
    """The one answer for an id that does not exist *or* that the user may not see (another
    mutuality's person): a screen shows "not found" either way, so the answer reveals nothing
    about other mutualities' dossiers."""

    def __init__(self, what: str = "dossier") -> None:
        super().__init__(f"no such {what}")


class NotAssigned(PermissionDenied):
    """The episode is not assigned to this coordinator or physician: they may act on it (register,
    read its health data) only after breaking the glass with a reason."""

    def __init__(self, episode_id: int) -> None:
        self.episode_id = episode_id
        super().__init__(
            "this incapacity episode is not assigned to you: give a reason (break the glass) "
            "to act on it"
        )
