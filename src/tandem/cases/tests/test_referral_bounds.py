"""A referral names at most 10 survivors and 20 children (issue 12): one over is refused with a
400 naming the limit, nothing saved. Before, one request naming 1,000 survivors held the
database for over ten minutes."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.cases.models import Child, PerpetratorCase, ReferralSource
from tandem.cases.services.intake import (
    CHILDREN_AT_MOST,
    POSSIBLE_DUPLICATES_AT_MOST,
    SURVIVORS_AT_MOST,
    TOO_MANY_CHILDREN,
    TOO_MANY_SURVIVORS,
    ChildDetails,
    SurvivorDetails,
)
from tandem.cases.tests.builders import received
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.models import Relationship, Survivor

pytestmark = pytest.mark.django_db


def survivors(count: int) -> list[dict[str, Any]]:
    return [
        {
            "first_name": f"Survivor{number}",
            "last_name": "Example",
            "relationship": "family_member",
            "phone": f"07700 900{number:03d}",
        }
        for number in range(count)
    ]


def children(count: int) -> list[dict[str, Any]]:
    return [
        {"first_name": f"Child{number}", "relationship_to_perpetrator": "son"}
        for number in range(count)
    ]


def post_referral(staff: ServiceStaff, **lists: Any) -> Any:
    client = Client()
    client.force_login(staff.perpetrator_worker)
    body = {
        "first_name": "Testperson",
        "last_name": "Synthetic",
        "date_of_birth": "1985-03-01",
        "received_at": "2026-11-20T10:14:00Z",
        "source": "agency",
        "survivors": survivors(1),
        **lists,
    }
    return client.post(reverse("v1:case-list"), json.dumps(body), content_type="application/json")


def test_a_referral_may_name_exactly_10_survivors(staffed_service: ServiceStaff) -> None:
    assert SURVIVORS_AT_MOST == 10
    response = post_referral(staffed_service, survivors=survivors(10))
    assert response.status_code == 201, response.json()
    assert Survivor.objects.count() == 10


def test_a_referral_naming_11_survivors_is_refused_naming_the_limit(
    staffed_service: ServiceStaff,
) -> None:
    response = post_referral(staffed_service, survivors=survivors(11))
    assert response.status_code == 400
    assert response.json() == {
        "survivors": ["A referral can name at most 10 survivors and others at risk"]
    }
    assert not PerpetratorCase.objects.exists()
    assert not Survivor.objects.exists()


def test_a_referral_may_name_exactly_20_children_and_not_21(
    staffed_service: ServiceStaff,
) -> None:
    assert CHILDREN_AT_MOST == 20
    accepted = post_referral(staffed_service, children=children(20))
    refused = post_referral(staffed_service, children=children(21))

    assert accepted.status_code == 201, accepted.json()
    assert refused.status_code == 400
    assert refused.json() == {"children": [TOO_MANY_CHILDREN]}
    assert PerpetratorCase.objects.count() == 1
    assert Child.objects.count() == 20


def test_the_service_refuses_11_survivors_whatever_calls_it(staffed_service: ServiceStaff) -> None:
    """The referral form and the API both go through the service, which holds the limit."""
    eleven = [
        SurvivorDetails(f"Survivor{n}", "Example", Relationship.FAMILY_MEMBER, phone="07700 900111")
        for n in range(11)
    ]
    with pytest.raises(ActionRefused) as refusal:
        received(staffed_service, survivors=eleven)
    assert (refusal.value.message, refusal.value.field) == (TOO_MANY_SURVIVORS, "survivors")
    assert not Survivor.objects.exists()


def test_the_service_refuses_21_children(staffed_service: ServiceStaff) -> None:
    many = [ChildDetails(f"Child{n}", "son") for n in range(21)]
    with pytest.raises(ActionRefused) as refusal:
        received(staffed_service, children=many)
    assert (refusal.value.message, refusal.value.field) == (TOO_MANY_CHILDREN, "children")
    assert not PerpetratorCase.objects.exists()


def test_his_case_is_flagged_as_possibly_duplicating_at_most_20_earlier_cases(
    staffed_service: ServiceStaff,
) -> None:
    """The most recent 20 with his name and date of birth: each is a row written with his."""
    assert POSSIBLE_DUPLICATES_AT_MOST == 20
    self_referral = {"source": ReferralSource.SELF, "survivors": []}
    earlier = [received(staffed_service, **self_referral) for _ in range(21)]

    case = received(staffed_service, **self_referral)

    flagged = set(case.possible_duplicate_of.values_list("pk", flat=True))
    assert flagged == {c.pk for c in earlier[1:]}
