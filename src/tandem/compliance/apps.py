from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "tandem.compliance"
    verbose_name = "Compliance: deadlines, due tasks and rule measurement"
