"""The screens. Views are thin: reads through the dossier selectors, writes through the
dossier services (the one door: no dossier model, no engine here). An id the user may not see
is "not found" (404) like a missing one; a PermissionDenied (role) becomes a 403 page; an
episode not assigned to the user offers to break the glass."""

from __future__ import annotations

import logging
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

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, has, require
from tnw.caseload import once
from tnw.dossier import portal, selectors, services
from tnw.dossier.errors import ConflictError, NotAssigned, RegistrationRefused
from tnw.dossier.types import EpisodeHeader
from tnw.mutualities.models import Mutuality
from tnw.portal import texts as portal_texts
from tnw.sanctions.present import rows as sanction_rows
from tnw.web import catalogue, labels, present
from tnw.web import worklist as worklists
from tnw.web.forms import (
    BreakGlassForm,
    EpisodeForm,
    HealthForm,
    LanguageForm,
    PersonForm,
    RegistrationForm,
    SearchForm,
)
from tnw.web.models import Preference
from tnw.web.templatetags.tnw_web import bedate

logger = logging.getLogger("tnw.web")

CHANNEL = "web"
SEARCH_PAGE = 50  # search results per page


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
    if user.role == Role.MDT:  # the team's way in: find the person (circular VII)
        return redirect("evaluation:find")
    today = web_today()
    context: dict = {"today": today}
    if user.role in (Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF):
        chosen = request.GET.get("show", "")
        if chosen not in worklists.FILTERS:
            chosen = ""
        counts = worklists.counts_for(user, today)
        buckets = [
            ("overdue", _("Overdue"), counts.overdue),
            ("this_week", _("Due this week"), counts.due_this_week),
            ("open", _("Open"), counts.open),
            ("upcoming", _("Upcoming"), counts.upcoming),
            ("", _("All"), counts.overdue + counts.open + counts.upcoming),
        ]
        rows = worklists.items_for(user, today, chosen)
        total = next(number for key, _label, number in buckets if key == chosen)
        # The first rows only (the most urgent): the others on the paged worklist screen.
        context.update(
            worklist=rows, chosen=chosen, buckets=buckets,
            total=total if total > len(rows) else 0,
        )  # fmt: skip
    elif has(user, Cap.VIEW_FIGURES):
        context["team"] = worklists.team_for(user, today)
        context["figures"] = selectors.figures(user=user, today=today)
        context["can_review_glass"] = has(user, Cap.REVIEW_BREAK_GLASS)
    return render(request, "web/home.html", context)


# --- Search ---------------------------------------------------------------------------------


@login_required
def search(request):
    user = request.user
    require(user, Cap.VIEW_IDENTITY, mutuality_id=user.mutuality_id)
    form = SearchForm(request.GET or None)
    results: list = []
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context: dict = {"form": form, "q": text}
    if text:
        page = max(1, int(request.GET["page"])) if request.GET.get("page", "").isdigit() else 1
        found = selectors.find_people(
            user=user, text=text, offset=(page - 1) * SEARCH_PAGE, limit=SEARCH_PAGE,
            channel=CHANNEL,
        )  # fmt: skip
        if found.exact and len(found.rows) == 1:
            return redirect("web:dossier", person_id=found.rows[0]["id"])
        results = found.rows
        context.update(
            found=found, page=page, pages=-(-found.total // SEARCH_PAGE),
            first=(page - 1) * SEARCH_PAGE + 1, last=(page - 1) * SEARCH_PAGE + len(results),
        )  # fmt: skip
    return render(request, "web/search.html", {**context, "results": results})


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
    proposals = portal.proposals_by_episode(
        user=user, episode_ids=[e["id"] for e in data["episodes"] if e.get("plans")]
    )  # a proposal is made on a plan (shown with the current plan only)
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
                "sanction_rows": sanction_rows(episode),
                "current_plan": plans[-1] if plans else None,
                "earlier_plans": list(reversed(plans[:-1])) if plans else [],
                "proposals": proposals.get(episode["id"], []),
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
        "can_register": selectors.registrable_types(user) != [],
        "can_break_glass": has(user, Cap.BREAK_GLASS),
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
    require(user, Cap.EDIT_PERSON, scoped=False)
    person = _found(
        selectors.access_person_by_id, user=user, person_id=person_id, what="identity",
        channel=CHANNEL,
    )  # fmt: skip
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
                user=user, person_id=person["id"], start=values["start"],
                employment_contract=values["employment_contract"],
                employer_name=values["employer_name"],
                employer_workers=values["employer_workers"],
                coordinator=coordinators.filter(pk=values["coordinator"] or None).first(),
                advising_physician=physicians.filter(
                    pk=values["advising_physician"] or None
                ).first(),
                today=web_today(), channel=CHANNEL,
            )  # fmt: skip
        except ValidationError as error:
            if getattr(error, "code", None) == "future_start":
                form.add_error("start", _("The incapacity cannot start in the future."))
            elif getattr(error, "code", None) == "coordinator_lapsed":
                form.add_error("coordinator", error.messages[0])  # II 2.1, translated
            elif getattr(error, "code", None) == "overlapping_episode":
                start = (error.params or {}).get("start")
                form.add_error("start", once.OVERLAPPING_EPISODE % {"start": bedate(start)})
            else:
                form.add_error(None, _("The incapacity could not be saved: check the fields."))
        else:
            messages.success(request, _("The incapacity episode was opened."))
            return redirect("web:dossier", person_id=person["id"])
    return render(request, "web/episode_form.html", {"form": form, "person": person})


# --- Registrations ----------------------------------------------------------------------------


def _found(selector, **kwargs):
    """A selector's answer, or 404 for an id the user may not see (missing or another
    mutuality's: the same answer, errors.NotFound)."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _person_of(episode: EpisodeHeader) -> dict:
    return {"id": episode.person_id, "name": episode.person_name}


def _not_assigned(request, episode_id: int, next_url: str):
    """The page for an episode the user is not assigned to: why, and the break-glass form."""
    header = _found(
        selectors.access_episode_by_id, user=request.user, episode_id=episode_id,
        what="break-the-glass page", channel=CHANNEL,
    )  # fmt: skip
    form = BreakGlassForm(initial={"next": next_url})
    context = {"episode": header, "person": _person_of(header), "form": form}
    return render(request, "web/break_glass.html", context, status=403)


def _menu_groups(episode: EpisodeHeader, possibilities) -> list[dict]:
    found = {(p.event_type, p.variant): p for p in possibilities}
    groups = []
    for title, types in labels.EVENT_GROUPS:
        entries = []
        for event_type in types:
            for variant in selectors.VARIANTS.get(event_type, (None,)):
                option = found.get((event_type, variant))
                if option is None:
                    continue
                name = labels.event_label(event_type)
                url = reverse("web:register", args=[episode.id, event_type])
                if variant:
                    name = f"{name}: {labels.choice_label('purpose', variant)}"
                    url += f"?purpose={variant}"
                why = labels.violation_message(option.code) if option.code else ""
                entries.append({"name": name, "url": url, "allowed": option.allowed, "why": why})
        if entries:
            groups.append(
                {
                    "title": title,
                    "allowed": [e for e in entries if e["allowed"]],
                    "blocked": [e for e in entries if not e["allowed"]],
                }
            )
    return groups


@login_required
def register_menu(request, episode_id: int):
    user = request.user
    if not selectors.registrable_types(user):
        raise PermissionDenied("this role registers nothing")
    today = web_today()
    try:
        menu = _found(
            selectors.registration_menu, user=user, episode_id=episode_id, today=today,
            channel=CHANNEL,
        )  # fmt: skip
    except NotAssigned:
        return _not_assigned(request, episode_id, request.get_full_path())
    context = {
        "episode": menu.episode, "person": _person_of(menu.episode), "today": today,
        "groups": _menu_groups(menu.episode, menu.possibilities),
    }  # fmt: skip
    return render(request, "web/register_menu.html", context)


def _variant(request, event_type: str) -> str | None:
    variants = selectors.VARIANTS.get(event_type)
    if not variants:
        return None
    variant = request.GET.get("purpose") or request.POST.get("purpose")
    if variant not in variants:
        raise Http404
    return variant


def refusal_error(code: str) -> ValidationError:
    """A refusal as the user reads it: the message in their language; the code stays out of
    the text (the templates put it in a tooltip, the log has it)."""
    return ValidationError(labels.violation_message(code), code=code)


def _store_registration(request, form, episode: EpisodeHeader, event_type, variant, version):
    """Register the form's event; on a refusal the form shows why, next to the field the
    engine's code names. Returns (registered, version, technical messages)."""
    fields = form.contract_fields()
    if variant:
        fields["purpose"] = variant
    values = form.cleaned_data
    technical: list[str] = []
    try:
        services.register_event(
            user=request.user, episode_id=episode.id, expected_version=int(version),
            event_type=event_type, on=values["date"], fields=fields,
            note=values.get("note", ""), form_reference=values.get("form_reference", ""),
            shared_with_coordinator=bool(values.get("shared_with_coordinator")),
            plan_reason=values.get("plan_reason", ""), today=web_today(), channel=CHANNEL,
        )  # fmt: skip
    except RegistrationRefused as refusal:
        for reason in refusal.violations:
            # The engine names the event field the violation concerns (None: the whole event).
            target = form.error_field(reason.field)
            form.add_error(target, refusal_error(reason.code))
            # The engine's detail in the user's language, or not at all: its English
            # sentence is shown on English pages only, and logged with the code.
            detail = catalogue.render({"key": reason.key, "params": reason.params})
            english = (translation.get_language() or "").startswith("en")
            if detail or english:
                technical.append(detail or reason.message)
            logger.info("event=registration_refused type=%s episode=%s code=%s message=%r",
                        event_type, episode.id, reason.code, reason.message)  # fmt: skip
    except ConflictError as conflict:
        form.add_error(None, refusal_error("conflict"))
        version = conflict.current if conflict.current is not None else version
    except ValidationError as error:
        if error.code == "signature_required" and "form_reference" in form.fields:
            # The law allows the step; the signed form it needs (Annex III, IV) is missing.
            field = form.fields["form_reference"]
            form.add_error("form_reference", field.error_messages["required"])
        else:
            form.add_error(None, refusal_error("invalid_input"))
        logger.info("event=registration_invalid type=%s episode=%s messages=%r",
                    event_type, episode.id, error.messages)  # fmt: skip
    else:
        return True, version, technical
    return False, version, technical


def _posted_version(request) -> int | None:
    """The row version the form was drawn at (optimistic concurrency); None when the hidden
    field is missing or not a plausible number. On GET: nothing was posted, so None too."""
    raw = request.POST.get("expected_version", "")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


@login_required
def register(request, episode_id: int, event_type: str):
    user = request.user
    variant = _variant(request, event_type)
    today = web_today()
    try:
        page = _found(
            selectors.registration_form, user=user, episode_id=episode_id,
            event_type=event_type, variant=variant, today=today, channel=CHANNEL,
        )  # fmt: skip
    except NotAssigned:
        return _not_assigned(request, episode_id, request.get_full_path())
    episode = page.episode
    form = RegistrationForm(
        request.POST or None, event_type=event_type, choices=page.choices,
        medical_sharing=has(user, Cap.RECORD_HEALTH), has_plan=episode.has_plan, today=today,
    )  # fmt: skip
    version = _posted_version(request)
    technical: list[str] = []
    token = once.token_of(request)
    url = reverse("web:dossier", args=[episode.person_id])
    if request.method == "POST" and once.spent(request, token):
        messages.warning(request, once.ALREADY_SAVED)
        return redirect(f"{url}#episode-{episode.id}")
    if request.method == "POST" and version is None:
        # A damaged or missing hidden version: refuse, never skip the conflict check (issue 18).
        form.is_valid()
        form.add_error(None, refusal_error("invalid_input"))
    if request.method == "POST" and version is not None and form.is_valid():
        stored, version, technical = _store_registration(
            request, form, episode, event_type, variant, version
        )
        if stored:
            once.spend(request, token)
            what = labels.event_label(event_type)
            messages.success(request, _("Registered: %(what)s.") % {"what": what})
            return redirect(f"{url}#episode-{episode.id}")
    version = episode.version if version is None else version
    title = labels.event_label(event_type)
    if variant:
        title = f"{title}: {labels.choice_label('purpose', variant)}"
    context = {
        "form": form, "episode": episode, "person": _person_of(episode),
        "event_type": event_type, "title": title, "variant": variant, "version": version,
        "technical": technical, "is_plan": event_type == "plan_drawn_up", "form_token": token,
    }  # fmt: skip
    return render(request, "web/register_form.html", context)


# --- Health data (advising physician) ------------------------------------------------------


@login_required
def health_new(request, episode_id: int):
    user = request.user
    try:
        episode = _found(
            selectors.access_episode_by_id, user=user, episode_id=episode_id,
            what="health form", caps=(Cap.RECORD_HEALTH,), act=True, channel=CHANNEL,
        )  # fmt: skip
    except NotAssigned:
        return _not_assigned(request, episode_id, request.get_full_path())
    form = HealthForm(request.POST or None, initial={"recorded_on": web_today()})
    if request.method == "POST" and form.is_valid():
        services.record_health(
            user=user, episode_id=episode.id, channel=CHANNEL, **form.cleaned_data
        )
        messages.success(request, _("The health data was recorded."))
        url = reverse("web:dossier", args=[episode.person_id])
        return redirect(f"{url}#episode-{episode.id}")
    context = {"form": form, "episode": episode, "person": _person_of(episode)}
    return render(request, "web/health_form.html", context)


# --- Break the glass ------------------------------------------------------------------------


@require_POST
@login_required
def break_glass(request, episode_id: int):
    """Open an episode not assigned to the user, with a reason (audited, reviewed)."""
    user = request.user
    require(user, Cap.BREAK_GLASS, scoped=False)
    form = BreakGlassForm(request.POST)
    header = _found(
        selectors.access_episode_by_id, user=user, episode_id=episode_id,
        what="break-the-glass page", channel=CHANNEL,
    )  # fmt: skip
    if form.is_valid():
        try:
            services.break_the_glass(
                user=user, episode_id=episode_id, reason=form.cleaned_data["reason"],
                channel=CHANNEL,
            )  # fmt: skip
        except ValidationError:
            form.add_error("reason", _("Give the reason in 10 to 1000 characters."))
        else:
            messages.warning(request, _("You broke the glass: this access is reviewed."))
            target = form.cleaned_data.get("next") or ""
            if not target.startswith("/") or not url_has_allowed_host_and_scheme(
                target, {request.get_host()}
            ):
                target = reverse("web:dossier", args=[header.person_id])
            return redirect(target)
    context = {"episode": header, "person": _person_of(header), "form": form}
    return render(request, "web/break_glass.html", context, status=400)


@login_required
def glass_review(request):
    """The manager's list of break-the-glass accesses (reviewed; the review is audited)."""
    rows = selectors.glass_breaks(user=request.user, channel=CHANNEL)
    return render(request, "web/glass_review.html", {"rows": rows})


@login_required
@require_POST
def meeting_proposal(request, episode_id: int, proposal_id: int):
    """The coordinator confirms or declines a follow-up meeting the person proposed on the
    portal (circular IV 4.3)."""
    confirm = request.POST.get("decision") == "confirm"
    try:
        portal.decide_meeting_proposal(
            user=request.user, episode_id=episode_id, proposal_id=proposal_id,
            confirm=confirm, channel=CHANNEL,
        )  # fmt: skip
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, str(portal_texts.PROPOSAL_DECIDED[confirm]))
    target = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("web:home")
    return HttpResponseRedirect(target)
