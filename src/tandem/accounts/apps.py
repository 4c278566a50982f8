from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        # Sign-ins, refusals, lockouts and sign-outs reach the audit trail through signals.
        from tandem.accounts import sign_in_audit  # noqa: F401
