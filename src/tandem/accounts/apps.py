from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    verbose_name = "Accounts: sign-in, two-factor authentication, passwords and users"
