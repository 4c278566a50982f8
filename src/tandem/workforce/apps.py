from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "tandem.workforce"
    verbose_name = "Workforce"
