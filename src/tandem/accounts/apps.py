from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    verbose_name = "Accounts: sign-in, two-factor authentication, passwords and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Sign-ins, refusals, lockouts and sign-outs reach the audit trail through signals.
        from tandem.accounts import sign_in_audit  # noqa: F401
        from tandem.accounts.sessions import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="tandem.accounts.on_sign_in")
