"""The administrator's reset of a user's second factor (issue 18): audited, and the user is
told by e-mail, so that a reset they did not ask for does not go unnoticed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.mail import send_mail

from tnw.audit.services import audit_write
from tnw.security.otp import reset_devices

NOTICE = (
    "An administrator of TNW-dossier ({admin}) has reset your second factor. At your next "
    "log-in you set up your authenticator app again. If you did not ask for this, tell your "
    "security officer at once."
)


@admin.action(description="Reset the second factor (the user sets it up again)")
def reset_second_factor(modeladmin, request, queryset) -> None:
    for user in queryset:
        removed = reset_devices(user)
        audit_write(
            actor=request.user,
            action="update",
            obj=user,
            before=None,
            after={"second_factor": "reset by an administrator", "devices_removed": removed},
            channel="admin",
        )
        if user.email:
            send_mail(
                "TNW-dossier: second factor reset",
                NOTICE.format(admin=request.user.username),
                None,
                [user.email],
            )
    modeladmin.message_user(request, f"second factor reset for {queryset.count()} user(s)",
                            messages.SUCCESS)  # fmt: skip
