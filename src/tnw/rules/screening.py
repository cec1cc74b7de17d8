"""Screening: which registered facts break a rule.

One pass over the events in date order. Each event is checked against the state built by the
valid events before it; an event that breaks a rule is reported as a violation and has no legal
effect afterwards (it fulfils no obligation and changes no state). That is the one mechanism for
every violation, so a refused registration and a reported violation always mean the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import parameters
from .facts import Event, Facts
from .model import Violation

# A step that needs an earlier step in the same episode (one of the listed types).
PRIOR_STEPS: dict[str, tuple[str, ...]] = {
    "exemption_letter_sent": ("medical_exemption",),
    "authorised_work_ended": ("authorised_work_started",),
    "questionnaire_received": ("questionnaire_sent",),
    "questionnaire_help_contact": ("questionnaire_sent",),
    "questionnaire_waived": ("spontaneous_request",),
    "referred_to_coordinator": ("capacity_assessed",),
    "first_contact": ("referred_to_coordinator", "spontaneous_request"),
    "permission_requested": ("first_contact",),
    "permission_decided": ("permission_requested",),
    "ziv_started": ("first_contact",),
    "trajectory_ended": ("first_contact",),
    "trajectory_evaluated": ("trajectory_ended",),
    "codex_plan_answered": ("codex_plan_delivered",),
    "plan_reviewed": ("plan_drawn_up",),
}

# Steps that belong to a running ZIV trajectory, and to a running CODEX trajectory.
NEEDS_RUNNING_ZIV = frozenset(
    {
        "occupational_physician_informed",
        "follow_up_meeting",
        "plan_drawn_up",
        "plan_reviewed",
        "ziv_suspended",
        "ziv_resumed",
    }
)
NEEDS_RUNNING_CODEX = frozenset(
    {"codex_assessed", "codex_plan_delivered", "codex_plan_answered", "codex_ended"}
)

# Work in the TNW-dossier that needs the insured person's written consent (circular III 3.1
# step 7 and 3.2 step 4: consent is asked at the first contact; a withdrawal stops it). Ending
# the trajectory stays possible so that a dossier can always be closed.
NEEDS_CONSENT = frozenset(
    {
        "contact",
        "permission_requested",
        "ziv_started",
        "occupational_physician_informed",
        "follow_up_meeting",
        "plan_drawn_up",
        "plan_reviewed",
        "ziv_suspended",
        "ziv_resumed",
        "trajectory_evaluated",
    }
)

# What may still be registered after the last day of the incapacity: closing a trajectory.
ALLOWED_AFTER_END = frozenset(
    {"trajectory_ended", "trajectory_evaluated", "consent_withdrawn", "codex_ended", "work_resumed"}
)

CIRCULAR_V = ("Circular V.I. 2022/383, V (table of contact moments)",)
PLAN_BASIS = ("KB 3-7-1996 art. 215novies", "Circular V.I. 2022/383, IV 4.2")
SITUATION_BASIS = ("KB 3-7-1996 art. 215novies", "Circular V.I. 2022/383, IV 4.1")
CONSENT_BASIS = ("Circular V.I. 2022/383, III 3.1 step 7 and 3.2 step 4 (Annex III)",)


@dataclass
class Screened:
    """The outcome of screening: valid events in date order, and the violations."""

    valid: list[Event] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    incapacity_end: date | None = None


@dataclass
class _State:
    seen: set[str] = field(default_factory=set)
    consent: bool = False
    ziv_running: bool = False
    ziv_suspended: bool = False
    codex_running: bool = False
    referred_to_occupational_physician: bool = False
    permission_granted: bool = False
    referred_by_physician: bool = False
    codex_ended_definitive: bool = False
    codex_request_date: date | None = None


def screen(facts: Facts, as_of: date) -> Screened:
    result = Screened()
    state = _State()
    for event in sorted(facts.events, key=Event.sort_key):
        found = _check(event, facts, as_of, state, result.incapacity_end)
        if found:
            result.violations.extend(found)
            continue
        _apply(event, state, result)
        result.valid.append(event)
    result.violations.sort(key=lambda v: (v.event_index is None, v.event_index or 0, v.code))
    return result


def _violation(event: Event, code: str, message: str, basis: tuple[str, ...] = ()) -> Violation:
    return Violation(event.index, code, f"{event.label()}: {message}", basis)


def _check(
    event: Event, facts: Facts, as_of: date, state: _State, end: date | None
) -> list[Violation]:
    if event.date < facts.incapacity_start:
        return [
            _violation(
                event,
                "event_before_incapacity",
                f"dated before the start of the incapacity ({facts.incapacity_start.isoformat()})",
            )
        ]
    if event.date > as_of:
        return [
            _violation(
                event,
                "event_in_future",
                f"dated after the evaluation date {as_of.isoformat()}; not taken into account",
            )
        ]
    if end is not None and event.date > end and event.type not in ALLOWED_AFTER_END:
        return [
            _violation(
                event,
                "event_after_incapacity_ended",
                f"dated after the end of the incapacity ({end.isoformat()})",
            )
        ]
    if end is not None and event.type == "incapacity_ended":
        return [
            _violation(
                event,
                "event_after_incapacity_ended",
                f"the incapacity already ended on {end.isoformat()}",
            )
        ]
    found: list[Violation] = []
    prior = PRIOR_STEPS.get(event.type)
    if prior and not state.seen.intersection(prior):
        found.append(
            _violation(
                event,
                "missing_prior_step",
                f"needs an earlier {' or '.join(prior)} in this episode",
            )
        )
    found.extend(_check_running_trajectories(event, state))
    if event.type in NEEDS_CONSENT and not state.consent:
        found.append(
            _violation(
                event,
                "no_consent",
                "no written consent of the insured person for the TNW-dossier is in force "
                "(not given at the first contact, or withdrawn)",
                CONSENT_BASIS,
            )
        )
    found.extend(_check_contact_mode(event))
    if event.type == "plan_drawn_up":
        found.extend(_check_plan(event))
    if event.type == "ziv_started":
        found.extend(_check_ziv_situation(event, facts, state))
    if event.type == "codex_requested":
        found.extend(_check_codex_request(event, facts, state))
    if event.type == "codex_assessed" and state.codex_running:
        found.extend(_check_codex_decision(event, state))
    if event.type == "consent_withdrawn" and not state.consent:
        found.append(_violation(event, "missing_prior_step", "there is no consent to withdraw"))
    return found


def _check_running_trajectories(event: Event, state: _State) -> list[Violation]:
    found = []
    if event.type in NEEDS_RUNNING_ZIV and not state.ziv_running:
        found.append(
            _violation(event, "missing_prior_step", "needs a running ZIV re-integration trajectory")
        )
    if event.type == "ziv_suspended" and state.ziv_suspended:
        found.append(_violation(event, "missing_prior_step", "the ZIV trajectory is suspended"))
    if event.type == "ziv_resumed" and not state.ziv_suspended:
        found.append(_violation(event, "missing_prior_step", "the ZIV trajectory is not suspended"))
    if event.type == "ziv_started" and state.ziv_running:
        found.append(
            _violation(
                event, "missing_prior_step", "a ZIV trajectory is already running in this episode"
            )
        )
    if event.type in NEEDS_RUNNING_CODEX and not state.codex_running:
        found.append(_violation(event, "missing_prior_step", "needs a running CODEX trajectory"))
    if event.type == "codex_requested" and state.codex_running:
        found.append(
            _violation(event, "missing_prior_step", "a CODEX trajectory is already running")
        )
    return found


def contact_kind(event: Event) -> str | None:
    """Which row of the circular's table of contact moments (section V) an event belongs to."""
    if event.type == "contact":
        return (
            "refusal_discussion"
            if event.text("purpose") == "refusal_discussion"
            else ("other_contact")
        )
    if event.type in ("first_contact", "questionnaire_help_contact", "follow_up_meeting"):
        return event.type
    return None


def _check_contact_mode(event: Event) -> list[Violation]:
    kind = contact_kind(event)
    if kind is None:
        return []
    # Before the TNW existed (2022) the first version of the table is the reference.
    first_tnw_day = parameters.all_regimes()["tnw"][0].since
    dated = parameters.value("tnw.contact_modes", max(event.date, first_tnw_day))
    allowed: list[str] = list(dated.value[kind])
    mode = event.text("mode")
    if mode in allowed:
        return []
    return [
        _violation(
            event,
            "contact_mode_not_allowed",
            f"a {kind.replace('_', ' ')} may be held by {' or '.join(allowed)}, not by {mode}",
            dated.reference,
        )
    ]


def _check_plan(event: Event) -> list[Violation]:
    missing = []
    if not [text for text in event.texts("objectives") if text.strip()]:
        missing.append("the objectives (intermediate results)")
    if not event.text("end_result").strip():
        missing.append("the end result pursued")
    if not [text for text in event.texts("actions") if text.strip()]:
        missing.append("one concrete action")
    appointment = event.day("next_appointment")
    if appointment is None:
        missing.append("one concrete appointment for a next follow-up meeting")
    elif appointment < event.date:
        missing.append("a next appointment on or after the plan date (it is in the past)")
    if not missing:
        return []
    return [
        _violation(
            event,
            "plan_incomplete",
            "the re-integration plan lacks " + "; ".join(missing),
            PLAN_BASIS,
        )
    ]


def _check_ziv_situation(event: Event, facts: Facts, state: _State) -> list[Violation]:
    situation = event.text("situation")
    problem = None
    if situation == "A" and facts.employment_contract:
        problem = "situation A is for an insured person without an employment contract"
    elif situation in ("B", "C") and not facts.employment_contract:
        problem = f"situation {situation} is for an insured person with an employment contract"
    elif situation == "B" and state.referred_to_occupational_physician:
        problem = (
            "situation B is for a person not referred to the occupational physician; "
            "after the pre-return visit use situation C"
        )
    elif situation == "D" and not state.codex_ended_definitive:
        problem = (
            "situation D needs a CODEX trajectory that ended definitively for definitive "
            "unfitness for the agreed work"
        )
    found = []
    if problem:
        found.append(_violation(event, "ziv_situation_mismatch", problem, SITUATION_BASIS))
    if not state.referred_by_physician and not state.permission_granted:
        found.append(
            _violation(
                event,
                "ziv_without_permission",
                "in routing B a ZIV trajectory needs the advising physician's permission",
                ("Circular V.I. 2022/383, III 3.2 step 5",),
            )
        )
    return found


def _check_codex_request(event: Event, facts: Facts, state: _State) -> list[Violation]:
    first = parameters.all_regimes()["codex"][0]
    if event.date < first.since:
        return [
            _violation(
                event,
                "codex_not_in_force",
                f"the CODEX re-integration trajectory exists from {first.since.isoformat()}",
                first.reference,
            )
        ]
    basis = parameters.value("codex.employer_initiative_after", event.date).reference
    if not facts.employment_contract:
        return [
            _violation(
                event,
                "codex_without_employment_contract",
                "a CODEX trajectory is for a worker bound by an employment contract",
                basis,
            )
        ]
    by = event.text("by")
    if by == "advising_physician":
        allowed, reference = parameters.flag("codex.advising_physician_initiative", event.date)
        if not allowed:
            return [
                _violation(
                    event,
                    "codex_initiative_not_allowed",
                    "since 1 October 2022 the advising physician can no longer start a "
                    "CODEX trajectory",
                    reference,
                )
            ]
    if by == "employer" and not event.flag("definitive_unfitness_certificate"):
        term, reference = parameters.term("codex.employer_initiative_after", event.date)
        with_consent, consent_ref = parameters.flag(
            "codex.employer_initiative_with_worker_consent", event.date
        )
        if with_consent and event.flag("worker_consent"):
            return []
        assert term is not None
        allowed_from = term.after(facts.incapacity_start)
        if event.date < allowed_from:
            extra = " or with the worker's consent" if with_consent else ""
            return [
                _violation(
                    event,
                    "codex_initiative_not_allowed",
                    f"the employer may ask only after {term.describe()} of incapacity "
                    f"(from {allowed_from.isoformat()}) or with a certificate of definitive "
                    f"unfitness{extra}",
                    reference + (consent_ref if with_consent else ()),
                )
            ]
    return []


def _check_codex_decision(event: Event, state: _State) -> list[Violation]:
    # The decision letters are those of the regime of the running trajectory's request.
    dated = parameters.value("codex.decisions", state.codex_request_date or event.date)
    decisions = dict(dated.value)
    if event.text("decision") in decisions:
        return []
    return [
        _violation(
            event,
            "codex_decision_not_in_regime",
            f"decision {event.text('decision')} does not exist in the CODEX regime of this "
            f"trajectory (decisions {', '.join(decisions)})",
            dated.reference,
        )
    ]


def _apply(event: Event, state: _State, result: Screened) -> None:
    state.seen.add(event.type)
    kind = event.type
    if kind == "incapacity_ended":
        result.incapacity_end = event.date
    elif kind == "first_contact":
        state.consent = event.flag("consent")
        state.referred_to_occupational_physician = event.text("outcome") == "occupational_physician"
    elif kind == "consent_given":
        state.consent = True
    elif kind == "consent_withdrawn":
        state.consent = False
    elif kind == "referred_to_coordinator":
        state.referred_by_physician = True
    elif kind == "permission_decided":
        state.permission_granted = event.flag("granted")
    elif kind == "ziv_started":
        state.ziv_running = True
        state.ziv_suspended = False
    elif kind == "ziv_suspended":
        state.ziv_suspended = True
    elif kind == "ziv_resumed":
        state.ziv_suspended = False
    elif kind == "trajectory_ended":
        state.ziv_running = False
        state.ziv_suspended = False
    elif kind == "codex_requested":
        state.codex_running = True
        state.codex_request_date = event.date
    elif kind == "codex_ended":
        state.codex_running = False
        state.codex_ended_definitive = event.flag("definitive_unfitness")
    elif kind == "work_resumed":
        state.codex_running = False
