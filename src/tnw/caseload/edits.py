"""The edit screens of a dossier: correct or annul a registration (the original stays, marked
corrected or annulled; docs/architecture.md, "Corrections"), edit a person, close an episode,
withdraw consent. Reads through the dossier selectors, writes through the dossier services;
a refusal is shown next to its field in the user's language, without internal codes (the code
stays in the log); a double submit stores once (once.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.caseload import once
from tnw.caseload.editforms import (
    MESSAGES,
    AnnulForm,
    AssignForm,
    CloseEpisodeForm,
    CorrectionForm,
    EpisodeEditForm,
    PersonEditForm,
    WithdrawConsentForm,
    initial_of,
)
from tnw.dossier import selectors, services
from tnw.dossier.errors import ConflictError, NotAssigned, RegistrationRefused
from tnw.web import labels, present
from tnw.web.views import CHANNEL, web_today

log = logging.getLogger(__name__)
PERSON_EDITABLE = ("first_name", "last_name", "birth_date", "language", "street",
                   "postal_code", "city", "phone", "email")  # fmt: skip


def _found(selector, **kwargs):
    """A selector's answer; 404 for an id the user may not see, 403 for an episode the user
    does not act on (break the glass from the dossier page first)."""
    try:
        return selector(**kwargs)
    except NotAssigned:
        raise PermissionDenied("not assigned") from None
    except ObjectDoesNotExist:
        raise Http404 from None


def _version(request) -> int | None:
    raw = request.POST.get("expected_version", "")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _refused(form, error: Exception, date_field: str = "date") -> None:
    """A service's refusal as the form's errors, in the user's language (no codes shown)."""
    log.info("refused: %r", error)
    if isinstance(error, RegistrationRefused):
        for reason in error.violations:
            target = form.error_field(reason.field) if hasattr(form, "error_field") else (
                reason.field if reason.field in form.fields else None
            )  # fmt: skip
            if reason.code == "event_in_future" and date_field in form.fields:
                target = date_field
            form.add_error(target, labels.violation_message(reason.code))
    elif isinstance(error, ConflictError):
        form.add_error(None, MESSAGES["conflict"])
    elif isinstance(error, ValidationError):
        code = getattr(error, "code", None)
        if code == "amendment_reason" and "reason" in form.fields:
            form.add_error("reason", MESSAGES["reason"])
        elif code == "signature_required" and "form_reference" in form.fields:
            form.add_error(
                "form_reference", form.fields["form_reference"].error_messages["required"]
            )
        elif code in ("not_in_force", "invalidates"):
            form.add_error(None, MESSAGES[code])
        elif code == "future_start" and "start" in form.fields:
            form.add_error("start", MESSAGES["future"])
        elif code == "overlapping_episode":
            form.add_error(None, once.OVERLAPPING_EPISODE % {"start": ""})
        else:
            form.add_error(None, labels.violation_message("invalid_input"))


def _saved_before(request, token: str, url: str):
    """A form submitted again after its save (Back, then Save): the page it led to, with a
    warning, instead of a second record (tnw.caseload.once)."""
    if request.method == "POST" and once.spent(request, token):
        messages.warning(request, once.ALREADY_SAVED)
        return redirect(url)
    return None


def _submit(request, form, token: str, save) -> bool:
    """Run `save(version)` for a valid POST with its version; False with the form's errors."""
    if request.method != "POST":
        return False
    version = _version(request)
    if version is None:
        form.is_valid()
        form.add_error(None, labels.violation_message("invalid_input"))
        return False
    if not form.is_valid():
        return False
    try:
        save(version)
    except (ValidationError, ConflictError) as error:
        _refused(form, error)
        return False
    once.spend(request, token)
    return True


def _page(request, context: dict[str, Any]):
    return render(request, "caseload/edit_form.html", context)


def _episode_url(episode) -> str:
    return reverse("web:dossier", args=[episode.person_id]) + f"#episode-{episode.id}"


# --- Corrections and annulments -------------------------------------------------------------


def _amendment(request, registration_id: int):
    """The registration (in force) to amend, or a redirect to its dossier when it is not."""
    page = _found(
        selectors.amendment_form, user=request.user, registration_id=registration_id,
        today=web_today(), channel=CHANNEL,
    )  # fmt: skip
    if not page.registration["in_force"] and not once.spent(request, once.token_of(request)):
        messages.warning(request, MESSAGES["not_in_force"])
        return page, redirect(_episode_url(page.episode))
    return page, None


def _original(registration: dict[str, Any]) -> dict[str, Any]:
    item = present.fact_item(registration)
    return {"title": item.title, "on": item.on, "details": item.details, "note": item.note,
            "form_reference": item.form_reference}  # fmt: skip


@login_required
def correct(request, registration_id: int):
    page, elsewhere = _amendment(request, registration_id)
    if elsewhere is not None:
        return elsewhere
    registration, episode, today = page.registration, page.episode, web_today()
    form = CorrectionForm(
        request.POST or None, initial=initial_of(registration), event_type=registration["type"],
        choices=page.choices, medical_sharing=False, has_plan=False, today=today,
    )  # fmt: skip
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        fields = form.contract_fields()
        if "purpose" in registration["data"]:
            fields["purpose"] = registration["data"]["purpose"]
        values = form.cleaned_data
        services.correct_registration(
            user=request.user, registration_id=registration["id"], expected_version=version,
            reason=values["reason"], on=values["date"], fields=fields,
            note=values.get("note", ""), form_reference=values.get("form_reference", ""),
            today=today, channel=CHANNEL,
        )  # fmt: skip

    if _submit(request, form, token, save):
        what = labels.event_label(registration["type"])
        messages.success(request, _("Corrected: %(what)s.") % {"what": what})
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Correct: %(what)s") % {"what": labels.event_label(registration["type"])},
        "intro": _("The registration stays in the dossier, marked as corrected; the timeline "
                   "is computed again from the corrected facts."),
        "original": _original(registration), "submit": _("Save the correction"),
    })  # fmt: skip


@login_required
def annul(request, registration_id: int):
    page, elsewhere = _amendment(request, registration_id)
    if elsewhere is not None:
        return elsewhere
    registration, episode = page.registration, page.episode
    form = AnnulForm(request.POST or None)
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        services.annul_registration(
            user=request.user, registration_id=registration["id"], expected_version=version,
            reason=form.cleaned_data["reason"], today=web_today(), channel=CHANNEL,
        )  # fmt: skip

    if _submit(request, form, token, save):
        what = labels.event_label(registration["type"])
        messages.success(request, _("Annulled: %(what)s.") % {"what": what})
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Annul: %(what)s") % {"what": labels.event_label(registration["type"])},
        "intro": _("For a registration made by mistake. It stays in the dossier, marked as "
                   "annulled, and no longer counts in the timeline."),
        "original": _original(registration), "submit": _("Annul the registration"),
        "danger": True,
    })  # fmt: skip


# --- A person, an episode, the consent ----------------------------------------------------


@login_required
def person_edit(request, person_id: int):
    user, today = request.user, web_today()
    person = _found(selectors.person_for_edit, user=user, person_id=person_id, channel=CHANNEL)
    form = PersonEditForm(
        request.POST or None, initial={name: person[name] for name in PERSON_EDITABLE},
        today=today, country=person["country"],
    )  # fmt: skip
    token = once.token_of(request)
    url = reverse("web:dossier", args=[person["id"]])
    if (saved := _saved_before(request, token, url)) is not None:
        return saved

    def save(version: int) -> None:
        changes = {name: form.cleaned_data[name] for name in PERSON_EDITABLE}
        services.update_person(
            user=user, person_id=person["id"], expected_version=version, channel=CHANNEL,
            **changes,
        )  # fmt: skip

    if _submit(request, form, token, save):
        messages.success(request, _("The person's data was saved."))
        return redirect(url)
    return _page(request, {
        "form": form, "token": token, "version": person["version"],
        "person": {"id": person["id"], "name": f"{person['last_name']} {person['first_name']}"},
        "title": _("Edit identity and contact data"),
        "intro": _("The INSZ is not changed here: a wrong INSZ is another person's dossier."),
        "submit": _("Save"),
    })  # fmt: skip


def _episode_form(request, episode_id: int, event_type: str):
    return _found(
        selectors.registration_form, user=request.user, episode_id=episode_id,
        event_type=event_type, variant=None, today=web_today(), channel=CHANNEL,
    ).episode  # fmt: skip


@login_required
def episode_close(request, episode_id: int):
    episode, today = _episode_form(request, episode_id, "incapacity_ended"), web_today()
    form = CloseEpisodeForm(request.POST or None, today=today)
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        services.close_episode(
            user=request.user, episode_id=episode.id, expected_version=version,
            on=form.cleaned_data["date"], note=form.cleaned_data["note"], today=today,
            channel=CHANNEL,
        )  # fmt: skip

    if _submit(request, form, token, save):
        messages.success(request, _("The incapacity episode was closed."))
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Close the incapacity episode"),
        "intro": _("Registers the end of the incapacity for work: the obligations that follow "
                   "from it no longer apply after that day."),
        "submit": _("Close the episode"), "danger": True,
    })  # fmt: skip


@login_required
def consent_withdraw(request, episode_id: int):
    episode, today = _episode_form(request, episode_id, "consent_withdrawn"), web_today()
    form = WithdrawConsentForm(request.POST or None, today=today)
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        services.withdraw_consent(
            user=request.user, episode_id=episode.id, expected_version=version,
            on=form.cleaned_data["date"], form_reference=form.cleaned_data["form_reference"],
            today=today, channel=CHANNEL,
        )  # fmt: skip

    if _submit(request, form, token, save):
        messages.success(request, _("The withdrawal of consent was registered."))
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Withdraw consent"),
        "intro": _("The person withdraws the written consent (Annex III). The steps of the "
                   "trajectory that need consent no longer apply from that day."),
        "submit": _("Register the withdrawal"), "danger": True,
    })  # fmt: skip


@login_required
def episode_edit(request, episode_id: int):
    """The start, the employment contract and the employer of an episode (a new version; the
    registrations are re-evaluated, and a change that breaks one is refused)."""
    user, today = request.user, web_today()
    data = _found(selectors.episode_for_edit, user=user, episode_id=episode_id, channel=CHANNEL)
    episode = data["header"]
    initial = {name: data[name] for name in ("start", "employer_name", "employer_number")}
    initial["employment_contract"] = "yes" if data["employment_contract"] else "no"
    form = EpisodeEditForm(request.POST or None, initial=initial, today=today)
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        values = form.cleaned_data
        try:
            services.update_episode(
                user=user, episode_id=episode.id, expected_version=version, today=today,
                channel=CHANNEL, start=values["start"],
                employment_contract=values["employment_contract"],
                employer_name=values["employer_name"], employer_number=values["employer_number"],
            )  # fmt: skip
        except RegistrationRefused:
            raise ValidationError("invalidates", code="invalidates") from None

    if _submit(request, form, token, save):
        messages.success(request, _("The incapacity episode was saved."))
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Edit the incapacity episode"), "submit": _("Save"),
    })  # fmt: skip


@login_required
def episode_assign(request, episode_id: int):
    """Reassign the dossier: the episode's coordinator and advising physician."""
    user = request.user
    data = _found(selectors.episode_for_edit, user=user, episode_id=episode_id, channel=CHANNEL)
    episode = data["header"]
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, mutuality_id=user.mutuality_id, is_active=True
    )
    physicians = User.objects.filter(
        role=Role.ADVISING_PHYSICIAN, mutuality_id=user.mutuality_id, is_active=True
    )
    initial = {"coordinator": data["coordinator_id"],
               "advising_physician": data["advising_physician_id"]}  # fmt: skip
    form = AssignForm(
        request.POST or None, initial=initial, coordinators=coordinators, physicians=physicians
    )
    token = once.token_of(request)
    if (saved := _saved_before(request, token, _episode_url(episode))) is not None:
        return saved

    def save(version: int) -> None:
        services.assign_episode(
            user=user, episode_id=episode.id, expected_version=version, channel=CHANNEL,
            coordinator=coordinators.get(pk=form.cleaned_data["coordinator"]),
            advising_physician=physicians.get(pk=form.cleaned_data["advising_physician"]),
        )  # fmt: skip

    if _submit(request, form, token, save):
        messages.success(request, _("The dossier was reassigned."))
        return redirect(_episode_url(episode))
    return _page(request, {
        "form": form, "episode": episode, "token": token, "version": episode.version,
        "title": _("Reassign the dossier"), "submit": _("Save"),
    })  # fmt: skip
