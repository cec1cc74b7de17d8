"""The law as code, one module per legal source and section.

Importing this package registers every rule (`tnw.rules.framework.REGISTRY`) in the order the
engine runs them. `tnw rules list` prints them with their citations and source lines.
"""

from . import (  # noqa: F401  (each import registers the rules of its module)
    circular_iii_1_routing_a,
    circular_iii_2_routing_b,
    circular_iii_questionnaire,
    circular_iv_4_2_plan_outcomes,
    circular_iv_ziv,
    circular_vi_presumption,
    codex_2026,
    codex_i4_73_invitations,
    codex_i4_reintegration,
    contracts_art34_force_majeure,
    law_2023_sanctions,
    law_2026_work_potential,
)
