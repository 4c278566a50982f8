"""Which accounts are demo accounts, and the password they share.

The demo password is published (`make run` prints it), so an account that holds it, or a demo
account whatever its password, must never sign in on a real server: the authentication backend
(`tandem.accounts.backends`) refuses both unless DEBUG is on.
"""

from django.contrib.auth.models import AbstractBaseUser

from tandem.access.roles import Role

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 (published on purpose; DEBUG only)
# Every password ever printed for the demo accounts: none may sign in without DEBUG.
PUBLISHED_DEMO_PASSWORDS = frozenset({DEMO_PASSWORD})


def demo_username(role: Role) -> str:
    return f"demo-{role.value}"


DEMO_USERNAMES = frozenset(demo_username(role) for role in Role)


def is_demo_account(user: AbstractBaseUser) -> bool:
    return user.get_username() in DEMO_USERNAMES
