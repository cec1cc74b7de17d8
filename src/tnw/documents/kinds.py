"""The document kinds, as data: who issues each, whether it carries health data, which
registration it proves, who signs it, and when it fits the dossier's state.

Each kind has one template per language (templates/documents/pdf/<language>/<kind>.html) with
its legal basis; `TEMPLATE_VERSION` is stored with every issued document, so a later change of
wording never changes what a stored document said. The annexes of circular V.I. 2022/383 are not
published: their content follows what the circular says they hold (docs/documents.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

TEMPLATE_VERSION = "2026.1"
LANGUAGES = ("nl", "fr", "de", "en")
LETTER_LANGUAGES = ("nl", "fr", "de")  # the insured person's languages; EN: internal use
# From 1-1-2023 an invitation warns of the 2.5% benefit reduction for an unjustified absence
# (KB 3-7-1996 as amended by the KB approved 10-11-2022; incapacities starting from that date).
REDUCTION_WARNING_FROM = date(2023, 1, 1)

PHYSICIAN = "advising_physician"
COORDINATOR = "coordinator"
STAFF = "staff"

Facts = dict[str, Any]


def _types(facts: Facts) -> set[str]:
    return {r["type"] for r in facts["registrations"]}


def _last(facts: Facts, event_type: str) -> dict[str, Any] | None:
    found = [r for r in facts["registrations"] if r["type"] == event_type]
    return found[-1] if found else None


def _pending(facts: Facts, code: str) -> bool:
    return any(o["code"] == code and o["state"] == "pending" for o in facts["obligations"])


def _refused_permission(facts: Facts) -> bool:
    decided = _last(facts, "permission_decided")
    return decided is not None and decided["data"].get("granted") is False


def _consented(facts: Facts) -> bool:
    return any(
        r["type"] == "consent_given" or (r["type"] == "first_contact" and r["data"].get("consent"))
        for r in facts["registrations"]
    )


def _stated_invitations(facts: Facts) -> list[dict[str, Any]]:
    """The invitations of the sanction procedure that state the sanction, where it applies."""
    terms = facts.get("sanction_terms", {})
    return [
        r for r in facts["registrations"]
        if r["type"] == "invited" and r["data"].get("sanction_stated")
        and terms.get(str(r["id"]), {}).get("covered")
    ]  # fmt: skip


@dataclass(frozen=True)
class Input:
    """A value the issuer gives when issuing (e.g. the appointment of an invitation)."""

    name: str
    label: Any
    type: str = "text"  # text | date | time | choice
    required: bool = True
    choices: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Kind:
    code: str
    title: Any
    issuers: frozenset[str]
    fits: Callable[[Facts], bool]
    medical: bool = False
    proves: str = ""
    signers: tuple[str, ...] = ()
    inputs: tuple[Input, ...] = field(default=())
    daily: bool = False  # produced by the daily run
    # Holds health data when the issuer sees it (the physician's GDPR copy), none otherwise.
    health_if_seen: bool = False
    # Names the third parties the person's consent covers on the day (Annex III; circular
    # II 2.2.1) and those consulted (the dossier copy: GDPR art. 15.1.c, the recipients):
    # `facts["third_parties"]`, `facts["consultations"]`, from tnw.thirdparties.
    names_parties: bool = False

    def template(self, language: str) -> str:
        return f"documents/pdf/{language}/{self.code}.html"


MODES = (("physical", _("in person")), ("phone", _("by telephone")), ("video", _("by video")))
APPOINTMENT = (
    Input("appointment_date", _("Date of the appointment"), "date"),
    Input("appointment_time", _("Time"), "time"),
    Input("mode", _("How"), "choice", choices=MODES),
    Input("place", _("Place (or how to join)"), required=False),
)

KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("questionnaire_letter", _("Questionnaire letter (return within 2 weeks)"),
             frozenset({PHYSICIAN, COORDINATOR, STAFF}),
             lambda f: _pending(f, "send_questionnaire") or "questionnaire_sent" in _types(f),
             proves="questionnaire_sent", daily=True),
        Kind("questionnaire_reminder", _("Questionnaire reminder"),
             frozenset({PHYSICIAN, COORDINATOR, STAFF}),
             lambda f: _pending(f, "return_questionnaire"), daily=True),
        Kind("no_questionnaire_letter", _("Letter: no questionnaire for a medical reason"),
             frozenset({PHYSICIAN}), lambda f: "medical_exemption" in _types(f),
             proves="exemption_letter_sent"),
        Kind("invitation", _("Invitation to the first contact moment"),
             frozenset({COORDINATOR}),
             lambda f: bool(_types(f) & {"referred_to_coordinator", "spontaneous_request"}),
             inputs=APPOINTMENT),
        Kind("annex_i", _("Annex I: refusal of a requested ZIV trajectory (categorisation)"),
             frozenset({PHYSICIAN}), lambda f: "capacity_assessed" in _types(f), medical=True,
             inputs=(Input("motivation", _("Motivation"), required=False),)),
        Kind("annex_ii", _("Annex II: negative decision (routing B)"),
             frozenset({PHYSICIAN}), _refused_permission, medical=True,
             inputs=(Input("motivation", _("Motivation"), required=False),)),
        Kind("annex_iii", _("Annex III: consent form for the TNW-dossier"),
             frozenset({COORDINATOR}),
             lambda f: bool(_types(f) & {"referred_to_coordinator", "spontaneous_request",
                                         "first_contact"}),
             proves="consent_given", signers=("insured",), names_parties=True),
        Kind("annex_iv", _("Annex IV: engagement declaration (ZIV trajectory)"),
             frozenset({COORDINATOR}), _consented, proves="ziv_started",
             signers=(COORDINATOR, PHYSICIAN, "insured")),
        Kind("consent_withdrawal", _("Confirmation of the withdrawal of consent"),
             frozenset({COORDINATOR}), lambda f: "consent_withdrawn" in _types(f)),
        Kind("plan", _("Re-integration plan (latest version)"),
             frozenset({COORDINATOR}), lambda f: bool(f["plans"])),
        Kind("dossier_copy", _("Copy of the whole TNW-dossier (GDPR art. 15)"),
             frozenset({COORDINATOR, PHYSICIAN}), lambda f: True, health_if_seen=True,
             names_parties=True),
        Kind("evaluation", _("Evaluation of the trajectory"),
             frozenset({COORDINATOR}), lambda f: "trajectory_evaluated" in _types(f)),
        # The benefit sanction (law of 2023 and 2026): made from the registered facts of its
        # procedure; the daily run puts each in the print batch once (paper post: the
        # registered letter must go by registered mail).
        Kind("sanction_invitation", _("Invitation that states the benefit sanction"),
             frozenset({PHYSICIAN, COORDINATOR}), lambda f: bool(_stated_invitations(f)),
             daily=True),
        Kind("registered_letter", _("Registered letter with a new date"),
             frozenset({PHYSICIAN, COORDINATOR}),
             lambda f: "registered_letter_sent" in _types(f), daily=True),
        Kind("sanction_notice", _("Notice of the reduction or suspension of the benefit"),
             frozenset({PHYSICIAN, COORDINATOR}), lambda f: bool(f.get("sanctions")),
             daily=True),
    )
}  # fmt: skip


SANCTION_KINDS = ("sanction_invitation", "registered_letter", "sanction_notice")


def subject_of(kind: str, facts: Facts, wanted: str = "") -> dict[str, Any]:
    """What a sanction letter is about: the invitation or registered letter (a registration,
    with the sanction's terms), or the sanction period; `wanted` picks one (the daily run's
    letter names it: the registration's id, or "<appointment>-<start>" of a period), else the
    latest."""
    if kind == "sanction_notice":
        periods = [p for p in facts.get("sanctions", [])
                   if not wanted or f"{p['appointment']}-{p['start']}" == wanted]  # fmt: skip
        return {"sanction": periods[-1]} if periods else {}
    if kind not in SANCTION_KINDS:
        return {}
    found = (
        _stated_invitations(facts)
        if kind == "sanction_invitation"
        else [r for r in facts["registrations"] if r["type"] == "registered_letter_sent"]
    )
    found = [r for r in found if not wanted or str(r["id"]) == wanted]
    if not found:
        return {}
    chosen = found[-1]
    appointment = chosen["data"].get("appointment")
    before = [
        r
        for r in facts["registrations"]
        if r["type"] == "invited"
        and r["data"].get("appointment") == appointment
        and r["date"] <= chosen["date"]
    ]
    return {"registration": chosen, "terms": facts["sanction_terms"][str(chosen["id"])],
            "missed": before[-1] if before and kind == "registered_letter" else None}  # fmt: skip


def reduction_warning(facts: Facts) -> bool:
    start = facts["episode"]["start"]
    start = date.fromisoformat(start) if isinstance(start, str) else start
    return start >= REDUCTION_WARNING_FROM
