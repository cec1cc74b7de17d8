from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tnw.reports"
    label = "reports"
    verbose_name = "Reports and the barometer"
