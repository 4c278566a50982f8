"""His subject access export through the API, with the other people it names listed for review
and its release recorded with the reviewer (issue 12; UK GDPR Art. 15(4), NE 5.2)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.services.children import child_add
from tandem.cases.services.intake import ChildDetails, SurvivorDetails
from tandem.cases.services.records import CONTACT_KINDS, contact_note_record
from tandem.cases.tests.builders import FRIDAY, non_senior_manager, received, signed_in
from tandem.conftest import ServiceStaff
from tandem.dataprotection.models import SubjectAccessRelease
from tandem.support.models import Relationship
from tandem.support.tests.builders import post_json

pytestmark = pytest.mark.django_db

SURVIVOR = "Alicesynth"
CHILD = "Kidsynth"
SESSION_NOTE = f"Synthetic: talked about {SURVIVOR} and how {CHILD} is getting on at school"


def case_naming_others(staff: ServiceStaff) -> PerpetratorCase:
    """His case: a survivor, a child, a referrer, his worker, and a session note naming both."""
    case = received(
        staff,
        survivors=[
            SurvivorDetails(
                SURVIVOR, "Exampleton", Relationship.CURRENT_PARTNER, phone="07700 900555"
            )
        ],
    )
    child_add(
        case=case, actor=staff.perpetrator_worker, child=ChildDetails(CHILD, "son"), now=FRIDAY
    )
    contact_note_record(
        case=case,
        actor=staff.perpetrator_worker,
        occurred_at=FRIDAY,
        kind=CONTACT_KINDS[0],
        note=SESSION_NOTE,
        now=FRIDAY,
    )
    return case


def review_url(case: PerpetratorCase) -> str:
    return reverse("v1:case-subject-access", args=[case.reference])


def release_url(case: PerpetratorCase) -> str:
    return reverse("v1:case-subject-access-release", args=[case.reference])


def test_the_senior_manager_gets_his_export_with_each_third_party_item_listed(
    staffed_service: ServiceStaff,
) -> None:
    case = case_naming_others(staffed_service)

    response = signed_in(staffed_service.service_manager).get(review_url(case))

    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["export"]["Your details"]["Case reference"] == case.reference
    found = {
        (item["section"], item["field"], item["person"], item["name"])
        for item in body["third_party_items"]
    }
    assert found >= {
        ("Your sessions and calls", "Note", "survivor", SURVIVOR),
        ("Your sessions and calls", "Note", "child", CHILD),
        ("Referral", "Referred by", "referrer", "A. Referrer (synthetic)"),
    }
    assert body["releases"] == []
    assert AuditEvent.objects.filter(
        action="exported", object_id=str(case.pk), summary__endswith="API, for review"
    ).exists()


def test_release_is_refused_until_the_reviewer_confirms_the_third_party_items(
    staffed_service: ServiceStaff,
) -> None:
    case = case_naming_others(staffed_service)
    client = signed_in(staffed_service.service_manager)

    refused = post_json(client, release_url(case), {"third_parties_reviewed": False})

    assert refused.status_code == 400
    assert "third-party item(s) listed was reviewed" in refused.json()["third_parties_reviewed"][0]
    assert not SubjectAccessRelease.objects.exists()

    released = post_json(
        client,
        release_url(case),
        {"third_parties_reviewed": True, "review_note": "Names of others removed (synthetic)"},
    )

    assert released.status_code == 201, released.content
    release = SubjectAccessRelease.objects.get()
    assert release.released_by == staffed_service.service_manager
    assert {
        "section": "Your sessions and calls",
        "record": 1,
        "field": "Note",
        "person": "survivor",
    } in release.third_party_items
    assert SURVIVOR not in str(release.third_party_items)  # where and who, not the name
    assert released.json()["export"]["Your details"]["Case reference"] == case.reference
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), summary__startswith="subject access: released after review"
    ).exists()
    listed = client.get(review_url(case)).json()["releases"]
    assert [entry["released_by"] for entry in listed] == [staffed_service.service_manager.username]


def test_those_who_see_the_case_but_may_not_produce_his_data_are_refused(
    staffed_service: ServiceStaff,
) -> None:
    case = case_naming_others(staffed_service)

    for user in (
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        non_senior_manager(staffed_service),
    ):
        client = signed_in(user)
        assert client.get(review_url(case)).status_code == 403, user.username
        assert (
            post_json(client, release_url(case), {"third_parties_reviewed": True}).status_code
            == 403
        ), user.username
    assert not SubjectAccessRelease.objects.exists()
    assert not AuditEvent.objects.filter(action="exported").exists()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_outside_the_service_finds_no_such_case(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client], role: Role
) -> None:
    case = case_naming_others(staffed_service)
    client = client_as(role)

    assert client.get(review_url(case)).status_code == 404
    assert post_json(client, release_url(case), {"third_parties_reviewed": True}).status_code == 404
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_an_anonymous_client_is_refused(staffed_service: ServiceStaff) -> None:
    case = case_naming_others(staffed_service)

    assert Client().get(review_url(case)).status_code in (401, 403)
