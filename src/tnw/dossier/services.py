"""Writes on the TNW-dossier. Every service:

1. checks the user's role and mutuality (`tnw.accounts.roles.require`);
2. claims the episode (or person) at the version the user saw (optimistic concurrency);
3. for a registration, asks the rules engine whether the law allows it, and refuses it with
   the engine's message if not;
4. stores it, recomputes the episode's obligations and writes the audit trail, all in one
   transaction: after a refusal or an error nothing is half-stored.

`today` is an argument (default: the local date); the rules engine never reads the clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import MEDICAL_FIELDS, Cap, Role, capabilities_for_event, require
from tnw.audit.chain import to_json_value
from tnw.audit.services import append, audit_write, lock_chain, save_audited, snapshot
from tnw.dossier.access import (
    BREAK_GLASS_CHANNEL,
    GLASS_OPEN_FOR,
    Access,
    access_episode_by_id,
    access_of,
    access_person_by_id,
)
from tnw.dossier.agenda_models import (
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentOutcome,
)
from tnw.dossier.concurrency import claim
from tnw.dossier.errors import NotAssigned, NotFound, Refusal, RegistrationRefused
from tnw.dossier.facts import episode_facts
from tnw.dossier.identity import birth_date_of, normalise_insz
from tnw.dossier.letters import SignedForm, signed_form_needed
from tnw.dossier.models import (
    Amendment,
    CareerEntry,
    CodexTrajectory,
    Consent,
    ConsentKind,
    Episode,
    GlassBreak,
    HealthRecord,
    Language,
    Obligation,
    ObligationState,
    Outcome,
    OutcomeKind,
    Person,
    PlanVersion,
    Registration,
    in_force_q,
)
from tnw.dossier.models import in_force as registration_in_force
from tnw.rules import EVENT_TYPES, Facts, FactsError, Timeline, Violation, evaluate

PERSON_FIELDS = (
    "insz", "number_kind", "first_name", "last_name", "birth_date", "language", "street",
    "postal_code", "city", "country", "phone", "email", "mutuality_id", "version",
)  # fmt: skip
PERSON_EDITABLE = frozenset(PERSON_FIELDS) - {"insz", "number_kind", "mutuality_id", "version"}
EPISODE_FIELDS = (
    "person_id", "start", "end", "employment_contract", "employer_name", "employer_number",
    "employer_workers", "coordinator_id", "advising_physician_id", "version",
)  # fmt: skip
REGISTRATION_FIELDS = (
    "episode_id", "position", "type", "date", "data", "note", "form_reference",
    "shared_with_coordinator", "registered_by_id",
)  # fmt: skip
HEALTH_FIELDS = ("episode_id", "kind", "text", "recorded_on", "relevant_to_trajectory", "version")
CAREER_FIELDS = (
    "person_id", "employer", "job_title", "sector", "start", "end", "working_time_percent",
    "note", "version",
)  # fmt: skip
CAREER_EDITABLE = frozenset(CAREER_FIELDS) - {"person_id", "version"}
SERVICE = "service"


def _reject_unknown(given: Any, allowed: Any, message: str) -> None:
    """Refuse field names outside `allowed`, naming them after `message`."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValidationError(f"{message}{', '.join(sorted(unknown))}")


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _person_label(person: Person) -> str:
    return f"the dossier of {person.first_name} {person.last_name}"


def _person(user: User, person_id: int, *caps: Cap) -> Person:
    """The person through the one door (tnw.dossier.access); the write audits itself."""
    return access_person_by_id(
        user=user, person_id=person_id, caps=caps, what=None, channel=SERVICE
    )


def _episode(user: User, episode_id: int, *caps: Cap, act: bool) -> tuple[Episode, Access]:
    """The episode through the one door; `act`: the user must be assigned (or have broken
    the glass)."""
    return access_episode_by_id(
        user=user, episode_id=episode_id, caps=caps, what=None, channel=SERVICE, act=act
    )


# --- People ---------------------------------------------------------------------------------


def _refuse_known_insz(user: User, digits: str, channel: str) -> None:
    """Refuse an INSZ the user's mutuality already has. Only the user's own mutuality is
    asked, so the answer reveals nothing about other mutualities' dossiers; every check is
    audited, in its own transaction so that a refusal keeps its entry."""
    with transaction.atomic():
        known = Person.objects.filter(insz=digits, mutuality_id=user.mutuality_id).first()
        append(
            actor=user, action="read", object_type="dossier.insz_check", object_id=None,
            person_id=known.pk if known else None, channel=channel,
            changes={"read": "INSZ check", "known": known is not None},
        )  # fmt: skip
    if known is not None:
        raise ValidationError(f"a person with INSZ {digits} already exists", code="duplicate")


def create_person(
    *,
    user: User,
    insz: str,
    first_name: str,
    last_name: str,
    language: str,
    birth_date: date | None = None,
    channel: str = SERVICE,
    **contact: Any,
) -> Person:
    """Create a person in the user's mutuality. The INSZ or bis number may be formatted in
    any common way; the 11 digits are stored."""
    require(user, Cap.EDIT_PERSON, mutuality_id=user.mutuality_id)
    digits, kind = normalise_insz(insz)
    _refuse_known_insz(user, digits, channel)
    if language not in Language.values:
        raise ValidationError(f"language must be one of {', '.join(Language.values)}")
    _reject_unknown(contact, PERSON_EDITABLE, "unknown person fields: ")
    with transaction.atomic():
        person = Person(
            mutuality_id=user.mutuality_id, insz=digits, number_kind=kind,
            first_name=first_name, last_name=last_name, language=language,
            birth_date=birth_date or birth_date_of(digits, kind), **contact,
        )  # fmt: skip
        save_audited(person, actor=user, fields=PERSON_FIELDS, channel=channel)
    return person


@transaction.atomic
def update_person(
    *, user: User, person_id: int, expected_version: int, channel: str = SERVICE, **changes: Any
) -> Person:
    """Change identity or contact data; ConflictError if someone changed it meanwhile."""
    person = _person(user, person_id, Cap.EDIT_PERSON)
    _reject_unknown(changes, PERSON_EDITABLE, "these fields cannot be changed: ")
    claim(Person, person.pk, expected_version, _person_label(person))
    person.refresh_from_db()
    before = snapshot(person, PERSON_FIELDS)
    for name, value in changes.items():
        setattr(person, name, value)
    save_audited(person, actor=user, fields=PERSON_FIELDS, channel=channel, before=before)
    return person


@transaction.atomic
def move_to_mutuality(
    *, user: User, person_id: int, expected_version: int, to_mutuality_id: int, on: date,
    today: date | None = None, channel: str = SERVICE,
) -> tuple[Person, list[int]]:  # fmt: skip
    """A person who changes mutuality (issue 16): the dossier moves with them on `on`.

    The person, their episodes, registrations, documents and audit entries keep their ids:
    nothing is rewritten, only the person's mutuality changes, so the timeline stays identical.
    The episodes' assignments end (the new mutuality assigns its own coordinator and advising
    physician); a portal account follows the person. From then on only the new mutuality's
    users reach the dossier: the former one keeps the record of the move (tnw.transfers), not
    the dossier (docs/architecture.md, "Change of mutuality"). Returns the person and the ids
    of the episodes whose assignment ended."""
    person = _person(user, person_id, Cap.EDIT_PERSON)
    if to_mutuality_id == person.mutuality_id:
        raise ValidationError("the person already belongs to this mutuality", code="same")
    if on > _today(today):
        raise ValidationError("the change cannot be in the future", code="future")
    if Person.objects.filter(insz=person.insz, mutuality_id=to_mutuality_id).exists():
        raise ValidationError(
            "the other mutuality already has a dossier for this INSZ", code="duplicate"
        )
    claim(Person, person.pk, expected_version, _person_label(person))
    person.refresh_from_db()
    ended = [_end_assignment(user, e, channel) for e in person.episodes.order_by("pk")]
    before = snapshot(person, PERSON_FIELDS)
    person.mutuality_id = to_mutuality_id
    person.save(update_fields=["mutuality", "version"])
    audit_write(
        actor=user, action="update", obj=person, before=before,
        after={**snapshot(person, PERSON_FIELDS), "moved_on": on.isoformat()}, channel=channel,
    )  # fmt: skip
    account = getattr(person, "portal_account", None)
    if account is not None:
        User.objects.filter(pk=account.user_id).update(mutuality_id=to_mutuality_id)
    return person, [e for e in ended if e is not None]


def _end_assignment(user: User, episode: Episode, channel: str) -> int | None:
    if episode.coordinator_id is None and episode.advising_physician_id is None:
        return None
    before = snapshot(episode, EPISODE_FIELDS)
    episode.coordinator, episode.advising_physician = None, None
    episode.version += 1
    save_audited(
        episode, actor=user, fields=EPISODE_FIELDS, channel=channel, before=before, clean=False,
        update_fields=["coordinator", "advising_physician", "version"],
    )  # fmt: skip
    return episode.pk


# --- Episodes -------------------------------------------------------------------------------


def _refuse_overlap(person: Person, start: date) -> None:
    """One incapacity at a time: a new episode (open-ended) may not overlap one that is still
    running or ends on or after its start (the incapacity is one period; a relapse is
    registered on the running episode)."""
    other = (
        Episode.objects.filter(person=person)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("start")
        .first()
    )
    if other is not None:
        raise ValidationError(
            "this incapacity overlaps the incapacity from %(start)s",
            code="overlapping_episode", params={"start": other.start, "end": other.end},
        )  # fmt: skip


@transaction.atomic
def open_episode(
    *,
    user: User,
    person_id: int,
    start: date,
    employment_contract: bool,
    employer_name: str = "",
    employer_number: str = "",
    employer_workers: int | None = None,
    coordinator: User | None = None,
    advising_physician: User | None = None,
    today: date | None = None,
    channel: str = SERVICE,
) -> Episode:
    person = _person(user, person_id, Cap.EDIT_PERSON)
    today = _today(today)
    if start > today:
        raise ValidationError("the incapacity cannot start in the future", code="future_start")
    _check_workers(employer_workers)
    _refuse_overlap(person, start)
    _check_assignee(coordinator, Role.COORDINATOR, person)
    _check_assignee(advising_physician, Role.ADVISING_PHYSICIAN, person)
    episode = Episode(
        person=person,
        start=start,
        employment_contract=employment_contract,
        employer_name=employer_name,
        employer_number=employer_number,
        employer_workers=employer_workers,
        coordinator=coordinator,
        advising_physician=advising_physician,
    )
    episode.full_clean()
    episode.save()
    if coordinator is not None:
        _check_new_coordinator(user, coordinator, episode, today, channel)
    audit_write(
        actor=user, action="create", obj=episode, before=None,
        after=snapshot(episode, EPISODE_FIELDS), channel=channel,
    )  # fmt: skip
    facts = episode_facts(episode, [])
    _store_timeline(episode, evaluate(facts, today), today, user, channel)
    return episode


@transaction.atomic
def update_episode(
    *,
    user: User,
    episode_id: int,
    expected_version: int,
    today: date | None = None,
    channel: str = SERVICE,
    **changes: Any,
) -> Episode:
    """Change the start, the employment contract or the employer. The registrations are
    re-evaluated; a change that would take the legal effect away from a registration is
    refused."""
    allowed = {
        "start",
        "employment_contract",
        "employer_name",
        "employer_number",
        "employer_workers",
    }
    _reject_unknown(changes, allowed, "these fields cannot be changed here: ")
    _check_workers(changes.get("employer_workers"))
    episode, access = _episode(user, episode_id, Cap.EDIT_PERSON, act=True)
    channel = access.channel(channel)
    today = _today(today)
    claim(Episode, episode.pk, expected_version, _person_label(episode.person))
    episode.refresh_from_db()
    before = snapshot(episode, EPISODE_FIELDS)
    events = _events_in_force(episode)
    timeline_before = evaluate(episode_facts(episode, events), today)
    for name, value in changes.items():
        setattr(episode, name, value)
    if episode.start > today:
        raise ValidationError("the incapacity cannot start in the future", code="future_start")
    timeline = evaluate(episode_facts(episode, events), today)
    _refuse_new_violations(timeline_before, timeline, events, upto=len(events))
    save_audited(episode, actor=user, fields=EPISODE_FIELDS, channel=channel, before=before)
    _store_timeline(episode, timeline, today, user, channel)
    return episode


def _check_workers(workers: int | None) -> None:
    """The employer's number of workers (CODEX 2026: 20 or more must request a trajectory
    within 6 months): unknown (None) or a whole number of 0 or more."""
    if workers is None:
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValidationError(
            "the number of workers must be a whole number of 0 or more",
            code="invalid_employer_workers", params={"field": "employer_workers"},
        )  # fmt: skip


# Checks other apps add on giving an episode to a coordinator: tnw.coordinators refuses one
# whose qualification has lapsed (circular II 2.1) unless an administrator allowed it. Each is
# called inside the assignment's transaction with keyword arguments actor, coordinator,
# person_id, episode_id, on and channel: its ValidationError stores nothing, and what it
# audits is written with the assignment.
CoordinatorCheck = Callable[..., None]
_COORDINATOR_CHECKS: list[CoordinatorCheck] = []


def add_coordinator_check(check: CoordinatorCheck) -> None:
    """Register a check on every new coordinator of an episode (an app's `ready()`)."""
    if check not in _COORDINATOR_CHECKS:
        _COORDINATOR_CHECKS.append(check)


def _check_new_coordinator(
    user: User, coordinator: User, episode: Episode, today: date, channel: str
) -> None:
    for check in _COORDINATOR_CHECKS:
        check(
            actor=user, coordinator=coordinator, person_id=episode.person_id,
            episode_id=episode.pk, on=today, channel=channel,
        )  # fmt: skip


def _check_assignee(assignee: User | None, role: str, person: Person) -> None:
    if assignee is None:
        return
    if assignee.role != role:
        raise ValidationError(f"{assignee.username} is not a {role.replace('_', ' ')}")
    if assignee.mutuality_id != person.mutuality_id:
        raise ValidationError(f"{assignee.username} works for another mutuality")


@transaction.atomic
def assign_episode(
    *,
    user: User,
    episode_id: int,
    expected_version: int,
    coordinator: User | None = None,
    advising_physician: User | None = None,
    today: date | None = None,
    channel: str = SERVICE,
) -> Episode:
    """Set whose worklist the episode is on (coordinator, advising physician). A new
    coordinator passes the registered checks (`add_coordinator_check`)."""
    episode, _ = _episode(user, episode_id, Cap.ASSIGN, act=False)
    _check_assignee(coordinator, Role.COORDINATOR, episode.person)
    _check_assignee(advising_physician, Role.ADVISING_PHYSICIAN, episode.person)
    claim(Episode, episode.pk, expected_version, _person_label(episode.person))
    episode.refresh_from_db()
    before = snapshot(episode, EPISODE_FIELDS)
    if coordinator is not None and coordinator.pk != episode.coordinator_id:
        _check_new_coordinator(user, coordinator, episode, _today(today), channel)
    if coordinator is not None:
        episode.coordinator = coordinator
    if advising_physician is not None:
        episode.advising_physician = advising_physician
    save_audited(
        episode, actor=user, fields=EPISODE_FIELDS, channel=channel, before=before, clean=False
    )
    return episode


# --- Registrations (the events of the rules contract) ---------------------------------------


def _json_ready(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_ready(v) for v in value]
    return value


def _events_in_force(episode: Episode) -> list[dict[str, Any]]:
    """The episode's facts as the engine reads them: the registrations in force, in order."""
    return [r.to_contract() for r in episode.registrations.in_force().order_by("position")]


def _next_position(episode: Episode) -> int:
    """Where the next registration (fact, correction or annulment) is stored."""
    last = episode.registrations.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _facts_and_next_position(episode: Episode) -> tuple[list[dict[str, Any]], int]:
    """`_events_in_force` and `_next_position` in one read of the episode's registrations
    (a registration is on every form's path: tests/ops/test_query_counts.py)."""
    every = list(episode.registrations.order_by("position"))
    facts = [r.to_contract() for r in registration_in_force(every)]
    return facts, (every[-1].position + 1 if every else 0)


def _invalidated(v: Violation, event: dict[str, Any]) -> Refusal:
    """The refusal of a change that takes the legal effect away from registration `event`."""
    return replace(
        _refusal(v, event["type"], event["date"]),
        code="invalidates_registration",
        field=None,  # the field is the earlier registration's, not this form's
        message=f"it would take the legal effect away from the earlier registration "
        f"{event['type'].replace('_', ' ')} of {event['date']} ({v.text})",
    )


def _refuse_new_violations(
    before: Timeline, after: Timeline, events: list[dict[str, Any]], upto: int
) -> None:
    """Refuse a change that takes the legal effect away from an earlier registration."""
    had = {(v.event_index, v.code) for v in before.violations}
    broken = [
        (v.event_index, v)
        for v in after.violations
        if v.event_index is not None and v.event_index < upto and (v.event_index, v.code) not in had
    ]
    if broken:
        raise RegistrationRefused([_invalidated(v, events[index]) for index, v in broken])


def _refusal(v: Violation, event_type: str, on: str) -> Refusal:
    """The engine's violation of a registration as data (code, sentence, field, key)."""
    text = f"{event_type.replace('_', ' ')} of {on}: {v.text}"
    if v.detail is None:
        return Refusal(v.code, text, v.field)
    params: dict[str, Any] = v.detail.to_json()["params"]
    return Refusal(v.code, text, v.field, v.detail.key, params)


@transaction.atomic
def register_event(
    *,
    user: User,
    episode_id: int,
    expected_version: int,
    event_type: str,
    on: date,
    fields: dict[str, Any] | None = None,
    note: str = "",
    form_reference: str = "",
    shared_with_coordinator: bool = False,
    plan_reason: str = "",
    today: date | None = None,
    channel: str = SERVICE,
) -> Registration:
    """Register one fact of an episode after the rules engine has checked it.

    Raises PermissionDenied (role or mutuality), ConflictError (the episode changed since the
    user read `expected_version`), RegistrationRefused (the law does not allow it: the
    engine's violation code and message) or ValidationError (malformed input).
    """
    _check_arguments(event_type, fields or {})
    episode, access = _episode(user, episode_id, *capabilities_for_event(event_type), act=True)
    channel = access.channel(channel)
    if shared_with_coordinator and user.role != Role.ADVISING_PHYSICIAN:
        raise PermissionDenied("only the advising physician can share health data")
    today = _today(today)
    claim(Episode, episode.pk, expected_version, _person_label(episode.person))
    episode.refresh_from_db()

    events, position = _facts_and_next_position(episode)
    index = len(events)  # the new fact's index in the facts (the registrations in force)
    new = {"type": event_type, "date": _json_ready(on)}
    new.update({name: _json_ready(value) for name, value in (fields or {}).items()})
    facts, timeline = _lawful(episode, events, new, today)
    # The law allows it; then the signed form the circular requires must be there.
    _require_signed_form(event_type, fields or {}, form_reference)

    parsed = facts.events[index].to_json()
    data = {k: v for k, v in parsed.items() if k not in ("type", "date")}
    registration = Registration.objects.create(
        episode=episode, position=position, type=event_type,
        date=facts.events[index].date,
        data=data, note=note, form_reference=form_reference,
        shared_with_coordinator=shared_with_coordinator, registered_by=user,
    )  # fmt: skip
    # One audit entry per registration: the fact, what it projected, the timeline's change.
    changes: dict[str, Any] = {"after": snapshot(registration, REGISTRATION_FIELDS)}
    effects = _project(registration, episode, user, plan_reason)
    if effects:
        changes["effects"] = effects
    obligations = _store_timeline(episode, timeline, today, user, channel, audit=False)
    if obligations:
        changes["obligations"] = obligations
    append(
        actor=user, action="create", object_type="dossier.registration",
        object_id=registration.pk, person_id=episode.person_id, channel=channel,
        changes=changes, medical=event_type in MEDICAL_FIELDS,
    )  # fmt: skip
    return registration


def _check_arguments(event_type: str, fields: dict[str, Any]) -> None:
    if event_type not in EVENT_TYPES:
        raise ValidationError(
            f"unknown registration type {event_type!r}; known: {', '.join(EVENT_TYPES)}",
            code="unknown_type",
        )
    if {"type", "date"} & set(fields):
        raise ValidationError("the type and date are arguments, not fields", code="invalid_input")


def _lawful(
    episode: Episode, events: list[dict[str, Any]], new: dict[str, Any], today: date
) -> tuple[Facts, Timeline]:
    """The facts and timeline with `new` registered after `events`, or the refusal: malformed
    (ValidationError), a violation of its own (RegistrationRefused), or one it causes in an
    earlier registration."""
    position = len(events)
    try:
        facts = episode_facts(episode, [*events, new])
    except FactsError as error:
        where = str(error).replace(f"events[{position}] ", "").replace(f"events[{position}]", "")
        raise ValidationError(f"Registration refused: {where}", code="invalid_input") from None
    timeline = evaluate(facts, today)
    own = [
        _refusal(v, new["type"], new["date"])
        for v in timeline.violations
        if v.event_index == position
    ]
    if own:
        raise RegistrationRefused(own)
    timeline_before = evaluate(episode_facts(episode, events), today)
    _refuse_new_violations(timeline_before, timeline, events, upto=position)
    return facts, timeline


PARTY_NAMES = {"insured": "the insured person", "coordinator": "the TNW coordinator",
               "advising_physician": "the advising physician"}  # fmt: skip
FORM_NAMES = {"annex_iii": "consent form (Annex III)",
              "annex_iv": "engagement declaration (Annex IV)"}  # fmt: skip


def _require_signed_form(event_type: str, fields: dict[str, Any], form_reference: str) -> None:
    """A registration the circular ties to a signed form (consent: Annex III; the start of the
    ZIV trajectory: Annex IV) cannot be completed without the signed form's reference."""
    form, _signers = signed_form_needed(event_type, fields)
    if form and not form_reference.strip():
        raise ValidationError(
            f"{event_type.replace('_', ' ')} needs the signed {FORM_NAMES[form]}: give its "
            f"reference",
            code="signature_required",
        )


def register_signed(
    *, user: User, episode_id: int, expected_version: int, event_type: str, on: date,
    signed: SignedForm, fields: dict[str, Any] | None = None, note: str = "",
    today: date | None = None,
) -> Registration:  # fmt: skip
    """Register a step that needs a signed form, proven by `signed` (the documents app's
    issued form with its signatures): the form must be the right annex, signed by every party
    the circular names. Its reference is stored as the registration's form reference."""
    form, signers = signed_form_needed(event_type, fields or {})
    if not form:
        raise ValidationError(f"{event_type.replace('_', ' ')} needs no signed form")
    if signed.form != form:
        raise ValidationError(
            f"{event_type.replace('_', ' ')} needs the {FORM_NAMES[form]}, not {signed.form}"
        )
    missing = [PARTY_NAMES[party] for party in signers if party not in signed.signed_by]
    if missing:
        raise ValidationError(
            f"the {FORM_NAMES[form]} is not signed yet by: {', '.join(missing)}",
            code="signature_required",
        )
    return register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type=event_type, on=on, fields=fields, note=note,
        form_reference=signed.reference, today=today,
    )  # fmt: skip


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


CONSENT_KINDS = {"consent_given": ConsentKind.GIVEN, "consent_withdrawn": ConsentKind.WITHDRAWN}
CODEX_STEPS = (
    "codex_assessed", "codex_plan_delivered", "codex_plan_answered", "codex_ended", "work_resumed",
)  # fmt: skip


def _effect(action: str, obj: Any, before: dict | None, after: dict) -> dict[str, Any]:
    """One record a registration created or changed, for the registration's audit entry."""
    effect = {"action": action, "object": f"{obj._meta.label_lower}", "id": obj.pk}
    return {**effect, **({"before": before} if before is not None else {}), "after": after}


def _project(
    registration: Registration, episode: Episode, user: User, plan_reason: str
) -> list[dict[str, Any]]:
    """Keep the typed records (consents, plans, CODEX, outcomes, the episode end) in step;
    returns what was created or changed, for the registration's audit entry."""
    if registration.type in CODEX_STEPS:
        return _project_codex(registration, episode)
    if registration.type == "incapacity_ended":
        before = snapshot(episode, EPISODE_FIELDS)
        episode.end = registration.date
        episode.save(update_fields=["end", "updated_at"])
        return [_effect("update", episode, before, snapshot(episode, EPISODE_FIELDS))]
    record = _typed_record(registration, episode, user, plan_reason)
    if record is None:
        return []
    fields = [f.attname for f in record._meta.concrete_fields]
    return [_effect("create", record, None, snapshot(record, fields))]


def _typed_record(
    registration: Registration, episode: Episode, user: User, plan_reason: str
) -> Any | None:
    """The consent, plan version, outcome or CODEX trajectory a registration creates, if any."""
    kind, data = registration.type, registration.data
    if (kind == "first_contact" and data.get("consent")) or kind in CONSENT_KINDS:
        return Consent.objects.create(
            episode=episode, registration=registration,
            kind=CONSENT_KINDS.get(kind, ConsentKind.GIVEN), date=registration.date,
            form_reference=registration.form_reference, registered_by=user,
        )  # fmt: skip
    if kind == "plan_drawn_up":
        previous = episode.plans.order_by("-number").first()
        return PlanVersion.objects.create(
            episode=episode, number=previous.number + 1 if previous else 1,
            registration=registration, previous=previous,
            objectives=data.get("objectives", []), end_result=data.get("end_result", ""),
            actions=data.get("actions", []), action_by=data.get("action_by", []),
            next_appointment=_as_date(data.get("next_appointment")),
            next_review=_as_date(data.get("next_review")), reason=plan_reason, created_by=user,
        )  # fmt: skip
    if kind in ("trajectory_ended", "trajectory_evaluated"):
        return Outcome.objects.create(
            episode=episode, registration=registration,
            kind=OutcomeKind.ENDED if kind == "trajectory_ended" else OutcomeKind.EVALUATED,
            date=registration.date, outcome=data.get("outcome", ""), evaluation=registration.note,
        )  # fmt: skip
    if kind == "codex_requested":
        return CodexTrajectory.objects.create(
            episode=episode, request=registration, requested_on=registration.date,
            requested_by=data.get("by", ""),
        )  # fmt: skip
    return None


def _project_codex(registration: Registration, episode: Episode) -> list[dict[str, Any]]:
    trajectories = episode.codex_trajectories.filter(in_force_q("request__"))
    trajectory = trajectories.filter(ended_on__isnull=True).order_by("-id").first()
    if registration.type == "work_resumed" and trajectory is None:
        trajectory = trajectories.order_by("-id").first()
    if trajectory is None:
        return []
    fields = [f.attname for f in trajectory._meta.concrete_fields]
    before = snapshot(trajectory, fields)
    _apply_codex_step(trajectory, registration)
    trajectory.version += 1
    trajectory.save()
    return [_effect("update", trajectory, before, snapshot(trajectory, fields))]


def _apply_codex_step(trajectory: CodexTrajectory, registration: Registration) -> None:
    """What one CODEX step registration sets in the trajectory (not saved)."""
    data = registration.data
    if registration.type == "codex_assessed":
        trajectory.decision = data.get("decision", "")
        trajectory.assessed_on = registration.date
    elif registration.type == "codex_plan_delivered":
        trajectory.plan_delivered_on = registration.date
    elif registration.type == "codex_plan_answered":
        trajectory.plan_agreed = data.get("agreed")
        trajectory.plan_answered_on = registration.date
    elif registration.type == "codex_ended":
        trajectory.ended_on = registration.date
        trajectory.definitive_unfitness = data.get("definitive_unfitness")
    elif registration.type == "work_resumed":
        trajectory.work_resumed_on = registration.date
        if trajectory.ended_on is None:
            trajectory.ended_on = registration.date


def _state(status: str) -> str:
    if status in (ObligationState.DONE, ObligationState.VOID):
        return status
    return ObligationState.PENDING


# What a stored obligation holds besides its key (code, sequence) and `computed_on`.
OBLIGATION_VALUES = (
    "actor", "opens", "due", "state", "done_on", "late", "void_reason", "basis", "explanation",
    "explanation_parts", "void", "rule", "triggered_by", "done_by", "late_on_arrival",
    "late_cause", "target",
)  # fmt: skip


def _stored_values(o: Any) -> dict[str, Any]:
    """An engine obligation as the dossier stores it (JSON fields as they read back)."""
    return {
        "actor": o.actor, "opens": o.opens, "due": o.due, "state": _state(o.status),
        "done_on": o.done_on, "late": o.late, "void_reason": o.void_reason or "",
        "basis": list(o.basis), "explanation": o.explanation,
        "explanation_parts": to_json_value([part.to_json() for part in o.why]),
        "void": to_json_value(o.void.to_json()) if o.void is not None else None,
        "rule": o.rule, "triggered_by": list(o.triggered_by), "done_by": o.done_by,
        "late_on_arrival": o.late_on_arrival, "late_cause": o.late_cause or "",
        "target": o.target,
    }  # fmt: skip


def timeline_digest(timeline: Timeline) -> str:
    """A digest of what the dossier stores of a timeline: same digest, same stored rows."""
    rows = [
        [o.code, o.sequence, _stored_values(o)]
        for o in sorted(timeline.obligations, key=lambda o: (o.code, o.sequence))
    ]
    payload = json.dumps(rows, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def store_timelines(
    *, timelines: dict[int, Timeline], versions: dict[int, int], today: date, channel: str
) -> int:
    """Store the timelines the daily run computed for a batch of episodes (by difference, in
    the caller's transaction) with one audit entry for the batch; returns how many changed.
    An episode whose version moved since it was read (a registration came in between and
    stored its own timeline) is left alone. Locks: the audit chain, then the episode rows,
    the one lock order of every writer."""
    if not timelines:
        return 0
    lock_chain()
    episodes = Episode.objects.select_for_update().filter(pk__in=list(timelines)).order_by("pk")
    changes, stored = [], 0
    for episode in episodes:
        if episode.version != versions[episode.pk]:
            continue
        change = _store_timeline(episode, timelines[episode.pk], today, None, channel, False)
        if change is not None:
            stored += 1
        if change:
            changes.append({"episode": episode.pk, "person": episode.person_id, **change})
    if changes:
        append(
            actor=None, action="update", object_type="dossier.episode", object_id=None,
            person_id=None, channel=channel + ":timeline", changes={"episodes": changes},
        )  # fmt: skip
    return stored


def _store_timeline(
    episode: Episode,
    timeline: Timeline,
    today: date,
    user: User | None,
    channel: str,
    audit: bool = True,
) -> dict[str, list[str]] | None:
    """Store the engine's obligations by difference (in the caller's transaction): insert the
    new ones, update the changed ones, delete the gone ones; an unchanged timeline writes
    nothing. upcoming/open/overdue are not stored: they follow from the date. Returns the
    change of the obligations' states and terms ({before, after}); {} when only texts changed;
    None when nothing did. Audits it unless `audit` is False (the caller puts it in its own
    entry)."""
    digest = timeline_digest(timeline)
    if digest == episode.timeline_digest:
        return None
    stored = {(o.code, o.sequence): o for o in Obligation.objects.filter(episode=episode)}
    old = sorted(f"{o.code}#{o.sequence}:{o.state}:{o.due}" for o in stored.values())
    created: list[Obligation] = []
    changed: list[Obligation] = []
    for o in timeline.obligations:
        values = _stored_values(o)
        row = stored.pop((o.code, o.sequence), None)
        if row is None:
            created.append(Obligation(episode=episode, code=o.code, sequence=o.sequence, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    Episode.objects.filter(pk=episode.pk).update(timeline_digest=digest)
    episode.timeline_digest = digest
    if not (created or changed or stored):
        return None
    if stored:
        Obligation.objects.filter(pk__in=[o.pk for o in stored.values()]).delete()
    Obligation.objects.bulk_update(changed, OBLIGATION_VALUES)
    for row in created:
        row.computed_on = today
    Obligation.objects.bulk_create(created)
    Obligation.objects.filter(episode=episode).exclude(computed_on=today).update(computed_on=today)
    new = sorted(f"{o.code}#{o.sequence}:{_state(o.status)}:{o.due}" for o in timeline.obligations)
    if new == old:
        return {}  # rows changed (texts, bases), not the states or terms: not audited
    if audit:
        audit_write(
            actor=user, action="update", obj=episode, before={"obligations": old},
            after={"obligations": new}, channel=channel + ":timeline",
        )  # fmt: skip
    return {"before": old, "after": new}


def obligation_rows(episode: Episode, timeline: Timeline, today: date) -> list[Obligation]:
    """The engine's obligations as new rows of `episode` (unsaved; for the bulk import)."""
    return [
        Obligation(
            episode=episode,
            code=o.code,
            sequence=o.sequence,
            computed_on=today,
            **_stored_values(o),
        )
        for o in timeline.obligations
    ]


@transaction.atomic
def recompute_timeline(
    *, user: User | None, episode_id: int, today: date | None = None, channel: str = SERVICE
) -> Episode:
    """Recompute an episode's stored obligations as of `today` (e.g. after a rules update, or
    daily, since a general exception such as the pension-age exclusion can start without a
    new registration). Not a change by a user: the version stays, but the episode row is
    locked (after the audit chain, the one lock order) so a registration in progress is not
    interleaved."""
    if user is not None:
        _episode(user, episode_id, Cap.EDIT_PERSON, act=False)
    elif not Episode.objects.filter(pk=episode_id).exists():
        raise NotFound("incapacity episode")
    today = _today(today)
    lock_chain()
    episode = Episode.objects.select_for_update().select_related("person").get(pk=episode_id)
    events = _events_in_force(episode)
    _store_timeline(episode, evaluate(episode_facts(episode, events), today), today, user, channel)
    return episode


# --- Corrections and annulments (docs/architecture.md, "Corrections") ------------------------

AMENDMENT_REASON_MIN, AMENDMENT_REASON_MAX = 10, 1000
CODEX_FIELDS_RESET = {
    "decision": "", "assessed_on": None, "plan_delivered_on": None, "plan_agreed": None,
    "plan_answered_on": None, "ended_on": None, "definitive_unfitness": None,
    "work_resumed_on": None,
}  # fmt: skip


def _amendment_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not AMENDMENT_REASON_MIN <= len(reason) <= AMENDMENT_REASON_MAX:
        raise ValidationError(
            f"give the reason in {AMENDMENT_REASON_MIN} to {AMENDMENT_REASON_MAX} characters",
            code="amendment_reason",
        )
    return reason


def _amendable(
    user: User, registration_id: int, expected_version: int, channel: str
) -> tuple[Registration, Episode, str]:
    """The registration to correct or annul, its episode claimed at `expected_version`, and the
    audit channel. The user's role must register that kind of registration and act on the
    episode (assigned, or by breaking the glass); only a registration in force is amended."""
    row = Registration.objects.filter(pk=registration_id).values("episode_id", "type").first()
    if row is None:
        raise NotFound("registration")
    episode, access = _episode(
        user, row["episode_id"], *capabilities_for_event(row["type"]), act=True
    )
    claim(Episode, episode.pk, expected_version, _person_label(episode.person))
    episode.refresh_from_db()
    original = Registration.objects.get(pk=registration_id)
    if not episode.registrations.in_force().filter(pk=original.pk).exists():
        raise ValidationError(
            "this registration was corrected or annulled already: amend the one in force",
            code="not_in_force",
        )
    return original, episode, access.channel(channel)


def _amended_facts(
    episode: Episode, kept: list[Registration], original: Registration,
    new: dict[str, Any] | None, today: date,
) -> tuple[Facts, Timeline]:  # fmt: skip
    """The facts and timeline with `original` replaced by `new` (a correction) or left out
    (`new` None: an annulment), or the refusal: malformed, a violation of the corrected fact
    itself, or one it causes in another registration in force."""
    others = [r for r in kept if r.pk != original.pk]
    events = [r.to_contract() for r in others] + ([new] if new is not None else [])
    try:
        facts = episode_facts(episode, events)
    except FactsError as error:
        where = str(error).replace(f"events[{len(others)}] ", "")
        raise ValidationError(f"Correction refused: {where}", code="invalid_input") from None
    timeline = evaluate(facts, today)
    if new is not None:
        own = [_refusal(v, new["type"], new["date"]) for v in timeline.violations
               if v.event_index == len(others)]  # fmt: skip
        if own:
            raise RegistrationRefused(own)
    before = evaluate(episode_facts(episode, [r.to_contract() for r in kept]), today)
    had = {(kept[v.event_index].pk, v.code) for v in before.violations if v.event_index is not None}
    broken = [
        _invalidated(v, events[v.event_index])
        for v in timeline.violations
        if v.event_index is not None and v.event_index < len(others)
        and (others[v.event_index].pk, v.code) not in had
    ]  # fmt: skip
    if broken:
        raise RegistrationRefused(broken)
    return facts, timeline


def _reproject(
    record: Registration, original: Registration, episode: Episode, user: User
) -> list[dict[str, Any]]:
    """Keep the typed records in step with an amendment: a correction makes its own (a new
    consent, plan version, outcome or CODEX request); the episode end and the CODEX
    trajectories are recomputed from the registrations in force. Records of a registration no
    longer in force stay (immutable) and are no longer read as current."""
    effects: list[dict[str, Any]] = []
    if record.amendment == Amendment.CORRECTS and record.type not in (
        *CODEX_STEPS,
        "incapacity_ended",
    ):
        effects += _project(record, episode, user, record.reason)
    if original.type == "incapacity_ended":
        before = snapshot(episode, EPISODE_FIELDS)
        last = episode.registrations.in_force().filter(type="incapacity_ended")
        episode.end = last.order_by("-position").values_list("date", flat=True).first()
        episode.save(update_fields=["end", "updated_at"])
        effects.append(_effect("update", episode, before, snapshot(episode, EPISODE_FIELDS)))
    if original.type in (*CODEX_STEPS, "codex_requested"):
        effects += _rebuild_codex(episode)
    return effects


def _rebuild_codex(episode: Episode) -> list[dict[str, Any]]:
    """Recompute the CODEX trajectories of the requests in force from the steps in force."""
    trajectories = {t.request_id: t for t in episode.codex_trajectories.filter(
        in_force_q("request__"))}  # fmt: skip
    fields = [f.attname for f in CodexTrajectory._meta.concrete_fields]
    before = {t.pk: snapshot(t, fields) for t in trajectories.values()}
    for trajectory in trajectories.values():
        for name, value in CODEX_FIELDS_RESET.items():
            setattr(trajectory, name, value)
    current = None
    for registration in episode.registrations.in_force().order_by("position"):
        if registration.type == "codex_requested":
            current = trajectories.get(registration.pk)
        elif (
            registration.type in CODEX_STEPS
            and current is not None
            and (current.ended_on is None or registration.type == "work_resumed")
        ):
            _apply_codex_step(current, registration)
    effects = []
    for trajectory in trajectories.values():
        if snapshot(trajectory, fields) != before[trajectory.pk]:
            trajectory.version += 1
            trajectory.save()
            after = snapshot(trajectory, fields)
            effects.append(_effect("update", trajectory, before[trajectory.pk], after))
    return effects


def _store_amendment(
    user: User, original: Registration, episode: Episode, timeline: Timeline, today: date,
    channel: str, **values: Any,
) -> Registration:  # fmt: skip
    """Store a correction or annulment record of `original`, keep the typed records in step,
    store the recomputed timeline; one audit entry with the original and the reason."""
    record = Registration.objects.create(
        episode=episode, position=_next_position(episode), corrects=original,
        registered_by=user, shared_with_coordinator=original.shared_with_coordinator, **values,
    )  # fmt: skip
    changes: dict[str, Any] = {
        "amends": snapshot(original, REGISTRATION_FIELDS),
        "after": snapshot(record, (*REGISTRATION_FIELDS, "amendment", "corrects_id", "reason")),
    }
    effects = _reproject(record, original, episode, user)
    if effects:
        changes["effects"] = effects
    obligations = _store_timeline(episode, timeline, today, user, channel, audit=False)
    if obligations:
        changes["obligations"] = obligations
    append(
        actor=user, action="create", object_type="dossier.registration", object_id=record.pk,
        person_id=episode.person_id, channel=channel, changes=changes,
        medical=original.type in MEDICAL_FIELDS,
    )  # fmt: skip
    return record


@transaction.atomic
def correct_registration(
    *, user: User, registration_id: int, expected_version: int, reason: str, on: date,
    fields: dict[str, Any] | None = None, note: str = "", form_reference: str = "",
    today: date | None = None, channel: str = SERVICE,
) -> Registration:  # fmt: skip
    """Correct a registration: a new registration of the same type with the corrected date,
    fields, note and form reference, pointing to the one it corrects, with a reason. The
    engine evaluates the corrected facts: refused (RegistrationRefused) when the corrected
    fact breaks the law or takes the legal effect away from another registration; the
    original stays, marked corrected. Also ConflictError, PermissionDenied, ValidationError
    (reason, input, not in force, signed form), NotFound, as `register_event`."""
    reason = _amendment_reason(reason)
    original, episode, channel = _amendable(user, registration_id, expected_version, channel)
    _check_arguments(original.type, fields or {})
    today = _today(today)
    kept = list(episode.registrations.in_force().order_by("position"))
    new = {"type": original.type, "date": _json_ready(on)}
    new.update({name: _json_ready(value) for name, value in (fields or {}).items()})
    facts, timeline = _amended_facts(episode, kept, original, new, today)
    _require_signed_form(original.type, fields or {}, form_reference)
    fact = facts.events[len(kept) - 1]
    data = {k: v for k, v in fact.to_json().items() if k not in ("type", "date")}
    return _store_amendment(
        user, original, episode, timeline, today, channel, type=original.type, date=fact.date,
        data=data, note=note, form_reference=form_reference, amendment=Amendment.CORRECTS,
        reason=reason,
    )  # fmt: skip


@transaction.atomic
def annul_registration(
    *, user: User, registration_id: int, expected_version: int, reason: str,
    today: date | None = None, channel: str = SERVICE,
) -> Registration:  # fmt: skip
    """Annul a registration (registered by mistake): a new record pointing to it, with a
    reason; the engine evaluates the facts without it. Refused (RegistrationRefused,
    `invalidates_registration`) when another registration in force needs it: annul or correct
    that one first. The original stays, marked annulled."""
    reason = _amendment_reason(reason)
    original, episode, channel = _amendable(user, registration_id, expected_version, channel)
    today = _today(today)
    kept = list(episode.registrations.in_force().order_by("position"))
    _facts, timeline = _amended_facts(episode, kept, original, None, today)
    return _store_amendment(
        user, original, episode, timeline, today, channel, type=original.type,
        date=original.date, data={}, amendment=Amendment.ANNULS, reason=reason,
    )  # fmt: skip


# --- Plans and consent: the usual registrations by name --------------------------------------


def draw_up_plan(
    *,
    user: User,
    episode_id: int,
    expected_version: int,
    on: date,
    objectives: list[str],
    end_result: str,
    actions: list[str],
    next_appointment: date | None,
    next_review: date | None = None,
    reason: str = "",
    today: date | None = None,
    action_by: list[str] | None = None,
) -> PlanVersion:
    """Draw up the re-integration plan, or adjust it: each call stores a new version.
    `action_by`: who does each action (tnw.rules.facts.PLAN_ACTORS), one per action."""
    fields: dict[str, Any] = {
        "objectives": list(objectives),
        "end_result": end_result,
        "actions": list(actions),
    }
    if action_by:
        fields["action_by"] = list(action_by)
    if next_appointment is not None:
        fields["next_appointment"] = next_appointment
    if next_review is not None:
        fields["next_review"] = next_review
    registration = register_event(
        user=user,
        episode_id=episode_id,
        expected_version=expected_version,
        event_type="plan_drawn_up",
        on=on,
        fields=fields,
        plan_reason=reason,
        today=today,
    )
    return registration.plan_version


def give_consent(
    *, user: User, episode_id: int, expected_version: int, on: date, form_reference: str,
    today: date | None = None,
) -> Consent:  # fmt: skip
    if not form_reference.strip():
        raise ValidationError("give the reference of the signed consent form (Annex III)")
    registration = register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type="consent_given", on=on, form_reference=form_reference, today=today,
    )  # fmt: skip
    return registration.consent_record


def withdraw_consent(
    *, user: User, episode_id: int, expected_version: int, on: date, form_reference: str = "",
    today: date | None = None, channel: str = SERVICE,
) -> Consent:  # fmt: skip
    registration = register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type="consent_withdrawn", on=on, form_reference=form_reference, today=today,
        channel=channel,
    )  # fmt: skip
    return registration.consent_record


def close_episode(
    *, user: User, episode_id: int, expected_version: int, on: date, note: str = "",
    today: date | None = None, channel: str = SERVICE,
) -> Episode:  # fmt: skip
    """Close an incapacity episode: the end of the incapacity (`incapacity_ended`, the advising
    physician's registration), checked by the engine like any registration; sets the end."""
    registration = register_event(
        user=user, episode_id=episode_id, expected_version=expected_version,
        event_type="incapacity_ended", on=on, note=note, today=today, channel=channel,
    )  # fmt: skip
    return Episode.objects.get(pk=registration.episode_id)


# --- Health data (advising physician) -------------------------------------------------------


@transaction.atomic
def record_health(
    *,
    user: User,
    episode_id: int,
    kind: str,
    text: str,
    recorded_on: date,
    relevant_to_trajectory: bool = False,
    channel: str = SERVICE,
) -> HealthRecord:
    episode, access = _episode(user, episode_id, Cap.RECORD_HEALTH, act=True)
    channel = access.channel(channel)
    record = HealthRecord(
        episode=episode,
        kind=kind,
        text=text,
        recorded_on=recorded_on,
        relevant_to_trajectory=relevant_to_trajectory,
        recorded_by=user,
    )
    save_audited(record, actor=user, fields=HEALTH_FIELDS, channel=channel, medical=True)
    return record


@transaction.atomic
def set_health_relevance(
    *, user: User, record_id: int, expected_version: int, relevant: bool, channel: str = SERVICE
) -> HealthRecord:
    """The advising physician marks health data as relevant to the trajectory (or not)."""
    episode_id = HealthRecord.objects.filter(pk=record_id).values_list("episode_id", flat=True)
    _, access = _episode(user, episode_id.first() or 0, Cap.RECORD_HEALTH, act=True)
    channel = access.channel(channel)
    record = HealthRecord.objects.get(pk=record_id)
    claim(HealthRecord, record.pk, expected_version, "this health record")
    record.refresh_from_db()
    before = snapshot(record, HEALTH_FIELDS)
    record.relevant_to_trajectory = relevant
    save_audited(
        record, actor=user, fields=HEALTH_FIELDS, channel=channel, before=before, clean=False,
        update_fields=["relevant_to_trajectory"], medical=True,
    )  # fmt: skip
    return record


@transaction.atomic
def share_registration(
    *, user: User, registration_id: int, shared: bool, channel: str = SERVICE
) -> Registration:
    """The advising physician shares (or unshares) a registration's health data with the
    coordinator (e.g. the category of the estimate)."""
    episode_id = Registration.objects.filter(pk=registration_id).values_list(
        "episode_id", flat=True
    )
    _, access = _episode(user, episode_id.first() or 0, Cap.RECORD_HEALTH, act=True)
    channel = access.channel(channel)
    registration = Registration.objects.select_related("episode").get(pk=registration_id)
    before = snapshot(registration, REGISTRATION_FIELDS)
    registration.shared_with_coordinator = shared
    save_audited(
        registration, actor=user, fields=REGISTRATION_FIELDS, channel=channel, before=before,
        clean=False, update_fields=["shared_with_coordinator"],
        person_id=registration.episode.person_id, medical=True,
    )  # fmt: skip
    return registration


# --- Career data ----------------------------------------------------------------------------


@transaction.atomic
def add_career_entry(
    *, user: User, person_id: int, channel: str = SERVICE, **values: Any
) -> CareerEntry:
    person = _person(user, person_id, Cap.EDIT_CAREER)
    channel = _acting_channel(user, person, channel)
    _reject_unknown(values, CAREER_EDITABLE, "unknown career fields: ")
    entry = CareerEntry(person=person, recorded_by=user, **values)
    save_audited(entry, actor=user, fields=CAREER_FIELDS, channel=channel)
    return entry


def _acting_channel(user: User, person: Person, channel: str) -> str:
    """Career data is part of the dossier: a coordinator of one of the person's episodes (or
    one who broke the glass for it) records it. The audit channel, marked when by the glass."""
    episodes = Episode.objects.filter(person=person).order_by("-start", "-pk")
    if not episodes.exists():
        return channel
    accesses = [access_of(user, episode) for episode in episodes]
    if any(access.assigned for access in accesses):
        return channel
    glass = next((access for access in accesses if access.acts), None)
    if glass is None:
        raise NotAssigned(episodes.first().pk)
    return glass.channel(channel)


# --- Break the glass ------------------------------------------------------------------------

GLASS_REASON_MIN, GLASS_REASON_MAX = 10, 1000


@transaction.atomic
def break_the_glass(
    *, user: User, episode_id: int, reason: str, channel: str = SERVICE
) -> GlassBreak:
    """Open an episode that is not assigned to the user (a coordinator or advising physician
    of its mutuality) for GLASS_OPEN_FOR, giving a reason. The access is audited as such and
    listed for the managers to review (`selectors.glass_breaks`)."""
    reason = " ".join(reason.split())
    if not GLASS_REASON_MIN <= len(reason) <= GLASS_REASON_MAX:
        raise ValidationError(
            f"give the reason in {GLASS_REASON_MIN} to {GLASS_REASON_MAX} characters",
            code="glass_reason",
        )
    episode, access = _episode(user, episode_id, Cap.BREAK_GLASS, act=False)
    if access.assigned:
        raise ValidationError("this episode is assigned to you already", code="assigned")
    now = timezone.now()
    glass = GlassBreak.objects.create(
        user=user, episode=episode, reason=reason, at=now, until=now + GLASS_OPEN_FOR
    )
    audit_write(
        actor=user, action="create", obj=glass, before=None,
        after={"break_glass": True, "episode_id": episode.pk, "reason": reason,
               "until": glass.until.isoformat()},
        channel=f"{channel}:{BREAK_GLASS_CHANNEL}", person_id=episode.person_id,
    )  # fmt: skip
    return glass


# --- The agenda: appointments with the person ------------------------------------------------

APPOINTMENT_FIELDS = (
    "episode_id", "kind", "holder_id", "starts_at", "minutes", "mode", "place", "note",
    "outcome", "outcome_note", "moved_to_id", "version",
)  # fmt: skip


def appointment_caps(kind: str) -> tuple[Cap, ...]:
    """Who schedules an appointment: the physician a medical exam, the coordinator the rest."""
    if kind == "medical_exam":
        return (Cap.REGISTER_MEDICAL,)
    return (Cap.REGISTER_COORDINATION,)


def _check_appointment(episode: Episode, kind: str, mode: str, place: str, at: datetime) -> User:
    """The appointment's holder (the episode's coordinator, or its physician for a medical
    exam), or a ValidationError naming the field."""
    if kind not in AppointmentKind.values or mode not in AppointmentMode.values:
        raise ValidationError("unknown kind or mode of appointment", code="invalid_input")
    if mode == "physical" and not place.strip():
        raise ValidationError("give the place of a meeting in person", code="place_required")
    if episode.end is not None and timezone.localdate(at) > episode.end:
        raise ValidationError("the incapacity ended before this day", code="after_end")
    medical = kind == "medical_exam"
    holder = episode.advising_physician if medical else episode.coordinator
    if holder is None:
        raise ValidationError("no one is assigned to hold it", code="no_holder")
    return holder


@transaction.atomic
def schedule_appointment(
    *, user: User, episode_id: int, kind: str, starts_at: datetime, mode: str,
    place: str = "", note: str = "", minutes: int = 45, channel: str = SERVICE,
) -> Appointment:  # fmt: skip
    """Put an appointment with the person on the agenda of the episode's coordinator (or its
    physician, for a medical examination); audited."""
    episode, access = _episode(user, episode_id, *appointment_caps(kind), act=True)
    channel = access.channel(channel)
    holder = _check_appointment(episode, kind, mode, place, starts_at)
    appointment = Appointment(
        episode=episode, kind=kind, holder=holder, starts_at=starts_at, minutes=minutes,
        mode=mode, place=place.strip(), note=note.strip(), created_by=user,
    )  # fmt: skip
    save_audited(appointment, actor=user, fields=APPOINTMENT_FIELDS, channel=channel)
    return appointment


@transaction.atomic
def record_appointment_outcome(
    *, user: User, appointment_id: int, expected_version: int, outcome: str, note: str = "",
    moved_to: datetime | None = None, now: datetime | None = None, channel: str = SERVICE,
) -> Appointment:  # fmt: skip
    """The outcome of an appointment: held or absent (once it has begun), or moved to a new
    day and time (a new appointment, linked). Once only; ConflictError on a stale version."""
    row = Appointment.objects.filter(pk=appointment_id).values("episode_id", "kind").first()
    if row is None:
        raise NotFound("appointment")
    episode, access = _episode(user, row["episode_id"], *appointment_caps(row["kind"]), act=True)
    channel = access.channel(channel)
    claim(Appointment, appointment_id, expected_version, "this appointment")
    appointment = Appointment.objects.get(pk=appointment_id)
    before = snapshot(appointment, APPOINTMENT_FIELDS)
    if outcome not in AppointmentOutcome.values or not outcome:
        raise ValidationError("unknown outcome", code="invalid_input")
    if appointment.outcome:
        raise ValidationError("the outcome is registered already", code="outcome_known")
    if outcome != "moved" and appointment.starts_at > (now or timezone.now()):
        raise ValidationError("the appointment has not begun yet", code="not_yet")
    if outcome == "moved":
        if moved_to is None:
            raise ValidationError("give the new day and time", code="moved_to_required")
        _check_appointment(episode, appointment.kind, appointment.mode, appointment.place, moved_to)
        appointment.moved_to = Appointment.objects.create(
            episode=episode, kind=appointment.kind, holder=appointment.holder, starts_at=moved_to,
            minutes=appointment.minutes, mode=appointment.mode, place=appointment.place,
            note=appointment.note, created_by=user,
        )  # fmt: skip
    appointment.outcome, appointment.outcome_note = outcome, note.strip()[:500]
    save_audited(
        appointment, actor=user, fields=APPOINTMENT_FIELDS, channel=channel, before=before,
        clean=False,
    )  # fmt: skip
    return appointment


# --- The reports' stored figures -------------------------------------------------------------


def refresh_report_figures(*, today: date) -> dict[str, Any]:
    """Rebuild the reports' stored figures as of `today` (tnw.dossier.figures: aggregates only,
    exact for the periods they answer). Run by `tnw daily` and `tnw report refresh`."""
    from tnw.dossier import figures  # figures -> statistics -> selectors: imported when used

    done = figures.refresh(today=today)
    return {"as_of": done.as_of, "seconds": done.seconds, "rows": done.rows}
