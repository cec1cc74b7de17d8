"""Users and roles in the Django admin (administrators only); every change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tnw.accounts.models import User
from tnw.accounts.services import USER_FIELDS
from tnw.audit.admin import AuditedAdminMixin
from tnw.audit.services import audit_write
from tnw.security.admin_actions import reset_second_factor


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    audit_fields = USER_FIELDS
    list_display = ("username", "get_full_name", "role", "mutuality", "is_active")
    list_filter = ("role", "mutuality", "is_active")
    actions = (reset_second_factor,)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("TNW", {"fields": ("role", "mutuality", "mdt_non_physician")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("TNW", {"fields": ("role", "mutuality")}),
    )

    def user_change_password(self, request, id, form_url=""):
        """An administrator's password reset is audited (issue 18, finding 5): who reset whose
        password, when. The value itself is never recorded."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit_write(
                actor=request.user,
                action="update",
                obj=user,
                before=None,
                after={"password": "reset by an administrator"},
                channel="admin",
            )
        return response
