"""The portal's pages. Thin: reads through `tnw.dossier.portal` selectors, acts through its
services (the one door); a refused act shows the engine's reason in the person's language."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tnw.accounts.roles import Role
from tnw.documents.portal import own_documents
from tnw.dossier import portal
from tnw.dossier.errors import ConflictError, RegistrationRefused
from tnw.portal import second_factor
from tnw.portal.forms import (
    ActivationForm,
    ConsentForm,
    PortalLoginForm,
    PreferencesForm,
    ProposalForm,
    questionnaire_form,
)
from tnw.web import labels
from tnw.web.views import web_today

# Activation attempts per client address: 10 per 15 minutes (on top of 5 per letter).
ACTIVATION_LIMIT = 10
ACTIVATION_WINDOW = 15 * 60


def insured_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a logged-in insured person: others go to the portal's log-in (staff get 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{_url('portal:login')}?next={request.path}")
        if user.role != Role.INSURED:
            raise PermissionDenied("the portal is for insured persons")
        if second_factor.needs_code(request):
            return redirect(f"{_url('portal:verify')}?next={request.path}")
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404(_("Not found")) from None

    return wrapped


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self) -> str:
        return _url("portal:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.TNW_OIDC_ENABLED
        context["oidc_failed"] = self.request.GET.get("oidc") == "failed"
        return context


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _rate_limited(request: HttpRequest) -> bool:
    key = f"portal-activation:{_client(request)}"
    count = cache.get_or_set(key, 0, ACTIVATION_WINDOW)
    cache.set(key, count + 1, ACTIVATION_WINDOW)
    return count >= ACTIVATION_LIMIT


ACTIVATION_ERRORS = {
    "invalid": lambda: _(
        "This national register number and activation code do not match a valid letter. "
        "Check both, or ask your mutuality for a new letter."
    ),
    "blocked": lambda: _(
        "This activation code was typed wrongly too often. Ask your mutuality for a new letter."
    ),
    "exists": lambda: _("You already have an account. Log in with your password."),
}


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            form.add_error(None, _("Too many attempts. Wait 15 minutes and try again."))
        else:
            user = _activate(form)
            if user is not None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is ready. Welcome."))
                return redirect("portal:home")
    return render(request, "portal/activate.html", {"form": form})


def _activate(form: ActivationForm) -> Any:
    data = form.cleaned_data
    try:
        return portal.activate_portal_account(
            insz=data["insz"], code=data["code"], password=data["password1"]
        )
    except portal.ActivationRefused as refusal:
        form.add_error(None, ACTIVATION_ERRORS[refusal.code or "invalid"]())
    except ValidationError as error:  # the password validators, already translated
        form.add_error("password1", error)
    return None


@insured_required
def home(request: HttpRequest) -> HttpResponse:
    overview = portal.own_overview(user=request.user, today=web_today())
    to_sign = [d for d in own_documents(user=request.user) if d.to_sign]
    return render(request, "portal/home.html", {"overview": overview, "to_sign": to_sign})


def _episode_of(request: HttpRequest, episode_id: int) -> portal.OwnEpisode:
    return portal.own_episode(user=request.user, episode_id=episode_id, today=web_today())


def _refused(request: HttpRequest, error: Exception) -> None:
    """The reason an act was refused, in the person's language, never a technical code."""
    if isinstance(error, RegistrationRefused):
        for code in dict.fromkeys(error.codes):
            messages.error(request, labels.violation_message(code))
    elif isinstance(error, ConflictError):
        messages.error(request, _("Your dossier changed in the meantime. Please try again."))
    else:
        messages.error(request, _("This could not be saved. Check your answers."))


@insured_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = _episode_of(request, episode_id)
    language = translation.get_language() or "nl"
    definition = portal.questionnaire_definition()
    draft = portal.questionnaire_draft(user=request.user, episode_id=episode.id)
    form = questionnaire_form(definition, language, request.POST or None)
    if request.method == "GET":
        form.initial = draft
    elif form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if v}
        if _save_or_submit(request, episode, answers):
            return redirect("portal:home")
    return render(
        request, "portal/questionnaire.html",
        {"form": form, "definition": definition, "episode": episode, "language": language},
    )  # fmt: skip


def _save_or_submit(request: HttpRequest, episode: portal.OwnEpisode, answers: dict) -> bool:
    try:
        if request.POST.get("action") != "submit":
            portal.save_questionnaire_draft(
                user=request.user, episode_id=episode.id, answers=answers
            )
            messages.success(request, _("Your answers are saved. You can go on later."))
            return True
        complete = portal.submit_questionnaire(
            user=request.user, episode_id=episode.id, expected_version=episode.version,
            answers=answers, today=web_today(),
        )  # fmt: skip
    except (RegistrationRefused, ConflictError, ValidationError) as error:
        _refused(request, error)
        return False
    if complete:
        messages.success(request, _("Thank you. Your questionnaire was sent to your mutuality."))
    else:
        messages.warning(
            request,
            _("Your questionnaire was sent, but some answers are missing. "
              "Your mutuality will contact you to help."),
        )  # fmt: skip
    return True


@insured_required
@require_http_methods(["GET", "POST"])
def ask_trajectory(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = _episode_of(request, episode_id)
    if request.method == "POST":
        try:
            portal.request_trajectory(
                user=request.user, episode_id=episode.id, expected_version=episode.version,
                today=web_today(),
            )  # fmt: skip
        except (RegistrationRefused, ConflictError, ValidationError) as error:
            _refused(request, error)
        else:
            messages.success(
                request, _("Your request was sent. A TNW coordinator will contact you.")
            )
            return redirect("portal:home")
    return render(request, "portal/ask.html", {"episode": episode})


@insured_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = _episode_of(request, episode_id)
    give = episode.consent != "given"
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal.sign_consent(
                user=request.user, episode_id=episode.id, expected_version=episode.version,
                give=give, password=form.cleaned_data["password"], today=web_today(),
            )  # fmt: skip
        except RegistrationRefused as error:
            _refused(request, error)
        except ConflictError as error:
            _refused(request, error)
        except ValidationError:
            form.add_error("password", _("This password is not right."))
        else:
            done = _("You gave your consent.") if give else _("You withdrew your consent.")
            messages.success(request, done)
            return redirect("portal:home")
    return render(request, "portal/consent.html", {"episode": episode, "form": form, "give": give})


@insured_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    by_email = portal.letters_by_email(user=request.user)
    initial = {"letters_by_email": "email" if by_email else "paper"}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        portal.set_letter_preference(
            user=request.user, by_email=form.cleaned_data["letters_by_email"]
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("portal:letters")
    return render(request, "portal/preferences.html", {"form": form})


@insured_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = _episode_of(request, episode_id)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _proposed(request, episode, form):
        return redirect("portal:plan", episode_id=episode.id)
    return render(
        request, "portal/plan.html",
        {"episode": episode, "plan": portal.own_plan(user=request.user, episode_id=episode.id),
         "proposals": portal.meeting_proposals(user=request.user, episode_id=episode.id),
         "form": form},
    )  # fmt: skip


PROPOSAL_ERRORS = {
    "no_plan": lambda: _("You can propose a meeting once your re-integration plan is made."),
    "range": lambda: _("Choose a day between today and six months from now."),
}


def _proposed(request: HttpRequest, episode: portal.OwnEpisode, form: ProposalForm) -> bool:
    try:
        portal.propose_meeting(
            user=request.user, episode_id=episode.id, on=form.cleaned_data["on"],
            note=form.cleaned_data["note"], today=web_today(),
        )  # fmt: skip
    except ValidationError as error:
        code = getattr(error, "code", None) or "range"
        form.add_error("on", PROPOSAL_ERRORS.get(code, PROPOSAL_ERRORS["range"])())
        return False
    messages.success(request, _("Your proposal was sent. The coordinator will confirm it."))
    return True


@insured_required
def appointment_ics(request: HttpRequest, episode_id: int) -> HttpResponse:
    """The plan's next appointment as an iCalendar file (RFC 5545), for the person's agenda."""
    current = portal.own_plan(user=request.user, episode_id=episode_id)
    if current is None or current.next_appointment is None:
        raise Http404(_("Not found"))
    response = HttpResponse(calendar_entry(current), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tnw-appointment.ics"'
    return response


def calendar_entry(current: portal.OwnPlan) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//TNW-dossier//portal//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"tnw-plan-{current.number}-{current.next_appointment}@tnw-dossier")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", current.next_appointment)
    event.add("summary", _("Follow-up meeting about my re-integration plan"))
    if current.coordinator:
        event.add("description", _("With %(name)s") % {"name": current.coordinator})
    calendar.add_component(event)
    return bytes(calendar.to_ical())


@insured_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A copy of one's own dossier (GDPR art. 15): a page, and the same as a JSON download."""
    if request.GET.get("download") != "json":
        return render(request, "portal/my_data.html")
    copy = portal.own_dossier_copy(user=request.user)
    body = json.dumps(copy, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-tnw-dossier.json"'
    return response


@insured_required
@require_http_methods(["GET", "POST"])
def two_step(request: HttpRequest) -> HttpResponse:
    """Log-in with a code from an authenticator app (optional): tnw.portal.second_factor."""
    return second_factor.two_step(request)
