"""Mutualities and their TNW contact details (reference data); every change is audited."""

from django.contrib import admin

from tnw.audit.admin import AuditedAdminMixin
from tnw.mutualities.models import Mutuality, TnwContact


class TnwContactInline(admin.TabularInline):
    model = TnwContact
    extra = 0


@admin.register(Mutuality)
class MutualityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_fields = ("code", "name", "union")
    list_display = ("code", "name", "union")
    search_fields = ("code", "name")
    inlines = [TnwContactInline]
