"""Every code of the rules engine has a translated name on the screens."""

from __future__ import annotations

from tnw.rules import ACTORS, EVENT_TYPES, STATUSES, VIOLATION_CODES, obligation_codes
from tnw.web import labels


def test_every_event_type_has_a_name_and_a_place_in_the_menu():
    assert set(labels.EVENT_LABELS) == set(EVENT_TYPES)
    grouped = [t for _, types in labels.EVENT_GROUPS for t in types]
    assert sorted(grouped) == sorted(EVENT_TYPES)


def test_every_field_and_choice_has_a_name():
    for event_type, specs in EVENT_TYPES.items():
        for name, spec in specs.items():
            assert name in labels.FIELD_LABELS, (event_type, name)
            for choice in spec.choices:
                assert choice in labels.CHOICE_LABELS[name], (event_type, name, choice)


def test_every_obligation_code_has_a_name():
    codes = obligation_codes()
    assert len(codes) >= 20
    assert codes <= set(labels.OBLIGATION_LABELS)


def test_every_violation_code_has_a_message_and_actors_statuses_have_names():
    assert len(VIOLATION_CODES) >= 10
    assert set(VIOLATION_CODES) <= set(labels.VIOLATION_MESSAGES)
    assert set(ACTORS) <= set(labels.ACTOR_LABELS)
    assert set(STATUSES) <= set(labels.STATUS_LABELS)


def test_every_stage_has_a_name():
    from tnw.dossier.selectors import STAGES, stage_of

    stages = {label for _, label in STAGES} | {stage_of([]), stage_of(["incapacity_ended"])}
    assert stages <= set(labels.STAGE_LABELS)
