"""The second-factor pages and the self-service password change."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tnw.audit.models import Action
from tnw.security import otp
from tnw.security.events import record
from tnw.security.forms import KeyForm, TokenForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return reverse("web:home")
    return target


@login_required
def otp_setup(request):
    """First log-in of a user who needs a second factor: scan the key, confirm one code (or
    add a security key instead: tnw.security.key_views.key_setup)."""
    if otp.has_device(request.user):
        return redirect("security:otp_verify")
    device = _unconfirmed_app(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = otp.new_recovery_codes(request.user)
            record(action=Action.UPDATE, user=request.user, request=request, second_factor="set up")
            return render(
                request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("token", _("This code is not right. Enter the code your app shows now."))
    return setup_page(request, form=form)


def _unconfirmed_app(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def setup_page(request, *, form=None, key_form=None):
    """The set-up page: the app's QR code and key, and a security key as the alternative."""
    from tnw.security.key_views import create_options

    device = _unconfirmed_app(request.user)
    context = {
        "form": form or TokenForm(),
        "qr": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("Authenticator key")
        ),
        "secret": _spaced(device.bin_key),
        "next": _next(request),
        "key_form": key_form or KeyForm(named=True),
        "key_options": create_options(request),
    }
    return render(request, "security/otp_setup.html", context)


def _spaced(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def otp_verify(request):
    if not otp.has_device(request.user):
        return redirect("security:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record(action=Action.LOGIN, user=request.user, request=request, factor="second")
            return redirect(_next(request))
        record(action=Action.LOGIN_FAILED, user=request.user, request=request, factor="second")
        form.add_error("token", _("This code is not right. Enter the code your app shows now."))
    return verify_page(request, form=form)


def verify_page(request, *, form=None, key_error: str = ""):
    """The log-in's second step: a security key (when the user has one), or a code of the
    app or a recovery code."""
    from tnw.security.key_views import get_options

    has_key = otp.has_key(request.user)
    context = {
        "form": form or TokenForm(),
        "next": _next(request),
        "has_key": has_key,
        "has_app": otp.has_app(request.user),
        "key_options": get_options(request) if has_key else "",
        "key_error": key_error,
    }
    return render(request, "security/otp_verify.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Users change their own password; the validators of settings apply (12+ characters, not
    common, not all digits, not like the user name)."""

    template_name = "security/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(action=Action.UPDATE, user=self.request.user, request=self.request,
               password="changed by the user")  # fmt: skip
        messages.success(self.request, gettext_lazy("Your password has been changed."))
        return response
