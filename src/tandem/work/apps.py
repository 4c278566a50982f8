from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "tandem.work"
    verbose_name = "My work: what is due, gathered from every area"
