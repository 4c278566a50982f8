from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tandem.demo"
    verbose_name = "Synthetic demonstration data"
