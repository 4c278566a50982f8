"""The possible-duplicate check is bounded and set-based (issue 12): a survivor is flagged as
possibly the same person as at most 20 others, found in a fixed number of queries however many
match; and her ISS case answers however many were flagged before (with about 1,000,
`GET /api/v1/iss-cases/<id>/` answered 500 "Expression tree is too large")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.support.models import (
    POSSIBLE_DUPLICATES_AT_MOST,
    IssCase,
    PossibleDuplicateSurvivor,
    Relationship,
    Survivor,
)
from tandem.support.tests.builders import client_for

pytestmark = pytest.mark.django_db

SHARED_NUMBER = "07700 900555"


def survivors_sharing_the_number(staff: ServiceStaff, count: int) -> list[Survivor]:
    """Survivors already known to the service, each on the same (say, a refuge's) number."""
    return Survivor.objects.bulk_create(
        Survivor(
            service=staff.service,
            first_name=f"Known{number}",
            last_name="Example",
            phone=SHARED_NUMBER,
            contact_details_received_at=timezone.now(),
        )
        for number in range(count)
    )


def referral_naming_her(staff: ServiceStaff) -> IssCase:
    her = SurvivorDetails("Alice", "Example", Relationship.CURRENT_PARTNER, phone=SHARED_NUMBER)
    return iss_case_of(received(staff, survivors=[her]))


def test_she_is_flagged_as_possibly_the_same_as_at_most_20_others_the_most_recent(
    staffed_service: ServiceStaff,
) -> None:
    assert POSSIBLE_DUPLICATES_AT_MOST == 20
    known = survivors_sharing_the_number(staffed_service, 25)

    survivor = referral_naming_her(staffed_service).survivor

    flagged = PossibleDuplicateSurvivor.objects.filter(survivor=survivor)
    assert sorted(flag.existing_id for flag in flagged) == sorted(s.pk for s in known[-20:])
    assert {flag.matched_on for flag in flagged} == {"phone number"}
    # One audit event lists them all, instead of one event (and one insert) per match.
    event = AuditEvent.objects.get(object_id=str(survivor.pk), action="changed")
    assert event.summary == "flagged as possibly the same person as 20 other survivors"
    assert event.after is not None
    assert len(event.after["possible_duplicates"]) == 20


def test_exactly_20_matches_are_all_flagged(staffed_service: ServiceStaff) -> None:
    known = survivors_sharing_the_number(staffed_service, 20)
    survivor = referral_naming_her(staffed_service).survivor
    flagged = PossibleDuplicateSurvivor.objects.filter(survivor=survivor)
    assert sorted(flag.existing_id for flag in flagged) == sorted(s.pk for s in known)


def queries_to_receive_her(staff: ServiceStaff) -> int:
    with CaptureQueriesContext(connection) as queries:
        referral_naming_her(staff)
    return len(queries.captured_queries)


def test_the_check_takes_as_many_queries_for_one_match_as_for_twenty(
    staffed_service: ServiceStaff,
) -> None:
    # A first referral naming her: the referrals measured then both find his case before too,
    # and the lookups made once per run (content types) are made.
    referral_naming_her(staffed_service)
    one_match = queries_to_receive_her(staffed_service)
    # Now 2 known on the number (both of her): 18 more make 20 matches.
    survivors_sharing_the_number(staffed_service, 18)
    twenty_matches = queries_to_receive_her(staffed_service)
    assert twenty_matches == one_match


def test_her_case_answers_with_more_than_a_thousand_flagged_before_the_bound(
    staffed_service: ServiceStaff,
) -> None:
    """Flags made before the bound stay: her page and the API still answer."""
    iss_case = referral_naming_her(staffed_service)
    known = survivors_sharing_the_number(staffed_service, 1100)
    IssCase.objects.bulk_create(IssCase(survivor=survivor) for survivor in known)
    PossibleDuplicateSurvivor.objects.bulk_create(
        PossibleDuplicateSurvivor(
            survivor=iss_case.survivor,
            existing=survivor,
            matched_on="phone number",
            flagged_at=timezone.now(),
        )
        for survivor in known
    )
    client = client_for(staffed_service.iss_worker)

    api = client.get(reverse("v1:iss-case-detail", args=[iss_case.pk]))
    page = client.get(reverse("support:iss_case_detail", args=[iss_case.pk]))

    assert api.status_code == 200
    assert len(api.json()["possible_duplicates"]) == 1100
    assert page.status_code == 200
    # The page shows 20 at a time, undecided first, for her worker to settle before the next.
    assert page.content.decode().count(": same phone number</h3>") == POSSIBLE_DUPLICATES_AT_MOST
