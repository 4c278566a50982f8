from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "tandem.delivery"
    verbose_name = "Programmes, groups and sessions"
