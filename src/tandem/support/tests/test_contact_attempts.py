"""Recording a contact attempt goes through the send guard (`assert_safe_to_send`): the number,
email or address used is hers and safe, or nothing is saved. Rule iss-contact: attempts come
after the ISS referral, and recording contact as unsafe closes the initial-contact task."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.models import ContactAttempt, IssCase, SurvivorAddress
from tandem.support.services.contact import contact_attempt_record, iss_contact_unsafe_record
from tandem.support.services.safe_contact import contact_point_record, survivor_address_change
from tandem.support.tests.builders import HER_PHONE, client_for, referred_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def her_case(staffed_service: ServiceStaff) -> IssCase:
    return referred_case(staffed_service)


def attempt(
    staff: ServiceStaff, iss_case: IssCase, *, method: str = "phone", **overrides: object
) -> ContactAttempt:
    iss_case.refresh_from_db()
    values: dict[str, object] = {
        "attempted_at": timezone.now() - timedelta(minutes=5),
        "outcome": "no_answer",
        "destination": HER_PHONE,
    }
    values.update(overrides)
    return contact_attempt_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        method=method,
        **values,  # type: ignore[arg-type]
    )


def moved(staff: ServiceStaff, iss_case: IssCase, postcode: str) -> SurvivorAddress:
    iss_case.refresh_from_db()
    return survivor_address_change(
        survivor=iss_case.survivor,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        lines="1 Example Street\nSynthetic Town",
        postcode=postcode,
        source="She told her ISS worker",
        confirmed_with_survivor=True,
    )


def test_it_records_the_number_used_on_the_attempt_but_not_in_the_audit_trail(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    recorded = attempt(staffed_service, her_case)

    assert recorded.destination == HER_PHONE
    assert not AuditEvent.objects.filter(summary__contains="900001").exists()
    assert not AuditEvent.objects.filter(after__icontains="900001").exists()


def test_it_records_the_address_written_to(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    address = moved(staffed_service, her_case, "ZZ1 1ZZ")

    recorded = attempt(staffed_service, her_case, method="letter", destination=address)

    assert recorded.destination_address == address
    assert recorded.destination == ""


def test_it_records_a_meeting_elsewhere_with_no_destination(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    recorded = attempt(staffed_service, her_case, method="in_person", destination=None)

    assert (recorded.destination, recorded.destination_address) == ("", None)


def refused_and_nothing_saved(
    staff: ServiceStaff, iss_case: IssCase, **kwargs: object
) -> ActionRefused:
    iss_case.refresh_from_db()
    version = iss_case.version
    with pytest.raises(ActionRefused) as refused:
        attempt(staff, iss_case, **kwargs)  # type: ignore[arg-type]
    assert not ContactAttempt.objects.exists()
    assert IssCase.objects.get(pk=iss_case.pk).version == version
    return refused.value


def test_it_refuses_a_number_marked_unsafe(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    contact_point_record(
        survivor=her_case.survivor,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        kind="phone",
        value=HER_PHONE,
        unsafe=True,
        unsafe_reason="Synthetic: he has her old phone",
        known_to_perpetrator=False,
    )

    refused = refused_and_nothing_saved(staffed_service, her_case, method="text")

    assert refused.field == "destination"
    assert "is marked unsafe" in refused.message


def test_it_refuses_a_letter_to_the_address_she_left(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    old = moved(staffed_service, her_case, "ZZ1 1ZZ")
    moved(staffed_service, her_case, "ZZ2 2ZZ")

    refused = refused_and_nothing_saved(staffed_service, her_case, method="letter", destination=old)

    assert refused.field == "destination"
    assert "marked unsafe" in refused.message


def test_it_refuses_a_call_without_a_number(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    refused = refused_and_nothing_saved(staffed_service, her_case, destination=None)

    assert (refused.field, refused.message) == ("destination", "give the number to use")


def test_it_refuses_an_attempt_before_the_iss_referral(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assert her_case.referred_at is not None
    refused = refused_and_nothing_saved(
        staffed_service,
        her_case,
        attempted_at=her_case.referred_at.replace(second=0, microsecond=0) - timedelta(minutes=1),
    )

    assert (refused.rule_id, refused.field) == ("iss-contact", "attempted_at")
    assert refused.message.startswith("the attempt cannot be before the ISS referral (")


def test_it_accepts_an_attempt_in_the_minute_of_the_referral(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    """The form takes times to the minute: an attempt made just after the referral, in the
    same minute, is not refused as earlier than it."""
    assert her_case.referred_at is not None
    same_minute = her_case.referred_at.replace(second=0, microsecond=0)

    recorded = attempt(staffed_service, her_case, attempted_at=same_minute)

    assert recorded.attempted_at == same_minute


def test_it_closes_the_initial_contact_task_when_contact_is_recorded_as_unsafe(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    task = DueTask.objects.get(rule_id="iss-contact", iss_case=her_case)

    iss_contact_unsafe_record(
        iss_case=her_case,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        reason="Synthetic: she is staying with him and has no safe number",
    )

    task.refresh_from_db()
    assert task.completed_at is not None
    assert task.completed_by == staffed_service.iss_worker


# The form


def test_it_offers_only_her_safe_numbers_emails_and_current_address(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    moved(staffed_service, her_case, "ZZ1 1ZZ")
    address = moved(staffed_service, her_case, "ZZ2 2ZZ")
    her_case.refresh_from_db()
    contact_point_record(
        survivor=her_case.survivor,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        kind="phone",
        value="07700 900444",
        unsafe=False,
        unsafe_reason="",
        known_to_perpetrator=True,
    )

    text = (
        client_for(staffed_service.iss_worker)
        .get(reverse("support:iss_case_detail", args=[her_case.pk]))
        .text
    )
    form = text[text.index('name="attempt-destination"') - 400 : text.index("Record the attempt")]

    assert f'value="phone:{HER_PHONE}"' in form
    assert f'value="address:{address.pk}"' in form
    assert "ZZ2 2ZZ" in form
    assert "ZZ1 1ZZ" not in form, "the address she left"
    assert "07700 900444" not in form, "a number known to him"


def test_it_records_the_chosen_destination_from_the_form(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    when = timezone.localtime() - timedelta(minutes=10)

    response = client_for(staffed_service.iss_worker).post(
        reverse("support:contact_attempt_record", args=[her_case.pk]),
        {
            "attempt-version": her_case.version,
            "attempt-method": "text",
            "attempt-attempted_at": f"{when:%Y-%m-%dT%H:%M}",
            "attempt-outcome": "message_left",
            "attempt-destination": f"phone:{HER_PHONE}",
        },
    )

    assert response.status_code == 302
    assert ContactAttempt.objects.get().destination == HER_PHONE


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        ("phone:07700 900999", "Choose one of her numbers, emails or her address"),
        ("", "give the number to use"),
    ],
)
def test_it_refuses_a_destination_it_cannot_use_on_the_form(
    staffed_service: ServiceStaff, her_case: IssCase, destination: str, message: str
) -> None:
    when = timezone.localtime() - timedelta(minutes=10)

    response = client_for(staffed_service.iss_worker).post(
        reverse("support:contact_attempt_record", args=[her_case.pk]),
        {
            "attempt-version": her_case.version,
            "attempt-method": "phone",
            "attempt-attempted_at": f"{when:%Y-%m-%dT%H:%M}",
            "attempt-outcome": "no_answer",
            "attempt-destination": destination,
        },
    )

    assert response.status_code == 400
    assert 'id="id_attempt-destination-error"' in response.text
    assert message in response.text
    assert not ContactAttempt.objects.exists()
