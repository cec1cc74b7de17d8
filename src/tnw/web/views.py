"""The screens. Views are thin: reads through the dossier selectors, writes through the
dossier services; a PermissionDenied from either becomes a 403 page."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from stdnum.be import bis, nn

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, capabilities_for_event, has, require
from tnw.audit.services import audit_read
from tnw.dossier import selectors, services
from tnw.dossier.errors import ConflictError, RegistrationRefused
from tnw.dossier.models import Episode, Person
from tnw.mutualities.models import Mutuality
from tnw.rules import EVENT_TYPES
from tnw.web import labels, possible, present
from tnw.web import worklist as worklists
from tnw.web.forms import (
    EpisodeForm,
    HealthForm,
    LanguageForm,
    PersonForm,
    RegistrationForm,
    SearchForm,
)
from tnw.web.models import Preference

CHANNEL = "web"


def web_today() -> date:
    """The evaluation date of the screens: today, or `TNW_TODAY` (tests, demonstrations)."""
    fixed = getattr(settings, "TNW_TODAY", None)
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return timezone.localdate()


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("web:home")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        if request.user.is_authenticated:
            Preference.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


# --- Home: the worklist ---------------------------------------------------------------------


@login_required
def home(request):
    """Each role lands on its worklist (coordinator, physician, staff member); the manager on
    the team's counts and the anonymous figures; the administrator on the administration."""
    user = request.user
    today = web_today()
    context: dict = {"today": today}
    if user.role in (Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF):
        chosen = request.GET.get("show", "")
        if chosen not in worklists.FILTERS:
            chosen = ""
        counts = worklists.counts_for(user, today)
        context.update(
            worklist=worklists.items_for(user, today, chosen), chosen=chosen,
            buckets=[
                ("overdue", _("Overdue"), counts.overdue),
                ("this_week", _("Due this week"), counts.due_this_week),
                ("open", _("Open"), counts.open),
                ("upcoming", _("Upcoming"), counts.upcoming),
                ("", _("All"), counts.overdue + counts.open + counts.upcoming),
            ],
        )  # fmt: skip
    elif has(user, Cap.VIEW_FIGURES):
        context["team"] = worklists.team_for(user, today)
        context["figures"] = selectors.figures(user=user, today=today)
    return render(request, "web/home.html", context)


# --- Search ---------------------------------------------------------------------------------


def _insz_digits(text: str) -> str | None:
    for module in (nn, bis):
        try:
            return module.validate(text)
        except Exception:
            continue
    return None


def _dossier_number(text: str) -> int | None:
    cleaned = text.strip().upper().removeprefix("TNW").lstrip("-# ")
    if cleaned.isdigit() and len(cleaned) <= 9:
        return int(cleaned)
    return None


@login_required
def search(request):
    user = request.user
    require(user, Cap.VIEW_IDENTITY, mutuality_id=user.mutuality_id)
    form = SearchForm(request.GET or None)
    results: list[dict] = []
    text = ""
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
    if text:
        digits = _insz_digits(text)
        number = _dossier_number(text) if digits is None else None
        if number is not None:
            # A dossier number: the person's id, within the user's mutuality only.
            person = Person.objects.filter(pk=number, mutuality_id=user.mutuality_id).first()
            results = (
                [{"id": person.pk, "name": str(person), "insz": nn.format(person.insz)}]
                if person
                else []
            )
        else:
            results = selectors.search_people(user=user, text=digits or text)
        if len(results) == 1 and (digits or number is not None):
            return redirect("web:dossier", person_id=results[0]["id"])
    return render(request, "web/search.html", {"form": form, "results": results, "q": text})


# --- The dossier ----------------------------------------------------------------------------


def _names(usernames) -> dict[str, str]:
    users = User.objects.filter(username__in=[u for u in usernames if u])
    return {u.username: (u.get_full_name() or u.username) for u in users}


@login_required
def dossier(request, person_id: int):
    user = request.user
    today = web_today()
    try:
        data = selectors.get_dossier(user=user, person_id=person_id, channel=CHANNEL, today=today)
    except ObjectDoesNotExist:
        raise Http404 from None
    person = data["person"]
    names = _names(
        [e["coordinator"] for e in data["episodes"]]
        + [e["advising_physician"] for e in data["episodes"]]
    )
    episodes = []
    for episode in data["episodes"]:
        plans = episode.get("plans")
        episodes.append(
            {
                **episode,
                "coordinator_name": names.get(episode["coordinator"], ""),
                "physician_name": names.get(episode["advising_physician"], ""),
                "items": present.timeline(episode, today),
                "consent": present.consent_state(episode),
                "presumption_rows": present.presumptions(episode),
                "current_plan": plans[-1] if plans else None,
                "earlier_plans": list(reversed(plans[:-1])) if plans else [],
                "codex_rows": [
                    {**c, "state": present.codex_state(c)} for c in episode.get("codex", [])
                ],
                "health_rows": [
                    {**h, "kind_label": labels.HEALTH_KIND_LABELS.get(h["kind"], h["kind"])}
                    for h in episode.get("health", [])
                ],
            }
        )
    context = {
        "person": person,
        "mutuality": Mutuality.objects.filter(pk=person["mutuality"]).first(),
        "language_label": labels.PERSON_LANGUAGE_LABELS.get(person["language"], ""),
        "episodes": episodes,
        "career": data.get("career"),
        "today": today,
        "can_register": _registrable(user) != [],
        "can_record_health": has(user, Cap.RECORD_HEALTH),
        "can_open_episode": has(user, Cap.EDIT_PERSON),
    }
    return render(request, "web/dossier.html", context)


# --- People and episodes ----------------------------------------------------------------------


@login_required
def person_new(request):
    user = request.user
    require(user, Cap.EDIT_PERSON, mutuality_id=user.mutuality_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            person = services.create_person(
                user=user, insz=values["insz"], first_name=values["first_name"],
                last_name=values["last_name"], language=values["language"],
                street=values["street"], postal_code=values["postal_code"], city=values["city"],
                phone=values["phone"], email=values["email"], channel=CHANNEL,
            )  # fmt: skip
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code == "duplicate":
                form.add_error("insz", _("A person with this INSZ already exists."))
            elif code == "invalid_insz":
                form.add_error(
                    "insz",
                    _("Not a valid INSZ or bis number (11 digits with a valid check number)."),
                )
            else:
                form.add_error(None, _("The person could not be saved: check the fields."))
        else:
            messages.success(request, _("The person was created."))
            return redirect("web:episode_new", person_id=person.pk)
    return render(request, "web/person_form.html", {"form": form})


def _colleagues(user, role):
    return User.objects.filter(role=role, mutuality_id=user.mutuality_id, is_active=True)


@login_required
def episode_new(request, person_id: int):
    user = request.user
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require(user, Cap.EDIT_PERSON, mutuality_id=person.mutuality_id)
    coordinators = _colleagues(user, Role.COORDINATOR)
    physicians = _colleagues(user, Role.ADVISING_PHYSICIAN)
    initial = {}
    if user.role == Role.COORDINATOR:
        initial["coordinator"] = str(user.pk)
    if user.role == Role.ADVISING_PHYSICIAN:
        initial["advising_physician"] = str(user.pk)
    form = EpisodeForm(
        request.POST or None, initial=initial, coordinators=coordinators, physicians=physicians
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.open_episode(
                user=user, person_id=person.pk, start=values["start"],
                employment_contract=values["employment_contract"],
                employer_name=values["employer_name"],
                coordinator=coordinators.filter(pk=values["coordinator"] or None).first(),
                advising_physician=physicians.filter(
                    pk=values["advising_physician"] or None
                ).first(),
                today=web_today(), channel=CHANNEL,
            )  # fmt: skip
        except ValidationError as error:
            if getattr(error, "code", None) == "future_start":
                form.add_error("start", _("The incapacity cannot start in the future."))
            else:
                form.add_error(None, _("The incapacity could not be saved: check the fields."))
        else:
            messages.success(request, _("The incapacity episode was opened."))
            return redirect("web:dossier", person_id=person.pk)
    audit_read(actor=user, person_id=person.pk, what="identity", channel=CHANNEL)
    return render(request, "web/episode_form.html", {"form": form, "person": person})


# --- Registrations ----------------------------------------------------------------------------


def _registrable(user) -> list[str]:
    return [
        event_type
        for event_type in EVENT_TYPES
        if any(has(user, cap) for cap in capabilities_for_event(event_type))
    ]


def _episode_for(user, episode_id: int) -> Episode:
    episode = Episode.objects.select_related("person").filter(pk=episode_id).first()
    if episode is None:
        raise Http404
    require(user, Cap.VIEW_IDENTITY, mutuality_id=episode.person.mutuality_id)
    return episode


@login_required
def register_menu(request, episode_id: int):
    user = request.user
    episode = _episode_for(user, episode_id)
    allowed_types = _registrable(user)
    if not allowed_types:
        raise PermissionDenied("this role registers nothing")
    today = web_today()
    found = {
        (p.event_type, p.variant): p for p in possible.possibilities(episode, allowed_types, today)
    }
    groups = []
    for title, types in labels.EVENT_GROUPS:
        entries = []
        for event_type in types:
            for variant in possible.VARIANTS.get(event_type, (None,)):
                option = found.get((event_type, variant))
                if option is None:
                    continue
                name = labels.event_label(event_type)
                if variant:
                    name = f"{name}: {labels.choice_label('purpose', variant)}"
                url = reverse("web:register", args=[episode.pk, event_type])
                if variant:
                    url += f"?purpose={variant}"
                entries.append(
                    {
                        "name": name,
                        "url": url,
                        "allowed": option.allowed,
                        "why": labels.violation_message(option.code) if option.code else "",
                    }
                )
        if entries:
            groups.append(
                {
                    "title": title,
                    "allowed": [e for e in entries if e["allowed"]],
                    "blocked": [e for e in entries if not e["allowed"]],
                }
            )
    audit_read(actor=user, person_id=episode.person_id, what="registration menu", channel=CHANNEL)
    return render(
        request,
        "web/register_menu.html",
        {"episode": episode, "person": episode.person, "groups": groups, "today": today},
    )


@login_required
def register(request, episode_id: int, event_type: str):
    user = request.user
    if event_type not in EVENT_TYPES:
        raise Http404
    episode = _episode_for(user, episode_id)
    require(user, *capabilities_for_event(event_type), mutuality_id=episode.person.mutuality_id)
    variants = possible.VARIANTS.get(event_type)
    variant = None
    if variants:
        variant = request.GET.get("purpose") or request.POST.get("purpose")
        if variant not in variants:
            raise Http404
    today = web_today()
    kwargs = {
        "event_type": event_type,
        "choices": possible.choices_for(episode, event_type, variant, today),
        "medical_sharing": has(user, Cap.RECORD_HEALTH),
        "has_plan": episode.plans.exists(),
        "today": today,
    }
    form = RegistrationForm(request.POST or None, **kwargs)
    version = request.POST.get("expected_version") or episode.version
    technical: list[str] = []
    if request.method == "POST" and form.is_valid():
        fields = form.contract_fields()
        if variant:
            fields["purpose"] = variant
        values = form.cleaned_data
        try:
            services.register_event(
                user=user, episode_id=episode.pk, expected_version=int(version),
                event_type=event_type, on=values["date"], fields=fields,
                note=values.get("note", ""), form_reference=values.get("form_reference", ""),
                shared_with_coordinator=bool(values.get("shared_with_coordinator")),
                plan_reason=values.get("plan_reason", ""), today=today, channel=CHANNEL,
            )  # fmt: skip
        except RegistrationRefused as refusal:
            for code, message in refusal.violations:
                target = labels.VIOLATION_FIELDS.get(code)
                if code == "plan_incomplete":
                    target = "next_appointment" if "appointment" in message else None
                if target not in form.fields:
                    target = None
                form.add_error(target, f"{labels.violation_message(code)} [{code}]")
                technical.append(message)
        except ConflictError:
            form.add_error(None, f"{labels.violation_message('conflict')} [conflict]")
            version = Episode.objects.get(pk=episode.pk).version
        except ValidationError as error:
            form.add_error(None, f"{labels.violation_message('invalid_input')} [invalid_input]")
            technical.extend(error.messages)
        else:
            messages.success(
                request,
                _("Registered: %(what)s.") % {"what": labels.event_label(event_type)},
            )
            url = reverse("web:dossier", args=[episode.person_id])
            return redirect(f"{url}#episode-{episode.pk}")
    title = labels.event_label(event_type)
    if variant:
        title = f"{title}: {labels.choice_label('purpose', variant)}"
    audit_read(actor=user, person_id=episode.person_id, what="registration form", channel=CHANNEL)
    return render(
        request,
        "web/register_form.html",
        {
            "form": form,
            "episode": episode,
            "person": episode.person,
            "event_type": event_type,
            "title": title,
            "variant": variant,
            "version": version,
            "technical": technical,
            "is_plan": event_type == "plan_drawn_up",
        },
    )


# --- Health data (advising physician) ------------------------------------------------------


@login_required
def health_new(request, episode_id: int):
    user = request.user
    episode = _episode_for(user, episode_id)
    require(user, Cap.RECORD_HEALTH, mutuality_id=episode.person.mutuality_id)
    form = HealthForm(request.POST or None, initial={"recorded_on": web_today()})
    if request.method == "POST" and form.is_valid():
        services.record_health(
            user=user, episode_id=episode.pk, channel=CHANNEL, **form.cleaned_data
        )
        messages.success(request, _("The health data was recorded."))
        url = reverse("web:dossier", args=[episode.person_id])
        return redirect(f"{url}#episode-{episode.pk}")
    audit_read(actor=user, person_id=episode.person_id, what="health form", channel=CHANNEL)
    context = {"form": form, "episode": episode, "person": episode.person}
    return render(request, "web/health_form.html", context)
