from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tnw.notifications"
    label = "notifications"
    verbose_name = "Notifications (e-mail outbox)"
