"""The sanction periods of an episode as the dossier page shows them (dossier selector output,
tnw.dossier.selectors: `sanctions`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from tnw.sanctions import labels


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value))


def rows(episode: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per reduction or suspension: what, for which appointment, from when to when."""
    found = []
    for sanction in episode.get("sanctions", []):
        appointment = labels.CHOICE_LABELS["appointment"].get(sanction["appointment"], "")
        percentage = f"{sanction['percentage']:g}".replace(".", ",")
        found.append(
            {
                "kind": sanction["kind"],
                "label": str(labels.SANCTION_KIND_LABELS[sanction["kind"]]),
                "percentage": percentage,
                "appointment": str(appointment),
                "start": _day(sanction["start"]),
                "end": _day(sanction["end"]),
                "running": sanction["end"] is None,
                "regime": sanction["regime"],
                "basis": sanction["basis"],
                "summary": _("%(what)s of %(percentage)s%% after absences from the %(appointment)s")
                % {
                    "what": labels.SANCTION_KIND_LABELS[sanction["kind"]],
                    "percentage": percentage,
                    "appointment": appointment,
                },
            }
        )
    return found
