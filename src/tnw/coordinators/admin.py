"""The administrator's exceptions to a lapsed qualification (circular II 2.1): granted with a
reason for at most 90 days through `services.grant_override`, revoked through
`services.revoke_override`; both audited. Never edited or deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tnw.accounts.models import User
from tnw.accounts.roles import Role
from tnw.coordinators import services
from tnw.coordinators.models import AssignmentOverride

CHANNEL = "admin"


class OverrideForm(forms.ModelForm):
    class Meta:
        model = AssignmentOverride
        fields = ("coordinator", "reason", "valid_until")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.filter(role=Role.COORDINATOR)

    def clean(self):
        data = super().clean()
        if data.get("coordinator") and data.get("valid_until") and data.get("reason"):
            try:
                services.check_override(
                    coordinator=data["coordinator"], reason=data["reason"],
                    valid_until=data["valid_until"], today=timezone.localdate(),
                )  # fmt: skip
            except ValidationError as error:
                field = error.code if error.code in ("reason", "valid_until") else None
                self.add_error(field, error.messages[0])
        return data


@admin.register(AssignmentOverride)
class AssignmentOverrideAdmin(admin.ModelAdmin):
    form = OverrideForm
    list_display = ("coordinator", "valid_from", "valid_until", "granted_by", "revoked_at")
    list_filter = ("coordinator__mutuality",)
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("coordinator", "reason", "valid_from", "valid_until", "granted_by",
                "granted_at", "revoked_at", "revoked_by")  # fmt: skip

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or ("coordinator", "reason", "valid_until")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        saved = services.grant_override(
            actor=request.user, coordinator=obj.coordinator, reason=obj.reason,
            valid_until=obj.valid_until, today=timezone.localdate(), channel=CHANNEL,
        )  # fmt: skip
        obj.pk = saved.pk

    @admin.action(description=_("Revoke the selected exceptions"))
    def revoke(self, request, queryset) -> None:
        for override in queryset:
            services.revoke_override(actor=request.user, override_id=override.pk, channel=CHANNEL)
        messages.success(request, _("The exceptions were revoked."))
