from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "tandem.support"
    verbose_name = "Integrated Support Service (survivors)"
