"""What a letter or model form may say about an episode: the facts it is made from.

The documents app (tnw.documents) renders letters only from `letter_facts`, which reaches the
episode through the one door (`tnw.dossier.access`), audits the read and withholds health data
from a user who may not see it: a coordinator's copy never carries the physician's category or
exemption reason. The daily run (no user) gets the facts of the letters it sends by post or
e-mail (`system_letter_facts`): identity and the non-medical steps only, audited as the system.

The signature rules (which registration needs which signed form, and whose signatures) are the
dossier's too: `SIGNED_FORMS` and `signed_form_needed`, enforced by `services.register_event`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict, cast

from django.db import transaction

from tnw.accounts.models import User
from tnw.accounts.roles import MEDICAL_FIELDS, Cap, has
from tnw.audit.services import audit_read
from tnw.dossier.access import access_episode_by_id
from tnw.dossier.errors import NotFound
from tnw.dossier.facts import episode_facts
from tnw.dossier.identity import format_insz
from tnw.dossier.models import Episode, ObligationState, Registration, in_force, in_force_q
from tnw.dossier.types import MEDICAL_OBLIGATIONS, REDACTED, PersonContact
from tnw.rules import evaluate, parameters

SYSTEM_CHANNEL = "system:letters"

# Registrations the circular ties to a signed model form, and who signs it:
# Annex III (consent, III 3.1 step 5): the insured person, in writing or electronically;
# Annex IV (engagement declaration, IV 4.1): the coordinator, the advising physician and the
# insured person.
SIGNED_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "consent_given": ("annex_iii", ("insured",)),
    "ziv_started": ("annex_iv", ("coordinator", "advising_physician", "insured")),
}


def signed_form_needed(event_type: str, fields: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The form and its signatories a registration needs, or ("", ()) when none. A first
    contact at which consent is given needs the signed Annex III like `consent_given`."""
    if event_type == "first_contact" and fields.get("consent") in (True, "true", "yes"):
        return SIGNED_FORMS["consent_given"]
    return SIGNED_FORMS.get(event_type, ("", ()))


@dataclass(frozen=True)
class SignedForm:
    """A signed model form as the documents app proves it: its reference (stored as the
    registration's form reference), the PDF's SHA-256, and the parties who signed."""

    form: str
    reference: str
    sha256: str
    signed_by: frozenset[str]


# --- The read models of a letter (plain dicts at run time: templates read them by key) -----


class LetterPerson(PersonContact):
    insz: str  # formatted


class LetterContact(TypedDict):
    label: str
    email: str
    phone: str


class LetterMutuality(TypedDict):
    code: str
    name: str
    union: str
    contacts: list[LetterContact]


class LetterStaff(TypedDict):
    name: str
    email: str


class LetterEpisode(TypedDict):
    id: int
    start: date
    end: date | None
    employment_contract: str
    employer_name: str


class LetterRegistration(TypedDict):
    id: int
    type: str
    date: date
    data: dict[str, Any]  # the event's fields (rules contract); medical ones redacted
    form_reference: str


class LetterObligation(TypedDict):
    code: str
    sequence: int
    opens: date
    due: date | None
    state: str


class LetterPlan(TypedDict):
    number: int
    date: date
    objectives: list[Any]  # as registered with the plan (plan_drawn_up's fields)
    end_result: str
    actions: list[Any]
    action_by: list[str]  # who does each action (tnw.rules.facts.PLAN_ACTORS), or empty
    next_appointment: date | None


class LetterOutcome(TypedDict):
    kind: str
    date: date
    outcome: str
    evaluation: str


class SanctionTerms(TypedDict):
    """The benefit sanction a letter states for an absence (`sanction_terms`)."""

    covered: bool  # the incapacity started on or after 1-1-2023 and the law has a rate
    rate: str  # the reduction in percent, with a decimal comma ("2,5", "10")
    suspension: bool  # a suspension instead (an absence from a physical examination, 2026)
    within_months: int  # the new date must fall within this many months
    law: str  # "2023" or "2026"


class LetterSanction(TypedDict):
    """A benefit sanction period the engine finds (tnw.rules Sanction.to_json) and its law."""

    kind: str
    appointment: str
    start: str  # ISO date
    end: str | None
    percentage: float | None
    regime: str
    basis: list[str]
    triggered_by: list[int]
    ended_by: int | None
    law: str


class LetterFacts(TypedDict):
    """Everything a letter or model form may say about one episode (`letter_facts`)."""

    person_id: int
    mutuality_id: int
    episode: LetterEpisode
    person: LetterPerson
    mutuality: LetterMutuality
    coordinator: LetterStaff | None
    advising_physician: LetterStaff | None
    registrations: list[LetterRegistration]
    obligations: list[LetterObligation]
    plans: list[LetterPlan]
    outcomes: list[LetterOutcome]
    sanctions: list[LetterSanction]
    sanction_terms: dict[str, SanctionTerms]  # by the registration's id (a string)
    health: bool  # whether the health data is in (else redacted)


class LetterDue(TypedDict):
    """A questionnaire letter or reminder the daily run sends today (no identity)."""

    episode_id: int
    code: str  # send_questionnaire or return_questionnaire
    sequence: int
    due: date | None
    mutuality_id: int
    email: bool  # the person has an e-mail address
    portal: bool | None  # their portal choice: e-mail (True), paper (False), no account (None)


class SanctionLetterDue(TypedDict):
    """A letter of the sanction procedure the daily run prints (no identity)."""

    episode_id: int
    kind: str  # sanction_invitation, registered_letter or sanction_notice
    subject: str  # the registration's id, or "<appointment>-<start>" of a period
    mutuality_id: int


def _person(episode: Episode) -> LetterPerson:
    p = episode.person
    return {
        "first_name": p.first_name, "last_name": p.last_name, "insz": format_insz(p.insz),
        "birth_date": p.birth_date, "language": p.language, "street": p.street,
        "postal_code": p.postal_code, "city": p.city, "country": p.country,
        "email": p.email, "phone": p.phone,
    }  # fmt: skip


def _mutuality(episode: Episode) -> LetterMutuality:
    m = episode.person.mutuality
    return {
        "code": m.code, "name": m.name, "union": m.union,
        "contacts": [{"label": c.label, "email": c.email, "phone": c.phone}
                     for c in m.contacts.all()],
    }  # fmt: skip


def _staff(user: User | None) -> LetterStaff | None:
    if user is None:
        return None
    return {"name": user.get_full_name() or user.username, "email": user.email}


def _without_medical(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a registration's fields with the medical ones redacted."""
    data = dict(data)
    for name in MEDICAL_FIELDS.get(event_type, ()):
        if name in data:
            data[name] = REDACTED
    return data


def _registrations(registrations: list[Registration], health: bool) -> list[LetterRegistration]:
    return [
        LetterRegistration(
            id=r.pk, type=r.type, date=r.date,
            data=dict(r.data) if health else _without_medical(r.type, r.data),
            form_reference=r.form_reference,
        )
        for r in registrations
    ]  # fmt: skip


def _law_of(day: date) -> str:
    """Which sanction law a letter cites for a fact of `day`: "2023" (KB 3-7-1996 as amended
    in force 1-1-2023, 2.5%) or "2026" (law of 19-12-2025 in force 1-1-2026, 10%)."""
    regime = parameters.regime_on("tnw", day)
    return "2026" if regime is not None and regime.since >= date(2026, 1, 1) else "2023"


def sanction_terms(*, start: date, day: date, appointment: str, mode: str) -> SanctionTerms:
    """What the benefit sanction is for an absence from an appointment on `day` of an episode
    that started on `start` (tnw.rules.law.law_2023_sanctions): covered only when the incapacity
    started on or after 1-1-2023; the rate of the law in force on `day`; a suspension instead
    when the law then suspends after an absence from a physical examination."""
    covered = parameters.value("tnw.sanction_reduction", start).value is not None
    rate = parameters.value("tnw.sanction_reduction", day).value
    suspends = bool(parameters.value("tnw.sanction_suspension_physical_exam", day).value)
    within = parameters.value("tnw.sanction_new_date_within", day).value
    return {
        "covered": covered and rate is not None, "rate": f"{rate or 0:g}".replace(".", ","),
        "suspension": suspends and appointment == "medical_examination" and mode == "physical",
        "within_months": within["amount"] if within else 1, "law": _law_of(day),
    }  # fmt: skip


def _sanctions(
    episode: Episode, registrations: list[Registration] | None = None
) -> list[LetterSanction]:
    """The benefit sanction periods the engine finds in the episode (as of its last fact);
    `registrations`: those in force, when the caller has read them already."""
    if registrations is None:
        registrations = in_force(list(episode.registrations.all()))
    if not any(r.type == "absent" for r in registrations):
        return []
    as_of = max(r.date for r in registrations)
    timeline = evaluate(episode_facts(episode, [r.to_contract() for r in registrations]), as_of)
    return [
        cast(LetterSanction, {**s.to_json(), "law": _law_of(s.start)}) for s in timeline.sanctions
    ]


def _sanction_letters(
    episode: Episode, registrations: list[LetterRegistration]
) -> dict[str, SanctionTerms]:
    """The terms of each invitation and registered letter of the sanction procedure (by the
    registration's id), with the mode of the invitation a registered letter replaces."""
    terms: dict[str, SanctionTerms] = {}
    modes: dict[str, str] = {}
    for r in registrations:
        data = r["data"]
        if r["type"] == "invited":
            modes[data.get("appointment", "")] = data.get("mode", "")
            day = _as_day(data.get("appointment_date")) or r["date"]
        elif r["type"] == "registered_letter_sent":
            day = _as_day(data.get("new_date")) or r["date"]
        else:
            continue
        appointment = data.get("appointment", "")
        terms[str(r["id"])] = sanction_terms(
            start=episode.start, day=day, appointment=appointment,
            mode=data.get("mode") or modes.get(appointment, ""),
        )  # fmt: skip
    return terms


def _as_day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _facts(episode: Episode, health: bool) -> LetterFacts:
    obligations = episode.obligations.exclude(state=ObligationState.VOID)
    if not health:
        obligations = obligations.exclude(code__in=MEDICAL_OBLIGATIONS)
    in_force_now = in_force(list(episode.registrations.all()))  # read once for both below
    registrations = _registrations(in_force_now, health)
    return {
        "person_id": episode.person_id, "mutuality_id": episode.person.mutuality_id,
        "episode": {"id": episode.pk, "start": episode.start, "end": episode.end,
                    "employment_contract": episode.employment_contract,
                    "employer_name": episode.employer_name},
        "person": _person(episode),
        "mutuality": _mutuality(episode),
        "coordinator": _staff(episode.coordinator),
        "advising_physician": _staff(episode.advising_physician),
        "registrations": registrations,
        "obligations": [{"code": o.code, "sequence": o.sequence, "opens": o.opens, "due": o.due,
                         "state": o.state} for o in obligations],
        "plans": [{"number": p.number, "date": p.registration.date, "objectives": p.objectives,
                   "end_result": p.end_result, "actions": p.actions,
                   "action_by": p.action_by, "next_appointment": p.next_appointment}
                  for p in episode.plans.filter(in_force_q("registration__"))
                  .select_related("registration")],
        "outcomes": [{"kind": o.kind, "date": o.date, "outcome": o.outcome,
                      "evaluation": o.evaluation}
                     for o in episode.outcomes.filter(in_force_q("registration__"))],
        # The benefit sanction (law of 2023 and 2026): its periods, and the terms of each
        # invitation and registered letter of its procedure.
        "sanctions": _sanctions(episode, in_force_now),
        "sanction_terms": _sanction_letters(episode, registrations),
        "health": health,
    }  # fmt: skip


def without_health(facts: LetterFacts) -> LetterFacts:
    """The same facts as a user without health data would get them (the coordinator's copy of
    a physician's Annex I or II): medical fields redacted, medical obligations left out."""
    registrations = [
        LetterRegistration(**{**r, "data": _without_medical(r["type"], r["data"])})
        for r in facts["registrations"]
    ]
    obligations = [o for o in facts["obligations"] if o["code"] not in MEDICAL_OBLIGATIONS]
    return {**facts, "registrations": registrations, "obligations": obligations, "health": False}


@transaction.atomic
def letter_facts(*, user: User, episode_id: int, channel: str = "documents") -> LetterFacts:
    """The facts of one episode for a letter issued by `user`, through the one door (audited);
    health data only when the user acts on the episode and may see all of it."""
    episode, access = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(Cap.VIEW_IDENTITY,), what="letter facts",
        channel=channel,
    )  # fmt: skip
    health = access.acts and has(user, Cap.VIEW_HEALTH_ALL)
    return _facts(episode, health)


@transaction.atomic
def system_letter_facts(*, episode_id: int, today: date) -> LetterFacts:
    """The facts for a letter the daily run sends (no user): never health data; the read is
    audited under the system's channel."""
    episode = Episode.objects.select_related("person__mutuality").filter(pk=episode_id).first()
    if episode is None:
        raise NotFound("incapacity episode")
    audit_read(actor=None, person_id=episode.person_id, what="letter facts",
               channel=f"{SYSTEM_CHANNEL}:{today.isoformat()}")  # fmt: skip
    return _facts(episode, health=False)


def letters_due(*, today: date, lookback: int, remind_days: int) -> list[LetterDue]:
    """The insured persons' letters the daily run sends today (no user; identity-free rows):
    the questionnaire (its term opened, caught up `lookback` days) and its reminder (the return
    term ends within `remind_days`). `email`: the person has an e-mail address; `portal`: their
    choice on the portal (True: letters electronically, False: on paper, None: no portal
    account, so an e-mail address decides)."""
    from datetime import timedelta

    from tnw.dossier.models import Obligation

    pending = Obligation.objects.filter(state=ObligationState.PENDING, opens__lte=today)
    fields = ("episode_id", "code", "sequence", "due", "episode__person__mutuality_id",
              "episode__person__email",
              "episode__person__portal_account__letters_by_email")  # fmt: skip
    rows = list(
        pending.filter(code="send_questionnaire",
                       due__gte=today - timedelta(days=lookback)).values_list(*fields)
    ) + list(
        pending.filter(code="return_questionnaire", due__gte=today,
                       due__lte=today + timedelta(days=remind_days)).values_list(*fields)
    )  # fmt: skip
    return [
        LetterDue(episode_id=e, code=c, sequence=s, due=d, mutuality_id=m, email=bool(mail),
                  portal=portal)
        for e, c, s, d, m, mail, portal in rows
    ]  # fmt: skip


def sanction_letters_due(*, today: date, lookback: int) -> list[SanctionLetterDue]:
    """The sanction procedure's letters (law of 2023 and 2026) the daily run prints: for each
    invitation that states the sanction and each registered letter with a new date registered
    in the last `lookback` days, the letter; for each reduction or suspension that starts in
    that window, its notice. Identity-free rows; `subject` names what the letter is about (the
    registration's id, or "<appointment>-<start>" of a period)."""
    from datetime import timedelta

    since = today - timedelta(days=lookback)
    found = Registration.objects.filter(
        in_force_q(), type__in=("invited", "registered_letter_sent", "absent"),
        date__gte=since, date__lte=today,
    ).select_related("episode__person")  # fmt: skip
    rows: list[SanctionLetterDue] = []
    absences: dict[int, Episode] = {}
    for r in found:
        episode = r.episode
        if r.type == "absent":
            absences[episode.pk] = episode
            continue
        day = _as_day(r.data.get("appointment_date") or r.data.get("new_date")) or r.date
        terms = sanction_terms(start=episode.start, day=day, appointment="", mode="")
        if not terms["covered"] or (r.type == "invited" and not r.data.get("sanction_stated")):
            continue
        kind = "sanction_invitation" if r.type == "invited" else "registered_letter"
        rows.append(SanctionLetterDue(episode_id=episode.pk, kind=kind, subject=str(r.pk),
                                      mutuality_id=episode.person.mutuality_id))  # fmt: skip
    for episode in absences.values():
        for period in _sanctions(episode):
            if since.isoformat() <= period["start"] <= today.isoformat():
                rows.append(SanctionLetterDue(
                    episode_id=episode.pk, kind="sanction_notice",
                    subject=f"{period['appointment']}-{period['start']}",
                    mutuality_id=episode.person.mutuality_id,
                ))  # fmt: skip
    return rows


# --- Reminders of appointments (tnw.caseload.daily) -------------------------------------------

_REMINDER_PERSON = ("episode_id", "episode__person__email", "episode__person__first_name",
                    "episode__person__last_name", "episode__person__language",
                    "episode__person__mutuality_id",
                    "episode__person__portal_account__letters_by_email")  # fmt: skip


class AppointmentReminder(TypedDict):
    """An appointment the daily run reminds an insured person of (`appointment_reminders_due`)."""

    source: str  # appointment (the agenda), plan (the plan's next appointment) or proposal
    episode_id: int
    email: str
    first_name: str
    last_name: str
    language: str
    mutuality_id: int
    portal: bool | None  # as LetterDue
    appointment_id: int | None  # the agenda's appointment; None for a day agreed without time
    at: datetime | None  # its day and time (local); None for a day agreed without time
    day: date
    kind: str
    mode: str
    place: str


def _reminder_row(source: str, values: dict[str, Any], **extra: Any) -> AppointmentReminder:
    return cast(AppointmentReminder, {
        "source": source, "episode_id": values["episode_id"],
        "email": values["episode__person__email"],
        "first_name": values["episode__person__first_name"],
        "last_name": values["episode__person__last_name"],
        "language": values["episode__person__language"] or "nl",
        "mutuality_id": values["episode__person__mutuality_id"],
        "portal": values["episode__person__portal_account__letters_by_email"],
        "appointment_id": None, "at": None, "kind": "follow_up", "mode": "", "place": "",
        **extra,
    })  # fmt: skip


def _booked(today: date, last: date) -> list[AppointmentReminder]:
    """The agenda's appointments from `today` to `last` without an outcome yet (a moved one has
    its outcome, and its new appointment is a row of its own)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from tnw.dossier.agenda_models import Appointment

    tz = timezone.get_current_timezone()
    low = datetime.combine(today, time.min, tzinfo=tz)
    high = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    rows = Appointment.objects.filter(outcome="", starts_at__gte=low, starts_at__lt=high).values(
        "id", "starts_at", "kind", "mode", "place", *_REMINDER_PERSON
    )
    return [
        _reminder_row("appointment", r, appointment_id=r["id"], kind=r["kind"], mode=r["mode"],
                      place=r["place"], at=timezone.localtime(r["starts_at"], tz),
                      day=timezone.localtime(r["starts_at"], tz).date())
        for r in rows.order_by("starts_at", "id")
    ]  # fmt: skip


def _agreed_days(today: date, last: date) -> list[AppointmentReminder]:
    """The current plan version's agreed next appointment and the days the person proposed and
    the coordinator confirmed, from `today` to `last` (a day, no time)."""
    from django.db.models import OuterRef, Subquery

    from tnw.dossier.models import PlanVersion
    from tnw.dossier.portal_models import MeetingProposal

    current = PlanVersion.objects.filter(in_force_q("registration__"), episode=OuterRef("episode"))
    plans = PlanVersion.objects.filter(
        pk=Subquery(current.order_by("-number").values("pk")[:1]),
        next_appointment__range=(today, last),
    ).values("next_appointment", *_REMINDER_PERSON)  # fmt: skip
    proposals = MeetingProposal.objects.filter(
        state=MeetingProposal.State.CONFIRMED, proposed_on__range=(today, last)
    ).values("proposed_on", *_REMINDER_PERSON)
    return [_reminder_row("plan", r, day=r["next_appointment"]) for r in plans] + [
        _reminder_row("proposal", r, day=r["proposed_on"]) for r in proposals
    ]


def appointment_reminders_due(*, today: date, days: int) -> list[AppointmentReminder]:
    """The appointments with insured persons from `today` to `days` days later that the daily
    run reminds them of (no user; rows without health data): the agenda's appointments not yet
    held (`appointment_id`, `at`, `kind`, `mode`, `place`), and the days agreed without a time
    (the current plan's next appointment, a confirmed proposal: `at` None) on which no
    appointment of the episode is booked; one row per episode and day for those, of running
    episodes only. `email`, `portal` as `letters_due` (the person's choice of letters)."""
    from datetime import timedelta

    last = today + timedelta(days=days)
    booked = _booked(today, last)
    taken = {(r["episode_id"], r["day"]) for r in booked}
    rows = list(booked)
    for row in sorted(_agreed_days(today, last), key=lambda r: (r["day"], r["episode_id"])):
        if (row["episode_id"], row["day"]) not in taken:
            taken.add((row["episode_id"], row["day"]))
            rows.append(row)
    ended = set(
        Episode.objects.filter(pk__in={r["episode_id"] for r in rows}, end__lt=today).values_list(
            "pk", flat=True
        )
    )
    return [r for r in rows if r["episode_id"] not in ended]
