"""Roles and the access matrix (medical secrecy).

One role per user. Every read in the selectors and every write in the services asks
`require(user, capability, person=...)`; the matrix below is the single place that says who may
do what. A person's data is only ever visible to users of that person's mutuality.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tnw.choices import TextChoices


class Role(TextChoices):
    ADVISING_PHYSICIAN = "advising_physician", "Advising physician (adviserend arts)"
    COORDINATOR = "coordinator", "TNW coordinator"
    STAFF = "staff", "Mutuality staff member (questionnaire support)"
    MANAGER = "manager", "Manager (figures only)"
    ADMIN = "admin", "Administrator"
    # The insured person on the portal (tnw.portal): only their own dossier, only their own acts.
    INSURED = "insured", "Insured person (portal)"
    # A non-physician of the advising physician's multidisciplinary team (nurse, occupational
    # therapist, ...): contacts in the incapacity-evaluation domain (circular VII). A coordinator
    # may hold it as a second role (`User.mdt_non_physician`), limited by VII.
    MDT = "mdt", "Multidisciplinary team member, not a physician"


AP = Role.ADVISING_PHYSICIAN
CO = Role.COORDINATOR
ST = Role.STAFF
MA = Role.MANAGER
AD = Role.ADMIN
IN = Role.INSURED
MD = Role.MDT


class Cap(TextChoices):
    """Capabilities: kinds of data (view_*) and actions."""

    VIEW_IDENTITY = "view_identity", "identity and contact data"
    VIEW_EPISODES = "view_episodes", "incapacity episodes (dates, employer)"
    VIEW_REGISTRATIONS = "view_registrations", "registrations, contact moments, actions"
    VIEW_QUESTIONNAIRE = "view_questionnaire", "questionnaire steps and their deadlines"
    VIEW_HEALTH_ALL = "view_health_all", "all health data"
    VIEW_HEALTH_SHARED = "view_health_shared", "health data marked relevant to the trajectory"
    VIEW_CAREER = "view_career", "career data"
    VIEW_PLANS = "view_plans", "re-integration plans"
    VIEW_CONSENTS = "view_consents", "consents"
    VIEW_TIMELINE = "view_timeline", "obligations, presumptions (the timeline)"
    VIEW_FIGURES = "view_figures", "anonymous figures"
    # The national view across mutualities (tnw.reports): aggregated, small cells suppressed.
    VIEW_NATIONAL_FIGURES = "view_national_figures", "anonymous figures of every mutuality"
    EDIT_PERSON = "edit_person", "create and edit people and episodes"
    ASSIGN = "assign", "assign coordinator and advising physician"
    REGISTER_MEDICAL = "register_medical", "register the advising physician's steps"
    REGISTER_COORDINATION = "register_coordination", "register the coordinator's steps"
    REGISTER_QUESTIONNAIRE_SUPPORT = "register_questionnaire_support", "questionnaire support"
    RECORD_HEALTH = "record_health", "record health data, mark it relevant"
    EDIT_CAREER = "edit_career", "record career data"
    EDIT_PLAN = "edit_plan", "draw up and adjust plans"
    EDIT_CONSENT = "edit_consent", "register consent given or withdrawn"
    MANAGE_REFERENCE = "manage_reference", "mutualities, users and roles"
    VERIFY_AUDIT = "verify_audit", "read and verify the audit trail"
    BREAK_GLASS = "break_glass", "act on an episode not assigned to them, giving a reason"
    REVIEW_BREAK_GLASS = "review_break_glass", "review the break-the-glass accesses"
    OWN_DOSSIER = "own_dossier", "one's own trajectory (the insured person on the portal)"
    ACT_OWN = "act_own", "the insured person's own acts (questionnaire, request, consent)"
    REGISTER_EVALUATION_CONTACT = (
        "register_evaluation_contact",
        "register contacts in the incapacity-evaluation domain (multidisciplinary team)",
    )
    VIEW_EVALUATION_CONTACTS = (
        "view_evaluation_contacts",
        "contacts in the incapacity-evaluation domain (multidisciplinary team)",
    )


MATRIX: dict[Cap, frozenset[Role]] = {
    Cap.VIEW_IDENTITY: frozenset({AP, CO, ST}),
    Cap.VIEW_EPISODES: frozenset({AP, CO, ST}),
    Cap.VIEW_REGISTRATIONS: frozenset({AP, CO}),
    Cap.VIEW_QUESTIONNAIRE: frozenset({AP, CO, ST}),
    Cap.VIEW_HEALTH_ALL: frozenset({AP}),
    Cap.VIEW_HEALTH_SHARED: frozenset({AP, CO}),
    Cap.VIEW_CAREER: frozenset({AP, CO}),
    Cap.VIEW_PLANS: frozenset({AP, CO}),
    Cap.VIEW_CONSENTS: frozenset({AP, CO}),
    Cap.VIEW_TIMELINE: frozenset({AP, CO}),
    Cap.VIEW_FIGURES: frozenset({AP, CO, MA}),
    # The administrator has no mutuality and no access to any dossier; the national union's or
    # RIZIV's administrator reads the national reports (figures only, cells under 5 hidden).
    Cap.VIEW_NATIONAL_FIGURES: frozenset({AD}),
    Cap.EDIT_PERSON: frozenset({AP, CO}),
    Cap.ASSIGN: frozenset({AP, CO}),
    Cap.REGISTER_MEDICAL: frozenset({AP}),
    Cap.REGISTER_COORDINATION: frozenset({CO}),
    Cap.REGISTER_QUESTIONNAIRE_SUPPORT: frozenset({CO, ST}),
    Cap.RECORD_HEALTH: frozenset({AP}),
    Cap.EDIT_CAREER: frozenset({CO}),
    Cap.EDIT_PLAN: frozenset({CO}),
    Cap.EDIT_CONSENT: frozenset({CO}),
    Cap.MANAGE_REFERENCE: frozenset({AD}),
    Cap.VERIFY_AUDIT: frozenset({AD}),
    Cap.BREAK_GLASS: frozenset({AP, CO}),
    Cap.REVIEW_BREAK_GLASS: frozenset({MA}),
    Cap.OWN_DOSSIER: frozenset({IN}),
    Cap.ACT_OWN: frozenset({IN}),
    Cap.REGISTER_EVALUATION_CONTACT: frozenset({AP, MD}),
    Cap.VIEW_EVALUATION_CONTACTS: frozenset({AP, MD}),
}

# Circular VII: the contacts of the multidisciplinary team in the incapacity-evaluation domain.
# "deze medewerker [de TNW-coördinator die deeltijds in het multidisciplinair team werkt] [voert]
# als 'niet-arts' binnen het multidisciplinair team in het domein evaluatie van de
# arbeidsongeschiktheid enkel 'voorbereidende contacten' uit en dus geen 'contacten verlenging
# invaliditeit' en 'tussentijdse contacten'. Alle taken in het domein re-integratie kunnen
# worden uitgevoerd."
EVALUATION_CONTACT_KINDS = ("preparatory", "invalidity_extension", "interim")
COORDINATOR_MDT_KINDS = frozenset({"preparatory"})

# Roles that act only on the episodes assigned to them (or covered during an absence, which
# moves the assignment: tnw.worklists.services.cover_absence), and the episode's field that
# names the assignee. Anyone else of the mutuality with the role may break the glass. Staff
# support the questionnaire of their whole mutuality and are not assigned.
ASSIGNEE_FIELD: dict[str, str] = {AP: "advising_physician_id", CO: "coordinator_id"}

# Which capability registers each event type of the rules contract. The advising physician's
# steps (questionnaire, estimate, referral, permission), the coordinator's steps (contacts,
# consent, ZIV and CODEX follow-up, plan, result) and the delegated questionnaire support.
MEDICAL_EVENTS = frozenset(
    {
        "medical_exemption",
        "exemption_letter_sent",
        "questionnaire_sent",
        "questionnaire_waived",
        "capacity_assessed",
        "referred_to_coordinator",
        "permission_decided",
        "authorised_work_started",
        "authorised_work_ended",
        "incapacity_ended",
        # IV 4.2: the advising physician approves (or refuses) a work-resumption proposal.
        "work_resumption_decided",
    }
)
QUESTIONNAIRE_SUPPORT_EVENTS = frozenset({"questionnaire_help_contact", "questionnaire_received"})
# Steps both may register: in routing B the engine gives sending (or waiving) the
# questionnaire to the coordinator; in routing A it is the advising physician's step.
SHARED_EVENTS = frozenset({"questionnaire_sent", "questionnaire_waived"})
# The sanction procedure and the work potential (law of 2023 and 2026): the advising physician
# for the medical examination and his estimate, the coordinator for the first contact and the
# occupational physician's estimate; the employer's request and the registration with the
# regional employment service are the coordinator's (tnw.rules.law.law_2023_sanctions).
LATER_LAW_SHARED_EVENTS = frozenset(
    {"invited", "absent", "registered_letter_sent", "contacted_after_absence",
     "work_potential_estimated"}
)  # fmt: skip
MEDICAL_EVENTS = MEDICAL_EVENTS | LATER_LAW_SHARED_EVENTS
SHARED_EVENTS = SHARED_EVENTS | LATER_LAW_SHARED_EVENTS
# Questionnaire steps a staff member may see (the rest of the dossier stays hidden).
QUESTIONNAIRE_EVENTS = frozenset(
    {"questionnaire_sent", "questionnaire_received", "questionnaire_help_contact"}
)
QUESTIONNAIRE_OBLIGATIONS = frozenset(
    {"return_questionnaire", "questionnaire_help_contact", "send_questionnaire"}
)

# Fields of a registration that are health data under medical secrecy.
MEDICAL_FIELDS: dict[str, frozenset[str]] = {
    "medical_exemption": frozenset({"reason"}),
    "capacity_assessed": frozenset({"category", "medical_exam"}),
    # Why an absence from the examination or the first contact was justified (law of 2023 and
    # 2026): typically an illness or a medical certificate, so health data (issue 9).
    "absent": frozenset({"justification"}),
}


# The insured person's own acts on the portal (circular III 3.1 step 3: return the
# questionnaire; III 3.2: ask for a trajectory; II and Annex III: give or withdraw consent).
INSURED_EVENTS = frozenset(
    {"questionnaire_received", "spontaneous_request", "consent_given", "consent_withdrawn"}
)


def capabilities_for_event(event_type: str) -> tuple[Cap, ...]:
    """The capabilities any one of which allows registering `event_type`."""
    caps: list[Cap] = []
    if event_type in MEDICAL_EVENTS:
        caps.append(Cap.REGISTER_MEDICAL)
    if event_type in QUESTIONNAIRE_SUPPORT_EVENTS:
        caps.append(Cap.REGISTER_QUESTIONNAIRE_SUPPORT)
        caps.append(Cap.REGISTER_MEDICAL)
    if not caps or event_type in QUESTIONNAIRE_SUPPORT_EVENTS | SHARED_EVENTS:
        caps.append(Cap.REGISTER_COORDINATION)
    if event_type in INSURED_EVENTS:
        caps.append(Cap.ACT_OWN)
    return tuple(dict.fromkeys(caps))


def roles_of(user) -> frozenset[str]:
    """The user's role, and the multidisciplinary team's for a coordinator who also holds it
    (circular VII)."""
    roles = {user.role}
    if user.role == CO and getattr(user, "mdt_non_physician", False):
        roles.add(MD)
    return frozenset(roles)


def has(user, cap: Cap) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(roles_of(user) & MATRIX[cap])


def evaluation_contact_kinds(user) -> frozenset[str]:
    """The kinds of incapacity-evaluation contact the user may register: all for the advising
    physician and the team's non-physicians; for a coordinator who also works in the team only
    the preparatory contacts (circular VII)."""
    if not has(user, Cap.REGISTER_EVALUATION_CONTACT):
        return frozenset()
    if user.role == CO:
        return COORDINATOR_MDT_KINDS
    return frozenset(EVALUATION_CONTACT_KINDS)


def same_mutuality(user, mutuality_id: int | None) -> bool:
    return (
        mutuality_id is not None
        and user.mutuality_id is not None
        and user.mutuality_id == mutuality_id
    )


def require(user, *caps: Cap, mutuality_id: int | None = None, scoped: bool = True) -> None:
    """Raise PermissionDenied unless `user` has one of `caps` (and, for a person's data,
    belongs to that person's mutuality)."""
    if not any(has(user, cap) for cap in caps):
        role = getattr(user, "role", None) or "anonymous"
        wanted = " or ".join(str(cap.label) for cap in caps)
        raise PermissionDenied(f"a user with role {role} may not access {wanted}")
    if scoped and not same_mutuality(user, mutuality_id):
        raise PermissionDenied("this person belongs to another mutuality")
