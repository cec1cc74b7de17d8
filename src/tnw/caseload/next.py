"""The dossier page's "what next" panel: the episode's next obligations (who, by when, why)
and the registrations the law allows now, first those that do one of those obligations.

Everything comes from the dossier layer: the obligations of `selectors.get_dossier` (already
read and audited by the page) and `selectors.registration_menu` (the engine asked, nothing
stored; audited as a read of the registration menu).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from tnw.accounts.models import User
from tnw.caseload.tasks import TASK_EVENTS
from tnw.dossier import selectors
from tnw.web import catalogue, labels, present

# How far ahead an upcoming obligation counts as "next".
AHEAD = timedelta(days=30)
SHOWN = 5


@dataclass(frozen=True)
class NextStep:
    code: str
    title: str
    actor: str
    status: str
    opens: date
    due: date | None
    why: catalogue.Text
    basis: list[str]


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    does_next_step: bool


@dataclass
class WhatNext:
    steps: list[NextStep] = field(default_factory=list)
    more: int = 0  # pending obligations not shown
    actions: list[Action] = field(default_factory=list)
    ended: bool = False


def _steps(episode: dict[str, Any], today: date) -> list[dict[str, Any]]:
    pending = [
        o for o in episode["obligations"]
        if o["status"] in ("overdue", "open")
        or (o["status"] == "upcoming" and o["opens"] <= today + AHEAD)
    ]  # fmt: skip
    return sorted(
        pending,
        key=lambda o: (
            selectors.urgency_rank(o["status"]),
            o["due"] or date.max,
            o["opens"],
            o["id"],
        ),
    )


def _step(o: dict[str, Any]) -> NextStep:
    return NextStep(
        code=o["code"], title=labels.obligation_label(o["code"]), actor=o["actor"],
        status=o["status"], opens=o["opens"], due=o["due"],
        why=present.explain(o.get("explanation_parts"), o["explanation"]),
        basis=list(o.get("basis") or []),
    )  # fmt: skip


def _actions(user: User, episode_id: int, today: date, wanted: set[str]) -> list[Action]:
    menu = selectors.registration_menu(user=user, episode_id=episode_id, today=today, channel="web")
    actions = []
    for option in menu.possibilities:
        if not option.allowed:
            continue
        label = str(labels.event_label(option.event_type))
        url = reverse("web:register", args=[episode_id, option.event_type])
        if option.variant:
            label = f"{label}: {labels.choice_label('purpose', option.variant)}"
            url += f"?purpose={option.variant}"
        does = (option.event_type, option.variant) in wanted or (
            (option.event_type, None) in wanted
        )
        actions.append(Action(label=label, url=url, does_next_step=does))
    return sorted(actions, key=lambda a: not a.does_next_step)


def what_next(user: User, episode: dict[str, Any], today: date) -> WhatNext:
    """The panel of one episode as `user` sees it (an episode view of get_dossier)."""
    pending = _steps(episode, today)
    panel = WhatNext(
        steps=[_step(o) for o in pending[:SHOWN]], more=max(0, len(pending) - SHOWN),
        ended=episode.get("end") is not None and episode["end"] < today,
    )  # fmt: skip
    if episode["acts"] and selectors.registrable_types(user):
        wanted = {TASK_EVENTS[o["code"]] for o in pending if o["code"] in TASK_EVENTS}
        panel.actions = _actions(user, episode["id"], today, wanted)
    return panel
