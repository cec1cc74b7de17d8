"""The hash chain: canonical form of an entry and its digest."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def to_json_value(value: Any) -> Any:
    """Make a value JSON-native (dates as ISO text) so the stored and hashed forms agree."""
    return json.loads(json.dumps(value, default=str))


def entry_digest(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    person_id: int | None,
    channel: str,
    changes: Any,
    medical: bool,
) -> str:
    content = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "person_id": person_id,
        "channel": channel,
        "changes": changes,
        "medical": medical,
    }
    text = prev_hash + "\n" + canonical_json(content)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(entry) -> str:
    return entry_digest(
        prev_hash=entry.prev_hash,
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        person_id=entry.person_id,
        channel=entry.channel,
        changes=entry.changes,
        medical=entry.medical,
    )
