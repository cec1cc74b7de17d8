"""Reads of the TNW-dossier, filtered by role (medical secrecy) and mutuality.

Every read of a person's dossier writes an audit entry (who, whose dossier, what, through
what). Obligation status upcoming/open/overdue is derived here from the date, never stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import (
    MEDICAL_FIELDS,
    QUESTIONNAIRE_EVENTS,
    QUESTIONNAIRE_OBLIGATIONS,
    Cap,
    has,
    require,
)
from tnw.audit.services import append, audit_read
from tnw.dossier.facts import episode_facts
from tnw.dossier.identity import format_insz
from tnw.dossier.models import Episode, Obligation, ObligationState, Person, Registration
from tnw.rules import evaluate
from tnw.rules.facts import MEDICAL_EXEMPTION_REASONS

# Obligations whose very existence reveals the physician's categorisation (health data).
MEDICAL_OBLIGATIONS = frozenset({"category1_reexamination", "category3_examination"})
REDACTED = "(health data: restricted to the advising physician)"


def obligation_status(obligation: Obligation, today: date) -> str:
    """upcoming / open / overdue / done / void, as of `today`."""
    if obligation.state != ObligationState.PENDING:
        return obligation.state
    if today < obligation.opens:
        return "upcoming"
    if obligation.due is not None and today > obligation.due:
        return "overdue"
    return "open"


def with_status(queryset: QuerySet[Obligation], today: date) -> QuerySet[Obligation]:
    """Annotate `status` in the database (for worklists that filter or sort on it)."""
    return queryset.annotate(
        status=Case(
            When(state=ObligationState.DONE, then=Value("done")),
            When(state=ObligationState.VOID, then=Value("void")),
            When(opens__gt=today, then=Value("upcoming")),
            When(due__lt=today, then=Value("overdue")),
            default=Value("open"),
            output_field=CharField(),
        )
    )


def _person_for(user: User, person_id: int, *caps: Cap) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise ObjectDoesNotExist(f"no person with id {person_id}")
    require(user, *caps, mutuality_id=person.mutuality_id)
    return person


@dataclass(frozen=True)
class Visibility:
    identity: bool
    registrations: bool
    questionnaire: bool
    health_all: bool
    health_shared: bool
    career: bool
    plans: bool
    consents: bool
    timeline: bool

    @classmethod
    def of(cls, user: User) -> Visibility:
        return cls(
            identity=has(user, Cap.VIEW_IDENTITY),
            registrations=has(user, Cap.VIEW_REGISTRATIONS),
            questionnaire=has(user, Cap.VIEW_QUESTIONNAIRE),
            health_all=has(user, Cap.VIEW_HEALTH_ALL),
            health_shared=has(user, Cap.VIEW_HEALTH_SHARED),
            career=has(user, Cap.VIEW_CAREER),
            plans=has(user, Cap.VIEW_PLANS),
            consents=has(user, Cap.VIEW_CONSENTS),
            timeline=has(user, Cap.VIEW_TIMELINE),
        )

    def sees_registration(self, registration: Registration) -> bool:
        return self.registrations or (
            self.questionnaire and registration.type in QUESTIONNAIRE_EVENTS
        )

    def sees_health_of(self, registration: Registration) -> bool:
        return self.health_all or (self.health_shared and registration.shared_with_coordinator)

    def sees_obligation(self, obligation: Obligation) -> bool:
        if obligation.code in MEDICAL_OBLIGATIONS and not self.health_all:
            return False
        return self.timeline or (
            self.questionnaire and obligation.code in QUESTIONNAIRE_OBLIGATIONS
        )


def _identity(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "insz": person.insz,
        "insz_display": format_insz(person.insz),
        "number_kind": person.number_kind,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "language": person.language,
        "street": person.street,
        "postal_code": person.postal_code,
        "city": person.city,
        "country": person.country,
        "phone": person.phone,
        "email": person.email,
        "mutuality": person.mutuality_id,
        "version": person.version,
    }


def _registration(registration: Registration, seen: Visibility) -> dict[str, Any]:
    data = dict(registration.data)
    medical = MEDICAL_FIELDS.get(registration.type, frozenset())
    if medical and not seen.sees_health_of(registration):
        for name in medical:
            if name in data:
                data[name] = REDACTED
    out = {
        "id": registration.pk,
        "position": registration.position,
        "type": registration.type,
        "date": registration.date,
        "data": data,
        "form_reference": registration.form_reference,
        "registered_by": registration.registered_by.username,
        "registered_at": registration.registered_at,
    }
    if seen.registrations:
        out["note"] = registration.note
    if seen.health_all:
        out["shared_with_coordinator"] = registration.shared_with_coordinator
    return out


def _without_health_data(text: str) -> str:
    """The engine names the medical exemption reason in its texts; only the physician sees it."""
    for reason in MEDICAL_EXEMPTION_REASONS:
        text = text.replace(reason.replace("_", " "), "a medical reason")
    return text


# Parameters of the engine's messages that are health data (only the physician sees them).
MEDICAL_PARAMS = {"void.medical_exemption": frozenset({"reason"})}
NO_LONGER_REQUIRED = "no longer required"


def _message_without_health_data(message: dict[str, Any]) -> dict[str, Any]:
    """An engine message ({key, params}) without its health-data parameters."""
    hidden = MEDICAL_PARAMS.get(message.get("key", ""), frozenset())
    params = {k: v for k, v in (message.get("params") or {}).items() if k not in hidden}
    return {"key": message.get("key", ""), "params": params}


def _obligation(obligation: Obligation, today: date, seen: Visibility) -> dict[str, Any]:
    clean = (lambda text: text) if seen.health_all else _without_health_data
    clean_message = (lambda m: m) if seen.health_all else _message_without_health_data
    return {
        "id": obligation.pk,
        "code": obligation.code,
        "actor": obligation.actor,
        "sequence": obligation.sequence,
        "opens": obligation.opens,
        "due": obligation.due,
        "status": obligation_status(obligation, today),
        "done_on": obligation.done_on,
        "late": obligation.late,
        # Staff only learn that a questionnaire step is no longer needed, not why (the why
        # can be a medical exemption, itself health data).
        "void_reason": (
            clean(obligation.void_reason)
            if seen.registrations or not obligation.void_reason
            else NO_LONGER_REQUIRED
        ),
        # The same as messages with a key and parameters, for the screens to translate.
        "void": (
            clean_message(obligation.void) if obligation.void and seen.registrations else None
        ),
        "basis": obligation.basis,
        "explanation": clean(obligation.explanation),
        "explanation_parts": [clean_message(part) for part in obligation.explanation_parts or []],
        "rule": obligation.rule,
    }


def _episode(episode: Episode, seen: Visibility, today: date) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": episode.pk,
        "start": episode.start,
        "end": episode.end,
        "employment_contract": episode.employment_contract,
        "employer_name": episode.employer_name,
        "coordinator": episode.coordinator.username if episode.coordinator else None,
        "advising_physician": (
            episode.advising_physician.username if episode.advising_physician else None
        ),
        "version": episode.version,
    }
    registrations = list(episode.registrations.select_related("registered_by"))
    out["registrations"] = [
        _registration(r, seen) for r in registrations if seen.sees_registration(r)
    ]
    out["obligations"] = [
        _obligation(o, today, seen) for o in episode.obligations.all() if seen.sees_obligation(o)
    ]
    if seen.registrations:
        out["stage"] = stage_of(r.type for r in registrations)
    if seen.plans:
        out["plans"] = [
            {
                "number": p.number,
                "date": p.registration.date,
                "objectives": p.objectives,
                "end_result": p.end_result,
                "actions": p.actions,
                "next_appointment": p.next_appointment,
                "next_review": p.next_review,
                "reason": p.reason,
                "created_by": p.created_by.username,
            }
            for p in episode.plans.select_related("registration", "created_by")
        ]
    if seen.consents:
        out["consents"] = [
            {"kind": c.kind, "date": c.date, "form_reference": c.form_reference}
            for c in episode.consents.all()
        ]
    if seen.registrations:
        out["codex"] = [
            {
                "requested_on": c.requested_on,
                "requested_by": c.requested_by,
                "decision": c.decision,
                "plan_agreed": c.plan_agreed,
                "ended_on": c.ended_on,
                "definitive_unfitness": c.definitive_unfitness,
                "work_resumed_on": c.work_resumed_on,
            }
            for c in episode.codex_trajectories.all()
        ]
        out["outcomes"] = [
            {"kind": o.kind, "date": o.date, "outcome": o.outcome, "evaluation": o.evaluation}
            for o in episode.outcomes.all()
        ]
    if seen.health_all or seen.health_shared:
        records = episode.health_records.all()
        if not seen.health_all:
            records = records.filter(relevant_to_trajectory=True)
        out["health"] = [
            {
                "id": h.pk,
                "kind": h.kind,
                "text": h.text,
                "recorded_on": h.recorded_on,
                "relevant_to_trajectory": h.relevant_to_trajectory,
                "version": h.version,
            }
            for h in records
        ]
    if seen.timeline:
        out["presumptions"] = [p.to_json() for p in _timeline(episode, registrations, today)]
    return out


def _timeline(episode: Episode, registrations: list[Registration], today: date):
    facts = episode_facts(episode, [r.to_contract() for r in registrations])
    return evaluate(facts, today).presumptions


STAGES = (
    ("trajectory_evaluated", "evaluated"),
    ("trajectory_ended", "trajectory ended"),
    ("plan_drawn_up", "ZIV: plan follow-up"),
    ("ziv_started", "ZIV: started, plan pending"),
    ("codex_requested", "CODEX trajectory"),
    ("permission_requested", "routing B: permission"),
    ("first_contact", "first contact held"),
    ("referred_to_coordinator", "routing A: referred"),
    ("spontaneous_request", "routing B: request"),
    ("capacity_assessed", "routing A: estimated"),
    ("questionnaire_received", "routing A: questionnaire received"),
    ("questionnaire_sent", "routing A: questionnaire sent"),
    ("medical_exemption", "exempted (medical)"),
)


def stage_of(types) -> str:
    """A coarse label of how far an episode got (for lists and figures)."""
    seen = set(types)
    if "incapacity_ended" in seen:
        return "incapacity ended"
    for event_type, label in STAGES:
        if event_type in seen:
            return label
    return "new incapacity"


@transaction.atomic
def get_dossier(
    *, user: User, person_id: int, channel: str = "selector", today: date | None = None
) -> dict[str, Any]:
    """The TNW-dossier of one person as `user` may see it; the read is audited."""
    person = _person_for(user, person_id, Cap.VIEW_IDENTITY)
    today = today or timezone.localdate()
    seen = Visibility.of(user)
    episodes = Episode.objects.filter(person=person).select_related(
        "coordinator", "advising_physician"
    )
    dossier: dict[str, Any] = {
        "person": _identity(person),
        "episodes": [_episode(e, seen, today) for e in episodes],
    }
    if seen.career:
        dossier["career"] = [
            {
                "id": c.pk,
                "employer": c.employer,
                "job_title": c.job_title,
                "sector": c.sector,
                "start": c.start,
                "end": c.end,
                "working_time_percent": c.working_time_percent,
                "version": c.version,
            }
            for c in person.career.all()
        ]
    audit_read(actor=user, person_id=person.pk, what="dossier", channel=channel)
    return dossier


@transaction.atomic
def get_timeline(
    *, user: User, episode_id: int, channel: str = "selector", today: date | None = None
) -> list[dict[str, Any]]:
    """The obligations of one episode with their status as of `today`; the read is audited."""
    episode = Episode.objects.select_related("person").filter(pk=episode_id).first()
    if episode is None:
        raise ObjectDoesNotExist(f"no incapacity episode with id {episode_id}")
    require(
        user, Cap.VIEW_TIMELINE, Cap.VIEW_QUESTIONNAIRE, mutuality_id=episode.person.mutuality_id
    )
    today = today or timezone.localdate()
    seen = Visibility.of(user)
    rows = [
        _obligation(o, today, seen) for o in episode.obligations.all() if seen.sees_obligation(o)
    ]
    audit_read(actor=user, person_id=episode.person_id, what="timeline", channel=channel)
    return rows


@transaction.atomic
def search_people(
    *, user: User, text: str = "", limit: int = 50, channel: str = "selector"
) -> list[dict[str, Any]]:
    """Find people of the user's mutuality by name or INSZ (identity only). The search is
    audited too: what was asked and whose names came back."""
    require(user, Cap.VIEW_IDENTITY, mutuality_id=user.mutuality_id)
    queryset = Person.objects.filter(mutuality_id=user.mutuality_id)
    text = text.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(last_name__icontains=text) | Q(first_name__icontains=text)
        if len(digits) >= 6:
            condition |= Q(insz__startswith=digits)
        queryset = queryset.filter(condition)
    found = [
        {"id": p.pk, "name": f"{p.last_name} {p.first_name}", "insz": format_insz(p.insz)}
        for p in queryset[:limit]
    ]
    append(
        actor=user,
        action="read",
        object_type="dossier.search",
        object_id=None,
        person_id=None,
        channel=channel,
        changes={"search": text, "found": [row["id"] for row in found]},
    )
    return found


def figures(*, user: User, today: date | None = None) -> dict[str, Any]:
    """Anonymous figures for the user's mutuality: no names, no numbers, no health data."""
    require(user, Cap.VIEW_FIGURES, mutuality_id=user.mutuality_id)
    today = today or timezone.localdate()
    episodes = Episode.objects.filter(person__mutuality_id=user.mutuality_id)
    stages: Counter[str] = Counter()
    types_by_episode: dict[int, set[str]] = {}
    for episode_id, event_type in Registration.objects.filter(
        episode__person__mutuality_id=user.mutuality_id
    ).values_list("episode_id", "type"):
        types_by_episode.setdefault(episode_id, set()).add(event_type)
    for episode_id in episodes.values_list("id", flat=True):
        stages[stage_of(types_by_episode.get(episode_id, set()))] += 1
    obligations = with_status(
        Obligation.objects.filter(episode__person__mutuality_id=user.mutuality_id), today
    )
    by_status = {
        row["status"]: row["n"]
        for row in obligations.values("status").annotate(n=Count("id")).order_by()
    }
    late = obligations.filter(state=ObligationState.DONE, late=True).count()
    return {
        "people": Person.objects.filter(mutuality_id=user.mutuality_id).count(),
        "episodes": episodes.count(),
        "open_episodes": episodes.filter(end__isnull=True).count(),
        "episodes_by_stage": dict(sorted(stages.items())),
        "obligations_by_status": dict(sorted(by_status.items())),
        "obligations_done_late": late,
        "as_of": today,
    }


def explanation_parts(*, user: User, obligation_ids: list[int]) -> dict[int, list[dict]]:
    """The explanations of obligations as the engine's messages ({key, params}), by obligation
    id, for a screen that lists them (e.g. a worklist already read and audited): only those
    of the user's mutuality and that the user may see, health-data parameters removed."""
    require(user, Cap.VIEW_TIMELINE, Cap.VIEW_QUESTIONNAIRE, mutuality_id=user.mutuality_id)
    seen = Visibility.of(user)
    clean_message = (lambda m: m) if seen.health_all else _message_without_health_data
    rows = Obligation.objects.filter(
        pk__in=obligation_ids, episode__person__mutuality_id=user.mutuality_id
    ).only("id", "code", "explanation_parts")
    return {
        o.pk: [clean_message(part) for part in o.explanation_parts or []]
        for o in rows
        if seen.sees_obligation(o)
    }


def worklist(*, user: User, today: date | None = None) -> QuerySet[Obligation]:
    """Pending obligations of the episodes assigned to `user`, soonest due first (a basic
    query; the worklist screens come later)."""
    require(user, Cap.VIEW_TIMELINE, mutuality_id=user.mutuality_id)
    today = today or timezone.localdate()
    mine = Q(episode__coordinator=user, actor="coordinator") | Q(
        episode__advising_physician=user, actor="advising_physician"
    )
    return with_status(
        Obligation.objects.filter(mine, state=ObligationState.PENDING).select_related(
            "episode__person"
        ),
        today,
    ).order_by(F("due").asc(nulls_last=True), "opens")
