"""Break-glass (issue 12): a service manager opens a record outside their normal access by
giving a reason; the access lasts an hour, is flagged in the audit trail with the reason, and
the safeguarding lead is told. The information barrier holds: no one working on the
perpetrator side opens a survivor's record this way."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent, BreakGlassGrant
from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.governance.services.break_glass import CASE, ISS_CASE, break_glass_open
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import NamedRole, NamedRoleKind, Side, StaffMembership
from tandem.support.models import IssCase

pytestmark = pytest.mark.django_db

REASON = "Police called: she is missing and we need her safe contact number now (synthetic)"
PAGE = "governance:break_glass"


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def manager_on(staff: ServiceStaff, side: str, username: str = "sm-management") -> User:
    user = User.objects.create_user(username=username, password=None, first_name="Mona")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side=side, started_on=date(2024, 1, 1)
    )
    return user


@pytest.fixture
def manager(staffed_service: ServiceStaff) -> User:
    """Runs the service on its management side: opens no case records normally."""
    return manager_on(staffed_service, Side.MANAGEMENT)


@pytest.fixture
def lead(staffed_service: ServiceStaff) -> User:
    lead = staffed_service.iss_worker
    lead.email = "safeguarding-lead@example.invalid"
    lead.save()
    NamedRole.objects.create(
        service=staffed_service.service,
        kind=NamedRoleKind.SAFEGUARDING_LEAD,
        user=lead,
        from_date=date(2024, 1, 1),
        recorded_by=staffed_service.service_manager,
    )
    return lead


@pytest.fixture
def case(staffed_service: ServiceStaff) -> PerpetratorCase:
    return received(staffed_service)


def case_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_detail", kwargs={"reference": case.reference})


def iss_url(iss_case: IssCase) -> str:
    return reverse("support:iss_case_detail", args=[iss_case.pk])


def ask(client: Client, kind: str, identifier: object, reason: str = REASON) -> object:
    return client.post(reverse(PAGE), {"kind": kind, "identifier": identifier, "reason": reason})


def test_a_manager_breaks_glass_into_a_case_and_the_safeguarding_lead_is_told(
    manager: User,
    lead: User,
    case: PerpetratorCase,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    client = as_user(manager)
    assert client.get(case_url(case)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = ask(client, CASE, case.reference)

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == case_url(case)  # type: ignore[index]
    assert client.get(case_url(case)).status_code == 200
    flagged = AuditEvent.objects.get(action=AuditEvent.Action.BROKE_GLASS)
    assert (flagged.actor, flagged.object_id, flagged.reason) == (manager, str(case.pk), REASON)
    assert lead.get_full_name() in flagged.summary or lead.username in flagged.summary
    [told] = mail.outbox
    assert told.to == [lead.email]
    assert case.reference in told.body
    assert REASON not in told.body  # the reason stays in Tandem


def test_a_management_side_manager_breaks_glass_into_her_iss_case(
    manager: User, lead: User, case: PerpetratorCase
) -> None:
    iss_case = iss_case_of(case)
    client = as_user(manager)
    assert client.get(iss_url(iss_case)).status_code == 404
    assert ask(client, ISS_CASE, iss_case.pk).status_code == 302  # type: ignore[attr-defined]
    assert client.get(iss_url(iss_case)).status_code == 200
    assert AuditEvent.objects.filter(
        action="broke_glass", object_id=str(iss_case.pk), reason=REASON
    ).exists()


def test_the_barrier_holds_a_perpetrator_side_manager_never_opens_her_record(
    staffed_service: ServiceStaff, lead: User, case: PerpetratorCase
) -> None:
    perpetrator_side = manager_on(staffed_service, Side.PERPETRATOR, "sm-perpetrator")
    iss_case = iss_case_of(case)
    client = as_user(perpetrator_side)

    response = ask(client, ISS_CASE, iss_case.pk)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "survivor-confidentiality" in response.content.decode()  # type: ignore[attr-defined]
    assert client.get(iss_url(iss_case)).status_code == 404
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="broke_glass").exists()


def test_the_access_ends_after_an_hour(
    staffed_service: ServiceStaff, manager: User, case: PerpetratorCase
) -> None:
    older = received(staffed_service)
    now = timezone.now()
    for opened, minutes_ago in ((case, 59), (older, 61)):
        break_glass_open(
            actor=manager,
            kind=CASE,
            identifier=opened.reference,
            reason=REASON,
            now=now - timedelta(minutes=minutes_ago),
        )
    client = as_user(manager)
    assert client.get(case_url(case)).status_code == 200
    assert client.get(case_url(older)).status_code == 404


@pytest.mark.parametrize(("length", "granted"), [(19, False), (20, True)])
def test_it_needs_a_reason_of_at_least_20_characters(
    manager: User, case: PerpetratorCase, length: int, granted: bool
) -> None:
    response = ask(as_user(manager), CASE, case.reference, reason="x" * length)
    assert BreakGlassGrant.objects.exists() is granted
    if not granted:
        assert "at least 20 characters" in response.content.decode()  # type: ignore[attr-defined]


def test_a_record_elsewhere_is_refused_as_if_it_did_not_exist(
    staffed_service: ServiceStaff, manager: User
) -> None:
    elsewhere = StaffMembership.objects.get(user=staffed_service.other_service_worker).service
    theirs = received(staffed_service)
    theirs.service = elsewhere
    theirs.save()
    for identifier in (theirs.reference, "NO-SUCH-CASE"):
        with pytest.raises(ActionRefused, match="no such record") as refused:
            break_glass_open(actor=manager, kind=CASE, identifier=identifier, reason=REASON)
        assert refused.value.field == "identifier"


def test_someone_who_can_open_the_record_already_needs_no_break_glass(
    staffed_service: ServiceStaff, case: PerpetratorCase
) -> None:
    with pytest.raises(ActionRefused, match="already"):
        break_glass_open(
            actor=staffed_service.service_manager,
            kind=CASE,
            identifier=case.reference,
            reason=REASON,
        )


def test_with_no_safeguarding_lead_named_the_event_says_so(
    manager: User, case: PerpetratorCase
) -> None:
    break_glass_open(actor=manager, kind=CASE, identifier=case.reference, reason=REASON)
    flagged = AuditEvent.objects.get(action="broke_glass")
    assert "no safeguarding lead is named" in flagged.summary


@pytest.mark.parametrize("role", [role for role in Role if role != Role.SERVICE_MANAGER])
def test_every_other_role_is_refused_the_page(
    user_with_role: Callable[[Role], User], role: Role
) -> None:
    client = as_user(user_with_role(role))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"kind": CASE}).status_code == 403


def test_the_governance_home_offers_break_glass_only_to_those_who_may_use_it(
    staffed_service: ServiceStaff, manager: User
) -> None:
    link = reverse("governance:break_glass")

    assert link in as_user(manager).get(reverse("governance:home")).content.decode()
    for worker in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        assert link not in as_user(worker).get(reverse("governance:home")).content.decode()
