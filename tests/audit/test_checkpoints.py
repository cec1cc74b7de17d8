"""Signed checkpoints (issue 18, finding 6): someone who can write to the database deletes
entries and recomputes the whole chain; the chain alone stays green, the checkpoints signed
with a key outside the database do not."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import register
from tnw.audit.chain import GENESIS, digest_of
from tnw.audit.checkpoints import directory, write_checkpoint
from tnw.audit.models import AuditEntry, AuditHead
from tnw.audit.selectors import verify_chain
from tnw.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def rewrite_without(seq: int) -> None:
    """Delete one entry and recompute every later link and the head, as a forger would."""
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [seq])
    prev = GENESIS
    for number, entry in enumerate(AuditEntry.objects.order_by("seq"), start=1):
        entry.seq = number
        entry.prev_hash = prev
        entry.hash = digest_of(entry)
        _raw(
            "UPDATE audit_auditentry SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [number, entry.prev_hash, entry.hash, entry.pk],
        )
        prev = entry.hash
    AuditHead.objects.filter(pk=1).update(last_seq=number, last_hash=prev)


@pytest.fixture
def trail(episode, coordinator):
    register(coordinator, episode, "spontaneous_request", date(2026, 9, 1))
    return AuditEntry.objects.order_by("seq")


def run(capsys, *args) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_full_rewrite_passes_the_chain_but_not_the_checkpoints(trail, capsys):
    code, output = run(capsys, "audit", "checkpoint")
    assert code in (0, None), output
    last = trail.last().seq
    assert f"checkpoint signed: entry #{last}" in output
    rewrite_without(3)
    code, output = run(capsys, "audit", "verify")
    assert code == 1
    assert "first gap: the signed checkpoint of" in output
    assert f"records entry #{last}, but the trail ends at #{last - 1}" in output


def test_the_first_gap_lies_between_two_checkpoints(trail, episode, coordinator):
    first = write_checkpoint()
    register(coordinator, episode, "first_contact", date(2026, 9, 10), mode="video",
             consent=True, outcome="pending", form_reference="ANNEX-III-1")  # fmt: skip
    second = write_checkpoint()
    register(coordinator, episode, "first_contact", date(2026, 9, 12), mode="video",
             consent=True, outcome="pending", form_reference="ANNEX-III-1")  # fmt: skip
    rewrite_without(first.seq + 1)  # after the first checkpoint, before the second
    problems = verify_chain().problems
    assert len(problems) == 1, problems
    assert f"records entry #{second.seq}, but entry #{second.seq} has another hash" in problems[0]
    assert f"still matched the checkpoint of {first.at} at #{first.seq}" in problems[0]


def test_an_intact_trail_with_checkpoints_is_green(trail, capsys):
    write_checkpoint()
    call_command("audit", "checkpoint")
    code, output = run(capsys, "audit", "verify")
    assert code == 0, output
    assert "against 2 signed checkpoint(s)" in output


def test_a_forged_checkpoint_line_is_reported(trail, settings):
    write_checkpoint()
    path = next(directory().glob("checkpoints-*.jsonl"))
    record = json.loads(path.read_text().splitlines()[0])
    record["seq"] = 1  # pretend the head was earlier, to cover a truncation
    path.write_text(json.dumps(record) + "\n")
    assert any("signature invalid" in p for p in verify_chain().problems)


def test_a_removed_checkpoint_line_is_reported(trail):
    for _ in range(3):
        write_checkpoint()
    path = next(directory().glob("checkpoints-*.jsonl"))
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert any("does not follow the previous checkpoint" in p for p in verify_chain().problems)


def test_rotated_keys_still_verify_old_checkpoints(trail, settings):
    settings.TNW_AUDIT_KEYS = "k1:first-key-long-enough"
    write_checkpoint()
    settings.TNW_AUDIT_KEYS = "k2:second-key-long-enough,k1:first-key-long-enough"
    write_checkpoint()
    assert verify_chain().ok
    settings.TNW_AUDIT_KEYS = "k2:second-key-long-enough"
    assert any("unknown key 'k1'" in p for p in verify_chain().problems)


def test_the_daily_run_signs_a_checkpoint(trail, capsys):
    code, output = run(capsys, "daily", "--today", "2026-11-24", "--no-send")
    assert code in (0, None), output
    assert "event=audit_checkpoint seq=" in output
    assert verify_chain().checkpoints == 1
