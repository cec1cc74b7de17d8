"""Security keys and passkeys (WebAuthn) in the screens: confirm a log-in with a key, set one
up at the first log-in instead of the authenticator app, and add, rename or remove keys.
Every step is audited; the ceremonies themselves are in tnw.security.passkeys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from tnw.audit.models import Action
from tnw.security import otp, passkeys
from tnw.security.events import record
from tnw.security.forms import NO_ANSWER, KeyForm, KeyNameForm
from tnw.security.models import SecurityKey

REASONS = {
    "empty": NO_ANSWER,
    "challenge": gettext_lazy("This request has expired or was already used. Try again."),
    "refused": gettext_lazy("The security key's answer could not be verified (another site, an "
                            "old request or a damaged answer). Try again."),
    "unknown": gettext_lazy("This security key is not registered for your account."),
    "known": gettext_lazy("This security key is already registered."),
    "counter": gettext_lazy("This security key's counter went back: the key may have been "
                            "copied. It is refused. Use another second factor and tell your "
                            "security officer."),
}  # fmt: skip


def get_options(request) -> str:
    """Authentication options for the user's keys (the challenge kept in the session)."""
    rp_id, _origin = passkeys.relying_party(request)
    options, challenge = passkeys.authentication_options(user=request.user, rp_id=rp_id)
    passkeys.keep_challenge(request, challenge)
    return options


def create_options(request) -> str:
    rp_id, _origin = passkeys.relying_party(request)
    options, challenge = passkeys.registration_options(user=request.user, rp_id=rp_id)
    passkeys.keep_challenge(request, challenge)
    return options


def _ceremony(request, form) -> dict:
    rp_id, origin = passkeys.relying_party(request)
    return {"credential": form.cleaned_data["credential"], "rp_id": rp_id, "origin": origin,
            "challenge": passkeys.take_challenge(request)}  # fmt: skip


@require_POST
@login_required
def key_verify(request):
    """The log-in's second step with a security key (the otp_verify page posts here)."""
    from tnw.security.views import _next, verify_page

    form = KeyForm(request.POST)
    try:
        if not form.is_valid():
            raise passkeys.KeyRefused("empty")
        key = passkeys.use_key(user=request.user, **_ceremony(request, form))
    except passkeys.KeyRefused as refused:
        record(action=Action.LOGIN_FAILED, user=request.user, request=request,
               factor="second", method="security key", reason=refused.code)  # fmt: skip
        return verify_page(request, key_error=REASONS[refused.code])
    otp_login(request, key)
    record(action=Action.LOGIN, user=request.user, request=request, factor="second",
           method="security key", key=key.name)  # fmt: skip
    return redirect(_next(request))


def _add(request, form) -> SecurityKey:
    key = passkeys.add_key(user=request.user, name=form.cleaned_data["name"],
                           **_ceremony(request, form))  # fmt: skip
    record(action=Action.UPDATE, user=request.user, request=request,
           security_key="added", key=key.name)  # fmt: skip
    return key


@require_POST
@login_required
def key_setup(request):
    """The first log-in: a security key as the second factor instead of the app."""
    from tnw.security.views import _next, setup_page

    if otp.has_device(request.user):
        return redirect("security:keys")
    form = KeyForm(request.POST, named=True)
    try:
        if not form.is_valid():
            return setup_page(request, key_form=form)
        key = _add(request, form)
    except passkeys.KeyRefused as refused:
        form.add_error(None, REASONS[refused.code])
        return setup_page(request, key_form=form)
    otp_login(request, key)
    codes = otp.new_recovery_codes(request.user)
    return render(request, "security/recovery_codes.html",
                  {"codes": codes, "next": _next(request)})  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def keys(request):
    """The user's security keys: add one (the browser's ceremony), see when each was used."""
    form = KeyForm(request.POST or None, named=True)
    if request.method == "POST":
        try:
            if form.is_valid():
                key = _add(request, form)
                messages.success(request, _("The security key “%(name)s” was added.")
                                 % {"name": key.name})  # fmt: skip
                return redirect("security:keys")
        except passkeys.KeyRefused as refused:
            form.add_error(None, REASONS[refused.code])
    context = {"form": form, "keys": SecurityKey.objects.filter(user=request.user),
               "options": create_options(request),
               "has_app": otp.has_app(request.user)}  # fmt: skip
    return render(request, "security/keys.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def key_rename(request, key_id: int):
    key = get_object_or_404(SecurityKey, pk=key_id, user=request.user)
    form = KeyNameForm(request.POST)
    if form.is_valid():
        old, key.name = key.name, form.cleaned_data["name"]
        key.save(update_fields=["name"])
        record(action=Action.UPDATE, user=request.user, request=request,
               security_key="renamed", key=key.name, before=old)  # fmt: skip
        messages.success(request, _("The security key was renamed."))
    else:
        messages.error(request, " ".join(form.errors["name"]))
    return redirect("security:keys")


@require_POST
@login_required
def key_remove(request, key_id: int):
    key = get_object_or_404(SecurityKey, pk=key_id, user=request.user)
    others = SecurityKey.objects.filter(user=request.user).exclude(pk=key.pk).exists()
    if otp.required_for(request.user) and not (others or otp.has_app(request.user)):
        messages.error(request, _("This is your only second factor: add another key or an "
                                  "authenticator app before you remove it."))  # fmt: skip
        return redirect("security:keys")
    key.delete()
    record(action=Action.DELETE, user=request.user, request=request,
           security_key="removed", key=key.name)  # fmt: skip
    messages.success(request, _("The security key “%(name)s” was removed.") % {"name": key.name})
    return redirect("security:keys")
