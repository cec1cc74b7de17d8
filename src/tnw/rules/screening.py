"""Screening: which registered facts break a rule.

One pass over the events in date order. Each event is checked against the history built by the
valid events before it (`history.History`, which the rules read afterwards); an event that
breaks a rule is reported as a violation and has no legal effect afterwards (it fulfils no
obligation and changes no state). That is the one mechanism for every violation, so a refused
registration and a reported violation always mean the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import parameters
from .calendar import Term
from .facts import Event, Facts
from .history import History
from .messages import declare, message
from .model import Message, ParamValue, Violation

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
    "codex_unanswered": ("codex_invited",),
    "codex_appealed": ("codex_assessed",),
    "plan_reviewed": ("plan_drawn_up",),
    # IV 4.2: a retraining programme or a work resumption is part of a re-integration plan.
    "retraining_requested": ("plan_drawn_up",),
    "retraining_decided": ("retraining_requested",),
    "work_resumption_proposed": ("plan_drawn_up",),
    "work_resumption_decided": ("work_resumption_proposed",),
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
    {
        "codex_assessed",
        "codex_plan_delivered",
        "codex_plan_answered",
        "codex_ended",
        "codex_invited",
        "codex_unanswered",
        "codex_appealed",
    }
)

# Work in the TNW-dossier that needs the insured person's written consent (circular III 3.1
# step 7 and 3.2 step 4: consent is asked at the first contact; a withdrawal stops it). Ending
# the trajectory stays possible so that a dossier can always be closed. Every step of a running
# ZIV trajectory is such work.
NEEDS_CONSENT = NEEDS_RUNNING_ZIV | frozenset(
    {
        "contact",
        "permission_requested",
        "ziv_started",
        "trajectory_evaluated",
        "retraining_requested",
        "work_resumption_proposed",
    }
)

# What may still be registered after the last day of the incapacity: closing a trajectory.
ALLOWED_AFTER_END = frozenset(
    {"trajectory_ended", "trajectory_evaluated", "consent_withdrawn", "codex_ended", "work_resumed"}
)

# What may start on the day after the last day of the incapacity, because it is what ended it
# (issue 17, defect 2). Circular VI a: the ZIV presumption ends "daags voor het aanvangen van
# een bezoldigde werkzaamheid", so paid work that ends the incapacity starts the next day.
# Paid work does not itself close the incapacity: a work resumption in the trajectory can be
# authorised work under art. 100 §2 (circular IV 4.2), and the end of the incapacity stays the
# advising physician's decision (`incapacity_ended`). An approved retraining is not here: its
# programme is paid by the benefits insurance (IV 4.2, "tenlasteneming door de
# uitkeringsverzekering"), so it runs inside the incapacity and cannot start after its end.
STARTS_THE_DAY_AFTER_END = frozenset({"paid_work_started"})


def _cite(*names: str) -> tuple[str, ...]:
    first_tnw_day = parameters.all_regimes()["tnw"][0].since
    return tuple(parameters.citation(name, first_tnw_day) for name in names)


# Every violation code the screening can report (docs/rules.md section 8).
VIOLATION_CODES = (
    "event_before_incapacity",
    "event_after_incapacity_ended",
    "event_in_future",
    "missing_prior_step",
    "contact_mode_not_allowed",
    "no_consent",
    "plan_incomplete",
    "ziv_situation_mismatch",
    "ziv_without_permission",
    "codex_without_employment_contract",
    "codex_initiative_not_allowed",
    "codex_decision_not_in_regime",
    "codex_not_in_force",
    "incapacity_end_in_presumption",
    "codex_appeal_not_allowed",
    "medical_force_majeure_not_allowed",
)

declare(
    {
        "violation.before_incapacity": "dated before the start of the incapacity ({start})",
        "violation.in_future": "dated after the evaluation date {as_of}; not taken into account",
        "violation.after_incapacity_ended": "dated after the end of the incapacity ({end})",
        "violation.incapacity_already_ended": "the incapacity already ended on {end}",
        "violation.missing_prior_step": "needs an earlier {steps} in this episode",
        "violation.needs_running_ziv": "needs a running ZIV re-integration trajectory",
        "violation.ziv_suspended": "the ZIV trajectory is suspended",
        "violation.ziv_not_suspended": "the ZIV trajectory is not suspended",
        "violation.incapacity_end_in_presumption": "the legal presumption of incapacity of the "
        "{kind} trajectory runs from {start} to {end} at the latest: the recognition of the "
        "incapacity is kept",
        "violation.waiver_without_questionnaire": "a questionnaire can be waived only when the "
        "person already completed one during this incapacity",
        "violation.codex_ended_nothing_to_suspend": "the employer's CODEX trajectory asked on "
        "{requested} ended on {ended}: there is nothing left to suspend",
        "violation.ziv_already_running": "a ZIV trajectory is already running in this episode",
        "violation.needs_running_codex": "needs a running CODEX trajectory",
        "violation.codex_already_running": "a CODEX trajectory is already running",
        "violation.no_consent": "no written consent of the insured person for the TNW-dossier "
        "is in force (not given at the first contact, or withdrawn)",
        "violation.no_consent_to_withdraw": "there is no consent to withdraw",
        "violation.contact_mode": "a {kind} may be held by {allowed}, not by {mode}",
        "violation.plan_incomplete": "the re-integration plan lacks {missing}",
        "plan.lacks.objectives": "the objectives (intermediate results)",
        "plan.lacks.end_result": "the end result pursued",
        "plan.lacks.actions": "one concrete action",
        "plan.lacks.next_appointment": "one concrete appointment for a next follow-up meeting",
        "plan.lacks.next_appointment_in_past": "a next appointment on or after the plan date "
        "(it is in the past)",
        "violation.situation_a_with_contract": "situation A is for an insured person without an "
        "employment contract",
        "violation.situation_needs_contract": "situation {situation} is for an insured person "
        "with an employment contract",
        "violation.situation_b_after_referral": "situation B is for a person not referred to the "
        "occupational physician; after the pre-return visit use situation C",
        "violation.situation_d_needs_codex_end": "situation D needs a CODEX trajectory that ended "
        "definitively for definitive unfitness for the agreed work",
        "violation.ziv_without_permission": "in routing B a ZIV trajectory needs the advising "
        "physician's permission",
        "violation.codex_not_in_force": "the CODEX re-integration trajectory exists from {since}",
        "violation.codex_without_contract": "a CODEX trajectory is for a worker bound by an "
        "employment contract",
        "violation.codex_advising_physician": "since 1 October 2022 the advising physician can "
        "no longer start a CODEX trajectory",
        "violation.codex_employer_too_early": "the employer may ask only after {term} of "
        "incapacity (from {allowed_from}) or with a certificate of definitive unfitness",
        "violation.codex_employer_too_early_or_consent": "the employer may ask only after {term} "
        "of incapacity (from {allowed_from}) or with a certificate of definitive unfitness or "
        "with the worker's consent",
        "violation.codex_decision": "decision {decision} does not exist in the CODEX regime of "
        "this trajectory (decisions {decisions})",
        "violation.codex_appeal_not_definitive": "an appeal is against a decision of definitive "
        "unfitness for the agreed work; the last decision of this trajectory is {decision}",
        "violation.codex_appeal_late": "the appeal against the decision of {date} was due "
        "within {term}, by {due}",
        "violation.force_majeure_not_in_force": "the separate procedure of medical force "
        "majeure exists from {since}",
        "violation.force_majeure_without_contract": "medical force majeure ends an employment "
        "contract: the person has none",
        "violation.force_majeure_too_early": "the procedure of medical force majeure can start "
        "only after {term} of incapacity, from {allowed_from}",
    }
)


@dataclass
class Screened:
    """The outcome of screening: valid events in date order, the violations, the history."""

    valid: list[Event] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    history: History = field(default_factory=History)

    @property
    def incapacity_end(self) -> date | None:
        return self.history.incapacity_end


def screen(facts: Facts, as_of: date) -> Screened:
    result = Screened(history=History.of(facts))
    for event in sorted(facts.events, key=Event.sort_key):
        found = _check(event, facts, as_of, result.history)
        if found:
            result.violations.extend(found)
            continue
        result.history.apply(event)
        result.valid.append(event)
    result.violations.sort(key=lambda v: (v.event_index is None, v.event_index or 0, v.code))
    return result


def _violation(
    event: Event,
    code: str,
    key: str,
    basis: tuple[str, ...] = (),
    field: str | None = None,
    **params: ParamValue,
) -> Violation:
    assert code in VIOLATION_CODES, code
    detail = message(key, **params)
    return Violation(event.index, code, f"{event.label()}: {detail.text}", basis, detail, field)


def _check_dates(event: Event, facts: Facts, as_of: date, end: date | None) -> list[Violation]:
    if event.date < facts.incapacity_start:
        start = facts.incapacity_start
        return [
            _violation(
                event,
                "event_before_incapacity",
                "violation.before_incapacity",
                (),
                "date",
                start=start,
            )
        ]
    if event.date > as_of:
        return [
            _violation(event, "event_in_future", "violation.in_future", (), "date", as_of=as_of)
        ]
    code = "event_after_incapacity_ended"
    if end is not None and event.date > end and not _may_follow_the_end(event, end):
        return [_violation(event, code, "violation.after_incapacity_ended", (), "date", end=end)]
    if end is not None and event.type == "incapacity_ended":
        return [_violation(event, code, "violation.incapacity_already_ended", (), "date", end=end)]
    return []


def _may_follow_the_end(event: Event, end: date) -> bool:
    if event.type in ALLOWED_AFTER_END:
        return True
    return event.type in STARTS_THE_DAY_AFTER_END and event.date == end + timedelta(days=1)


def _check(event: Event, facts: Facts, as_of: date, history: History) -> list[Violation]:
    dated = _check_dates(event, facts, as_of, history.incapacity_end)
    if dated:
        return dated
    found: list[Violation] = []
    prior = PRIOR_STEPS.get(event.type)
    if prior and not history.seen.intersection(prior):
        found.append(
            _violation(event, "missing_prior_step", "violation.missing_prior_step", steps=prior)
        )
    found.extend(_check_running_trajectories(event, history))
    if event.type in NEEDS_CONSENT and not history.consent:
        found.append(
            _violation(event, "no_consent", "violation.no_consent", _cite("circular.consent"))
        )
    found.extend(_check_contact_mode(event))
    found.extend(_check_by_type(event, facts, history))
    if event.type == "consent_withdrawn" and not history.consent:
        found.append(_violation(event, "missing_prior_step", "violation.no_consent_to_withdraw"))
    return found


def _check_by_type(event: Event, facts: Facts, history: History) -> list[Violation]:
    if event.type == "plan_drawn_up":
        return _check_plan(event)
    if event.type == "ziv_started":
        return _check_ziv_situation(event, facts, history)
    if event.type == "codex_requested":
        return _check_codex_request(event, facts)
    if event.type == "codex_assessed" and history.codex_running:
        return _check_codex_decision(event, history)
    if event.type == "codex_appealed" and history.codex_running:
        return _check_codex_appeal(event, history)
    if event.type == "medical_force_majeure_requested":
        return _check_force_majeure(event, facts)
    if event.type == "ziv_suspended" and history.ziv_running:
        return _check_suspension(event, history)
    if event.type == "incapacity_ended":
        return _check_presumption_kept(event, facts, history)
    if event.type == "questionnaire_waived" and not history.questionnaire_completed:
        # III 3.2 step 2: no questionnaire "indien deze gerechtigde tijdens de lopende
        # arbeidsongeschiktheid al een vragenlijst heeft ingevuld" (issue 17, interpretation 4).
        basis = _cite("circular.iii_3_2_step_2")
        return [
            _violation(event, "missing_prior_step", "violation.waiver_without_questionnaire", basis)
        ]
    return []


def _presumption_last_day(start: date) -> date:
    first_tnw_day = parameters.all_regimes()["tnw"][0].since
    term, _ = parameters.term("tnw.presumption_max", max(start, first_tnw_day))
    assert term is not None
    return term.after_period(start) - timedelta(days=1)


def _running_presumptions(
    end: date, facts: Facts, history: History
) -> Iterator[tuple[str, date, date]]:
    """(kind, start, last possible day) of each presumption still running on `end` and not
    ending on it by law: the day before paid work or the resumption with the employer (a fact
    dated the next day), the trajectory's last day, the period's last day. An approved
    retraining runs inside the incapacity (IV 4.2), so the incapacity cannot end the day before
    it: that end is refused like any other inside the period."""
    next_day = {e.type for e in facts.events if e.date == end + timedelta(days=1)}
    for trajectory in history.ziv:
        plan = next((e for e in trajectory.steps if e.type == "plan_drawn_up"), None)
        if plan is None or plan.date > end:
            continue
        last = _presumption_last_day(plan.date)
        started = [
            e for e in trajectory.steps if e.type in ("paid_work_started", "retraining_started")
        ]
        if trajectory.end is not None and trajectory.end.date <= end:
            continue
        if last <= end or any(e.date <= end for e in started):
            continue
        if "paid_work_started" in next_day:
            continue
        yield "ZIV", plan.date, last
    signed = history.codex_plan_signed
    if signed is not None and signed.date <= end:
        last = _presumption_last_day(signed.date)
        resumed = any(
            c.end is not None and c.end.type == "work_resumed" and signed.date <= c.end.date <= end
            for c in history.codex
        )
        if last > end and not resumed and "work_resumed" not in next_day:
            yield "CODEX", signed.date, last


def _check_presumption_kept(event: Event, facts: Facts, history: History) -> list[Violation]:
    """Circular VI: "gedurende deze periode [blijft] de erkenning van de staat van
    arbeidsongeschiktheid behouden". An end of the incapacity inside a running presumption
    period would cut it short, exactly the risk the presumption removes; it is refused unless
    it coincides with a legal end of the period (issue 17, interpretation 3).

    Not the day before an approved retraining (VI b): the programme is approved "met het oog
    op de tenlasteneming door de uitkeringsverzekering" (IV 4.2), so it runs inside the
    incapacity; the presumption ends the day before it, the incapacity does not (docs/rules.md
    6, scenario 11 L17). Paid work the next day (VI a) does end it."""
    for kind, start, last in _running_presumptions(event.date, facts, history):
        return [
            _violation(
                event,
                "incapacity_end_in_presumption",
                "violation.incapacity_end_in_presumption",
                _cite("circular.vi"),
                "date",
                kind=kind,
                start=start,
                end=last,
            )
        ]
    return []


def _check_suspension(event: Event, history: History) -> list[Violation]:
    """IV 4.1 (situations B and C): the ZIV trajectory is suspended "gedurende het
    re-integratietraject bij de PAAA opgestart op vraag van de werkgever". Once the employer's
    CODEX trajectory asked during this ZIV trajectory has ended, there is nothing left to
    suspend (issue 17, defect 1)."""
    current = history.current_ziv
    assert current is not None
    asked = [
        codex
        for codex in history.codex
        if codex.request.text("by") == "employer"
        and codex.request.sort_key() > current.start.sort_key()
    ]
    if not asked or asked[-1].end is None:
        return []
    return [
        _violation(
            event,
            "missing_prior_step",
            "violation.codex_ended_nothing_to_suspend",
            _cite("circular.iv_4_1_situations_b_c"),
            "date",
            requested=asked[-1].request.date,
            ended=asked[-1].end.date,
        )
    ]


def _check_running_trajectories(event: Event, history: History) -> list[Violation]:
    problems = [
        (event.type in NEEDS_RUNNING_ZIV and not history.ziv_running, "needs_running_ziv"),
        (event.type == "ziv_suspended" and history.ziv_suspended, "ziv_suspended"),
        (event.type == "ziv_resumed" and not history.ziv_suspended, "ziv_not_suspended"),
        (event.type == "ziv_started" and history.ziv_running, "ziv_already_running"),
        (event.type in NEEDS_RUNNING_CODEX and not history.codex_running, "needs_running_codex"),
        (event.type == "codex_requested" and history.codex_running, "codex_already_running"),
    ]
    return [
        _violation(event, "missing_prior_step", f"violation.{key}")
        for applies, key in problems
        if applies
    ]


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
    allowed = tuple(str(mode) for mode in dated.value[kind])
    mode = event.text("mode")
    if mode in allowed:
        return []
    return [
        _violation(
            event,
            "contact_mode_not_allowed",
            "violation.contact_mode",
            dated.reference,
            "mode",
            kind=kind,
            allowed=allowed,
            mode=mode,
        )
    ]


def _missing_in_plan(event: Event) -> list[tuple[str, str]]:
    """(field, what is missing) for each part of the minimum content of the plan (IV 4.2)."""
    missing = []
    if not [text for text in event.texts("objectives") if text.strip()]:
        missing.append(("objectives", "objectives"))
    if not event.text("end_result").strip():
        missing.append(("end_result", "end_result"))
    if not [text for text in event.texts("actions") if text.strip()]:
        missing.append(("actions", "actions"))
    appointment = event.day("next_appointment")
    if appointment is None:
        missing.append(("next_appointment", "next_appointment"))
    elif appointment < event.date:
        missing.append(("next_appointment", "next_appointment_in_past"))
    return missing


def _check_plan(event: Event) -> list[Violation]:
    missing = _missing_in_plan(event)
    if not missing:
        return []
    parts: tuple[Message, ...] = tuple(message(f"plan.lacks.{what}") for _, what in missing)
    basis = _cite("kb.215novies", "circular.iv_4_2")
    field_name = missing[0][0]
    return [
        _violation(
            event,
            "plan_incomplete",
            "violation.plan_incomplete",
            basis,
            field_name,
            missing=parts,
        )
    ]


def _situation_problem(event: Event, facts: Facts, history: History) -> Message | None:
    situation = event.text("situation")
    if situation == "A" and facts.employment_contract:
        return message("violation.situation_a_with_contract")
    if situation in ("B", "C") and not facts.employment_contract:
        return message("violation.situation_needs_contract", situation=situation)
    if situation == "B" and history.referred_to_occupational_physician:
        return message("violation.situation_b_after_referral")
    if situation == "D" and not history.codex_ended_definitive:
        return message("violation.situation_d_needs_codex_end")
    return None


def _check_ziv_situation(event: Event, facts: Facts, history: History) -> list[Violation]:
    problem = _situation_problem(event, facts, history)
    found = []
    if problem is not None:
        basis = _cite("kb.215novies", "circular.iv_4_1")
        found.append(
            _violation(
                event,
                "ziv_situation_mismatch",
                problem.key,
                basis,
                "situation",
                **dict(problem.params),
            )
        )
    if not history.referred_by_physician and not history.permission_granted:
        found.append(
            _violation(
                event,
                "ziv_without_permission",
                "violation.ziv_without_permission",
                _cite("circular.iii_3_2_step_5"),
            )
        )
    return found


def _check_codex_request(event: Event, facts: Facts) -> list[Violation]:
    first = parameters.all_regimes()["codex"][0]
    if event.date < first.since:
        return [
            _violation(
                event,
                "codex_not_in_force",
                "violation.codex_not_in_force",
                first.reference,
                since=first.since,
            )
        ]
    basis = parameters.value("codex.employer_initiative_after", event.date).reference
    if not facts.employment_contract:
        return [
            _violation(
                event,
                "codex_without_employment_contract",
                "violation.codex_without_contract",
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
                    "violation.codex_advising_physician",
                    reference,
                    "by",
                )
            ]
    if by == "employer" and not event.flag("definitive_unfitness_certificate"):
        return _check_employer_initiative(event, facts)
    return []


def _check_employer_initiative(event: Event, facts: Facts) -> list[Violation]:
    term, reference = parameters.term("codex.employer_initiative_after", event.date)
    with_consent, consent_ref = parameters.flag(
        "codex.employer_initiative_with_worker_consent", event.date
    )
    if with_consent and event.flag("worker_consent"):
        return []
    assert term is not None
    # After N uninterrupted months of incapacity, the period counted in from its first day
    # (Ger.W. art. 54, parameter calendar.month_policy).
    allowed_from = term.after_period(facts.incapacity_start)
    if event.date >= allowed_from:
        return []
    key = "violation.codex_employer_too_early" + ("_or_consent" if with_consent else "")
    basis = reference + (consent_ref if with_consent else ())
    return [
        _violation(
            event,
            "codex_initiative_not_allowed",
            key,
            basis,
            "by",
            term=term,
            allowed_from=allowed_from,
        )
    ]


def _check_codex_decision(event: Event, history: History) -> list[Violation]:
    # The decision letters are those of the regime that governs a decision made on this day
    # in the running trajectory (issue 17, interpretation 5: the 2022 reform applied at once).
    request = history.codex_request_date or event.date
    dated = parameters.value("codex.decisions", parameters.codex_step_date(request, event.date))
    decisions = dict(dated.value)
    if event.text("decision") in decisions:
        return []
    return [
        _violation(
            event,
            "codex_decision_not_in_regime",
            "violation.codex_decision",
            dated.reference,
            "decision",
            decision=event.text("decision"),
            decisions=", ".join(decisions),
        )
    ]


def _check_codex_appeal(event: Event, history: History) -> list[Violation]:
    """Codex art. I.4-63 (as cited, DN 4.1-4.2): the worker may appeal against a decision of
    definitive unfitness for the agreed work (2017: C or D; 2022: B) within 7 working days
    (2017) or 21 calendar days (2022) of the decision, in the regime that governs the
    decision's day (issue 17, interpretation 5). Interpretation: the term runs from the day of
    the assessment as registered (the form is taken to be sent that day)."""
    trajectory = history.codex[-1]
    decided = trajectory.assessments[-1] if trajectory.assessments else None
    if decided is None:
        return []  # missing_prior_step already says so
    on = parameters.codex_step_date(trajectory.request.date, decided.date)
    decisions = dict(parameters.value("codex.decisions", on).value)
    outcome = decisions.get(decided.text("decision"), {}).get("plan")
    term, basis = parameters.term("codex.appeal_term", on)
    assert term is not None
    code = "codex_appeal_not_allowed"
    if outcome not in ("definitive", "ends"):
        key = "violation.codex_appeal_not_definitive"
        return [_violation(event, code, key, basis, decision=decided.text("decision"))]
    due = term.after(decided.date)
    if event.date > due:
        key = "violation.codex_appeal_late"
        return [_violation(event, code, key, basis, "date", date=decided.date, term=term, due=due)]
    return []


def force_majeure_opens(start: date) -> tuple[date | None, Term | None, tuple[str, ...]]:
    """Art. 34 Employment Contracts Act (in force 28-11-2022; Codex art. I.4-82/1): the first
    day from which the procedure of medical force majeure may start for an incapacity that
    began on `start`, reading the period in force on each day (9 months; 6 months from
    1-1-2026, also for incapacities that began before): the first day D that lies after the
    period in force on D, counted in from the start (Ger.W. art. 54). The periods only get
    shorter, so every later day is allowed too.
    """
    found = parameters.all_parameters()["contract.medical_force_majeure_after"].values
    for dated, following in zip(found, [*found[1:], None], strict=False):
        if dated.value is None:
            continue
        term = Term(int(dated.value["amount"]), dated.value["unit"])
        day = max(dated.since, term.after_period(start))
        if following is None or day < following.since:
            return day, term, dated.reference
    return None, None, ()


def _check_force_majeure(event: Event, facts: Facts) -> list[Violation]:
    """Art. 34 Employment Contracts Act: the request needs an employment contract, the
    separate procedure (from 28-11-2022) and the period of incapacity in force on its day."""
    code = "medical_force_majeure_not_allowed"
    parameter = parameters.all_parameters()["contract.medical_force_majeure_after"]
    first = next(v for v in parameter.values if v.value is not None)
    if event.date < first.since:
        key = "violation.force_majeure_not_in_force"
        return [_violation(event, code, key, first.reference, since=first.since)]
    if not facts.employment_contract:
        key = "violation.force_majeure_without_contract"
        return [_violation(event, code, key, first.reference)]
    opens, term, basis = force_majeure_opens(facts.incapacity_start)
    if opens is None or term is None or event.date >= opens:
        return []
    key = "violation.force_majeure_too_early"
    return [_violation(event, code, key, basis, "date", term=term, allowed_from=opens)]
