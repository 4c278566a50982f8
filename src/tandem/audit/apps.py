from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tandem.audit"
    verbose_name = "Audit trail"
