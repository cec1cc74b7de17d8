"""The insured person's own dossier (tnw.portal): services and selectors.

The portal is one more client of the one door. The insured person logs in with a user of role
`insured` linked to their person by a `PortalAccount`; `tnw.dossier.access` lets that user reach
their own dossier only. Their acts (return the questionnaire, ask for a trajectory, give or
withdraw consent) go through `services.register_event`, so the rules engine checks them exactly
as it checks staff, and every read and write is audited with the person as actor.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import yaml
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, has, require
from tnw.audit.services import save_audited, snapshot
from tnw.dossier import services
from tnw.dossier.access import access_episode_by_id, access_person_by_id
from tnw.dossier.errors import NotFound
from tnw.dossier.identity import normalise_insz
from tnw.dossier.models import (
    Consent,
    Episode,
    Obligation,
    ObligationState,
    Person,
    PlanVersion,
    in_force_q,
)
from tnw.dossier.portal_models import (
    MeetingProposal,
    PortalAccount,
    PortalActivation,
    QuestionnaireAnswers,
)
from tnw.dossier.possible import possibilities
from tnw.dossier.status import status_of

CHANNEL = "portal"
# An activation letter is valid for 30 days; five wrong codes block it (a new letter is needed).
ACTIVATION_VALID_FOR = timedelta(days=30)
ACTIVATION_MAX_FAILURES = 5
# No 0/O, 1/I/L: the code is typed from a paper letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PORTAL_USERNAME = "insz:{digits}"
QUESTIONNAIRES = Path(__file__).with_name("questionnaires")
CURRENT_QUESTIONNAIRE = "2026-1"
# The acts the portal offers, asked of the engine before they are shown.
OWN_ACTS = ("spontaneous_request", "questionnaire_received", "consent_given", "consent_withdrawn")


# --- Activation and log-in ------------------------------------------------------------------


def portal_username(insz: str) -> str:
    """The portal user's name: the INSZ digits (any common formatting accepted)."""
    digits, _ = normalise_insz(insz)
    return PORTAL_USERNAME.format(digits=digits)


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _clean_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


@transaction.atomic
def issue_portal_activation(*, user: User, person_id: int, channel: str = CHANNEL) -> str:
    """A new activation code for the person's letter (the code is shown once, only its hash
    is kept). Earlier unused codes of the person stop working."""
    person = access_person_by_id(
        user=user, person_id=person_id, caps=(Cap.EDIT_PERSON,), what=None, channel=channel
    )
    now = timezone.now()
    PortalActivation.objects.filter(person=person, used_at__isnull=True).update(expires_at=now)
    code = _new_code()
    activation = PortalActivation(
        person=person, code_hash=make_password(code), expires_at=now + ACTIVATION_VALID_FOR,
        issued_by=user,
    )  # fmt: skip
    save_audited(
        activation, actor=user, fields=["person", "expires_at"], channel=channel, clean=False
    )
    return code


class ActivationRefused(ValidationError):
    """The activation failed; `code` says why (the message never says which part was wrong)."""


def _candidates(digits: str, now: Any) -> list[PortalActivation]:
    return list(
        PortalActivation.objects.select_for_update()
        .select_related("person")
        .filter(person__insz=digits, used_at__isnull=True, expires_at__gt=now)
    )


def _matching(candidates: list[PortalActivation], code: str) -> PortalActivation | None:
    usable = [a for a in candidates if a.failed_attempts < ACTIVATION_MAX_FAILURES]
    return next((a for a in usable if check_password(_clean_code(code), a.code_hash)), None)


def activate_portal_account(*, insz: str, code: str, password: str) -> User:
    """Create the person's portal log-in from the code of their letter, with a new password.

    Raises ActivationRefused (`invalid`: INSZ and code do not match a valid letter; `blocked`:
    too many wrong codes; `exists`: the person already has an account) or ValidationError (the
    password is too weak). A wrong code counts against every open letter of that INSZ, and
    that count is kept (its own transaction) although the activation fails."""
    try:
        digits, _ = normalise_insz(insz)
    except ValidationError:
        raise ActivationRefused("invalid", code="invalid") from None
    now = timezone.now()
    with transaction.atomic():
        candidates = _candidates(digits, now)
        activation = _matching(candidates, code)
        if activation is not None:
            return _create_account(activation, digits, password, now)
        for candidate in candidates:
            if candidate.failed_attempts < ACTIVATION_MAX_FAILURES:
                candidate.failed_attempts += 1
                candidate.save(update_fields=["failed_attempts"])
        blocked = bool(candidates) and all(
            c.failed_attempts >= ACTIVATION_MAX_FAILURES for c in candidates
        )
    reason = "blocked" if blocked else "invalid"
    raise ActivationRefused(reason, code=reason)


def _create_account(activation: PortalActivation, digits: str, password: str, now: Any) -> User:
    person = activation.person
    user = _portal_user(person, digits)
    if user is None or PortalAccount.objects.filter(person=person).exists():
        raise ActivationRefused("exists", code="exists")
    validate_password(password, user)
    user.set_password(password)
    _link(user, person, CHANNEL)
    activation.used_at = now
    activation.save(update_fields=["used_at"])
    return user


def _portal_user(person: Person, digits: str) -> User | None:
    """A new (unsaved) portal user for the person; None when the name is taken."""
    username = PORTAL_USERNAME.format(digits=digits)
    if User.objects.filter(username=username).exists():
        return None
    return User(
        username=username, role=Role.INSURED, mutuality_id=person.mutuality_id,
        first_name=person.first_name, last_name=person.last_name, email=person.email,
    )  # fmt: skip


def _link(user: User, person: Person, channel: str) -> None:
    """Save the user and link it to the person's dossier (audited)."""
    user.save()
    account = PortalAccount(person=person, user=user)
    save_audited(account, actor=user, fields=["person", "user"], channel=channel, clean=False)


# --- What the person sees --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    on: date
    event_type: str


@dataclass(frozen=True)
class Task:
    """One obligation of the trajectory as the person sees it: who acts, by when."""

    code: str
    actor: str
    due: date | None
    status: str
    parts: list[Any]


@dataclass(frozen=True)
class OwnEpisode:
    id: int
    version: int
    start: date
    end: date | None
    steps: list[Step]
    tasks: list[Task]
    step_types: frozenset[str]
    acts: dict[str, bool]
    consent: str  # "given", "withdrawn" or "none"
    questionnaire_expected: bool
    coordinator: str


@dataclass(frozen=True)
class OwnOverview:
    first_name: str
    last_name: str
    language: str
    mutuality: str
    contacts: list[dict[str, str]]
    letters_by_email: bool
    episodes: list[OwnEpisode] = field(default_factory=list)


def _own_person(user: User, what: str | None) -> Person:
    require(user, Cap.OWN_DOSSIER, scoped=False)
    account = PortalAccount.objects.filter(user=user).first()
    if account is None:
        raise PermissionDenied("this log-in is not linked to a dossier")
    return access_person_by_id(
        user=user, person_id=account.person_id, caps=(Cap.OWN_DOSSIER,), what=what,
        channel=CHANNEL,
    )  # fmt: skip


def own_person_id(*, user: User, what: str | None) -> int:
    """The person behind a portal log-in (PermissionDenied for any other user); the read of
    `what` is audited. The documents app lists the person's letters by it."""
    return _own_person(user, what).pk


def _consent_state(episode: Episode) -> str:
    last = (
        Consent.objects.filter(in_force_q("registration__"), episode=episode)
        .order_by("date", "id")
        .last()
    )
    return last.kind if last else "none"


def _tasks(episode: Episode, today: date) -> list[Task]:
    pending = Obligation.objects.filter(episode=episode, state=ObligationState.PENDING)
    return [
        Task(o.code, o.actor, o.due, status_of(o, today), list(o.explanation_parts or []))
        for o in pending.order_by("due", "opens", "code")
    ]


def _own_episode(episode: Episode, today: date) -> OwnEpisode:
    registrations = list(episode.registrations.in_force().order_by("position"))
    acts = {p.event_type: p.allowed for p in possibilities(episode, list(OWN_ACTS), today)}
    tasks = _tasks(episode, today)
    coordinator = episode.coordinator.get_full_name() if episode.coordinator else ""
    return OwnEpisode(
        id=episode.pk, version=episode.version, start=episode.start, end=episode.end,
        steps=[Step(r.date, r.type) for r in registrations], tasks=tasks, acts=acts,
        step_types=frozenset(r.type for r in registrations),
        consent=_consent_state(episode),
        questionnaire_expected=any(t.code == "return_questionnaire" for t in tasks),
        coordinator=coordinator,
    )  # fmt: skip


def own_overview(*, user: User, today: date) -> OwnOverview:
    """The person's trajectory: every episode, newest first, with the steps done, the tasks
    still open (whose, by when) and the acts the engine allows today. The read is audited."""
    person = _own_person(user, what="portal overview")
    mutuality = person.mutuality
    account = PortalAccount.objects.get(user=user)
    episodes = Episode.objects.filter(person=person).select_related("coordinator")
    return OwnOverview(
        first_name=person.first_name, last_name=person.last_name, language=person.language,
        mutuality=mutuality.name,
        contacts=[
            {"label": c.label, "email": c.email, "phone": c.phone}
            for c in mutuality.contacts.all()
        ],
        letters_by_email=account.letters_by_email,
        episodes=[_own_episode(e, today) for e in episodes.order_by("-start")],
    )  # fmt: skip


def _own_episode_by_id(user: User, episode_id: int, what: str | None) -> Episode:
    episode, _ = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.OWN_DOSSIER,), what=what, channel=CHANNEL
    )
    return episode


def own_episode(*, user: User, episode_id: int, today: date) -> OwnEpisode:
    """One of the person's episodes as on the overview (NotFound for anyone else's); the read
    is audited. The act pages need this one episode, not the whole overview."""
    episode = _own_episode_by_id(user, episode_id, what="portal episode")
    return _own_episode(episode, today)


def letters_by_email(*, user: User) -> bool:
    """The person's choice of e-mail (True) or paper (False) for letters."""
    _own_person(user, what=None)
    return PortalAccount.objects.get(user=user).letters_by_email


@transaction.atomic
def set_letter_preference(*, user: User, by_email: bool) -> None:
    """Letters by e-mail or on paper (the language follows the person's portal language)."""
    _own_person(user, what=None)
    account = PortalAccount.objects.select_for_update().get(user=user)
    before = snapshot(account, ["letters_by_email"])
    account.letters_by_email = by_email
    save_audited(
        account, actor=user, fields=["letters_by_email"], channel=CHANNEL, before=before,
        clean=False, update_fields=["letters_by_email"],
    )  # fmt: skip


# --- The questionnaire ----------------------------------------------------------------------


# Texts of the questionnaire per language code (nl, fr, de, en).
Texts = dict[str, str]


class QuestionnaireItem(TypedDict):
    id: str
    type: str  # choice (one of `choices`) or text
    required: bool  # required items decide whether the questionnaire counts as complete
    label: Texts
    help: NotRequired[Texts]
    choices: NotRequired[dict[str, Texts]]  # value -> its texts (choice items)


class QuestionnaireSection(TypedDict):
    id: str
    title: Texts
    items: list[QuestionnaireItem]


class QuestionnaireDefinition(TypedDict):
    """A version of the questionnaire, as its YAML file (questionnaires/<version>.yaml)."""

    version: str
    sections: list[QuestionnaireSection]


@cache
def questionnaire_definition(version: str = CURRENT_QUESTIONNAIRE) -> QuestionnaireDefinition:
    """The versioned questionnaire: sections, items, answer types, texts per language."""
    path = QUESTIONNAIRES / f"{version}.yaml"
    with path.open(encoding="utf-8") as handle:
        data: QuestionnaireDefinition = yaml.safe_load(handle)
    return data


def _items(definition: QuestionnaireDefinition) -> dict[str, QuestionnaireItem]:
    return {item["id"]: item for section in definition["sections"] for item in section["items"]}


def clean_answers(answers: dict[str, Any], version: str = CURRENT_QUESTIONNAIRE) -> dict[str, str]:
    """The answers kept: known items only, choices among their values, text at most 2,000
    characters. Raises ValidationError naming the item otherwise (nothing is stored)."""
    items = _items(questionnaire_definition(version))
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, str] = {}
    for key, value in answers.items():
        item = items.get(key)
        text = str(value or "").strip()
        if item is None:
            errors[key] = [ValidationError("unknown question", code="unknown_item")]
        elif text and item["type"] == "choice" and text not in item["choices"]:
            errors[key] = [ValidationError("not one of the answers", code="invalid_choice")]
        elif len(text) > 2000:
            errors[key] = [ValidationError("at most 2,000 characters", code="too_long")]
        elif text:
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def is_complete(answers: dict[str, str], version: str = CURRENT_QUESTIONNAIRE) -> bool:
    items = _items(questionnaire_definition(version)).values()
    return all(answers.get(item["id"]) for item in items if item.get("required"))


def _draft(episode: Episode) -> QuestionnaireAnswers | None:
    return (
        QuestionnaireAnswers.objects.select_for_update()
        .filter(episode=episode, submitted_at__isnull=True)
        .first()
    )


def questionnaire_draft(*, user: User, episode_id: int) -> dict[str, str]:
    """The answers saved so far (an empty dict when nothing is saved)."""
    episode = _own_episode_by_id(user, episode_id, what="questionnaire")
    draft = QuestionnaireAnswers.objects.filter(episode=episode, submitted_at__isnull=True).first()
    return dict(draft.answers) if draft else {}


@transaction.atomic
def save_questionnaire_draft(*, user: User, episode_id: int, answers: dict[str, Any]) -> None:
    episode = _own_episode_by_id(user, episode_id, what=None)
    cleaned = clean_answers(answers)
    draft = _draft(episode) or QuestionnaireAnswers(
        episode=episode, form_version=CURRENT_QUESTIONNAIRE
    )
    before = None if draft.pk is None else snapshot(draft, ["complete"])
    draft.answers = cleaned
    draft.complete = is_complete(cleaned)
    save_audited(
        draft, actor=user, fields=["complete"], channel=CHANNEL, before=before, clean=False,
        medical=True,
    )  # fmt: skip


@transaction.atomic
def submit_questionnaire(
    *, user: User, episode_id: int, expected_version: int, answers: dict[str, Any], today: date
) -> bool:
    """Register the questionnaire as received today, complete or not (circular III 3.1 step 3:
    the physician's worklist moves at once). Returns whether it was complete."""
    episode = _own_episode_by_id(user, episode_id, what=None)
    cleaned = clean_answers(answers)
    complete = is_complete(cleaned)
    registration = services.register_event(
        user=user, episode_id=episode.pk, expected_version=expected_version,
        event_type="questionnaire_received", on=today, fields={"complete": complete},
        today=today, channel=CHANNEL,
    )  # fmt: skip
    record = _draft(episode) or QuestionnaireAnswers(
        episode=episode, form_version=CURRENT_QUESTIONNAIRE
    )
    record.answers, record.complete = cleaned, complete
    record.submitted_at, record.registration = timezone.now(), registration
    save_audited(
        record, actor=user, fields=["complete", "submitted_at"], channel=CHANNEL, clean=False,
        medical=True,
    )  # fmt: skip
    return complete


# --- Asking for a trajectory, consent -------------------------------------------------------


def request_trajectory(*, user: User, episode_id: int, expected_version: int, today: date) -> None:
    """Routing B: the person asks for a return-to-work trajectory (circular III 3.2 step 1)."""
    services.register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type="spontaneous_request", on=today, today=today, channel=CHANNEL,
    )  # fmt: skip


def _reauthenticate(user: User, password: str) -> None:
    if not user.check_password(password):
        raise ValidationError({"password": ["wrong password"]}, code="wrong_password")


@transaction.atomic
def sign_consent(
    *, user: User, episode_id: int, expected_version: int, give: bool, password: str, today: date
) -> None:
    """Give or withdraw consent for the TNW-dossier electronically (Annex III), after the
    person confirmed with their password; the signature is recorded as the form reference."""
    _reauthenticate(user, password)
    stamp = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    services.register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type="consent_given" if give else "consent_withdrawn", on=today,
        form_reference=f"Annex III e-signed on the portal {stamp}", today=today, channel=CHANNEL,
    )  # fmt: skip


# --- The re-integration plan ----------------------------------------------------------------


@dataclass(frozen=True)
class OwnPlan:
    """The current version of the re-integration plan (circular IV 4.3), as the person sees it."""

    number: int
    drawn_up_on: date
    objectives: list[str]
    end_result: str
    actions: list[str]
    next_appointment: date | None
    coordinator: str
    action_by: list[str]  # who does each action (tnw.rules.facts.PLAN_ACTORS), or empty
    mutuality: str


def own_plan(*, user: User, episode_id: int) -> OwnPlan | None:
    """The latest plan version of the person's episode (None before any plan); audited."""
    episode = _own_episode_by_id(user, episode_id, what="plan")
    plan = PlanVersion.objects.filter(in_force_q("registration__"), episode=episode)
    plan = plan.select_related("registration")
    current = plan.order_by("-number").first()
    if current is None:
        return None
    coordinator = episode.coordinator.get_full_name() if episode.coordinator else ""
    return OwnPlan(
        number=current.number, drawn_up_on=current.registration.date,
        objectives=list(current.objectives), end_result=current.end_result,
        actions=list(current.actions), next_appointment=current.next_appointment,
        coordinator=coordinator, mutuality=episode.person.mutuality.name,
        action_by=list(current.action_by),
    )  # fmt: skip


# --- Log-in by the federal authentication service (OpenID Connect) --------------------------


@transaction.atomic
def portal_user_for_insz(*, insz: str) -> User | None:
    """The portal user of the person with this INSZ, as asserted by the OpenID Connect
    provider (the federal authentication service): their existing log-in, or a new one linked
    to their dossier. None when no mutuality of this system knows the INSZ (nothing created).
    A person known in several mutualities (changed mutuality) logs in to the dossier of the
    most recent one, where their current incapacity is followed."""
    try:
        digits, _ = normalise_insz(insz)
    except ValidationError:
        return None
    person = Person.objects.filter(insz=digits).order_by("-created_at", "-pk").first()
    if person is None:
        return None
    account = PortalAccount.objects.filter(person=person).select_related("user").first()
    if account is not None:
        return account.user
    user = _portal_user(person, digits)
    if user is None:
        return None  # an account of another mutuality's dossier: staff must move it
    user.set_unusable_password()
    _link(user, person, f"{CHANNEL}:oidc")
    return user


# --- A follow-up meeting proposed by the person (circular IV 4.3) ---------------------------

# A proposal looks ahead at most six months (the longest term of a plan's follow-up).
PROPOSAL_HORIZON = timedelta(days=183)


@dataclass(frozen=True)
class ProposalView:
    id: int
    proposed_on: date
    note: str
    state: str


def _proposal_view(p: MeetingProposal) -> ProposalView:
    return ProposalView(p.pk, p.proposed_on, p.note, p.state)


@transaction.atomic
def propose_meeting(
    *, user: User, episode_id: int, on: date, note: str, today: date
) -> ProposalView:
    """The person proposes a day for a new follow-up meeting of their ZIV trajectory; the
    coordinator confirms it. Refused (ValidationError, by field) before a plan exists, for a
    day in the past or more than six months ahead."""
    episode = _own_episode_by_id(user, episode_id, what=None)
    if not PlanVersion.objects.filter(in_force_q("registration__"), episode=episode).exists():
        raise ValidationError("there is no re-integration plan yet", code="no_plan")
    if on < today or on > today + PROPOSAL_HORIZON:
        raise ValidationError("between today and six months from now", code="range")
    proposal = MeetingProposal(
        episode=episode, proposed_on=on, note=note.strip()[:500], proposed_by=user
    )
    save_audited(
        proposal, actor=user, fields=["proposed_on", "state"], channel=CHANNEL, clean=False
    )
    return _proposal_view(proposal)


def meeting_proposals(*, user: User, episode_id: int) -> list[ProposalView]:
    """The proposals of an episode, newest first: for the person (their own) and for the
    staff who see its plans."""
    episode, _ = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.OWN_DOSSIER, Cap.VIEW_PLANS),
        what="meeting proposals", channel=CHANNEL,
    )  # fmt: skip
    return [_proposal_view(p) for p in MeetingProposal.objects.filter(episode=episode)]


def proposals_by_episode(*, user: User, episode_ids: list[int]) -> dict[int, list[ProposalView]]:
    """The proposals of the episodes on a staff dossier page, in one query, for the roles that
    see plans (the page's read is audited by `selectors.get_dossier`)."""
    if not episode_ids or not has(user, Cap.VIEW_PLANS):
        return {}
    rows = MeetingProposal.objects.filter(
        episode_id__in=episode_ids, episode__person__mutuality_id=user.mutuality_id
    )
    found: dict[int, list[ProposalView]] = {}
    for proposal in rows:
        found.setdefault(proposal.episode_id, []).append(_proposal_view(proposal))
    return found


@transaction.atomic
def decide_meeting_proposal(
    *, user: User, episode_id: int, proposal_id: int, confirm: bool, channel: str = CHANNEL
) -> ProposalView:
    """The episode's coordinator confirms or declines a proposal still open."""
    episode, access = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.EDIT_PLAN,), what=None, channel=channel,
        act=True,
    )  # fmt: skip
    proposal = (
        MeetingProposal.objects.select_for_update()
        .filter(pk=proposal_id, episode=episode, state=MeetingProposal.State.PROPOSED)
        .first()
    )
    if proposal is None:
        raise NotFound("meeting proposal")
    before = snapshot(proposal, ["state"])
    proposal.state = MeetingProposal.State.CONFIRMED if confirm else MeetingProposal.State.DECLINED
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    save_audited(
        proposal, actor=user, fields=["state"], channel=access.channel(channel), before=before,
        clean=False,
    )  # fmt: skip
    return _proposal_view(proposal)


# --- A copy of one's own dossier (GDPR art. 15) ---------------------------------------------


class PersonCopy(TypedDict):
    insz: str
    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    address: str  # street, postal code and city in one line
    phone: str
    email: str


class RegistrationCopy(TypedDict):
    date: date
    type: str
    fields: dict[str, Any]  # the event's fields (rules contract); none of a medical step
    medical_data_withheld: bool


class ConsentCopy(TypedDict):
    date: date
    kind: str
    form: str  # the signed form's reference


class QuestionnaireCopy(TypedDict):
    form_version: str
    answers: dict[str, str]
    complete: bool
    submitted_at: datetime | None


class PlanCopy(TypedDict):
    number: int
    objectives: list[Any]
    end_result: str
    actions: list[Any]
    action_by: list[str]  # who does each action (tnw.rules.facts.PLAN_ACTORS), or empty
    next_appointment: date | None


class ProposalCopy(TypedDict):
    day: date
    state: str
    note: str


class EpisodeCopy(TypedDict):
    start: date
    end: date | None
    employer: str
    registrations: list[RegistrationCopy]
    consents: list[ConsentCopy]
    questionnaires: list[QuestionnaireCopy]
    plans: list[PlanCopy]
    meeting_proposals: list[ProposalCopy]
    health_records_with_the_advising_physician: int  # how many; their content is not copied


class DossierCopy(TypedDict):
    """What `own_dossier_copy` gives the person (GDPR art. 15)."""

    person: PersonCopy
    episodes: list[EpisodeCopy]


class Reminder(TypedDict):
    """A portal reminder the daily run sends (`reminders_due`)."""

    kind: str  # draft: a questionnaire saved, not sent
    episode_id: int
    on: date  # the return term's last day
    email: str
    first_name: str
    last_name: str
    language: str


def own_dossier_copy(*, user: User) -> DossierCopy:
    """Everything the TNW-dossier holds about the person that they may receive directly: identity,
    episodes, every registration (date, type, non-medical fields), consents, questionnaire
    answers, plan versions and meeting proposals. The advising physician's health records and
    category are medical data under medical secrecy: the person obtains them from the advising
    physician (patient rights), so the copy names them without content. The read is audited."""
    person = _own_person(user, what="copy of the dossier (GDPR art. 15)")
    episodes = Episode.objects.filter(person=person).order_by("start")
    return {
        "person": {
            "insz": person.insz, "first_name": person.first_name, "last_name": person.last_name,
            "birth_date": person.birth_date, "language": person.language,
            "address": " ".join(filter(None, [person.street, person.postal_code, person.city])),
            "phone": person.phone, "email": person.email,
        },
        "episodes": [_episode_copy(e) for e in episodes],
    }  # fmt: skip


def _episode_copy(episode: Episode) -> EpisodeCopy:
    medical = {"capacity_assessed", "medical_exemption"}
    return {
        "start": episode.start, "end": episode.end, "employer": episode.employer_name,
        "registrations": [
            {"date": r.date, "type": r.type,
             "fields": {} if r.type in medical else dict(r.data),
             "medical_data_withheld": r.type in medical}
            for r in episode.registrations.in_force().order_by("position")
        ],
        "consents": [
            {"date": c.date, "kind": c.kind, "form": c.form_reference}
            for c in Consent.objects.filter(in_force_q("registration__"), episode=episode)
        ],
        "questionnaires": [
            {"form_version": q.form_version, "answers": q.answers, "complete": q.complete,
             "submitted_at": q.submitted_at}
            for q in QuestionnaireAnswers.objects.filter(episode=episode)
        ],
        "plans": [
            {"number": p.number, "objectives": p.objectives, "end_result": p.end_result,
             "actions": p.actions, "action_by": p.action_by,
             "next_appointment": p.next_appointment}
            for p in PlanVersion.objects.filter(in_force_q("registration__"), episode=episode)
            .order_by("number")
        ],
        "meeting_proposals": [
            {"day": m.proposed_on, "state": m.state, "note": m.note}
            for m in MeetingProposal.objects.filter(episode=episode)
        ],
        "health_records_with_the_advising_physician": episode.health_records.count(),
    }  # fmt: skip


# --- Reminders of the daily run (tnw.portal.daily) ------------------------------------------


def _reminder_row(kind: str, episode: Episode, on: date) -> Reminder:
    person = episode.person
    return {"kind": kind, "episode_id": episode.pk, "on": on, "email": person.email,
            "first_name": person.first_name, "last_name": person.last_name,
            "language": person.language}  # fmt: skip


def _idle_drafts(today: date, idle_days: int) -> list[Reminder]:
    """Questionnaires saved on the portal, untouched for `idle_days`, not sent, with the
    return term still running: `on` is the term's last day."""
    stale = timezone.make_aware(datetime.combine(today - timedelta(days=idle_days - 1), time()))
    drafts = QuestionnaireAnswers.objects.filter(submitted_at__isnull=True, updated_at__lt=stale)
    terms = Obligation.objects.filter(
        episode_id__in=drafts.values("episode_id"), code="return_questionnaire",
        state=ObligationState.PENDING, due__gte=today,
    ).select_related("episode__person")  # fmt: skip
    return [_reminder_row("draft", o.episode, o.due) for o in terms.order_by("episode_id")]


def reminders_due(*, today: date, draft_idle_days: int) -> list[Reminder]:
    """The portal's reminders the daily run sends today, to persons with a portal account and
    an e-mail address whose incapacity is not over: a questionnaire saved but not sent
    (`draft`). No user: the run's own read. Appointments coming up, the plan's next one
    included, are reminded to everyone by `letters.appointment_reminders_due`."""
    rows = _idle_drafts(today, draft_idle_days)
    episodes = {row["episode_id"] for row in rows}
    reachable = set(
        Episode.objects.filter(pk__in=episodes, person__portal_account__isnull=False)
        .exclude(person__email="")
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .values_list("pk", flat=True)
    )
    return [row for row in rows if row["episode_id"] in reachable]
