"""The law as code: the TNW / CODEX timeline engine.

Pure Python: no Django, no clock (the evaluation date is always an argument).

    facts = parse_facts(json.loads(text))       # or FactsError naming the problem
    timeline = evaluate(facts, as_of=date(2025, 6, 1))
    timeline.to_json()                           # the JSON contract
    print(explain(facts, timeline))              # which facts and rules produced what
"""

from .calendar import Term, add_months, add_weeks, add_working_days, is_working_day, nth_month
from .engine import evaluate
from .explain import explain, render_table
from .facts import EVENT_TYPES, Event, Facts, FactsError, parse_facts
from .introspection import declared_rules, obligation_codes
from .law.law_2023_sanctions import VIOLATION_CODES as _SANCTION_VIOLATION_CODES
from .messages import templates as message_templates
from .model import ACTORS, STATUSES, Obligation, Presumption, Sanction, Timeline, Violation
from .screening import VIOLATION_CODES as _SCREENING_VIOLATION_CODES

# Every violation code: the screening's, then those of the later law (issue 9).
VIOLATION_CODES = _SCREENING_VIOLATION_CODES + _SANCTION_VIOLATION_CODES

__all__ = [
    "ACTORS",
    "EVENT_TYPES",
    "STATUSES",
    "VIOLATION_CODES",
    "Event",
    "Facts",
    "FactsError",
    "Obligation",
    "Presumption",
    "Sanction",
    "Term",
    "Timeline",
    "Violation",
    "add_months",
    "add_weeks",
    "add_working_days",
    "declared_rules",
    "evaluate",
    "explain",
    "is_working_day",
    "message_templates",
    "nth_month",
    "obligation_codes",
    "parse_facts",
    "render_table",
]
