"""Small builders shared by the ISS tests: synthetic cases at the stages the tests need, and the
people who may or may not reach them."""

import json
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from tandem.access.roles import Role
from tandem.cases.models import ClosureReason, PerpetratorCase
from tandem.cases.services.intake import SurvivorDetails, perpetrator_referral_receive
from tandem.cases.services.lifecycle import perpetrator_case_close
from tandem.cases.tests.builders import assessed, iss_case_of, received, referral, screened
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership
from tandem.support.models import ContactPoint, IssCase, Relationship, Survivor, SurvivorAddress
from tandem.support.services.contact import iss_referral_make
from tandem.support.services.safe_contact import contact_point_record, survivor_address_change

HER_PHONE = "07700 900001"
HER_EMAIL = "alice@example.invalid"
HIS_PHONE = "07700 900666"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def member(username: str, role: Role, service: Service, side: str, *, senior: bool = False) -> User:
    user = User.objects.create_user(username=username, first_name="Test", last_name=role.label)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(
        user=user, service=service, side=side, is_senior_manager=senior, started_on=date(2024, 1, 1)
    )
    return user


def other_service(staff: ServiceStaff) -> Service:
    return StaffMembership.objects.get(user=staff.other_service_worker).service


def iss_worker_elsewhere(staff: ServiceStaff) -> User:
    return member("iss-elsewhere", Role.ISS_WORKER, other_service(staff), "iss")


def referred_case(
    staff: ServiceStaff, *, case: PerpetratorCase | None = None, position: int = 1
) -> IssCase:
    """Her ISS case, her details passed to the ISS a day ago."""
    case = case or received(staff)
    iss_case = iss_case_of(case, position)
    return iss_referral_make(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        now=timezone.now() - timedelta(days=1),
    )


def icm_case(staff: ServiceStaff) -> PerpetratorCase:
    """His case, assessed for intensive case management."""
    return assessed(staff, screened(staff), intervention_type="icm")


def another_case(staff: ServiceStaff, *, first_name: str = "Bella") -> PerpetratorCase:
    """A second perpetrator of the service, with a survivor of his own."""
    return received(
        staff,
        first_name="Otherperson",
        phone="07700 900777",
        survivors=[
            SurvivorDetails(first_name, "Example", Relationship.CURRENT_PARTNER, "07700 900555")
        ],
    )


def closed(staff: ServiceStaff, case: PerpetratorCase, *, at: Any) -> PerpetratorCase:
    case.refresh_from_db()
    return perpetrator_case_close(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        reason=ClosureReason.MOVED,
        now=at,
    )


def her_survivor(staff: ServiceStaff, *, first_name: str = "Alice") -> Survivor:
    at = timezone.now() - timedelta(days=1)
    case = perpetrator_referral_receive(
        service=staff.service,
        actor=staff.perpetrator_worker,
        details=referral(
            received_at=at,
            phone=HIS_PHONE,
            survivors=[
                SurvivorDetails(
                    first_name,
                    "Example",
                    Relationship.EX_PARTNER,
                    phone=HER_PHONE,
                    email=HER_EMAIL,
                )
            ],
        ),
        now=at,
    )
    return iss_case_of(case).survivor


def version_of(survivor: Survivor) -> int:
    return IssCase.objects.get(survivor=survivor).version


def move(staff: ServiceStaff, survivor: Survivor, **overrides: object) -> SurvivorAddress:
    values: dict[str, object] = {
        "lines": "1 Example Street\nSynthetic Town",
        "postcode": "zz99  9zz",
        "source": "She told her ISS worker on the phone",
        "confirmed_with_survivor": True,
    }
    values.update(overrides)
    return survivor_address_change(
        survivor=survivor,
        actor=staff.iss_worker,
        expected_version=version_of(survivor),
        **values,  # type: ignore[arg-type]
    )


def mark(staff: ServiceStaff, survivor: Survivor, **overrides: object) -> ContactPoint:
    values: dict[str, object] = {
        "kind": "phone",
        "value": HER_PHONE,
        "unsafe": False,
        "unsafe_reason": "",
        "known_to_perpetrator": False,
    }
    values.update(overrides)
    return contact_point_record(
        survivor=survivor,
        actor=staff.iss_worker,
        expected_version=version_of(survivor),
        **values,  # type: ignore[arg-type]
    )


def answers_with_yes(count: int) -> dict[int, str]:
    """Every question answered: the first `count` yes, the rest no."""
    return {number: "yes" if number <= count else "no" for number in range(1, 25)}
