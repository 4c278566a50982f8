"""The subject access review page: the other people named in his export listed, and the
release recorded only once the reviewer confirms (issue 12; UK GDPR Art. 15(4))."""

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.builders import non_senior_manager, signed_in
from tandem.conftest import ServiceStaff
from tandem.dataprotection.models import SubjectAccessRelease
from tandem.dataprotection.tests.test_subject_access_api import (
    CHILD,
    SURVIVOR,
    case_naming_others,
)

pytestmark = pytest.mark.django_db


def review_url(case: PerpetratorCase) -> str:
    return reverse("dataprotection:case_subject_access_review", args=[case.reference])


def test_the_page_lists_each_person_named_and_records_the_release_once_confirmed(
    staffed_service: ServiceStaff,
) -> None:
    case = case_naming_others(staffed_service)
    client = signed_in(staffed_service.service_manager)
    printable = client.get(reverse("cases:case_subject_access", args=[case.reference]))
    assert review_url(case) in printable.content.decode()

    page = client.get(review_url(case)).content.decode()

    for named in (SURVIVOR, CHILD, "A. Referrer (synthetic)"):
        assert named in page
    assert AuditEvent.objects.filter(summary__endswith="for third-party review").exists()

    refused = client.post(review_url(case), {"review_note": "Not yet"})

    assert refused.status_code == 200
    assert "third-party item(s) listed was reviewed" in refused.content.decode()
    assert not SubjectAccessRelease.objects.exists()

    done = client.post(review_url(case), {"third_parties_reviewed": "on", "review_note": "Done"})

    assert done.status_code == 302
    assert SubjectAccessRelease.objects.get().released_by == staffed_service.service_manager


def test_those_who_may_not_produce_his_data_are_refused(staffed_service: ServiceStaff) -> None:
    case = case_naming_others(staffed_service)

    for user in (
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        non_senior_manager(staffed_service),
    ):
        assert signed_in(user).get(review_url(case)).status_code == 403, user.username
    assert signed_in(staffed_service.other_service_worker).get(review_url(case)).status_code == 404
    assert not AuditEvent.objects.filter(action="exported").exists()
