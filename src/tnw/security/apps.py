from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "tnw.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from tnw.security import events  # noqa: F401  (connects the signal receivers)
