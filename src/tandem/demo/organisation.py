"""The demo's organisation and service, and the staff who work in it (synthetic people only)."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, User

from tandem.access.roles import Role
from tandem.demo.users import demo_memberships_ensure, demo_user
from tandem.lib.calendar import Jurisdiction
from tandem.organisations.models import Service, Side, StaffMembership

ORGANISATION_NAME = "Synthetic Example Services"
SERVICE_NAME = "Example DAPP (synthetic)"
JURISDICTION = Jurisdiction.ENGLAND_AND_WALES
# Besides the demo sign-ins (tandem.demo.users): more workers on each side.
EXTRA_STAFF = (
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Pat", "Example"),
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Chris", "Sample"),
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Robin", "Testington"),
    (Role.ISS_WORKER, Side.ISS, "Sam", "Specimen"),
    (Role.ISS_WORKER, Side.ISS, "Jo", "Placeholder"),
    (Role.ISS_WORKER, Side.ISS, "Lee", "Exampleton"),
)


@dataclass
class Staff:
    perpetrator_workers: list[User]
    iss_workers: list[User]
    service_manager: User
    practice_manager: User


def staff_create(*, service: Service, started_on: date) -> Staff:
    demo_memberships_ensure(service=service, started_on=started_on)
    extra: dict[Role, list[User]] = {Role.PERPETRATOR_WORKER: [], Role.ISS_WORKER: []}
    for number, (role, side, first_name, last_name) in enumerate(EXTRA_STAFF, start=1):
        user, created = User.objects.get_or_create(
            username=f"example-{role.value}-{number}",
            defaults={"first_name": first_name, "last_name": f"{last_name} (synthetic)"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        StaffMembership.objects.get_or_create(
            user=user,
            service=service,
            ended_on=None,
            defaults={"side": side, "started_on": started_on},
        )
        extra[role].append(user)
    return Staff(
        perpetrator_workers=[demo_user(Role.PERPETRATOR_WORKER), *extra[Role.PERPETRATOR_WORKER]],
        iss_workers=[demo_user(Role.ISS_WORKER), *extra[Role.ISS_WORKER]],
        service_manager=demo_user(Role.SERVICE_MANAGER),
        practice_manager=demo_user(Role.PRACTICE_MANAGER),
    )
