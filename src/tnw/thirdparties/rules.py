"""What the circular allows with third parties (II 2.2.1, IV 4.2), as data.

II 2.2.1 (seed 002): the coordinator "neemt, met akkoord van de sociaal verzekerde en in overleg
met de adviserend arts, contact op met alle personen die kunnen bijdragen tot de
sociaalprofessionele re-integratie": the treating physician, the therapeutic counsellor, the
employer, the regional services (VDAB, Le Forem, Actiris, ADG, Bruxelles Formation), other
providers. IV 4.2: "De adviserend arts bezorgt de bevindingen en het re-integratieplan aan de
behandelend arts."

Readings chosen [I]:
1. A consultation needs the person's consent for that party and that purpose, given on or
   before the day and not withdrawn by then (the consent names the parties: Annex III).
2. What is shared is limited to what the purpose needs (GDPR art. 5.1.c, data minimisation):
   `SHARES[purpose]`. Health findings go only to the treating physician, and only from the
   advising physician (IV 4.2; medical secrecy): the purpose `findings` is the physician's.
"""

from __future__ import annotations

REGIONAL_SERVICE = "regional_service"
PROVIDER = "provider"
TREATING_PHYSICIAN = "treating_physician"
COUNSELLOR = "counsellor"
EMPLOYER = "employer"
PERSONAL_KINDS = (TREATING_PHYSICIAN, COUNSELLOR, EMPLOYER)  # of one person, personal data
REFERENCE_KINDS = (REGIONAL_SERVICE, PROVIDER)  # reference data (admin)

# purpose: (what may be shared, which kinds of party, who registers it)
SHARES: dict[str, frozenset[str]] = {
    "plan": frozenset({"identity", "career", "plan"}),
    "guidance": frozenset({"identity", "career", "plan"}),
    "work_adaptation": frozenset({"identity", "plan"}),
    "findings": frozenset({"plan", "health_findings"}),
}
PARTIES: dict[str, frozenset[str]] = {
    "plan": frozenset({REGIONAL_SERVICE, PROVIDER, TREATING_PHYSICIAN, COUNSELLOR, EMPLOYER}),
    "guidance": frozenset({REGIONAL_SERVICE, PROVIDER, COUNSELLOR}),
    "work_adaptation": frozenset({EMPLOYER}),
    "findings": frozenset({TREATING_PHYSICIAN}),
}
PHYSICIAN_PURPOSES = frozenset({"findings"})  # registered by the advising physician only
PURPOSES = tuple(SHARES)
SHARED = ("identity", "career", "plan", "health_findings")
MODES = ("physical", "video", "phone", "mail")
