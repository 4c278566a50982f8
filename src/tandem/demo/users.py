"""Demo sign-ins, one per role. Synthetic people only, and never on a production server."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from tandem.access.roles import Role
from tandem.organisations.models import Service, Side, StaffMembership

# Published on purpose (the README and `make run` show it); demo accounts are for DEBUG only.
DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105


class DemoRefused(Exception):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role


# Where each demo sign-in works in the demo service: its side of the information barrier and
# whether it may sign off. Assurance roles, commissioners and administrators do no case work.
DEMO_MEMBERSHIPS: dict[Role, tuple[Side, bool]] = {
    Role.PERPETRATOR_WORKER: (Side.PERPETRATOR, False),
    Role.ISS_WORKER: (Side.ISS, False),
    Role.SERVICE_MANAGER: (Side.BOTH, True),
    Role.PRACTICE_MANAGER: (Side.PERPETRATOR, True),
}


def demo_username(role: Role) -> str:
    return f"demo-{role.value}"


def demo_user(role: Role) -> User:
    return User.objects.get(username=demo_username(role))


@transaction.atomic
def demo_users_create() -> list[DemoLogin]:
    """Create (or reset) one demo user per role, all with the published demo password.

    Refused unless DEBUG is on: demo accounts have a password everyone knows.
    """
    if not settings.DEBUG:
        raise DemoRefused(
            "demo data is loaded only with DEBUG=true: demo accounts share a published password"
        )
    logins = []
    for role in Role:
        user, _ = User.objects.get_or_create(
            username=demo_username(role),
            defaults={"first_name": "Demo", "last_name": role.label, "email": ""},
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
        logins.append(DemoLogin(user.username, role))
    return logins


@transaction.atomic
def demo_memberships_ensure(*, service: Service, started_on: date) -> None:
    """Give the demo sign-ins that do case work their place in the demo service (idempotent)."""
    for role, (side, senior) in DEMO_MEMBERSHIPS.items():
        StaffMembership.objects.get_or_create(
            user=demo_user(role),
            service=service,
            ended_on=None,
            defaults={"side": side, "is_senior_manager": senior, "started_on": started_on},
        )
