"""One survivor, several perpetrators: linking her ISS record to another perpetrator case of her
service, and the possible duplicates flagged when a referral names someone already known."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.cases.models import PerpetratorCase, ReferralSource
from tandem.cases.services.intake import SurvivorDetails, perpetrator_referral_receive
from tandem.cases.tests.builders import FRIDAY, iss_case_of, received, referral
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.barrier import survivor_contact_statuses
from tandem.support.models import (
    ContactPoint,
    DuplicateResolution,
    IssCase,
    PossibleDuplicateSurvivor,
    Relationship,
    SurvivorLink,
)
from tandem.support.services.iss_cases import iss_case_allocate
from tandem.support.services.links import survivor_duplicate_resolve, survivor_link_to_case
from tandem.support.tests.builders import (
    another_case,
    client_for,
    iss_worker_elsewhere,
    other_service,
    post_json,
    referred_case,
)

pytestmark = pytest.mark.django_db


def case_elsewhere(staff: ServiceStaff) -> PerpetratorCase:
    """A perpetrator case of another service (a self-referral, naming no survivor)."""
    return perpetrator_referral_receive(
        service=other_service(staff),
        actor=staff.other_service_worker,
        details=referral(source=ReferralSource.SELF, survivors=[]),
        now=FRIDAY,
    )


def link(
    staff: ServiceStaff, iss_case: IssCase, case: PerpetratorCase, **overrides: object
) -> SurvivorLink:
    values: dict[str, object] = {
        "survivor": iss_case.survivor,
        "perpetrator_case": case,
        "relationship": Relationship.EX_PARTNER,
        "actor": staff.iss_worker,
    }
    values.update(overrides)
    return survivor_link_to_case(**values)  # type: ignore[arg-type]


# Linking


def test_it_links_her_to_another_perpetrator_as_his_next_survivor(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    his = another_case(staffed_service)

    linked = link(staffed_service, her_case, his)

    assert (linked.position, linked.relationship) == (2, "ex_partner")
    assert [s.position for s in survivor_contact_statuses(case=his)] == [1, 2]
    assert her_case.survivor.links.count() == 2


def test_it_refuses_linking_her_twice_to_the_same_case(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    his = her_case.survivor.links.get().perpetrator_case

    with pytest.raises(ActionRefused) as refused:
        link(staffed_service, her_case, his)

    assert refused.value.field == "reference"
    assert refused.value.message == f"she is already linked to case {his.reference}"


def test_it_refuses_a_case_of_another_service(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    elsewhere = case_elsewhere(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        link(staffed_service, her_case, elsewhere)

    assert refused.value.field == "reference"
    assert not SurvivorLink.objects.filter(perpetrator_case=elsewhere).exists()


def test_it_refuses_a_link_by_anyone_off_her_iss_side(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        link(
            staffed_service,
            her_case,
            another_case(staffed_service),
            actor=staffed_service.perpetrator_worker,
        )

    assert refused.value.rule_id == "survivor-confidentiality"


def test_it_refuses_a_link_that_would_give_his_two_survivors_one_worker(
    staffed_service: ServiceStaff,
) -> None:
    """Rule separate-workers."""
    her_case = referred_case(staffed_service)
    his = another_case(staffed_service)
    for iss_case in (her_case, iss_case_of(his)):
        iss_case.refresh_from_db()
        iss_case_allocate(
            iss_case=iss_case,
            actor=staffed_service.service_manager,
            expected_version=iss_case.version,
            worker=staffed_service.iss_worker,
        )

    with pytest.raises(ActionRefused) as refused:
        link(staffed_service, her_case, his)

    assert refused.value.rule_id == "separate-workers"
    assert her_case.survivor.links.count() == 1


def test_it_refuses_an_unknown_relationship(staffed_service: ServiceStaff) -> None:
    with pytest.raises(ActionRefused) as refused:
        link(
            staffed_service,
            referred_case(staffed_service),
            another_case(staffed_service),
            relationship="neighbour",
        )

    assert refused.value.field == "relationship"


def link_url(iss_case: IssCase) -> str:
    return reverse("support:survivor_link_to_case", args=[iss_case.pk])


def test_it_links_her_by_his_reference_from_her_case_page(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    his = another_case(staffed_service)
    client = client_for(staffed_service.iss_worker)

    response = client.post(
        link_url(her_case),
        {"link-reference": his.reference.lower(), "link-relationship": "new_partner"},
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert f"Linked to case {his.reference} as his survivor 2" in page
    assert "New partner" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {"link-reference": "P-NOT-REAL", "link-relationship": "ex_partner"},
            "reference",
            "there is no case P-NOT-REAL in her service",
            id="unknown-reference",
        ),
        pytest.param(
            {"link-reference": "", "link-relationship": "ex_partner"},
            "reference",
            "Enter the reference of his case",
            id="no-reference",
        ),
        pytest.param(
            {"link-reference": "ANY", "link-relationship": "neighbour"},
            "relationship",
            "Select a valid choice",
            id="unknown-relationship",
        ),
    ],
)
def test_it_refuses_a_bad_link_on_the_form_naming_the_field(
    staffed_service: ServiceStaff, data: dict[str, str], field: str, message: str
) -> None:
    her_case = referred_case(staffed_service)

    response = client_for(staffed_service.iss_worker).post(link_url(her_case), data)

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert f'id="id_link-{field}-error"' in response.text
    assert message in response.text
    assert her_case.survivor.links.count() == 1


def test_it_treats_a_case_of_another_service_as_unknown_on_the_form(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    elsewhere = case_elsewhere(staffed_service)

    response = client_for(staffed_service.service_manager).post(
        link_url(her_case),
        {"link-reference": elsewhere.reference, "link-relationship": "ex_partner"},
    )

    assert response.status_code == 400
    assert f"there is no case {elsewhere.reference} in her service" in response.text


def test_it_links_her_through_the_api_and_refuses_an_unknown_reference(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    his = another_case(staffed_service)
    client = client_for(staffed_service.iss_worker)
    url = reverse("v1:iss-case-links", args=[her_case.pk])

    unknown = post_json(client, url, {"case": "P-NOT-REAL", "relationship": "ex_partner"})
    linked = post_json(client, url, {"case": his.reference, "relationship": "ex_partner"})
    again = post_json(client, url, {"case": his.reference, "relationship": "ex_partner"})

    assert unknown.status_code == 400
    assert unknown.json() == {"case": ["there is no case P-NOT-REAL in her service"]}
    assert linked.status_code == 201
    assert {"case": his.reference, "relationship": "ex_partner", "position": 2} in linked.json()[
        "perpetrator_cases"
    ]
    assert again.json() == {"case": [f"she is already linked to case {his.reference}"]}


# Possible duplicates from a referral


def named_again(
    staff: ServiceStaff,
    *,
    phone: str = "",
    date_of_birth: date | None = None,
    first: str = "Alice",
) -> IssCase:
    """A new perpetrator referral naming a survivor, as another perpetrator's partner."""
    case = received(
        staff,
        first_name="Newperson",
        phone="07700 900888",
        survivors=[
            SurvivorDetails(
                first,
                "Example",
                Relationship.NEW_PARTNER,
                phone=phone,
                email="" if phone else "someone@example.invalid",
                date_of_birth=date_of_birth,
            )
        ],
    )
    return iss_case_of(case)


@pytest.fixture
def known(staffed_service: ServiceStaff) -> IssCase:
    """Alice Example, known to the service, born 1 May 1990, on 07700 900001."""
    case = received(
        staffed_service,
        survivors=[
            SurvivorDetails(
                "Alice",
                "Example",
                Relationship.CURRENT_PARTNER,
                phone="07700 900001",
                date_of_birth=date(1990, 5, 1),
            )
        ],
    )
    return referred_case(staffed_service, case=case)


def test_it_flags_the_same_name_and_date_of_birth(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, date_of_birth=date(1990, 5, 1))

    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)
    assert (flag.existing, flag.matched_on) == (known.survivor, "name and date of birth")
    assert new.survivor != known.survivor, "flagged, not merged"


@pytest.mark.parametrize("written", ["+44 7700 900001", "07700-900-001", "(07700) 900001"])
def test_it_flags_the_same_phone_however_it_is_written(
    staffed_service: ServiceStaff, known: IssCase, written: str
) -> None:
    new = named_again(staffed_service, phone=written, first="Another")

    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)
    assert (flag.existing, flag.matched_on) == (known.survivor, "phone number")


def test_it_flags_a_phone_among_her_other_numbers(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    ContactPoint.objects.create(
        survivor=known.survivor,
        kind="phone",
        value="07700 900321",
        recorded_by=staffed_service.iss_worker,
        recorded_at=timezone.now(),
    )

    new = named_again(staffed_service, phone="07700900321", first="Another")

    assert PossibleDuplicateSurvivor.objects.get(survivor=new.survivor).existing == known.survivor


def test_it_flags_nothing_for_a_different_person(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900002", date_of_birth=date(1991, 5, 1))

    assert not PossibleDuplicateSurvivor.objects.filter(survivor=new.survivor).exists()


def resolve_url(iss_case: IssCase, flag: PossibleDuplicateSurvivor) -> str:
    return reverse("support:possible_duplicate_resolve", args=[iss_case.pk, flag.pk])


def test_it_shows_the_possible_duplicate_on_the_new_case_page(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")

    page = client_for(staffed_service.iss_worker).get(
        reverse("support:iss_case_detail", args=[new.pk])
    )

    assert "Possible duplicate records" in page.text
    assert "Alice Example: same phone number" in page.text
    assert reverse("support:iss_case_detail", args=[known.pk]) in page.text
    assert "Same person: link instead" in page.text


def test_it_links_the_known_survivor_instead_and_closes_the_new_record(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    his = new.survivor.links.get().perpetrator_case
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)
    client = client_for(staffed_service.iss_worker)

    response = client.post(
        resolve_url(new, flag),
        {"duplicate-version": new.version, "duplicate-decision": "same_person"},
    )

    assert response.status_code == 302
    link = SurvivorLink.objects.get(perpetrator_case=his)
    assert (link.survivor, link.position, link.relationship) == (known.survivor, 1, "new_partner")
    new.refresh_from_db()
    assert new.closed_at is not None
    assert f"ISS case {known.pk}" in new.closure_reason
    assert not DueTask.objects.filter(iss_case=new, completed_at__isnull=True).exists()
    flag.refresh_from_db()
    assert flag.resolution == DuplicateResolution.SAME_PERSON
    statuses = survivor_contact_statuses(case=his)
    assert [(s.position, s.iss_referred_at) for s in statuses] == [(1, known.referred_at)]


def test_it_keeps_both_records_when_they_are_not_the_same_person(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)

    resolved = survivor_duplicate_resolve(
        flag=flag, actor=staffed_service.iss_worker, expected_version=new.version, same_person=False
    )

    assert resolved.resolution == DuplicateResolution.DIFFERENT_PEOPLE
    new.refresh_from_db()
    assert new.closed_at is None
    assert new.survivor.links.count() == 1


def test_it_refuses_to_settle_a_flag_twice(staffed_service: ServiceStaff, known: IssCase) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)
    survivor_duplicate_resolve(
        flag=flag, actor=staffed_service.iss_worker, expected_version=new.version, same_person=False
    )
    new.refresh_from_db()

    response = client_for(staffed_service.iss_worker).post(
        resolve_url(new, flag),
        {"duplicate-version": new.version, "duplicate-decision": "same_person"},
    )

    assert response.status_code == 400
    assert "this was already settled: not the same person" in response.text
    new.refresh_from_db()
    assert new.closed_at is None


def test_it_refuses_linking_instead_to_a_closed_iss_case(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    IssCase.objects.filter(pk=known.pk).update(closed_at=timezone.now(), closure_reason="Ended")
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)

    with pytest.raises(ActionRefused) as refused:
        survivor_duplicate_resolve(
            flag=flag,
            actor=staffed_service.iss_worker,
            expected_version=new.version,
            same_person=True,
        )

    assert "is closed: keep this record instead" in refused.value.message
    assert new.survivor.links.count() == 1


def test_it_answers_a_flag_of_another_case_with_not_found(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)

    response = client_for(staffed_service.iss_worker).post(
        resolve_url(known, flag),
        {"duplicate-version": known.version, "duplicate-decision": "same_person"},
    )

    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.resolved_at is None


def test_it_settles_a_flag_through_the_api(staffed_service: ServiceStaff, known: IssCase) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)
    client = client_for(staffed_service.iss_worker)
    url = reverse("v1:iss-case-possible-duplicate", args=[new.pk, flag.pk])

    shown = client.get(reverse("v1:iss-case-detail", args=[new.pk])).json()
    settled = post_json(client, url, {"version": new.version, "same_person": True})

    assert shown["possible_duplicates"] == [
        {
            "id": flag.pk,
            "existing_iss_case": known.pk,
            "matched_on": "phone number",
            "flagged_at": shown["possible_duplicates"][0]["flagged_at"],
            "resolution": "",
        }
    ]
    assert settled.status_code == 200
    assert settled.json()["closed_at"] is not None
    assert settled.json()["possible_duplicates"][0]["resolution"] == "same_person"


def test_it_hides_flags_from_everyone_off_her_iss_side(
    staffed_service: ServiceStaff, known: IssCase
) -> None:
    new = named_again(staffed_service, phone="07700 900001", first="Ali")
    flag = PossibleDuplicateSurvivor.objects.get(survivor=new.survivor)

    for user in (staffed_service.perpetrator_worker, iss_worker_elsewhere(staffed_service)):
        client = client_for(user)
        page = client.post(
            resolve_url(new, flag),
            {"duplicate-version": new.version, "duplicate-decision": "same_person"},
        )
        api = post_json(
            client,
            reverse("v1:iss-case-possible-duplicate", args=[new.pk, flag.pk]),
            {"version": new.version, "same_person": True},
        )
        assert (page.status_code, api.status_code) == (404, 404)
    flag.refresh_from_db()
    assert flag.resolved_at is None
