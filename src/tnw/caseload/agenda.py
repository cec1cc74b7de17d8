"""The agenda of a coordinator or advising physician: by day or by week, their appointments
with the people (with the outcome registered from it: held, absent, moved), the plans' agreed
next appointments, the confirmed proposals and their legal deadlines; an iCalendar export;
scheduling an appointment from the dossier. Reads through `selectors.agenda` (audited), writes
through `services.schedule_appointment` and `services.record_appointment_outcome`."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.caseload import ical, once
from tnw.caseload.agendaforms import (
    APPOINTMENT_MESSAGES,
    AgendaForm,
    AppointmentForm,
    OutcomeForm,
    kind_label,
    kinds_for,
)
from tnw.caseload.edits import _found, _version
from tnw.dossier import selectors, services
from tnw.dossier.errors import ConflictError
from tnw.web import labels
from tnw.web.views import CHANNEL, web_today

log = logging.getLogger(__name__)
AGENDA_ROLES = (Role.COORDINATOR, Role.ADVISING_PHYSICIAN)
ICS_WEEKS_BACK, ICS_WEEKS_AHEAD = 1, 8


def web_now() -> datetime:
    """Now, on the screens' day (`TNW_TODAY` in tests and demonstrations) at the clock's time."""
    now = timezone.localtime()
    if getattr(settings, "TNW_TODAY", None):
        return now.replace(year=web_today().year, month=web_today().month, day=web_today().day)
    return now


def _require_agenda(user: User) -> None:
    if user.role not in AGENDA_ROLES:
        raise PermissionDenied("this role has no agenda")


def _span(day: date, view: str) -> tuple[date, date]:
    if view == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    return day, day


def _days(entries, start: date, end: date) -> list[dict]:
    by_day: dict[date, list] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    span = (end - start).days + 1
    return [
        {"day": day, "entries": [row_of(e) for e in by_day.get(day, [])]}
        for day in (start + timedelta(days=n) for n in range(span))
    ]


def row_of(entry) -> dict:
    if entry.kind == "deadline":
        title = labels.obligation_label(entry.what)
    else:
        title = kind_label(entry.what)
    return {"entry": entry, "title": title}


@login_required
def agenda(request):
    user = request.user
    _require_agenda(user)
    today, now = web_today(), web_now()
    form = AgendaForm(request.GET or None)
    day, view = form.chosen(today)
    start, end = _span(day, view)
    entries = selectors.agenda(user=user, start=start, end=end, now=now, channel=CHANNEL)
    missing, missing_total = selectors.appointments_without_outcome(
        user=user, now=now, limit=20, channel=CHANNEL
    )
    step = timedelta(days=7 if view == "week" else 1)
    context = {
        "view": view, "day": day, "start": start, "end": end, "today": today,
        "days": _days(entries, start, end),
        "prev_url": f"?view={view}&day={(day - step).isoformat()}",
        "next_url": f"?view={view}&day={(day + step).isoformat()}",
        "today_url": f"?view={view}&day={today.isoformat()}",
        "day_url": f"?view=day&day={day.isoformat()}",
        "week_url": f"?view=week&day={day.isoformat()}",
        "ics_url": reverse("caseload:agenda_ics"),
        "missing": [row_of(e) for e in missing], "missing_total": missing_total,
        "outcome_form": OutcomeForm(), "here": request.get_full_path(),
    }  # fmt: skip
    return render(request, "caseload/agenda.html", context)


@login_required
def agenda_ics(request):
    """The agenda as iCalendar (RFC 5545): from a week back to eight weeks ahead. Summaries name
    the dossier number, not the person (a calendar leaves the dossier's audit)."""
    user = request.user
    _require_agenda(user)
    today = web_today()
    start = today - timedelta(weeks=ICS_WEEKS_BACK)
    end = today + timedelta(weeks=ICS_WEEKS_AHEAD)
    entries = selectors.agenda(
        user=user, start=start, end=end, now=web_now(), channel=f"{CHANNEL}:ical"
    )
    events = [ical.event(e, row_of(e)["title"], request) for e in entries]
    response = HttpResponse(ical.calendar(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tnw-agenda-{today.isoformat()}.ics"'
    return response


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    on_this_site = target.startswith("/")  # "abc" would be taken for a view name (a 500)
    if on_this_site and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@require_POST
@login_required
def appointment_outcome(request, appointment_id: int):
    """Held, absent or moved (to a new day and time), from the agenda."""
    user = request.user
    _require_agenda(user)
    back = _back(request, reverse("caseload:agenda"))
    form, version = OutcomeForm(request.POST), _version(request)
    if version is None or not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    values = form.cleaned_data
    try:
        _found(
            services.record_appointment_outcome, user=user, appointment_id=appointment_id,
            expected_version=version, outcome=values["outcome"], note=values["note"],
            moved_to=values.get("moved_to"), now=web_now(), channel=CHANNEL,
        )  # fmt: skip
    except ConflictError:
        messages.error(request, APPOINTMENT_MESSAGES["conflict"])
    except ValidationError as error:
        messages.error(
            request, APPOINTMENT_MESSAGES.get(error.code, APPOINTMENT_MESSAGES["invalid"])
        )
    else:
        messages.success(request, _("The outcome of the appointment was registered."))
    return redirect(back)


@login_required
def appointment_new(request, episode_id: int):
    """Schedule an appointment with the person of an episode the user acts on."""
    user = request.user
    _require_agenda(user)
    episode = _found(
        selectors.access_episode_by_id, user=user, episode_id=episode_id, what="agenda",
        act=True, channel=CHANNEL,
    )  # fmt: skip
    form = AppointmentForm(request.POST or None, kinds=kinds_for(user), now=web_now())
    token = once.token_of(request)
    if request.method == "POST" and once.spent(request, token):
        messages.warning(request, once.ALREADY_SAVED)
        return redirect(reverse("caseload:agenda"))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.schedule_appointment(
                user=user, episode_id=episode.id, kind=values["kind"],
                starts_at=values["starts_at"], mode=values["mode"], place=values["place"],
                note=values["note"], minutes=values["minutes"], channel=CHANNEL,
            )  # fmt: skip
        except ValidationError as error:
            field = {"place_required": "place", "after_end": "day"}.get(error.code)
            form.add_error(
                field, APPOINTMENT_MESSAGES.get(error.code, APPOINTMENT_MESSAGES["invalid"])
            )
        else:
            once.spend(request, token)
            messages.success(request, _("The appointment is on the agenda."))
            day = timezone.localdate(values["starts_at"]).isoformat()
            return redirect(reverse("caseload:agenda") + f"?view=week&day={day}")
    context = {"form": form, "episode": episode, "token": token, "version": episode.version,
               "title": _("Schedule an appointment"), "submit": _("Put on the agenda")}  # fmt: skip
    return render(request, "caseload/edit_form.html", context)
