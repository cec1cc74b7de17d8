from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "tnw.sanctions"
    label = "sanctions"
    verbose_name = "Sanctions, work potential and replay (law after 2022)"
