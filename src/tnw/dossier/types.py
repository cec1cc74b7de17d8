"""The dossier package's public read models and constants: what the selectors return.

Screens and other apps import these (and `selectors`, `services`, `errors`), never the dossier's
models or the rules engine's internals (tests/test_layering.py). The read models are plain
values: a TypedDict where a template reads a row by key, a frozen dataclass otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict

from tnw.dossier.status import PENDING_STATUSES, STATUSES

__all__ = [
    "MEDICAL_OBLIGATIONS",
    "NO_LONGER_REQUIRED",
    "PENDING_STATUSES",
    "REDACTED",
    "STATUSES",
    "CareerView",
    "CodexView",
    "ConsentView",
    "DossierView",
    "DueObligationEvent",
    "EpisodeEdit",
    "EpisodeHeader",
    "EpisodeView",
    "Figures",
    "GlassBreakRow",
    "HealthView",
    "Message",
    "ObligationTexts",
    "ObligationView",
    "OutcomeView",
    "PeopleFound",
    "PersonContact",
    "PersonRow",
    "PersonView",
    "PlanView",
    "Possibility",
    "RegimeComparison",
    "RegistrationEvent",
    "RegistrationForm",
    "RegistrationMenu",
    "RegistrationView",
    "TimelineDetails",
]

# Obligations whose very existence reveals the physician's categorisation (health data).
MEDICAL_OBLIGATIONS = frozenset({"category1_reexamination", "category3_examination"})
REDACTED = "(health data: restricted to the advising physician)"
NO_LONGER_REQUIRED = "no longer required"


class Message(TypedDict):
    """One of the engine's sentences as data: a stable key and its parameters."""

    key: str
    params: dict[str, Any]


class ObligationView(TypedDict):
    id: int
    code: str
    actor: str
    sequence: int
    opens: date
    due: date | None
    status: str  # upcoming | open | overdue | done | void
    done_on: date | None
    late: bool
    void_reason: str
    void: Message | None
    basis: list[str]
    explanation: str
    explanation_parts: list[Message]
    rule: str
    late_on_arrival: bool  # issue 17 point 9: the lateness belongs to `late_cause`
    late_cause: str
    target: date | None  # working target when late on arrival (no legal term)


class RegistrationView(TypedDict):
    id: int
    position: int
    type: str
    date: date
    data: dict[str, Any]
    form_reference: str
    registered_by: str
    registered_at: datetime
    note: NotRequired[str]
    shared_with_coordinator: NotRequired[bool]
    # Corrections (docs/architecture.md): "" (a fact), "corrects" or "annuls"; the id of the
    # registration it amends and why; whether it is in force, and the record that amended it.
    amendment: str
    amends: int | None
    reason: str
    in_force: bool
    amended_by: NotRequired[dict[str, Any]]


class PersonContact(TypedDict):
    """A person's name, birth date, language and contact data: in a view and in a letter."""

    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str
    email: str


class PersonView(PersonContact):
    id: int
    insz: str
    insz_display: str
    number_kind: str
    mutuality: int
    version: int


class PlanView(TypedDict):
    """One version of the re-integration plan (circular IV 4.2)."""

    number: int
    date: date
    objectives: list[Any]
    end_result: str
    actions: list[Any]
    action_by: list[Any]  # who does each action (tnw.rules.facts.PLAN_ACTORS), or empty
    next_appointment: date | None
    next_review: date | None
    reason: str
    created_by: str


class CodexView(TypedDict):
    """A CODEX trajectory as registered (request, decision, plan, end, work resumed)."""

    requested_on: date
    requested_by: str
    decision: str
    plan_agreed: bool | None
    ended_on: date | None
    definitive_unfitness: bool | None
    work_resumed_on: date | None


class OutcomeView(TypedDict):
    kind: str
    date: date
    outcome: str
    evaluation: str


class ConsentView(TypedDict):
    kind: str  # given | withdrawn
    date: date
    form_reference: str


class HealthView(TypedDict):
    id: int
    kind: str
    text: str
    recorded_on: date
    relevant_to_trajectory: bool
    version: int


class CareerView(TypedDict):
    id: int
    employer: str
    job_title: str
    sector: str
    start: date
    end: date | None
    working_time_percent: int
    version: int


class EpisodeView(TypedDict):
    """One incapacity episode as the user may see it; the optional keys are there only for the
    roles that see that kind of data (tnw.accounts.roles.MATRIX)."""

    id: int
    start: date
    end: date | None
    employment_contract: bool
    employer_name: str
    employer_workers: int | None  # CODEX 2026: 20 or more must request a trajectory
    coordinator: str | None
    advising_physician: str | None
    version: int
    acts: bool  # the user is assigned (or broke the glass): registers, sees health data
    glass_broken: bool  # ... by a broken glass
    registrations: list[RegistrationView]
    obligations: list[ObligationView]
    stage: NotRequired[str]
    plans: NotRequired[list[PlanView]]
    consents: NotRequired[list[ConsentView]]
    codex: NotRequired[list[CodexView]]
    outcomes: NotRequired[list[OutcomeView]]
    health: NotRequired[list[HealthView]]
    # The engine's periods in the JSON contract (docs/rules.md): as the API gives them.
    presumptions: NotRequired[list[dict[str, Any]]]
    sanctions: NotRequired[list[dict[str, Any]]]


class DossierView(TypedDict):
    person: PersonView
    episodes: list[EpisodeView]
    career: NotRequired[list[CareerView]]


class RegimeComparison(TypedDict):
    """What would change in one episode under other regimes (tnw.rules.replay): the regimes
    in force before and after, and the differences in the JSON contract."""

    episode_id: int
    person_id: int
    as_of: date
    regime: str
    before: dict[str, str | None]
    after: dict[str, str | None]
    differences: list[dict[str, Any]]


class TimelineDetails(TypedDict):
    """One episode's whole timeline as the user may see it (`selectors.get_timeline_details`);
    the engine's periods and violations in the JSON contract (docs/rules.md), as the API gives
    them (a violation without all health data: only its event_index, code and basis)."""

    obligations: list[ObligationView]
    presumptions: list[dict[str, Any]]
    sanctions: list[dict[str, Any]]
    violations: list[dict[str, Any]]


class EpisodeEdit(TypedDict):
    """An episode's editable data and assignees, with its header (`selectors.episode_for_edit`)."""

    header: EpisodeHeader
    start: date
    end: date | None
    employment_contract: bool
    employer_name: str
    employer_number: str
    coordinator_id: int | None
    advising_physician_id: int | None


class RegistrationEvent(TypedDict):
    """What a webhook tells of a registration (`selectors.registration_events`): no field."""

    id: int
    episode_id: int
    person_id: int
    type: str
    date: date
    registered_at: datetime


class DueObligationEvent(TypedDict):
    """A pending obligation whose window opened (`selectors.due_obligation_events`)."""

    episode_id: int
    person_id: int
    code: str
    actor: str
    sequence: int
    opens: date
    due: date | None


class Figures(TypedDict):
    """Anonymous figures of a mutuality: counts only."""

    people: int
    episodes: int
    open_episodes: int
    episodes_by_stage: dict[str, int]
    obligations_by_status: dict[str, int]
    obligations_done_late: int
    as_of: date


class PersonRow(TypedDict):
    """A search result: identity only (and, in search results, what tells namesakes apart)."""

    id: int
    name: str
    insz: str
    birth_date: NotRequired[date | None]
    postal_code: NotRequired[str]
    city: NotRequired[str]
    stage: NotRequired[str]  # of the latest episode, for the roles that see timelines
    coordinator: NotRequired[str]


@dataclass(frozen=True)
class PeopleFound:
    rows: list[PersonRow]
    exact: bool  # asked by INSZ or dossier number: one result opens the dossier
    total: int = 0  # every person that matches (the rows are one page of them)


@dataclass(frozen=True)
class ObligationTexts:
    """An obligation's explanation as a reader may see it: English and as messages."""

    explanation: str
    parts: list[Message]


@dataclass(frozen=True)
class EpisodeHeader:
    """An episode as a form page needs it: whose, which version, and how the user reaches it."""

    id: int
    person_id: int
    person_name: str
    mutuality_id: int
    start: date
    version: int
    has_plan: bool
    acts: bool
    glass_broken: bool


@dataclass(frozen=True)
class Possibility:
    event_type: str
    variant: str | None
    allowed: bool
    code: str | None  # the first violation code when not allowed


@dataclass(frozen=True)
class RegistrationMenu:
    episode: EpisodeHeader
    possibilities: list[Possibility] = field(default_factory=list)


@dataclass(frozen=True)
class RegistrationForm:
    episode: EpisodeHeader
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class AgendaEntry:
    """One line of a coordinator's or physician's agenda: an appointment with the person, the
    plan's agreed next appointment, a day the person proposed and the coordinator confirmed,
    or a legal deadline of theirs."""

    kind: str  # "appointment", "plan_appointment", "proposal" or "deadline"
    day: date
    person_id: int
    person_name: str
    episode_id: int
    what: str  # the appointment kind (AppointmentKind) or the obligation code
    at: datetime | None = None
    minutes: int = 0
    mode: str = ""
    place: str = ""
    note: str = ""
    outcome: str = ""
    appointment_id: int | None = None
    version: int = 0
    status: str = ""  # a deadline's status: upcoming / open / overdue
    missing_outcome: bool = False  # an appointment that has passed without an outcome
    moved_to: datetime | None = None


@dataclass(frozen=True)
class AmendmentForm:
    """A registration to correct or annul, with its episode and the choices of its form."""

    episode: EpisodeHeader
    registration: RegistrationView
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class GlassBreakRow:
    """One break-the-glass access, for the manager's review (no name of the insured person:
    the dossier number is enough to follow it up)."""

    id: int
    at: datetime
    until: datetime
    username: str
    role: str
    person_id: int
    episode_id: int
    reason: str
    entries: int  # audit entries written under it (reads and writes)
