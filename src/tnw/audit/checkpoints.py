"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain alone catches a change by someone who does not recompute it. Someone who can
write to the database can delete entries and recompute every hash after them (issue 18,
finding 6). A checkpoint records the chain's head (sequence number and hash) at a moment,
signed with HMAC-SHA256 under a key the database does not hold (`TNW_AUDIT_KEYS`, from the
environment), and is appended to a file outside the database (`TNW_AUDIT_CHECKPOINT_DIR`, one
file per day: the daily run writes one, so the files rotate daily). A rewritten trail no
longer matches the signed head it had then, and `tnw audit verify` reports the first
checkpoint that disagrees.

Each line also signs the previous line's signature, so removing or reordering a line in the
middle is detected too. Keys rotate: `TNW_AUDIT_KEYS` is `id:secret[,id:secret...]`, the first
signs new checkpoints, all of them verify old ones.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tnw.audit.models import AuditHead

FILE_GLOB = "checkpoints-*.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    prev_mac: str
    mac: str
    where: str  # file and line, for the report


def keys() -> dict[str, bytes]:
    """The configured keys, in order (the first signs)."""
    raw = getattr(settings, "TNW_AUDIT_KEYS", "") or ""
    out: dict[str, bytes] = {}
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id or len(secret) < 16:
            raise ImproperlyConfigured(
                "TNW_AUDIT_KEYS must be 'id:secret[,id:secret]' with secrets of 16+ characters"
            )
        out[key_id] = secret.encode("utf-8")
    return out


def directory() -> Path:
    return Path(settings.TNW_AUDIT_CHECKPOINT_DIR)


def _message(seq: int, hash_: str, at: str, key_id: str, prev_mac: str) -> bytes:
    return f"{seq}\n{hash_}\n{at}\n{key_id}\n{prev_mac}".encode()


def _sign(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def read_all() -> list[Checkpoint]:
    """Every checkpoint line of every file, oldest file first."""
    out: list[Checkpoint] = []
    folder = directory()
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob(FILE_GLOB)):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                data = json.loads(line)
                out.append(
                    Checkpoint(
                        seq=int(data["seq"]),
                        hash=str(data["hash"]),
                        at=str(data["at"]),
                        key_id=str(data["key"]),
                        prev_mac=str(data["prev"]),
                        mac=str(data["mac"]),
                        where=where,
                    )
                )
            except (ValueError, KeyError, TypeError):
                out.append(Checkpoint(-1, "", "", "", "", "", where))
    return out


def write_checkpoint(now: datetime | None = None) -> Checkpoint:
    """Sign the chain's current head and append it to today's file (after the last commit)."""
    available = keys()
    if not available:
        raise ImproperlyConfigured("set TNW_AUDIT_KEYS to sign audit checkpoints")
    key_id, key = next(iter(available.items()))
    head = AuditHead.objects.filter(pk=1).first()
    seq, hash_ = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoints-{moment:%Y-%m-%d}.jsonl"
    with open(path, "a", encoding="utf-8") as handle:
        # One writer at a time, so `prev` is really the last line.
        fcntl.flock(handle, fcntl.LOCK_EX)
        existing = read_all()
        prev_mac = existing[-1].mac if existing else ""
        at = moment.isoformat(timespec="seconds")
        mac = _sign(key, _message(seq, hash_, at, key_id, prev_mac))
        record = {"seq": seq, "hash": hash_, "at": at, "key": key_id, "prev": prev_mac, "mac": mac}
        handle.write(json.dumps(record, sort_keys=True) + "\n")
        handle.flush()
    return Checkpoint(seq, hash_, at, key_id, prev_mac, mac, path.name)


def authentic(checkpoints: list[Checkpoint]) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints whose signature and link hold, and a problem line for every other."""
    available = keys()
    good: list[Checkpoint] = []
    problems: list[str] = []
    prev_mac = ""
    for point in checkpoints:
        key = available.get(point.key_id)
        if point.seq < 0:
            problems.append(f"checkpoint {point.where}: unreadable")
            continue
        if key is None:
            problems.append(f"checkpoint {point.where}: signed with unknown key {point.key_id!r}")
            continue
        message = _message(point.seq, point.hash, point.at, point.key_id, point.prev_mac)
        expected = _sign(key, message)
        if not hmac.compare_digest(expected, point.mac):
            problems.append(f"checkpoint {point.where}: signature invalid (forged or altered)")
            continue
        if point.prev_mac != prev_mac:
            problems.append(
                f"checkpoint {point.where}: does not follow the previous checkpoint "
                "(checkpoints removed or reordered)"
            )
        good.append(point)
        prev_mac = point.mac
    return good, problems
