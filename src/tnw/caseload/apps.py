from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "tnw.caseload"
    label = "caseload"
    verbose_name = "Caseload screens"
