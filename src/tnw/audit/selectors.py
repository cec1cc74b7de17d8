"""Reading and verifying the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from tnw.accounts.roles import Cap, require
from tnw.audit import checkpoints as signed
from tnw.audit.chain import GENESIS, digest_of
from tnw.audit.models import AuditEntry, AuditHead
from tnw.audit.sealing import UnsealError, is_sealed, unseal


@dataclass
class VerifyResult:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints: int = 0
    # Not tampering, but worth an operator's look: health data no data key opens, or health
    # data written in clear before sealing existed.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(max_problems: int = 50) -> VerifyResult:
    """Recompute the whole chain; report every broken link (up to `max_problems`)."""
    result = VerifyResult()
    prev_hash = GENESIS
    expected_seq = 1

    def problem(text: str) -> None:
        if len(result.problems) < max_problems:
            result.problems.append(text)

    points, checkpoint_problems = signed.authentic(signed.read_all())
    result.checkpoints = len(points)
    for text in checkpoint_problems:
        problem(text)
    signed_heads = {point.seq: point for point in points}
    seen: dict[int, str] = {}
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        result.entries += 1
        if entry.seq in signed_heads:
            seen[entry.seq] = entry.hash
        if entry.seq != expected_seq:
            problem(
                f"entry #{entry.seq}: expected sequence number {expected_seq} (entries missing)"
            )
        if entry.prev_hash != prev_hash:
            problem(f"entry #{entry.seq}: does not link to the previous entry's hash")
        if digest_of(entry) != entry.hash:
            problem(f"entry #{entry.seq}: content does not match its hash (changed after writing)")
        if entry.medical:
            _check_sealed(entry, result)
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None:
        if result.entries:
            problem("the chain head is missing")
    else:
        if head.last_seq != last_seq or head.last_hash != prev_hash:
            problem(
                f"the chain head says the last entry is #{head.last_seq}, "
                f"but the trail ends at #{last_seq} (entries removed at the end?)"
            )
    _compare_with_checkpoints(points, seen, last_seq, problem)
    return result


def _check_sealed(entry: AuditEntry, result: VerifyResult, max_warnings: int = 50) -> None:
    if len(result.warnings) >= max_warnings:
        return
    if not is_sealed(entry.changes):
        result.warnings.append(f"entry #{entry.seq}: health data stored in clear (not sealed)")
        return
    try:
        unseal(entry.changes)
    except (UnsealError, ImproperlyConfigured) as error:
        result.warnings.append(f"entry #{entry.seq}: health data that cannot be opened: {error}")


def _compare_with_checkpoints(points, seen: dict[int, str], last_seq: int, problem) -> None:
    """Report the first signed checkpoint the trail no longer matches, and the last one before
    it that still matched: the rewrite happened between the two (issue 18, finding 6)."""
    last_good = None
    for point in sorted(points, key=lambda p: (p.seq, p.at)):
        if point.seq == 0:
            last_good = point
            continue
        if point.seq > last_seq:
            found = f"the trail ends at #{last_seq} (entries removed)"
        elif seen.get(point.seq) != point.hash:
            found = f"entry #{point.seq} has another hash (the trail was rewritten)"
        else:
            last_good = point
            continue
        since = (
            f"; it still matched the checkpoint of {last_good.at} at #{last_good.seq}"
            if last_good
            else ""
        )
        problem(
            f"first gap: the signed checkpoint of {point.at} ({point.where}) records entry "
            f"#{point.seq}, but {found}{since}"
        )
        return


def entries_for_person(*, user, person_id: int) -> QuerySet[AuditEntry]:
    """Who did and saw what in one person's dossier (administrators)."""
    require(user, Cap.VERIFY_AUDIT, scoped=False)
    return AuditEntry.objects.filter(person_id=person_id).order_by("seq")
