"""The one door to a person's dossier: fetch, check the permission, audit the read.

Every selector and service of the dossier package reaches a person or an episode through
`access_person_by_id` or `access_episode_by_id` (in the style of Zulip's `access_stream_by_id`):

1. the role must have one of the capabilities asked (PermissionDenied otherwise, whatever the
   id: the answer does not depend on the dossier);
2. the id must exist *and* belong to the user's mutuality: one `NotFound` for both, so no
   screen can tell another mutuality's dossier from a missing one;
3. to act on an episode (register, read or record its health data) a coordinator or advising
   physician must be assigned to it (an absence cover moves the assignment), or have broken the
   glass for it with a reason (`NotAssigned` otherwise);
4. the read is audited, its channel marked "break-glass" when the glass was broken for it.

The functions return model instances, for the dossier package only; other apps get typed read
models from `tnw.dossier.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import ASSIGNEE_FIELD, Cap, Role, require
from tnw.audit.services import audit_read
from tnw.dossier.errors import NotAssigned, NotFound
from tnw.dossier.models import Episode, GlassBreak, Person

BREAK_GLASS_CHANNEL = "break-glass"
# How long a broken glass opens the episode: one working day.
GLASS_OPEN_FOR = timedelta(hours=10)


@dataclass(frozen=True)
class Access:
    """How the user reaches an episode: by assignment, by a broken glass, or only by being of
    the mutuality (identity and timeline without health data; no registering)."""

    assigned: bool
    glass: GlassBreak | None = None

    @property
    def acts(self) -> bool:
        return self.assigned or self.glass is not None

    def channel(self, channel: str) -> str:
        """The audit channel, marked when the access rests on a broken glass."""
        return f"{channel}:{BREAK_GLASS_CHANNEL}" if self.glass and not self.assigned else channel


def is_assigned(user: User, episode: Episode) -> bool:
    """True for the episode's own coordinator or physician; for a role that is not assigned
    (staff: questionnaire support of the whole mutuality) being of the mutuality is enough, and
    so it is for an integrator's service account (tnw.api), which acts for its mutuality."""
    if getattr(user, "is_service_account", False):
        return True
    field = ASSIGNEE_FIELD.get(user.role)
    return field is None or getattr(episode, field) == user.pk


def open_glass(user: User, episode_id: int) -> GlassBreak | None:
    return (
        GlassBreak.objects.filter(user=user, episode_id=episode_id, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )


def access_of(user: User, episode: Episode) -> Access:
    if is_assigned(user, episode):
        return Access(assigned=True)
    return Access(assigned=False, glass=open_glass(user, episode.pk))


def acting_on(user: User, prefix: str = "episode__") -> Q:
    """A filter for the episodes the user acts on (assigned, or by a glass still open);
    `prefix` reaches the episode from the model filtered ("" for episodes themselves)."""
    field = ASSIGNEE_FIELD.get(user.role)
    if field is None:
        return Q()
    glass = GlassBreak.objects.filter(user=user, until__gt=timezone.now()).values("episode_id")
    return Q(**{f"{prefix}{field}": user.pk}) | Q(**{f"{prefix}pk__in": glass})


def own_only(user: User, prefix: str = "") -> Q:
    """The insured person on the portal reaches only their own dossier (by their portal
    account); any other role is bounded by its mutuality alone. `prefix` reaches the person."""
    if user.role == Role.INSURED:
        return Q(**{f"{prefix}portal_account__user": user})
    return Q()


def _require_role(user: User, caps: tuple[Cap, ...]) -> None:
    require(user, *caps, scoped=False)


def access_person_by_id(
    *, user: User, person_id: int, caps: tuple[Cap, ...], what: str | None, channel: str
) -> Person:
    """The person, if the user's role may see `caps` and the person is of their mutuality;
    the read of `what` is audited (None: the caller audits, e.g. a write)."""
    _require_role(user, caps)
    person = Person.objects.filter(
        own_only(user), pk=person_id, mutuality_id=user.mutuality_id
    ).first()
    if person is None or user.mutuality_id is None:
        raise NotFound("person")
    if what is not None:
        audit_read(actor=user, person_id=person.pk, what=what, channel=channel)
    return person


def access_episode_by_id(
    *,
    user: User,
    episode_id: int,
    caps: tuple[Cap, ...],
    what: str | None,
    channel: str,
    act: bool = False,
) -> tuple[Episode, Access]:
    """The episode (with its person) and how the user reaches it. `act`: the user is about to
    register or read health data, which needs the assignment or a broken glass."""
    _require_role(user, caps)
    episode = (
        Episode.objects.select_related("person")
        .filter(own_only(user, "person__"), pk=episode_id, person__mutuality_id=user.mutuality_id)
        .first()
    )
    if episode is None or user.mutuality_id is None:
        raise NotFound("incapacity episode")
    access = access_of(user, episode)
    if act and not access.acts:
        raise NotAssigned(episode.pk)
    if what is not None:
        audit_read(
            actor=user, person_id=episode.person_id, what=what, channel=access.channel(channel)
        )
    return episode, access
