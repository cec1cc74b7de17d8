"""Reference parties in the admin: the regional services and the mutualities' providers. A
person's own parties (treating physician, counsellor, employer) are personal data and are not
shown here. Every change is audited."""

from django.contrib import admin

from tnw.audit.admin import AuditedAdminMixin
from tnw.thirdparties import rules
from tnw.thirdparties.models import Party


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_fields = ("kind", "name", "name_fr", "name_de", "region", "email", "phone",
                    "mutuality_id", "active")  # fmt: skip
    list_display = ("name", "kind", "region", "mutuality", "active")
    list_filter = ("kind", "region", "active")
    fields = (*audit_fields[:-2], "mutuality", "active")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__in=rules.REFERENCE_KINDS)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [c for c in db_field.choices if c[0] in rules.REFERENCE_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # consents and consultations name it: deactivate instead
