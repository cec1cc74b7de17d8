"""The engine's sentences: each one once, with its key, declared beside the rule that says it.

A module declares its sentences with `declare({key: English template})`; a rule declares its own
in its `@rule(...)` declaration. `message(key, **params)` builds a `Message` from the one
template of that key, and `templates()` is the whole table, which the translation catalogue of
the screens reads (`tnw.web.catalogue`), so no sentence is written twice.
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import Message, ParamValue

_TABLE: dict[str, str] = {}


class MessageError(RuntimeError):
    """A key declared twice with two sentences, or used without a declaration (a bug)."""


def declare(sentences: Mapping[str, str]) -> None:
    for key, template in sentences.items():
        if _TABLE.get(key, template) != template:
            raise MessageError(f"message {key} is declared with two sentences")
        _TABLE[key] = template


def message(key: str, **params: ParamValue) -> Message:
    try:
        template = _TABLE[key]
    except KeyError:
        raise MessageError(f"message {key} is not declared") from None
    return Message(key, template, tuple(sorted(params.items())))


def templates() -> dict[str, str]:
    """Every sentence of the engine by key (the law modules are loaded first)."""
    from . import law  # noqa: F401  (registers the rules and their sentences)

    return dict(sorted(_TABLE.items()))
