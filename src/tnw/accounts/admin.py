"""Users and roles in the Django admin (administrators only); every change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tnw.accounts.models import User
from tnw.accounts.services import USER_FIELDS
from tnw.audit.admin import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    audit_fields = USER_FIELDS
    list_display = ("username", "get_full_name", "role", "mutuality", "is_active")
    list_filter = ("role", "mutuality", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("TNW", {"fields": ("role", "mutuality")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("TNW", {"fields": ("role", "mutuality")}),
    )
