from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tnw.audit"
    label = "audit"
    verbose_name = "Audit trail"
