"""The TNW-dossier: people, incapacity episodes and everything registered about them.

Registrations (the events of the rules contract) are immutable. Mutable records carry a
`version` for optimistic concurrency: a service changes a row only if its version is still the
one the user saw (`tnw.dossier.concurrency`). Obligations are the stored timeline of an
episode, recomputed by the services in the same transaction as every registration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tnw.dossier.searchkey import search_key


class ImmutableError(RuntimeError):
    """Someone tried to change or delete an immutable registration."""


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    DE = "de", "Deutsch"


class NumberKind(models.TextChoices):
    NN = "nn", "national register number"
    BIS = "bis", "bis number"


class Person(models.Model):
    """An insured person: identity and contact data (the TNW-dossier's subject)."""

    mutuality = models.ForeignKey(
        "mutualities.Mutuality", on_delete=models.PROTECT, related_name="people"
    )
    insz = models.CharField("INSZ", max_length=11, help_text="11 digits")
    number_kind = models.CharField(max_length=3, choices=NumberKind.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices)
    street = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="BE")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The names normalised for search (tnw.dossier.searchkey); kept by save(), filled by
    # migration 0005 and by `tnw simulate`; a trigram index on PostgreSQL.
    search_name = models.CharField(max_length=420, blank=True, default="", db_default="",
                                   editable=False)  # fmt: skip

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["mutuality", "last_name"]), models.Index(fields=["insz"])]
        # One dossier per person and mutuality, and no mutuality learns of another's. A person
        # who changes mutuality takes the dossier along (tnw.transfers, circular point 6): the
        # row moves, the former mutuality keeps only the record of the move and its audit.
        constraints = [
            models.UniqueConstraint(fields=["mutuality", "insz"], name="person_insz_per_mutuality")
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs) -> None:
        self.search_name = search_key(self.last_name, self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def audit_person_id(self) -> int:
        return self.pk


class Episode(models.Model):
    """One incapacity episode of one person: the unit the rules engine evaluates.

    `end` mirrors the `incapacity_ended` registration (set by the services, never by hand).
    The assignment fields say whose worklist the episode's obligations land on.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    start = models.DateField("incapacity start")
    end = models.DateField("incapacity end", null=True, blank=True)
    employment_contract = models.BooleanField()
    employer_name = models.CharField(max_length=200, blank=True)
    employer_number = models.CharField("employer enterprise number", max_length=12, blank=True)
    # The employer's size: CODEX 2026 (KB 17-12-2025) makes employers with 20 or more workers
    # request a trajectory within 6 months (tnw.rules.law.codex_2026). Unknown: left empty.
    employer_workers = models.PositiveIntegerField(
        "number of workers of the employer", null=True, blank=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_episodes",
    )
    advising_physician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="physician_episodes",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set with the stored obligations (dossier.services._store_timeline, their only writer):
    # a re-evaluation whose timeline has this digest stores nothing and reads no rows.
    timeline_digest = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["end"])]

    def __str__(self) -> str:
        return f"{self.person} from {self.start}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class ImmutableQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused as well: immutable records stay immutable."""

    def update(self, **kwargs):
        raise ImmutableError(f"{self.model._meta.verbose_name} records are immutable")

    def delete(self):
        raise ImmutableError(f"{self.model._meta.verbose_name} records cannot be deleted")


class RegistrationQuerySet(ImmutableQuerySet):
    def update(self, **kwargs):
        if set(kwargs) == {"shared_with_coordinator"}:
            return super(ImmutableQuerySet, self).update(**kwargs)
        return super().update(**kwargs)

    def in_force(self) -> RegistrationQuerySet:
        """The registrations that count as facts: neither corrected nor annulled by a later
        record, and not themselves an annulment (docs/architecture.md, "Corrections")."""
        return self.filter(in_force_q())


class Amendment(models.TextChoices):
    """What a registration is: a fact, the correction of an earlier one, or its annulment."""

    NONE = "", "registration"
    CORRECTS = "corrects", "correction"
    ANNULS = "annuls", "annulment"


def in_force_q(prefix: str = "") -> models.Q:
    """The condition "the registration (at `prefix`, e.g. "registration__") is in force"."""
    return models.Q(**{f"{prefix}corrected_by__isnull": True}) & ~models.Q(
        **{f"{prefix}amendment": Amendment.ANNULS}
    )


def in_force(registrations: list[Registration]) -> list[Registration]:
    """`RegistrationQuerySet.in_force` of registrations already read (in their order)."""
    superseded = {r.corrects_id for r in registrations if r.corrects_id is not None}
    return [r for r in registrations if r.pk not in superseded and r.amendment != Amendment.ANNULS]


class Registration(models.Model):
    """One registered fact of an episode (an event of the rules contract). Immutable: a
    correction or an annulment is a new registration that points to the one it amends
    (`corrects`), with a reason; the amended one stays, no longer in force. `position` orders
    an episode's registrations; the facts the engine evaluates are those in force, in that
    order (`RegistrationQuerySet.in_force`)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="registrations")
    position = models.PositiveIntegerField()
    # No `choices`: the event types are the rules engine's (tnw.rules.EVENT_TYPES), checked by
    # the services, so a change there needs no migration here.
    type = models.CharField(max_length=40)
    date = models.DateField()
    # The event's fields as in the rules contract (JSON-ready: dates as YYYY-MM-DD).
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True, help_text="findings, agreed actions")
    form_reference = models.CharField(
        max_length=100, blank=True, help_text="reference of a signed form (Annex III, IV)"
    )
    # The advising physician marks a registration's health data as relevant to the trajectory;
    # only then does the coordinator see it. The one field that may change after creation.
    shared_with_coordinator = models.BooleanField(default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # A correction or annulment: the registration it amends, and why (docs/architecture.md).
    amendment = models.CharField(
        max_length=10, choices=Amendment.choices, blank=True, default="", db_default=""
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    reason = models.TextField(blank=True, default="", db_default="")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "position"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "position"], name="uniq_event_position"),
        ]
        # (type, date) for the worklists and reports; episode and amendment too so that the
        # reports count per episode from the index alone (bench/RESULTS.md).
        indexes = [
            models.Index(
                fields=["type", "date", "episode", "amendment"], name="registration_type_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} on {self.date}"

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id

    def to_contract(self) -> dict:
        return {"type": self.type, "date": self.date.isoformat(), **self.data}

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") != ["shared_with_coordinator"]:
            raise ImmutableError("a registration is immutable: register a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a registration is immutable and cannot be deleted")


class ObligationState(models.TextChoices):
    """Stored state. upcoming/open/overdue are derived from the date when read."""

    PENDING = "pending"
    DONE = "done"
    VOID = "void"


class Obligation(models.Model):
    """One obligation of an episode's timeline, as computed by the rules engine."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="obligations")
    code = models.CharField(max_length=60)
    actor = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField(default=1)
    opens = models.DateField()
    due = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=ObligationState.choices)
    done_on = models.DateField(null=True, blank=True)
    late = models.BooleanField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    basis = models.JSONField(default=list)
    explanation = models.TextField()
    # Nullable: rows written in bulk without it (tnw simulate) show the English text.
    explanation_parts = models.JSONField(
        default=list, null=True, blank=True, help_text="the engine's messages: [{key, params}]"
    )
    void = models.JSONField(
        null=True, blank=True, help_text="why it no longer applies, as a message {key, params}"
    )
    rule = models.CharField(max_length=100)
    triggered_by = models.JSONField(default=list, help_text="positions of registrations")
    done_by = models.PositiveIntegerField(null=True, blank=True)
    # Issue 17 point 9: opened after its legal due date because an earlier step came late.
    # DB defaults too: `tnw simulate` writes rows in bulk.
    late_on_arrival = models.BooleanField(default=False, db_default=False)
    late_cause = models.CharField(
        max_length=60, blank=True, default="", db_default="", help_text="the late earlier step"
    )
    target = models.DateField(
        null=True, blank=True, help_text="working target when late on arrival (no legal term)"
    )
    computed_on = models.DateField(help_text="the evaluation date of the last recompute")
    # (since the timeline is stored by difference: of the last recompute that changed it)

    class Meta:
        ordering = ["episode", "due", "opens", "code", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "code", "sequence"], name="uniq_obligation_occurrence"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due"], name="obligation_worklist"),
            models.Index(fields=["actor", "state", "due"], name="obligation_actor_worklist"),
        ]

    def __str__(self) -> str:
        return f"{self.code} #{self.sequence} due {self.due}"


class PlanVersion(models.Model):
    """A version of the re-integration plan. An adjustment is a new version (a new
    `plan_drawn_up` registration), never an overwrite."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="plans")
    number = models.PositiveIntegerField()
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="plan_version"
    )
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    objectives = models.JSONField(default=list)
    end_result = models.TextField()
    actions = models.JSONField(default=list)
    # Who does each action, in the order of `actions` (tnw.rules.facts.PLAN_ACTORS); empty for
    # a plan registered without it.
    action_by = models.JSONField(default=list, blank=True)
    next_appointment = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="why the plan was adjusted")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "number"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "number"], name="uniq_plan_version"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("a plan version is immutable: adjust the plan with a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a plan version cannot be deleted")


class ConsentKind(models.TextChoices):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class Consent(models.Model):
    """Written consent for the TNW-dossier (Annex III), given or withdrawn. Immutable."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="consents")
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="consent_record"
    )
    kind = models.CharField(max_length=10, choices=ConsentKind.choices)
    date = models.DateField()
    form_reference = models.CharField(max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "date", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("a consent record is immutable")
        super().save(*args, **kwargs)


class CodexTrajectory(models.Model):
    """A CODEX re-integration trajectory (employer side), as registered in the dossier.
    A projection of the codex_* registrations, kept up to date by the services."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="codex_trajectories"
    )
    request = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="codex_trajectory"
    )
    requested_on = models.DateField()
    requested_by = models.CharField(max_length=30)
    decision = models.CharField(max_length=1, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    plan_delivered_on = models.DateField(null=True, blank=True)
    plan_agreed = models.BooleanField(null=True, blank=True)
    plan_answered_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    definitive_unfitness = models.BooleanField(null=True, blank=True)
    work_resumed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["episode", "requested_on"]
        verbose_name_plural = "CODEX trajectories"


class OutcomeKind(models.TextChoices):
    ENDED = "ended", "trajectory ended (result)"
    EVALUATED = "evaluated", "results evaluated"


class Outcome(models.Model):
    """The result of a trajectory and its evaluation (circular IV 4.4). Immutable."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="outcomes")
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="outcome_record"
    )
    kind = models.CharField(max_length=10, choices=OutcomeKind.choices)
    date = models.DateField()
    outcome = models.TextField(blank=True)
    evaluation = models.TextField(blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "date", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("an outcome record is immutable")
        super().save(*args, **kwargs)


class HealthKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", "diagnosis"
    EXAM_FINDING = "exam_finding", "medical examination findings"
    RESTRICTION = "restriction", "functional restrictions"
    OTHER = "other", "other health data"


class HealthRecord(models.Model):
    """Health data under medical secrecy, recorded by the advising physician. Coordinators see
    a record only when the physician marks it relevant to the trajectory; staff and managers
    never."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="health_records")
    kind = models.CharField(max_length=20, choices=HealthKind.choices)
    text = models.TextField()
    recorded_on = models.DateField()
    relevant_to_trajectory = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["episode", "recorded_on", "id"]

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id


class CareerEntry(models.Model):
    """Career data: a job, unemployment or training period of the person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="career")
    employer = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200)
    sector = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    working_time_percent = models.PositiveSmallIntegerField(default=100)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["person", "-start"]
        verbose_name_plural = "career entries"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class GlassBreak(models.Model):
    """ "Break the glass": a user of the episode's mutuality, with the role but not assigned to
    the episode, gives a reason to act on it anyway (an urgent case, a colleague's absence not
    yet covered). It opens the episode to that user until `until`; every read and write under
    it is audited with the channel marked "break-glass", and managers review the list.
    Immutable, like the audit entry that records it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="glass_breaks")
    reason = models.TextField()
    at = models.DateTimeField()
    until = models.DateTimeField()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "episode", "until"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a break-the-glass record cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a break-the-glass record cannot be deleted")

    @property
    def audit_person_id(self) -> int:
        return self.episode.person_id


# The agenda (tnw.caseload's agenda screen): appointments with the person and their outcome;
# the insured person's portal (tnw.portal): accounts, activation codes, questionnaire answers.
from tnw.dossier.agenda_models import (  # noqa: E402, F401
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentOutcome,
)

# The reports' precomputed figures (tnw.dossier.figures): aggregates only.
from tnw.dossier.figure_models import ComplianceFigure, Figure, FigureRefresh  # noqa: E402, F401
from tnw.dossier.portal_models import (  # noqa: E402, F401
    MeetingProposal,
    PortalAccount,
    PortalActivation,
    QuestionnaireAnswers,
)
