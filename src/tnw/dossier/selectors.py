"""Reads of the TNW-dossier, filtered by role (medical secrecy), mutuality and assignment.

Every read of a person's dossier goes through the one door (`tnw.dossier.access`): fetch,
check, audit (who, whose dossier, what, through what; marked "break-glass" when the glass was
broken for it). A user acts on an episode (sees its health data, registers) when assigned to it
or after breaking the glass; an id the user may not see is "not found" (`errors.NotFound`).
Obligation status upcoming/open/overdue is derived from the date (`tnw.dossier.status`), never
stored. The results are typed read models (`tnw.dossier.types`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from tnw.accounts.models import User
from tnw.accounts.roles import (
    MEDICAL_FIELDS,
    QUESTIONNAIRE_EVENTS,
    QUESTIONNAIRE_OBLIGATIONS,
    Cap,
    Role,
    capabilities_for_event,
    has,
    require,
)
from tnw.audit.models import AuditEntry
from tnw.audit.services import append, audit_read
from tnw.dossier import possible, redaction, searchkey
from tnw.dossier.access import (
    BREAK_GLASS_CHANNEL,
    Access,
    access_of,
    acting_on,
)
from tnw.dossier.access import (
    access_episode_by_id as _access_episode,
)
from tnw.dossier.access import (
    access_person_by_id as _access_person,
)
from tnw.dossier.agenda_models import Appointment
from tnw.dossier.errors import NotFound
from tnw.dossier.facts import episode_facts
from tnw.dossier.identity import format_insz, normalise_insz
from tnw.dossier.models import (
    Amendment,
    Episode,
    GlassBreak,
    Obligation,
    ObligationState,
    Person,
    PlanVersion,
    Registration,
    in_force,
    in_force_q,
)
from tnw.dossier.obligations import own
from tnw.dossier.portal_models import MeetingProposal
from tnw.dossier.searchkey import search_key
from tnw.dossier.status import status_case, status_of, urgency_rank
from tnw.dossier.types import (
    MEDICAL_OBLIGATIONS,
    NO_LONGER_REQUIRED,
    REDACTED,
    AgendaEntry,
    AmendmentForm,
    CareerView,
    CodexView,
    ConsentView,
    DossierView,
    DueObligationEvent,
    EpisodeEdit,
    EpisodeHeader,
    EpisodeView,
    Figures,
    GlassBreakRow,
    HealthView,
    Message,
    ObligationTexts,
    ObligationView,
    OutcomeView,
    PeopleFound,
    PersonRow,
    PersonView,
    PlanView,
    Possibility,
    RegimeComparison,
    RegistrationEvent,
    RegistrationForm,
    RegistrationMenu,
    RegistrationView,
    TimelineDetails,
)
from tnw.rules import EVENT_TYPES, Timeline, evaluate, replay

__all__ = [
    "MEDICAL_OBLIGATIONS",
    "NO_LONGER_REQUIRED",
    "REDACTED",
    "VARIANTS",
    "access_episode_by_id",
    "access_person_by_id",
    "agenda",
    "amendment_form",
    "appointments_without_outcome",
    "due_obligation_events",
    "episode_for_edit",
    "explanation_parts",
    "figures",
    "find_people",
    "get_dossier",
    "get_timeline",
    "get_timeline_details",
    "glass_breaks",
    "obligation_status",
    "obligation_texts",
    "person_for_edit",
    "registrable_types",
    "registration_events",
    "registration_form",
    "registration_menu",
    "search_key",
    "search_people",
    "stage_of",
    "urgency_rank",
    "with_status",
    "worklist",
]

VARIANTS = possible.VARIANTS
SELECTOR = "selector"


def obligation_status(obligation: Obligation, today: date) -> str:
    """upcoming / open / overdue / done / void, as of `today` (tnw.dossier.status)."""
    return status_of(obligation, today)


def with_status(queryset: QuerySet[Obligation], today: date) -> QuerySet[Obligation]:
    """Annotate `status` in the database (for worklists that filter or sort on it)."""
    return queryset.annotate(status=status_case(today))


# --- The one door, for the screens and the other apps --------------------------------------


def _header(episode: Episode, access: Access) -> EpisodeHeader:
    person = episode.person
    return EpisodeHeader(
        id=episode.pk, person_id=person.pk, person_name=f"{person.last_name} {person.first_name}",
        mutuality_id=person.mutuality_id, start=episode.start, version=episode.version,
        has_plan=episode.plans.exists(), acts=access.acts,
        glass_broken=access.glass is not None and not access.assigned,
    )  # fmt: skip


@transaction.atomic
def access_episode_by_id(
    *,
    user: User,
    episode_id: int,
    what: str,
    caps: tuple[Cap, ...] = (Cap.VIEW_IDENTITY,),
    act: bool = False,
    channel: str = SELECTOR,
) -> EpisodeHeader:
    """An episode for a form page: NotFound (missing or not the user's mutuality),
    PermissionDenied (role), NotAssigned (`act` on an episode neither assigned nor opened by
    breaking the glass). The read of `what` is audited."""
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=caps, what=what, channel=channel, act=act
    )
    return _header(episode, access)


@transaction.atomic
def access_person_by_id(
    *, user: User, person_id: int, what: str, channel: str = SELECTOR
) -> PersonRow:
    """A person's identity (name, INSZ) for a form page; the read is audited."""
    person = _access_person(
        user=user, person_id=person_id, caps=(Cap.VIEW_IDENTITY,), what=what, channel=channel
    )
    return _person_row(person)


def _person_row(person: Person) -> PersonRow:
    return {
        "id": person.pk,
        "name": f"{person.last_name} {person.first_name}",
        "insz": format_insz(person.insz),
    }


# --- What a user sees of an episode ----------------------------------------------------------


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
    def of(cls, user: User, access: Access | None = None) -> Visibility:
        """What `user` sees; health data only of the episodes they act on (`access`)."""
        acts = access is None or access.acts
        return cls(
            identity=has(user, Cap.VIEW_IDENTITY),
            registrations=has(user, Cap.VIEW_REGISTRATIONS),
            questionnaire=has(user, Cap.VIEW_QUESTIONNAIRE),
            health_all=acts and has(user, Cap.VIEW_HEALTH_ALL),
            health_shared=acts and has(user, Cap.VIEW_HEALTH_SHARED),
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

    def sees_category(self, registrations: Iterable[Registration]) -> bool:
        """The category of every estimate of the episode (the engine's texts name it)."""
        return all(self.sees_health_of(r) for r in registrations if r.type == "capacity_assessed")

    def sees_obligation(self, obligation: Obligation) -> bool:
        if obligation.code in MEDICAL_OBLIGATIONS and not self.health_all:
            return False
        return self.timeline or (
            self.questionnaire and obligation.code in QUESTIONNAIRE_OBLIGATIONS
        )


def _identity(person: Person) -> PersonView:
    return {
        "id": person.pk, "insz": person.insz, "insz_display": format_insz(person.insz),
        "number_kind": person.number_kind, "first_name": person.first_name,
        "last_name": person.last_name, "birth_date": person.birth_date,
        "language": person.language, "street": person.street,
        "postal_code": person.postal_code, "city": person.city, "country": person.country,
        "phone": person.phone, "email": person.email, "mutuality": person.mutuality_id,
        "version": person.version,
    }  # fmt: skip


def _registration(
    registration: Registration, seen: Visibility, amended_by: Registration | None = None
) -> RegistrationView:
    data = dict(registration.data)
    medical = MEDICAL_FIELDS.get(registration.type, frozenset())
    if medical and not seen.sees_health_of(registration):
        for name in medical:
            if name in data:
                data[name] = REDACTED
    out: RegistrationView = {
        "id": registration.pk, "position": registration.position, "type": registration.type,
        "date": registration.date, "data": data, "form_reference": registration.form_reference,
        "registered_by": registration.registered_by.username,
        "registered_at": registration.registered_at, "amendment": registration.amendment,
        "amends": registration.corrects_id, "reason": registration.reason,
        "in_force": amended_by is None and registration.amendment != Amendment.ANNULS,
    }  # fmt: skip
    if amended_by is not None:
        out["amended_by"] = {
            "id": amended_by.pk, "amendment": amended_by.amendment, "reason": amended_by.reason,
            "by": amended_by.registered_by.username, "at": amended_by.registered_at,
        }  # fmt: skip
    if seen.registrations:
        out["note"] = registration.note
    if seen.health_all:
        out["shared_with_coordinator"] = registration.shared_with_coordinator
    return out


def _texts(
    obligation: Obligation, seen: Visibility, category_visible: bool
) -> tuple[str, list[Any], str, Any]:
    """The explanation, its messages, the void reason and its message, as `seen` may read
    them: health data withheld by the messages' keys and parameters (tnw.dossier.redaction)."""
    explanation, parts = obligation.explanation, list(obligation.explanation_parts or [])
    void_reason, void = obligation.void_reason, obligation.void
    if not seen.health_all:
        explanation, parts = redaction.explanation(
            explanation, parts, obligation.rule, category_visible=category_visible
        )
        void_reason, void = redaction.void_reason(void_reason, void)
    if not seen.registrations:
        # Staff only learn that a questionnaire step is no longer needed, not why (the why
        # can be a medical exemption, itself health data).
        void_reason, void = (NO_LONGER_REQUIRED if void_reason else ""), None
    return explanation, parts, void_reason, void


def _obligation(
    obligation: Obligation, today: date, seen: Visibility, category_visible: bool
) -> ObligationView:
    explanation, parts, void_reason, void = _texts(obligation, seen, category_visible)
    return {
        "id": obligation.pk, "code": obligation.code, "actor": obligation.actor,
        "sequence": obligation.sequence, "opens": obligation.opens, "due": obligation.due,
        "status": status_of(obligation, today), "done_on": obligation.done_on,
        "late": obligation.late, "void_reason": void_reason, "void": void,
        "basis": obligation.basis, "explanation": explanation, "explanation_parts": parts,
        "rule": obligation.rule, "late_on_arrival": obligation.late_on_arrival,
        "late_cause": obligation.late_cause, "target": obligation.target,
    }  # fmt: skip


def _obligations(
    episode: Episode, registrations: list[Registration], seen: Visibility, today: date
) -> list[ObligationView]:
    category_visible = seen.sees_category(registrations)
    return [
        _obligation(o, today, seen, category_visible)
        for o in episode.obligations.all()
        if seen.sees_obligation(o)
    ]


def _plans(episode: Episode) -> list[PlanView]:
    return [
        {
            "number": p.number, "date": p.registration.date, "objectives": p.objectives,
            "end_result": p.end_result, "actions": p.actions, "action_by": p.action_by,
            "next_appointment": p.next_appointment, "next_review": p.next_review,
            "reason": p.reason, "created_by": p.created_by.username,
        }
        for p in episode.plans.filter(in_force_q("registration__")).select_related(
            "registration", "created_by"
        )
    ]  # fmt: skip


def _codex(episode: Episode) -> list[CodexView]:
    return [
        {
            "requested_on": c.requested_on, "requested_by": c.requested_by,
            "decision": c.decision, "plan_agreed": c.plan_agreed, "ended_on": c.ended_on,
            "definitive_unfitness": c.definitive_unfitness,
            "work_resumed_on": c.work_resumed_on,
        }
        for c in episode.codex_trajectories.filter(in_force_q("request__"))
    ]  # fmt: skip


def _outcomes(episode: Episode) -> list[OutcomeView]:
    return [
        {"kind": o.kind, "date": o.date, "outcome": o.outcome, "evaluation": o.evaluation}
        for o in episode.outcomes.filter(in_force_q("registration__"))
    ]


def _consents(episode: Episode) -> list[ConsentView]:
    return [
        {"kind": c.kind, "date": c.date, "form_reference": c.form_reference}
        for c in episode.consents.filter(in_force_q("registration__"))
    ]


def _health(episode: Episode, seen: Visibility) -> list[HealthView]:
    records = episode.health_records.all()
    if not seen.health_all:
        records = records.filter(relevant_to_trajectory=True)
    return [
        {
            "id": h.pk, "kind": h.kind, "text": h.text, "recorded_on": h.recorded_on,
            "relevant_to_trajectory": h.relevant_to_trajectory, "version": h.version,
        }
        for h in records
    ]  # fmt: skip


def _episode(episode: Episode, user: User, today: date) -> EpisodeView:
    access = access_of(user, episode)
    seen = Visibility.of(user, access)
    every = list(episode.registrations.select_related("registered_by"))
    amended_by = {r.corrects_id: r for r in every if r.corrects_id is not None}
    registrations = in_force(every)  # the facts; the timeline shows every record
    out: EpisodeView = {
        "id": episode.pk, "start": episode.start, "end": episode.end,
        "employment_contract": episode.employment_contract,
        "employer_name": episode.employer_name,
        "employer_workers": episode.employer_workers,
        "coordinator": episode.coordinator.username if episode.coordinator else None,
        "advising_physician": (
            episode.advising_physician.username if episode.advising_physician else None
        ),
        "version": episode.version, "acts": access.acts,
        "glass_broken": access.glass is not None and not access.assigned,
        "registrations": [_registration(r, seen, amended_by.get(r.pk)) for r in every
                          if seen.sees_registration(r)],
        "obligations": _obligations(episode, registrations, seen, today),
    }  # fmt: skip
    if seen.registrations:
        out["stage"] = stage_of(r.type for r in registrations)
        out["codex"] = _codex(episode)
        out["outcomes"] = _outcomes(episode)
    if seen.plans:
        out["plans"] = _plans(episode)
    if seen.consents:
        out["consents"] = _consents(episode)
    if seen.health_all or seen.health_shared:
        out["health"] = _health(episode, seen)
    if seen.timeline:
        timeline = _timeline(episode, registrations, today)
        out["presumptions"] = [p.to_json() for p in timeline.presumptions]
        # The benefit sanction periods (law of 2023 and 2026, tnw.rules.law.law_2023_sanctions).
        out["sanctions"] = [s.to_json() for s in timeline.sanctions]
    return out


def _timeline(episode: Episode, registrations: list[Registration], today: date) -> Timeline:
    facts = episode_facts(episode, [r.to_contract() for r in registrations])
    return evaluate(facts, today)


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


def stage_of(types: Iterable[str]) -> str:
    """A coarse label of how far an episode got (for lists and figures)."""
    seen = set(types)
    if "incapacity_ended" in seen:
        return "incapacity ended"
    for event_type, label in STAGES:
        if event_type in seen:
            return label
    return "new incapacity"


def _career(person: Person) -> list[CareerView]:
    return [
        {
            "id": c.pk, "employer": c.employer, "job_title": c.job_title, "sector": c.sector,
            "start": c.start, "end": c.end, "working_time_percent": c.working_time_percent,
            "version": c.version,
        }
        for c in person.career.all()
    ]  # fmt: skip


@transaction.atomic
def get_dossier(
    *, user: User, person_id: int, channel: str = SELECTOR, today: date | None = None
) -> DossierView:
    """The TNW-dossier of one person as `user` may see it; the read is audited (marked
    "break-glass" when an episode's health data is shown by a broken glass)."""
    person = _access_person(
        user=user, person_id=person_id, caps=(Cap.VIEW_IDENTITY,), what=None, channel=channel
    )
    today = today or timezone.localdate()
    episodes = Episode.objects.filter(person=person).select_related(
        "coordinator", "advising_physician"
    )
    dossier: DossierView = {
        "person": _identity(person),
        "episodes": [_episode(e, user, today) for e in episodes],
    }
    if has(user, Cap.VIEW_CAREER):
        dossier["career"] = _career(person)
    by_glass = any(e["glass_broken"] for e in dossier["episodes"])
    audit_read(
        actor=user, person_id=person.pk, what="dossier",
        channel=f"{channel}:{BREAK_GLASS_CHANNEL}" if by_glass else channel,
    )  # fmt: skip
    return dossier


@transaction.atomic
def get_timeline(
    *, user: User, episode_id: int, channel: str = SELECTOR, today: date | None = None
) -> list[ObligationView]:
    """The obligations of one episode with their status as of `today`; the read is audited."""
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_TIMELINE, Cap.VIEW_QUESTIONNAIRE),
        what="timeline", channel=channel,
    )  # fmt: skip
    seen = Visibility.of(user, access)
    return _obligations(
        episode, list(episode.registrations.in_force()), seen, today or timezone.localdate()
    )


@transaction.atomic
def get_timeline_details(
    *, user: User, episode_id: int, channel: str = SELECTOR, today: date | None = None
) -> TimelineDetails:
    """The whole timeline of one episode as `user` may see it: the stored obligations with
    their status as of `today`, and the engine's presumptions, benefit sanction periods and
    violations (facts that break a rule). One audited read. The violations' sentences can
    name health data (a category): without all health data only their code, event and basis."""
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_TIMELINE,), what="timeline",
        channel=channel,
    )  # fmt: skip
    seen = Visibility.of(user, access)
    today = today or timezone.localdate()
    registrations = list(episode.registrations.in_force())
    timeline = _timeline(episode, registrations, today)
    violations = [
        v.to_json() if seen.health_all
        else {"event_index": v.event_index, "code": v.code, "basis": list(v.basis)}
        for v in timeline.violations
    ]  # fmt: skip
    return TimelineDetails(
        obligations=_obligations(episode, registrations, seen, today),
        presumptions=[p.to_json() for p in timeline.presumptions],
        sanctions=[s.to_json() for s in timeline.sanctions],
        violations=violations,
    )


@transaction.atomic
def compare_regimes(
    *,
    user: User,
    episode_id: int,
    regimes: dict[str, str],
    channel: str = SELECTOR,
    today: date | None = None,
) -> RegimeComparison:
    """What would change in one episode under other regimes (what-if, tnw.rules.replay): the
    obligations and sanction periods that differ between the law by date and `regimes`
    (checked with replay.parse_regimes). Only the registered facts are re-read; nothing is
    stored. The read is audited as a timeline read."""
    episode, _access = _access_episode(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_TIMELINE,), what="timeline",
        channel=channel,
    )  # fmt: skip
    today = today or timezone.localdate()
    events = [r.to_contract() for r in episode.registrations.in_force()]
    facts = episode_facts(episode, events)
    before, after = evaluate(facts, today), evaluate(facts, today, regimes)
    return {
        "episode_id": episode.pk,
        "person_id": episode.person_id,
        "as_of": today,
        "regime": replay.describe(regimes),
        "before": before.regimes,
        "after": after.regimes,
        "differences": [d.to_json() for d in replay.compare(before, after)],
    }


# --- Search ---------------------------------------------------------------------------------


def _insz_of(text: str) -> str | None:
    try:
        return normalise_insz(text)[0]
    except Exception:
        return None


def _dossier_number(text: str) -> int | None:
    """ "123", "TNW-123", "#123": the dossier number (the person's id)."""
    cleaned = text.strip().upper().removeprefix("TNW").lstrip("-# ")
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 9 else None


def _people_matching(user: User, text: str) -> tuple[QuerySet[Person], bool]:
    people = Person.objects.filter(mutuality_id=user.mutuality_id)
    insz = _insz_of(text)
    if insz is not None:
        return people.filter(insz=insz), True
    number = _dossier_number(text)
    if number is not None:
        # Four digits are a dossier number or a postal code: both are looked up, and a single
        # match opens the dossier as any exact hit does.
        wanted = Q(pk=number)
        if searchkey.is_postal_code(text):
            wanted |= Q(postal_code=text)
        return people.filter(wanted), True
    # Names in any order, without accents or case, with a birth date or a postal code
    # (tnw.dossier.searchkey: the normalised column, a trigram index on PostgreSQL).
    return people.filter(searchkey.people_condition(text)), False


def _search_rows(user: User, people: list[Person]) -> list[PersonRow]:
    """The rows with what tells namesakes apart: birth date, city, and for the roles that see
    timelines the stage and the coordinator of the latest episode."""
    rows = [_person_row(p) for p in people]
    for row, person in zip(rows, people, strict=True):
        row["birth_date"] = person.birth_date
        row["postal_code"] = person.postal_code
        row["city"] = person.city
    if not has(user, Cap.VIEW_TIMELINE):
        return rows
    latest: dict[int, Episode] = {}
    for episode in Episode.objects.filter(person__in=people).select_related("coordinator"):
        if episode.person_id not in latest or episode.start > latest[episode.person_id].start:
            latest[episode.person_id] = episode
    types: dict[int, set[str]] = {}
    for episode_id, event_type in (
        Registration.objects.in_force()
        .filter(episode_id__in=[e.pk for e in latest.values()])
        .values_list("episode_id", "type")
    ):
        types.setdefault(episode_id, set()).add(event_type)
    for row in rows:
        episode = latest.get(row["id"])
        if episode is not None:
            coordinator = episode.coordinator
            row["stage"] = stage_of(types.get(episode.pk, set()))
            row["coordinator"] = (
                (coordinator.get_full_name() or coordinator.username) if coordinator else ""
            )
    return rows


@transaction.atomic
def find_people(
    *, user: User, text: str = "", limit: int = 50, offset: int = 0, channel: str = SELECTOR
) -> PeopleFound:
    """People of the user's mutuality by INSZ (any formatting), dossier number, name (any
    order, accents and case ignored), birth date or postal code (identity only); `offset` and
    `limit` page through them, `total` counts them all. Every search is audited: what was
    asked and whose names came back."""
    require(user, Cap.VIEW_IDENTITY, mutuality_id=user.mutuality_id)
    text = text.strip()
    people, exact = _people_matching(user, text) if text else (
        Person.objects.filter(mutuality_id=user.mutuality_id), False
    )  # fmt: skip
    rows = _search_rows(user, list(people[offset : offset + limit]))
    total = len(rows) if offset == 0 and len(rows) < limit else people.count()
    append(
        actor=user, action="read", object_type="dossier.search", object_id=None,
        person_id=None, channel=channel,
        changes={"search": text, "found": [row["id"] for row in rows]},
    )  # fmt: skip
    return PeopleFound(rows=rows, exact=exact, total=total)


def search_people(
    *, user: User, text: str = "", limit: int = 50, channel: str = SELECTOR
) -> list[PersonRow]:
    """The rows of `find_people`."""
    return find_people(user=user, text=text, limit=limit, channel=channel).rows


def find_for_evaluation(
    *, user: User, text: str, limit: int = 50, channel: str = SELECTOR
) -> list[dict[str, Any]]:
    """The way in of the multidisciplinary team (circular VII; role `mdt`, and whoever may see
    the incapacity-evaluation contacts): people of the user's mutuality by INSZ, dossier number
    or name, with only what picks the right person and episode (name, birth date, each
    episode's start and end), never the dossier's content. Nothing without a question. Audited
    like every search: what was asked and whose names came back."""
    require(user, Cap.VIEW_EVALUATION_CONTACTS, mutuality_id=user.mutuality_id)
    text = text.strip()
    if not text:
        return []
    people = list(_people_matching(user, text)[0].order_by("last_name", "first_name", "pk")[:limit])
    episodes: dict[int, list[dict[str, Any]]] = {p.pk: [] for p in people}
    for row in Episode.objects.filter(person__in=people).order_by("-start", "-pk").values(
        "id", "person_id", "start", "end"
    ):  # fmt: skip
        episodes[row["person_id"]].append({k: row[k] for k in ("id", "start", "end")})
    rows = [
        {"id": p.pk, "name": f"{p.last_name} {p.first_name}", "birth_date": p.birth_date,
         "episodes": episodes[p.pk]}
        for p in people
    ]  # fmt: skip
    append(
        actor=user, action="read", object_type="dossier.search", object_id=None,
        person_id=None, channel=channel,
        changes={"search": text, "found": [row["id"] for row in rows], "for": "evaluation"},
    )  # fmt: skip
    return rows


# --- Figures and worklists ------------------------------------------------------------------


def _stage_counts(mutuality_id: int) -> Counter[str]:
    """How many episodes of the mutuality are at each `stage_of` label, counted in the database
    (the episodes without any staged registration are left out): per episode the lowest rank of
    its staged registrations in force, then the episodes per rank."""
    ranked = (("incapacity_ended", stage_of(["incapacity_ended"])), *STAGES)
    rank = Case(
        *[When(type=event_type, then=Value(i)) for i, (event_type, _) in enumerate(ranked)],
        output_field=IntegerField(),
    )
    per_episode = (
        Registration.objects.in_force()
        .filter(episode__person__mutuality_id=mutuality_id)
        .values("episode")
        .annotate(stage_rank=Min(rank))
        .order_by()
    )
    inner, params = per_episode.query.sql_with_params()
    # No filter on the type: SQLite then reads the mutuality's episodes first (not every
    # mutuality's registrations of those types); unstaged types rank NULL.
    sql = (
        f"SELECT stage_rank, COUNT(*) FROM ({inner}) per_episode"
        " WHERE stage_rank IS NOT NULL GROUP BY stage_rank"
    )
    with connections[router.db_for_read(Registration)].cursor() as cursor:
        cursor.execute(sql, params)
        return Counter({ranked[i][1]: n for i, n in cursor.fetchall()})


def figures(*, user: User, today: date | None = None) -> Figures:
    """Anonymous figures for the user's mutuality: no names, no numbers, no health data."""
    require(user, Cap.VIEW_FIGURES, mutuality_id=user.mutuality_id)
    today = today or timezone.localdate()
    episodes = Episode.objects.filter(person__mutuality_id=user.mutuality_id)
    stages = _stage_counts(user.mutuality_id)
    unstaged = episodes.count() - sum(stages.values())
    if unstaged:
        stages[stage_of(())] += unstaged
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


def obligation_texts(*, user: User, obligation_ids: list[int]) -> dict[int, ObligationTexts]:
    """The English explanation and the engine's messages ({key, params}) of obligations, by
    id, for a screen or an e-mail that lists them (e.g. a worklist already read and audited):
    only those of the user's mutuality that the user may see, with health data withheld by
    message key for the episodes the user does not act on or whose category is not shared.
    Two queries; what the user sees is worked out once per kind of access, not per row."""
    require(user, Cap.VIEW_TIMELINE, Cap.VIEW_QUESTIONNAIRE, mutuality_id=user.mutuality_id)
    acting = acting_on(user)
    rows = list(
        Obligation.objects.filter(
            pk__in=obligation_ids, episode__person__mutuality_id=user.mutuality_id
        )
        .annotate(acting=Case(When(acting, then=Value(True)), default=Value(False))
                  if acting else Value(True))
        .only(*TEXT_FIELDS)
        .order_by()  # by id, as asked: no join for the default order
    )  # fmt: skip
    views = {assigned: Visibility.of(user, Access(assigned=assigned)) for assigned in (True, False)}
    assessments: dict[int, list[Registration]] = {}
    if not all(seen.health_all for seen in views.values()):
        for registration in (
            Registration.objects.in_force()
            .filter(episode_id__in={o.episode_id for o in rows}, type="capacity_assessed")
            .only("episode_id", "type", "shared_with_coordinator")
            .order_by("episode_id", "position")
        ):
            assessments.setdefault(registration.episode_id, []).append(registration)
    out: dict[int, ObligationTexts] = {}
    for o in rows:
        seen = views[bool(o.acting)]
        if seen.sees_obligation(o):
            category_visible = seen.sees_category(assessments.get(o.episode_id, []))
            explanation, parts, _, _ = _texts(o, seen, category_visible)
            out[o.pk] = ObligationTexts(explanation=explanation, parts=parts)
    return out


# What `obligation_texts` reads of an obligation (`_texts`, `Visibility.sees_obligation`).
TEXT_FIELDS = (
    "id", "code", "episode_id", "explanation", "explanation_parts", "rule", "void_reason",
    "void",
)  # fmt: skip


def explanation_parts(*, user: User, obligation_ids: list[int]) -> dict[int, list[Message]]:
    """The messages of `obligation_texts`."""
    texts = obligation_texts(user=user, obligation_ids=obligation_ids)
    return {pk: text.parts for pk, text in texts.items()}


def worklist(*, user: User, today: date | None = None) -> QuerySet[Obligation]:
    """Pending obligations of the episodes assigned to `user`, soonest due first (a basic
    query; the worklist screens are tnw.worklists)."""
    require(user, Cap.VIEW_TIMELINE, mutuality_id=user.mutuality_id)
    today = today or timezone.localdate()
    return with_status(
        Obligation.objects.filter(own(user), state=ObligationState.PENDING).select_related(
            "episode__person"
        ),
        today,
    ).order_by(F("due").asc(nulls_last=True), "opens")


# --- What may be registered now (the engine asked, nothing stored) ---------------------------


def registrable_types(user: User) -> list[str]:
    """The registration types the user's role may register (on an episode they act on)."""
    return [
        event_type
        for event_type in EVENT_TYPES
        if any(has(user, cap) for cap in capabilities_for_event(event_type))
    ]


@transaction.atomic
def registration_menu(
    *, user: User, episode_id: int, today: date, channel: str = SELECTOR
) -> RegistrationMenu:
    """Which registrations (and variants) the law allows on `today` for this episode, of
    those the user's role registers: only yes/no and the engine's violation code."""
    types = registrable_types(user)
    caps = tuple(dict.fromkeys(c for t in types for c in capabilities_for_event(t)))
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=caps or (Cap.REGISTER_MEDICAL,),
        what="registration menu", channel=channel, act=True,
    )  # fmt: skip
    found: list[Possibility] = possible.possibilities(episode, types, today)
    return RegistrationMenu(episode=_header(episode, access), possibilities=found)


@transaction.atomic
def registration_form(
    *, user: User, episode_id: int, event_type: str, variant: str | None, today: date,
    channel: str = SELECTOR,
) -> RegistrationForm:  # fmt: skip
    """The choices the law allows for each choice field of a registration form."""
    if event_type not in EVENT_TYPES:
        raise NotFound("registration type")
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=capabilities_for_event(event_type),
        what="registration form", channel=channel, act=True,
    )  # fmt: skip
    choices = possible.choices_for(episode, event_type, variant, today)
    return RegistrationForm(episode=_header(episode, access), choices=choices)


@transaction.atomic
def amendment_form(
    *, user: User, registration_id: int, today: date, channel: str = SELECTOR
) -> AmendmentForm:
    """A registration the user may correct or annul (docs/architecture.md, "Corrections"):
    their role registers its type and they act on its episode; with whether it is still in
    force and the choices of its form. NotFound, PermissionDenied, NotAssigned as the forms."""
    row = Registration.objects.filter(pk=registration_id).values("episode_id", "type").first()
    if row is None:
        raise NotFound("registration")
    episode, access = _access_episode(
        user=user, episode_id=row["episode_id"], caps=capabilities_for_event(row["type"]),
        what="registration amendment", channel=channel, act=True,
    )  # fmt: skip
    every = list(episode.registrations.select_related("registered_by"))
    amended_by = {r.corrects_id: r for r in every if r.corrects_id is not None}
    registration = next(r for r in every if r.pk == registration_id)
    view = _registration(registration, Visibility.of(user, access), amended_by.get(registration.pk))
    variant = registration.data.get("purpose")
    choices = possible.choices_for(episode, registration.type, variant, today)
    return AmendmentForm(episode=_header(episode, access), registration=view, choices=choices)


@transaction.atomic
def person_for_edit(*, user: User, person_id: int, channel: str = SELECTOR) -> PersonView:
    """A person's identity and contact data with its version, for the edit form of a user who
    may edit people (audited)."""
    person = _access_person(
        user=user, person_id=person_id, caps=(Cap.EDIT_PERSON,), what="identity",
        channel=channel,
    )  # fmt: skip
    return _identity(person)


@transaction.atomic
def episode_for_edit(*, user: User, episode_id: int, channel: str = SELECTOR) -> EpisodeEdit:
    """An episode's editable data (start, contract, employer) and its assignees, with its
    version, for the edit and assign forms of a user who may edit episodes (audited)."""
    episode, access = _access_episode(
        user=user, episode_id=episode_id, caps=(Cap.EDIT_PERSON,), what="episode",
        channel=channel,
    )  # fmt: skip
    return EpisodeEdit(
        header=_header(episode, access), start=episode.start, end=episode.end,
        employment_contract=episode.employment_contract,
        employer_name=episode.employer_name, employer_number=episode.employer_number,
        coordinator_id=episode.coordinator_id,
        advising_physician_id=episode.advising_physician_id,
    )  # fmt: skip


# --- Break the glass: the manager's review ---------------------------------------------------


@transaction.atomic
def glass_breaks(
    *, user: User, since: date | None = None, limit: int = 200, channel: str = SELECTOR
) -> list[GlassBreakRow]:
    """The break-the-glass accesses of the user's mutuality, newest first, with how many audit
    entries were written under each, for the manager to review. The review is audited."""
    require(user, Cap.REVIEW_BREAK_GLASS, mutuality_id=user.mutuality_id)
    breaks = GlassBreak.objects.filter(
        episode__person__mutuality_id=user.mutuality_id
    ).select_related("user", "episode")
    if since is not None:
        breaks = breaks.filter(at__date__gte=since)
    rows = [_glass_break_row(g) for g in breaks[:limit]]
    append(
        actor=user, action="read", object_type="dossier.glassbreak", object_id=None,
        person_id=None, channel=channel, changes={"read": "break-the-glass review",
                                                  "shown": [row.id for row in rows]},
    )  # fmt: skip
    return rows


def _glass_break_row(glass: GlassBreak) -> GlassBreakRow:
    entries = AuditEntry.objects.filter(
        actor_id=glass.user_id, person_id=glass.episode.person_id, at__gte=glass.at,
        at__lte=glass.until, channel__contains=BREAK_GLASS_CHANNEL,
    ).count()  # fmt: skip
    return GlassBreakRow(
        id=glass.pk, at=glass.at, until=glass.until, username=glass.user.username,
        role=glass.user.role, person_id=glass.episode.person_id, episode_id=glass.episode_id,
        reason=glass.reason, entries=entries,
    )  # fmt: skip


# --- The agenda ------------------------------------------------------------------------------


def _appointment_entry(a: Appointment, now: datetime) -> AgendaEntry:
    person = a.episode.person
    return AgendaEntry(
        kind="appointment", day=timezone.localdate(a.starts_at), person_id=person.pk,
        person_name=f"{person.last_name} {person.first_name}", episode_id=a.episode_id,
        what=a.kind, at=a.starts_at, minutes=a.minutes, mode=a.mode, place=a.place,
        note=a.note, outcome=a.outcome, appointment_id=a.pk, version=a.version,
        missing_outcome=not a.outcome and a.starts_at <= now,
        moved_to=a.moved_to.starts_at if a.moved_to_id else None,
    )  # fmt: skip


def _day_entry(kind: str, day: date, episode: Episode, what: str, **extra: Any) -> AgendaEntry:
    person = episode.person
    return AgendaEntry(
        kind=kind, day=day, person_id=person.pk, episode_id=episode.pk, what=what,
        person_name=f"{person.last_name} {person.first_name}", **extra,
    )  # fmt: skip


def _planned_days(user: User, start: date, end: date) -> list[AgendaEntry]:
    """The coordinator's running episodes whose current plan agreed a next appointment in
    [start, end], and the days the person proposed and the coordinator confirmed."""
    if user.role != Role.COORDINATOR:
        return []
    current = PlanVersion.objects.filter(in_force_q("registration__"), episode=OuterRef("episode"))
    plans = PlanVersion.objects.filter(
        pk=Subquery(current.order_by("-number").values("pk")[:1]), episode__coordinator=user,
        episode__end__isnull=True, next_appointment__range=(start, end),
    ).select_related("episode__person")  # fmt: skip
    entries = [
        _day_entry("plan_appointment", p.next_appointment, p.episode, "follow_up")
        for p in plans
        if p.next_appointment is not None
    ]
    proposals = MeetingProposal.objects.filter(
        episode__coordinator=user, state=MeetingProposal.State.CONFIRMED,
        proposed_on__range=(start, end),
    ).select_related("episode__person")  # fmt: skip
    entries += [_day_entry("proposal", m.proposed_on, m.episode, "follow_up") for m in proposals]
    return entries


def _deadlines(user: User, start: date, end: date, today: date) -> list[AgendaEntry]:
    """The user's pending legal deadlines due in [start, end] (the worklist's query)."""
    obligations = worklist(user=user, today=today).filter(due__range=(start, end))
    return [
        _day_entry("deadline", o.due, o.episode, o.code, status=o.status)
        for o in obligations
        if o.due is not None
    ]


@transaction.atomic
def agenda(
    *, user: User, start: date, end: date, now: datetime | None = None, channel: str = SELECTOR
) -> list[AgendaEntry]:
    """The agenda of a coordinator or advising physician from `start` to `end` (inclusive):
    their appointments with the people of their mutuality (with outcome, or flagged when one
    has passed without), the plans' agreed next appointments and the confirmed proposals of
    their running episodes, and their legal deadlines, by day and time. The read is audited
    with the dossiers it shows."""
    require(user, Cap.VIEW_TIMELINE, mutuality_id=user.mutuality_id)
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    low = datetime.combine(start, time.min, tzinfo=tz)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    appointments = Appointment.objects.filter(
        holder=user, starts_at__gte=low, starts_at__lt=high,
        episode__person__mutuality_id=user.mutuality_id,
    ).select_related("episode__person", "moved_to")  # fmt: skip
    entries = [_appointment_entry(a, now) for a in appointments]
    booked = {(e.episode_id, e.day) for e in entries}
    entries += [e for e in _planned_days(user, start, end) if (e.episode_id, e.day) not in booked]
    entries += _deadlines(user, start, end, timezone.localdate(now))
    order = {"appointment": 0, "proposal": 1, "plan_appointment": 2, "deadline": 3}
    entries.sort(key=lambda e: (e.day, e.at or high, order[e.kind], e.person_name))
    append(
        actor=user, action="read", object_type="dossier.agenda", object_id=None,
        person_id=None, channel=channel,
        changes={"read": "agenda", "from": start.isoformat(), "to": end.isoformat(),
                 "people": sorted({e.person_id for e in entries})},
    )  # fmt: skip
    return entries


@transaction.atomic
def appointments_without_outcome(
    *, user: User, now: datetime | None = None, limit: int = 50, channel: str = SELECTOR
) -> tuple[list[AgendaEntry], int]:
    """The user's appointments that have passed without an outcome (oldest first, at most
    `limit`) and how many there are: a task for their worklist. Audited when any is shown."""
    require(user, Cap.VIEW_TIMELINE, mutuality_id=user.mutuality_id)
    now = now or timezone.now()
    passed = Appointment.objects.filter(
        holder=user, outcome="", starts_at__lte=now,
        episode__person__mutuality_id=user.mutuality_id,
    ).select_related("episode__person", "moved_to")  # fmt: skip
    rows = [_appointment_entry(a, now) for a in passed.order_by("starts_at", "id")[:limit]]
    total = len(rows) if len(rows) < limit else passed.count()
    if rows:
        append(
            actor=user, action="read", object_type="dossier.agenda", object_id=None,
            person_id=None, channel=channel,
            changes={"read": "appointments without outcome",
                     "people": sorted({e.person_id for e in rows})},
        )  # fmt: skip
    return rows, total


# --- Event feeds for integrators' webhooks (tnw.api.webhooks) ---------------------------------


def registration_events(
    *, user: User, since: datetime, limit: int = 10000, channel: str = SELECTOR
) -> list[RegistrationEvent]:
    """The registrations of `user`'s mutuality registered at or after `since`, oldest first:
    only what a webhook tells (ids, type, date, when), no field of the event. The read is one
    audit entry naming the people."""
    require(user, Cap.VIEW_REGISTRATIONS, mutuality_id=user.mutuality_id)
    rows = list(
        Registration.objects.filter(
            episode__person__mutuality_id=user.mutuality_id, registered_at__gte=since
        )
        .order_by("registered_at", "id")
        .values(
            "id", "episode_id", "type", "date", "registered_at", person_id=F("episode__person_id")
        )[:limit]
    )
    _audit_feed(user, "registration events", rows, channel)
    return rows


def due_obligation_events(
    *, user: User, opens_from: date, today: date, channel: str = SELECTOR
) -> list[DueObligationEvent]:
    """The pending obligations of `user`'s mutuality whose window opened between `opens_from`
    and `today` (they can be done now and are due by `due`); the advising physician's
    medical examinations only for a user who sees all health data. One audit entry."""
    require(user, Cap.VIEW_TIMELINE, mutuality_id=user.mutuality_id)
    queryset = Obligation.objects.filter(
        episode__person__mutuality_id=user.mutuality_id, state=ObligationState.PENDING,
        opens__gte=opens_from, opens__lte=today,
    )  # fmt: skip
    if not has(user, Cap.VIEW_HEALTH_ALL):
        queryset = queryset.exclude(code__in=MEDICAL_OBLIGATIONS)
    rows = list(
        queryset.order_by("opens", "id").values(
            "episode_id",
            "code",
            "actor",
            "sequence",
            "opens",
            "due",
            person_id=F("episode__person_id"),
        )
    )
    _audit_feed(user, "due obligation events", rows, channel)
    return rows


def _audit_feed(
    user: User, what: str, rows: list[RegistrationEvent] | list[DueObligationEvent], channel: str
) -> None:
    if rows:
        append(
            actor=user, action="read", object_type="dossier.event_feed", object_id=user.pk,
            person_id=None, channel=channel,
            changes={"read": what, "people": sorted({r["person_id"] for r in rows})},
        )  # fmt: skip
