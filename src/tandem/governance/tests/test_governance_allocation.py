"""Rule case-management-lead (R22-S B2.1 guidance): the case management lead works directly with
neither perpetrators nor survivors, so carries no caseload on either side."""

import pytest
from django.contrib.auth.models import User

from tandem.cases.models import PerpetratorCase
from tandem.cases.services.lifecycle import perpetrator_case_allocate
from tandem.cases.tests.builders import received
from tandem.conftest import ServiceStaff
from tandem.governance.services.agreements import named_role_assign
from tandem.governance.tests.builders import TODAY
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import NamedRole, NamedRoleKind
from tandem.support.models import IssCase
from tandem.support.services.iss_cases import iss_case_allocate
from tandem.support.tests.builders import referred_case

pytestmark = pytest.mark.django_db


def _name_lead(staff: ServiceStaff, user: User) -> None:
    named_role_assign(
        service=staff.service,
        kind=NamedRoleKind.CASE_MANAGEMENT_LEAD,
        user=user,
        from_date=TODAY,
        to_date=None,
        actor=staff.service_manager,
    )


def test_it_refuses_allocating_a_perpetrator_case_to_the_case_management_lead(
    staffed_service: ServiceStaff,
) -> None:
    _name_lead(staffed_service, staffed_service.perpetrator_worker)
    case = received(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        perpetrator_case_allocate(
            case=case,
            actor=staffed_service.service_manager,
            expected_version=case.version,
            worker=staffed_service.perpetrator_worker,
        )

    assert (refused.value.field, refused.value.rule_id) == ("worker", "case-management-lead")
    assert PerpetratorCase.objects.get(pk=case.pk).allocated_worker_id is None


def test_it_refuses_allocating_an_iss_case_to_the_case_management_lead(
    staffed_service: ServiceStaff,
) -> None:
    _name_lead(staffed_service, staffed_service.iss_worker)
    iss_case = referred_case(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        iss_case_allocate(
            iss_case=iss_case,
            actor=staffed_service.service_manager,
            expected_version=iss_case.version,
            worker=staffed_service.iss_worker,
        )

    assert (refused.value.field, refused.value.rule_id) == ("worker", "case-management-lead")
    assert IssCase.objects.get(pk=iss_case.pk).allocated_worker_id is None


def test_it_refuses_naming_as_lead_someone_with_an_open_iss_case(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = referred_case(staffed_service)
    iss_case_allocate(
        iss_case=iss_case,
        actor=staffed_service.service_manager,
        expected_version=iss_case.version,
        worker=staffed_service.iss_worker,
    )

    with pytest.raises(ActionRefused) as refused:
        _name_lead(staffed_service, staffed_service.iss_worker)

    assert (refused.value.field, refused.value.rule_id) == ("user", "case-management-lead")
    assert "1 open case allocated" in str(refused.value)
    assert not NamedRole.objects.exists()
