from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "tandem.assurance"
    verbose_name = "Assurance: accreditation, audits and self-evaluation"
