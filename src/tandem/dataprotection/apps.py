from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "tandem.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection: backups, retention, legal holds, subject access"
