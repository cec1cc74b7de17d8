"""An optional second step at log-in (issue 14: the activation letter sets a password, "with
optional TOTP"). A person may add an authenticator app on their phone; from then on a log-in
with the national register number and password also asks for the app's six-digit code. A
log-in through the federal authentication service (OpenID Connect: itsme, eID) is already a
strong log-in and asks nothing more. Every step is in the audit trail (tnw.security.events).
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tnw.accounts.roles import Role
from tnw.audit.models import Action
from tnw.portal.forms import CodeForm, TurnOffForm
from tnw.security.events import record

# Set in the session by the OpenID Connect callback (tnw.portal.oidc): a strong log-in.
STRONG_LOGIN = "portal_strong_login"
DEVICE_NAME = "portal authenticator"


def has_app(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(request: HttpRequest) -> bool:
    """The person added an app, logged in with their password, and gave no code yet."""
    user = request.user
    return (
        has_app(user)
        and not user.is_verified()  # type: ignore[union-attr]
        and not request.session.get(STRONG_LOGIN)
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return "/portal/"
    return target


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a password log-in."""
    user = request.user
    if not user.is_authenticated or user.role != Role.INSURED:
        return redirect("portal:login")
    if not needs_code(request):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record(action=Action.LOGIN, user=user, request=request, factor="second")
            return redirect(_next(request))
        record(action=Action.LOGIN_FAILED, user=user, request=request, factor="second")
        form.add_error("token", _("This code is not right. Type the code your app shows now."))
    return render(request, "portal/verify.html", {"form": form, "next": _next(request)})


def _spaced(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _add_app(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            record(action=Action.UPDATE, user=user, request=request, second_factor="set up")
            messages.success(request, _("Done. From now on you log in with a code from the app."))
            return redirect("portal:two_step")
        form.add_error("token", _("This code is not right. Type the code your app shows now."))
    context = {
        "form": form, "secret": _spaced(device.bin_key),
        "qr": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("Key for your authenticator app")),
    }  # fmt: skip
    return render(request, "portal/two_step.html", context)


def _turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TurnOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.check_password(form.cleaned_data["password"]):
            TOTPDevice.objects.filter(user=user).delete()
            record(action=Action.UPDATE, user=user, request=request, second_factor="removed")
            messages.success(request, _("You log in with your password only again."))
            return redirect("portal:two_step")
        form.add_error("password", _("This password is not right."))
    return render(request, "portal/two_step.html", {"form": form, "on": True})


def two_step(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app (scan, confirm one code), or turn it off with the password.
    Reached through `views.two_step`, which checks the person is logged in."""
    if has_app(request.user):
        return _turn_off(request)
    return _add_app(request)
