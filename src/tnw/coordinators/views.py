"""The manager's screens of the coordinator register (circular II 2.1): the team with each
coordinator's status and next deadline (those within 90 days marked), and one coordinator's
register (diploma, start, exams, intervision activities) with the forms to record them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tnw.coordinators import selectors, services
from tnw.coordinators.assignment import REASONS
from tnw.coordinators.forms import FORMS
from tnw.web.templatetags.tnw_web import bedate
from tnw.web.views import CHANNEL, web_today

HORIZON_DAYS = 90


def status_text(status) -> str:
    """The status in the user's language, with the reasons of a lapse."""
    if status is None:
        return _("Not in the register")
    if status.status == "qualified":
        return _("Qualified")
    if status.status == "grace":
        return _("In the grace period until %(date)s") % {"date": bedate(status.until)}
    why = "; ".join(str(REASONS.get(r, r)) for r in status.reasons)
    return _("Lapsed: %(why)s") % {"why": why}


def _row(row: selectors.TeamRow) -> dict:
    status = row.status
    this_year = status.years[-1] if status and status.years else None
    return {
        "coordinator": row.coordinator, "state": status.status if status else "missing",
        "text": status_text(status), "deadline": status.next_deadline if status else None,
        "due_soon": row.due_soon, "override": row.override, "this_year": this_year,
    }  # fmt: skip


@login_required
def team(request):
    today = web_today()
    rows = selectors.team_overview(user=request.user, on=today, within_days=HORIZON_DAYS)
    context = {"rows": [_row(r) for r in rows], "today": today, "horizon": HORIZON_DAYS}
    return render(request, "coordinators/team.html", context)


def _record(request, coordinator, kind: str, values: dict) -> None:
    actor = request.user
    if kind == "entry":
        services.record_coordinator(actor=actor, coordinator=coordinator, channel=CHANNEL, **values)
    elif kind == "exam":
        services.record_exam(actor=actor, coordinator=coordinator, channel=CHANNEL, **values)
    else:
        services.record_intervision(actor=actor, coordinator=coordinator, channel=CHANNEL, **values)


@login_required
def register(request, coordinator_id: int):
    try:
        coordinator, entry = selectors.register_of(user=request.user, coordinator_id=coordinator_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    kind = request.POST.get("kind", "") if request.method == "POST" else ""
    forms = {
        name: form_class(request.POST if name == kind else None, prefix=name)
        for name, form_class in FORMS.items()
    }
    if entry is not None and kind != "entry":
        forms["entry"].initial = {
            "diploma_level_b": entry.diploma_level_b, "started_on": entry.started_on,
        }  # fmt: skip
    if kind in forms and forms[kind].is_valid():
        try:
            _record(request, coordinator, kind, forms[kind].cleaned_data)
        except ValidationError as error:
            forms[kind].add_error(None, error.messages[0])
        else:
            messages.success(request, _("Recorded in the coordinator register."))
            return redirect("coordinators:register", coordinator_id=coordinator.pk)
    status = selectors.coordinator_status(coordinator=coordinator, on=web_today())
    context = {
        "coordinator": coordinator, "entry": entry, "forms": forms, "status": status,
        "status_text": status_text(status),
    }  # fmt: skip
    return render(request, "coordinators/register.html", context, status=400 if kind else 200)
