"""The one way a password signs someone in (the sign-in form and the API alike).

Django's ModelBackend, refusing what a real server must never let in: demo accounts and the
published demo password unless DEBUG is on. `get_user` asks the same, so a demo account's open
session ends on its next request once DEBUG is off, as a deactivated account's does.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from tandem.accounts.demo_accounts import PUBLISHED_DEMO_PASSWORDS, is_demo_account


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if password in PUBLISHED_DEMO_PASSWORDS and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if isinstance(user, User) and is_demo_account(user) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)
