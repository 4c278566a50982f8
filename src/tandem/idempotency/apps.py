from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "tandem.idempotency"
    verbose_name = "Writes done once"
