"""The what-if page: what would change in an episode under other rules (tnw.rules.replay),
through the dossier's selector (tnw.dossier.selectors.compare_regimes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.dossier import selectors
from tnw.sanctions import labels as sanction_labels
from tnw.web import labels
from tnw.web.views import CHANNEL, web_today

# The rule sets a physician or coordinator can compare with the law by date.
CHOICES = {
    "2026": ({"tnw": "2026-01-01", "codex": "2026-01-01"}, gettext_lazy("the 2026 rules")),
    "2023": ({"tnw": "2023-01-01", "codex": "2022-10-01"}, gettext_lazy("the 2023 rules")),
    "2022": ({"tnw": "2022-09-01", "codex": "2022-10-01"}, gettext_lazy("the 2022 rules")),
}
FIELD_NAMES = {
    "actor": gettext_lazy("Who"),
    "opens": gettext_lazy("Opens"),
    "due": gettext_lazy("Due"),
    "status": gettext_lazy("Status"),
    "done_on": gettext_lazy("Done on"),
    "late": gettext_lazy("Late"),
    "kind": gettext_lazy("Kind"),
    "start": gettext_lazy("From"),
    "end": gettext_lazy("Until"),
    "percentage": gettext_lazy("Percentage"),
    "regime": gettext_lazy("Rules of"),
}
CHANGE_NAMES = {
    "added": gettext_lazy("new under these rules"),
    "dropped": gettext_lazy("no longer under these rules"),
    "changed": gettext_lazy("changes"),
}


def _value(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in ("opens", "due", "done_on", "start", "end"):
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    if name == "status":
        return str(labels.STATUS_LABELS.get(value, value))
    if name == "actor":
        return str(labels.ACTOR_LABELS.get(value, value))
    if name == "kind":
        return str(sanction_labels.SANCTION_KIND_LABELS.get(value, value))
    if name == "late":
        return _("yes") if value else _("no")
    if name == "percentage":
        return f"{value:g}%".replace(".", ",")
    return str(value)


def _row(difference: dict[str, Any]) -> dict[str, Any]:
    if difference["what"] == "sanction":
        appointment = sanction_labels.CHOICE_LABELS["appointment"].get(difference["code"], "")
        title = _("Benefit sanction: %(appointment)s") % {"appointment": appointment}
    else:
        title = labels.obligation_label(difference["code"])
    shown = difference["after"] or difference["before"] or {}
    names = difference["fields"] or [n for n, v in shown.items() if v is not None]
    return {
        "title": title,
        "change": CHANGE_NAMES[difference["kind"]],
        "kind": difference["kind"],
        "fields": [
            {
                "name": FIELD_NAMES.get(name, name),
                "before": _value(name, (difference["before"] or {}).get(name)),
                "after": _value(name, (difference["after"] or {}).get(name)),
            }
            for name in names
        ],
    }


@login_required
def compare(request, episode_id: int):
    under = request.GET.get("under", "2026")
    if under not in CHOICES:
        message = _("There are no rules %(choice)s to compare with; choose 2022, 2023 or 2026.")
        context = {"error": message % {"choice": under}, "choices": CHOICES}
        return render(request, "sanctions/compare.html", context, status=400)
    regimes, name = CHOICES[under]
    try:
        found = selectors.compare_regimes(
            user=request.user, episode_id=episode_id, regimes=regimes, channel=CHANNEL,
            today=web_today(),
        )  # fmt: skip
    except ObjectDoesNotExist:
        raise Http404 from None
    context = {
        "found": found,
        "under": under,
        "name": name,
        "choices": CHOICES,
        "rows": [_row(d) for d in found["differences"]],
    }
    return render(request, "sanctions/compare.html", context)
