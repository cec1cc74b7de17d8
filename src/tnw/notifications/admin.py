"""The outbox in the admin; "failed messages (alarm)" lists what failed for good."""

from django.contrib import admin

from tnw.notifications.models import FailedMessage, NotificationPreference, OutboxMessage

FIELDS = ("key", "kind", "to", "status", "attempts", "next_attempt_at", "sent_at", "last_error")


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "to", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "to")
    readonly_fields = (*FIELDS, "subject", "body", "user", "episode_id", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(FailedMessage)
class FailedMessageAdmin(OutboxAdmin):
    list_display = ("id", "kind", "to", "attempts", "last_error", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status="failed")


@admin.register(NotificationPreference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "delivery")
