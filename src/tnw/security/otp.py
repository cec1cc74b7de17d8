"""The second factor (issue 18, finding 3; ASVS 5.0 V6.4/V6.5): a TOTP authenticator app
(django-otp), with ten single-use recovery codes, for every role that sees personal data and
for administrators. Only the demo settings leave it off (TNW_REQUIRE_OTP)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tnw.accounts.roles import Role
from tnw.security.models import SecurityKey

ROLES_WITH_SECOND_FACTOR = frozenset(
    {Role.ADVISING_PHYSICIAN, Role.COORDINATOR, Role.STAFF, Role.ADMIN}
)
RECOVERY_CODES = 10
# Pages a half-logged-in user may reach: the second-factor pages, log-out, language, static.
_OPEN_NAMES = ("security:otp_verify", "security:otp_setup", "security:key_verify",
               "security:key_setup", "web:logout", "web:language")  # fmt: skip


def required_for(user) -> bool:
    return bool(
        getattr(settings, "TNW_REQUIRE_OTP", True)
        and user.is_authenticated
        and user.role in ROLES_WITH_SECOND_FACTOR
    )


def has_device(user) -> bool:
    """An authenticator app or a security key (recovery codes alone are no device)."""
    return has_app(user) or has_key(user)


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_key(user) -> bool:
    return SecurityKey.objects.filter(user=user, confirmed=True).exists()


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for code in codes:
        device.token_set.create(token=code)
    return codes


def reset_devices(user) -> int:
    """Remove every second-factor device of the user (an administrator's reset)."""
    count = TOTPDevice.objects.filter(user=user).delete()[0]
    count += StaticDevice.objects.filter(user=user).delete()[0]
    count += SecurityKey.objects.filter(user=user).delete()[0]
    return count


class SecondFactorMiddleware:
    """A user who must use a second factor and has not yet done so in this session reaches
    only the second-factor pages: set-up when they have no authenticator yet, else the check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and required_for(user) and not user.is_verified():
            open_paths = {reverse(name) for name in _OPEN_NAMES}
            if request.path not in open_paths and not request.path.startswith(
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
            ):
                target = "security:otp_verify" if has_device(user) else "security:otp_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
