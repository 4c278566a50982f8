from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "tandem.governance"
    verbose_name = "Governance: policies, reviews, reports, agreements, complaints"
