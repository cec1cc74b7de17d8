"""Attachments of outbox messages, resolved when the message is sent (not when queued).

A message stores an attachment *reference* `"<scheme>:<value>"`; the app that owns the scheme
registers a resolver (tnw.documents registers "document", which renders the letter's PDF the
first time and returns the stored one after). The daily run thus queues letters without
rendering them, and a retried send attaches the very same stored PDF.
"""

from __future__ import annotations

from collections.abc import Callable

Attachment = tuple[str, bytes, str]  # filename, content, MIME type
_RESOLVERS: dict[str, Callable[[str], Attachment]] = {}


def register(scheme: str, resolver: Callable[[str], Attachment]) -> None:
    _RESOLVERS[scheme] = resolver


def resolve(reference: str) -> Attachment:
    scheme, _, value = reference.partition(":")
    if scheme not in _RESOLVERS:
        raise LookupError(f"no resolver for attachment {reference!r}")
    return _RESOLVERS[scheme](value)
