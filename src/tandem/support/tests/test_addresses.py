"""Her address and numbers: a controlled address change, and the one guard every way of reaching
her goes through, so nothing is sent to a place marked unsafe or known to the perpetrator."""

import pytest

from tandem.audit.models import AuditEvent
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.support.models import ContactMethod, ContactPoint, IssCase, Survivor, SurvivorAddress
from tandem.support.services.safe_contact import (
    assert_safe_to_send,
    safe_contact_preferences_set,
    survivor_address_change,
)
from tandem.support.tests.builders import (
    HER_EMAIL,
    HER_PHONE,
    HIS_PHONE,
    her_survivor,
    mark,
    move,
    version_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survivor(staffed_service: ServiceStaff) -> Survivor:
    return her_survivor(staffed_service)


# The address change


def test_it_makes_the_new_address_current_and_flags_the_old_one_unsafe(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    old = move(staffed_service, survivor, lines="9 Old Road", postcode="ZZ1 1ZZ")

    new = move(staffed_service, survivor)

    old.refresh_from_db()
    assert new.current
    assert not new.unsafe
    assert new.postcode == "ZZ99 9ZZ"
    assert new.source == "She told her ISS worker on the phone"
    assert new.confirmed_with_survivor_at is not None
    assert new.recorded_by == staffed_service.iss_worker
    assert not old.current
    assert old.unsafe
    assert "she moved away" in old.unsafe_reason


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"confirmed_with_survivor": False}, "confirmed_with_survivor"),
        ({"source": "  "}, "source"),
        ({"lines": ""}, "lines"),
        ({"postcode": "not a postcode"}, "postcode"),
    ],
)
def test_it_refuses_an_address_change_that_is_not_confirmed_sourced_and_whole(
    staffed_service: ServiceStaff, survivor: Survivor, overrides: dict[str, object], field: str
) -> None:
    old = move(staffed_service, survivor, lines="9 Old Road", postcode="ZZ1 1ZZ")
    version = version_of(survivor)

    with pytest.raises(ActionRefused) as refused:
        move(staffed_service, survivor, **overrides)

    assert refused.value.field == field
    old.refresh_from_db()
    assert old.current, "nothing half-saved"
    assert not old.unsafe
    assert SurvivorAddress.objects.count() == 1
    assert version_of(survivor) == version


def test_it_refuses_an_address_change_from_a_stale_page(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    stale = version_of(survivor)
    move(staffed_service, survivor)

    with pytest.raises(StaleRecord):
        survivor_address_change(
            survivor=survivor,
            actor=staffed_service.iss_worker,
            expected_version=stale,
            lines="2 Other Street",
            postcode="ZZ2 2ZZ",
            source="Synthetic",
            confirmed_with_survivor=True,
        )

    assert SurvivorAddress.objects.count() == 1


def test_it_keeps_her_address_out_of_the_audit_trail(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    move(staffed_service, survivor)
    mark(staffed_service, survivor, unsafe=True, unsafe_reason="Synthetic: he took the phone")

    events = AuditEvent.objects.filter(object_id=str(survivor.pk))
    assert [event.summary for event in events.order_by("pk")][-2:] == [
        "address changed",
        "phone number recorded (unsafe)",
    ]
    for event in events:
        recorded = f"{event.summary} {event.before} {event.after}"
        assert "Example Street" not in recorded
        assert "ZZ99" not in recorded
        assert "900001" not in recorded


# Numbers and emails


def test_it_keeps_a_number_unsafe_once_marked(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    mark(
        staffed_service,
        survivor,
        unsafe=True,
        unsafe_reason="Synthetic: he took the phone",
        known_to_perpetrator=True,
    )

    again = mark(staffed_service, survivor, value="+44 7700 900001")

    assert ContactPoint.objects.count() == 1, "the same number, however written"
    assert again.unsafe
    assert again.known_to_perpetrator
    assert again.unsafe_reason == "Synthetic: he took the phone"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unsafe": True, "unsafe_reason": " "}, "unsafe_reason"),
        ({"kind": "email", "value": "not-an-email"}, "value"),
        ({"value": "123"}, "value"),
        ({"kind": "pigeon"}, "kind"),
    ],
)
def test_it_refuses_a_number_or_email_it_cannot_use(
    staffed_service: ServiceStaff, survivor: Survivor, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ActionRefused) as refused:
        mark(staffed_service, survivor, **overrides)

    assert refused.value.field == field
    assert not ContactPoint.objects.exists()


# The guard every send path calls


def test_it_allows_her_current_confirmed_address_and_her_numbers_on_record(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    address = move(staffed_service, survivor)
    mark(staffed_service, survivor, value="07700 900002")

    assert_safe_to_send(survivor=survivor, method=ContactMethod.LETTER, destination=address)
    assert_safe_to_send(survivor=survivor, method=ContactMethod.TEXT, destination="07700900001")
    assert_safe_to_send(survivor=survivor, method=ContactMethod.PHONE, destination="07700 900002")
    assert_safe_to_send(survivor=survivor, method=ContactMethod.EMAIL, destination=HER_EMAIL)
    assert_safe_to_send(survivor=survivor, method=ContactMethod.IN_PERSON, destination=None)


def test_it_refuses_a_letter_to_the_address_she_left(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    old = move(staffed_service, survivor, lines="9 Old Road", postcode="ZZ1 1ZZ")
    move(staffed_service, survivor)

    with pytest.raises(ActionRefused) as refused:
        assert_safe_to_send(survivor=survivor, method=ContactMethod.LETTER, destination=old)

    assert refused.value.field == "destination"
    assert "marked unsafe (she moved away" in refused.value.message


def test_it_refuses_a_letter_or_visit_to_an_address_known_to_him(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    address = move(staffed_service, survivor, known_to_perpetrator=True)

    for method in (ContactMethod.LETTER, ContactMethod.IN_PERSON):
        with pytest.raises(ActionRefused) as refused:
            assert_safe_to_send(survivor=survivor, method=method, destination=address)

        assert refused.value.field == "destination"
        assert "known to the perpetrator" in refused.value.message


def test_it_reads_the_address_afresh_rather_than_trusting_the_callers_copy(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    copy_before_she_moved = move(staffed_service, survivor, lines="9 Old Road", postcode="ZZ1 1ZZ")
    move(staffed_service, survivor)

    assert copy_before_she_moved.current, "the caller's copy is out of date"
    with pytest.raises(ActionRefused):
        assert_safe_to_send(
            survivor=survivor, method=ContactMethod.LETTER, destination=copy_before_she_moved
        )


def test_it_refuses_a_letter_without_an_address_or_to_someone_elses(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    other = her_survivor(staffed_service, first_name="Bella")
    hers_not = move(staffed_service, other)

    for destination in (None, "1 Example Street", hers_not):
        with pytest.raises(ActionRefused) as refused:
            assert_safe_to_send(
                survivor=survivor, method=ContactMethod.LETTER, destination=destination
            )

        assert refused.value.field == "destination"


@pytest.mark.parametrize("method", [ContactMethod.PHONE, ContactMethod.TEXT])
def test_it_refuses_a_call_or_text_to_a_number_marked_unsafe_however_it_is_written(
    staffed_service: ServiceStaff, survivor: Survivor, method: ContactMethod
) -> None:
    mark(staffed_service, survivor, unsafe=True, unsafe_reason="Synthetic: he took the phone")

    with pytest.raises(ActionRefused) as refused:
        assert_safe_to_send(survivor=survivor, method=method, destination="+44 (0)7700-900001")

    assert refused.value.field == "destination"
    assert "marked unsafe (Synthetic: he took the phone)" in refused.value.message


def test_it_refuses_a_number_or_email_known_to_him(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    mark(staffed_service, survivor, known_to_perpetrator=True)
    mark(
        staffed_service, survivor, kind="email", value=HER_EMAIL.upper(), known_to_perpetrator=True
    )

    for method, destination in ((ContactMethod.TEXT, HER_PHONE), (ContactMethod.EMAIL, HER_EMAIL)):
        with pytest.raises(ActionRefused) as refused:
            assert_safe_to_send(survivor=survivor, method=method, destination=destination)

        assert "known to the perpetrator" in refused.value.message


def test_it_refuses_the_perpetrators_own_number(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    with pytest.raises(ActionRefused) as refused:
        assert_safe_to_send(survivor=survivor, method=ContactMethod.TEXT, destination=HIS_PHONE)

    assert "the perpetrator's own number" in refused.value.message


def test_it_refuses_a_number_or_email_not_on_her_record(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    for method, destination in (
        (ContactMethod.PHONE, "07700 900999"),
        (ContactMethod.EMAIL, "someone@example.invalid"),
        (ContactMethod.TEXT, ""),
    ):
        with pytest.raises(ActionRefused) as refused:
            assert_safe_to_send(survivor=survivor, method=method, destination=destination)

        assert refused.value.field == "destination"


def test_it_refuses_a_method_she_has_said_is_unsafe_naming_the_method(
    staffed_service: ServiceStaff, survivor: Survivor
) -> None:
    address = move(staffed_service, survivor)
    safe_contact_preferences_set(
        iss_case=IssCase.objects.get(survivor=survivor),
        actor=staffed_service.iss_worker,
        expected_version=version_of(survivor),
        preferred_methods=["phone"],
        unsafe_methods=["letter"],
        safe_times="Only call Tue/Thu 10-12",
        notes="",
    )

    with pytest.raises(ActionRefused) as refused:
        assert_safe_to_send(survivor=survivor, method=ContactMethod.LETTER, destination=address)

    assert refused.value.field == "method"
    assert refused.value.message == "she has said contact by letter is unsafe: use another way"


def test_it_refuses_an_unknown_method(staffed_service: ServiceStaff, survivor: Survivor) -> None:
    with pytest.raises(ActionRefused) as refused:
        assert_safe_to_send(survivor=survivor, method="pigeon", destination=HER_PHONE)

    assert refused.value.field == "method"
