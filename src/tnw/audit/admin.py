"""The audit trail in the admin is read-only; AuditedAdminMixin audits admin writes on
reference data (mutualities, users)."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html

from tnw.audit.models import AuditEntry
from tnw.audit.services import append, audit_write, snapshot


class AuditedAdminMixin:
    """Record every save and delete made through the admin, with old and new values."""

    audit_fields: tuple[str, ...] = ()

    def _fields(self, obj) -> tuple[str, ...]:
        return self.audit_fields or tuple(
            f.attname for f in obj._meta.concrete_fields if f.name != "password"
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = None
            if change:
                old = type(obj).objects.get(pk=obj.pk)
                before = snapshot(old, self._fields(old))
            if hasattr(obj, "version") and change:
                obj.version = (obj.version or 0) + 1
            super().save_model(request, obj, form, change)
            audit_write(
                actor=request.user,
                action="update" if change else "create",
                obj=obj,
                before=before,
                after=snapshot(obj, self._fields(obj)),
                channel="admin",
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = snapshot(obj, self._fields(obj))
            audit_write(
                actor=request.user,
                action="delete",
                obj=obj,
                before=before,
                after=None,
                channel="admin",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_write(
                    actor=request.user,
                    action="delete",
                    obj=obj,
                    before=snapshot(obj, self._inline_fields(obj)),
                    after=None,
                    channel="admin",
                )
                obj.delete()
            for obj in instances:
                adding = obj._state.adding
                before = None
                if not adding:
                    old = type(obj).objects.get(pk=obj.pk)
                    before = snapshot(old, self._inline_fields(old))
                obj.save()
                audit_write(
                    actor=request.user,
                    action="create" if adding else "update",
                    obj=obj,
                    before=before,
                    after=snapshot(obj, self._inline_fields(obj)),
                    channel="admin",
                )
            formset.save_m2m()

    @staticmethod
    def _inline_fields(obj) -> tuple[str, ...]:
        return tuple(f.attname for f in obj._meta.concrete_fields)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "seq",
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "channel",
    )
    list_filter = ("action", "object_type", "channel")
    search_fields = ("actor_username", "object_id", "=person_id")
    # Only these may appear in the URL's filters: `?changes__icontains=HIV` would search the
    # values (issue 18, finding 1). Django's admin allows any local field's lookup otherwise.
    allowed_lookups = frozenset(
        {"action", "object_type", "channel", "person_id", "actor_username", "seq", "at"}
    )
    # Values the admin may read: reference data (mutualities, users) and security events.
    # Personal data (identities, dossier content) stays in the dossier, behind its roles.
    shown_prefixes = ("mutualities.", "accounts.")
    fields = (
        "seq",
        "at",
        "actor_id",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "channel",
        "shown_changes",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description="changes")
    def shown_changes(self, obj: AuditEntry):
        if obj.medical:
            return "(health data: the values are visible to advising physicians only)"
        if not obj.object_type.startswith(self.shown_prefixes):
            return "(personal data: the values are visible in the dossier to its roles only)"
        return format_html("<pre>{}</pre>", obj.changes)

    def lookup_allowed(self, lookup, value, request=None):
        field = lookup.split("__", 1)[0]
        return field in self.allowed_lookups and "__" not in lookup.removeprefix(field + "__")

    def changelist_view(self, request, extra_context=None):
        self._audit_browsing(request, what="list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit_browsing(request, what="entry", object_id=object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _audit_browsing(request, *, what: str, object_id: str | None = None) -> None:
        """The administrator's reading of the trail is itself in the trail (finding 1)."""
        append(
            actor=request.user,
            action="read",
            object_type="audit.auditentry",
            object_id=object_id,
            person_id=None,
            channel="admin",
            changes={"read": what, "query": {k: v[:100] for k, v in request.GET.items()}},
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
