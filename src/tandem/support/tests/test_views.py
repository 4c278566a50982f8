"""The ISS pages: who may open them (the information barrier), what they show, and the forms on
a survivor's case page, including the safe-contact panel shown before anyone contacts her."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.audit.models import AuditEvent
from tandem.cases.services.intake import SurvivorDetails, perpetrator_referral_receive
from tandem.cases.tests.builders import iss_case_of, referral
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.support.models import (
    ContactAttempt,
    IssCase,
    Relationship,
    SafeContactPreference,
    SurvivorAddress,
)
from tandem.support.services.contact import iss_referral_make
from tandem.support.services.safe_contact import (
    safe_contact_preferences_set,
    survivor_address_change,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

SAFE_CONTACT_HEADING = "Safe contact: read this before you contact her"
CASE_WORK_ROLES = PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES
HER_PHONE = "07700 900001"
# Every action on her case page, with a valid form for it.
ACTIONS: dict[str, dict[str, object]] = {
    "support:contact_attempt_record": {
        "attempt-method": "phone",
        "attempt-attempted_at": f"{timezone.localtime() - timedelta(days=1):%Y-%m-%dT%H:%M}",
        "attempt-outcome": "no_answer",
        "attempt-destination": f"phone:{HER_PHONE}",
    },
    "support:iss_contact_unsafe_record": {"unsafe-reason": "Synthetic: he checks her phone"},
    "support:safe_contact_preferences_set": {"safe-unsafe_methods": ["letter"]},
    "support:survivor_address_change": {
        "address-lines": "1 Example Street\nSynthetic Town",
        "address-postcode": "ZZ99 9ZZ",
        "address-source": "She told her ISS worker",
        "address-confirmed_with_survivor": "on",
    },
    "support:contact_point_record": {"point-kind": "phone", "point-value": "07700 900123"},
}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(moment: datetime) -> str:
    """A date and time as the pages show it, in UK time."""
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def received(staff: ServiceStaff, *, days_ago: int, first_name: str = "Alice") -> IssCase:
    """A survivor's ISS case from a referral that arrived `days_ago` days ago."""
    at = timezone.now() - timedelta(days=days_ago)
    survivor = SurvivorDetails(
        first_name, "Example", Relationship.CURRENT_PARTNER, phone="07700 900001"
    )
    case = perpetrator_referral_receive(
        service=staff.service,
        actor=staff.perpetrator_worker,
        details=referral(received_at=at, survivors=[survivor]),
        now=at,
    )
    return iss_case_of(case)


def referred(staff: ServiceStaff, *, days_ago: int = 20, first_name: str = "Alice") -> IssCase:
    """Her ISS case with her details passed to the ISS the day they arrived: 20 days ago by
    default, so initial contact (due within 5 working days) is overdue."""
    iss_case = received(staff, days_ago=days_ago, first_name=first_name)
    return iss_referral_make(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        now=iss_case.survivor.contact_details_received_at,
    )


def iss_worker_elsewhere(staff: ServiceStaff) -> User:
    other_service = StaffMembership.objects.get(user=staff.other_service_worker).service
    user = User.objects.create_user(username="iss-elsewhere")
    user.groups.add(Group.objects.get_or_create(name=Role.ISS_WORKER.value)[0])
    StaffMembership.objects.create(
        user=user, service=other_service, side="iss", started_on=date(2024, 1, 1)
    )
    return user


def field_error(text: str, field_id: str) -> str:
    """The error message shown at the field itself, so the refusal names that field."""
    start = text.index(f'id="{field_id}-error"')
    return text[start : text.index("</p>", start)]


def detail_url(iss_case: IssCase) -> str:
    return reverse("support:iss_case_detail", args=[iss_case.pk])


def post_with_version(
    client: Client, name: str, iss_case: IssCase, data: dict[str, object]
) -> "_MonkeyPatchedWSGIResponse":
    iss_case.refresh_from_db()
    prefix = next(iter(data)).split("-")[0] if data else "referral"
    return client.post(
        reverse(name, args=[iss_case.pk]), {f"{prefix}-version": iss_case.version, **data}
    )


@pytest.fixture
def her_case(staffed_service: ServiceStaff) -> IssCase:
    return referred(staffed_service)


# Who may open the pages


@pytest.mark.parametrize("seat", ["iss_worker", "service_manager"])
def test_it_lists_her_case_for_the_iss_side_of_her_service(
    staffed_service: ServiceStaff, her_case: IssCase, seat: str
) -> None:
    response = client_for(getattr(staffed_service, seat)).get(reverse("support:iss_case_list"))

    assert response.status_code == 200
    assert "Alice Example" in response.text
    assert her_case.survivor.links.get().perpetrator_case.reference in response.text
    assert her_case.referred_at is not None
    assert shown(her_case.referred_at) in response.text
    assert "Overdue" in response.text, "initial contact was due within 5 working days"
    assert detail_url(her_case) in response.text


@pytest.mark.parametrize("seat", ["iss_worker", "service_manager"])
def test_it_shows_her_case_page_to_the_iss_side_of_her_service(
    staffed_service: ServiceStaff, her_case: IssCase, seat: str
) -> None:
    response = client_for(getattr(staffed_service, seat)).get(detail_url(her_case))

    assert response.status_code == 200
    assert "Alice Example" in response.text
    assert "07700 900001" in response.text
    case = her_case.survivor.links.get().perpetrator_case
    assert reverse("cases:case_detail", args=[case.reference]) in response.text
    assert "Current partner" in response.text
    assert "Referred" in response.text, "his stage"
    assert "Make initial contact with Alice Example" in response.text
    assert "iss-contact" in response.text


def test_it_sends_an_anonymous_visitor_to_sign_in(client: Client, her_case: IssCase) -> None:
    for url in [reverse("support:iss_case_list"), detail_url(her_case)]:
        response = client.get(url)

        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("login")


def test_it_refuses_both_pages_to_a_user_without_a_role(
    client: Client, user_without_role: User, her_case: IssCase
) -> None:
    client.force_login(user_without_role)

    for url in [reverse("support:iss_case_list"), detail_url(her_case)]:
        response = client.get(url)

        assert response.status_code == 403
        assert "Alice Example" not in response.text


def test_it_keeps_the_perpetrator_worker_of_her_service_out(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    """The information barrier: a 403 on the list and a 404 on her page, so he cannot even
    learn that her record exists."""
    client = client_for(staffed_service.perpetrator_worker)

    listed = client.get(reverse("support:iss_case_list"))
    hers = client.get(detail_url(her_case))

    assert listed.status_code == 403
    assert hers.status_code == 404
    for response in (listed, hers):
        assert "Alice Example" not in response.text
        assert "07700 900001" not in response.text


def test_it_hides_her_case_from_the_iss_worker_of_another_service(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(iss_worker_elsewhere(staffed_service))

    listed = client.get(reverse("support:iss_case_list"))
    hers = client.get(detail_url(her_case))

    assert listed.status_code == 200
    assert "Alice Example" not in listed.text
    assert hers.status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_it_refuses_her_case_to_every_role_without_a_membership(
    client_as: Callable[[Role], Client], her_case: IssCase, role: Role
) -> None:
    client = client_as(role)

    listed = client.get(reverse("support:iss_case_list"))
    hers = client.get(detail_url(her_case))

    assert listed.status_code == (200 if role in ISS_WORK_ROLES else 403)
    assert hers.status_code == (404 if role in CASE_WORK_ROLES else 403)
    for response in (listed, hers):
        assert "Alice Example" not in response.text


@pytest.mark.parametrize("action", ["support:iss_referral_make", *ACTIONS])
def test_it_refuses_every_action_to_the_perpetrator_worker_and_saves_nothing(
    staffed_service: ServiceStaff, action: str
) -> None:
    iss_case = received(staffed_service, days_ago=1)
    client = client_for(staffed_service.perpetrator_worker)

    response = post_with_version(client, action, iss_case, ACTIONS.get(action, {}))

    assert response.status_code == 404
    refreshed = IssCase.objects.get(pk=iss_case.pk)
    assert refreshed.version == iss_case.version
    assert refreshed.referred_at is None
    assert not SurvivorAddress.objects.exists()


def test_it_sends_an_anonymous_visitor_to_sign_in_from_every_action(
    client: Client, her_case: IssCase
) -> None:
    for action in ["support:iss_referral_make", *ACTIONS]:
        response = client.post(reverse(action, args=[her_case.pk]), ACTIONS.get(action, {}))

        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("login")
    assert not ContactAttempt.objects.exists()


def test_it_records_every_view_of_her_case_in_the_audit_trail(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client_for(staffed_service.iss_worker).get(detail_url(her_case))

    viewed = AuditEvent.objects.get(action="viewed", object_id=str(her_case.pk))
    assert viewed.actor == staffed_service.iss_worker
    assert viewed.path == detail_url(her_case)
    assert viewed.object_repr == str(her_case)


# The list


def test_it_lists_newest_first_with_the_worker_and_each_contact_status(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    later = referred(staffed_service, days_ago=0, first_name="Bella")
    not_yet = received(staffed_service, days_ago=0, first_name="Carla")
    IssCase.objects.filter(pk=later.pk).update(allocated_worker=staffed_service.second_iss_worker)

    text = client_for(staffed_service.iss_worker).get(reverse("support:iss_case_list")).text

    assert text.index("Carla Example") < text.index("Bella Example") < text.index("Alice Example")
    assert "Not made yet" in text, "Carla's ISS referral"
    assert text.count("Due by") == 2, "Carla's referral and Bella's contact are not yet due"
    assert "Overdue" in text, "Alice's contact was due within 5 working days"
    assert not_yet.referred_at is None
    assert "Test ISS worker or IDVA" in text
    assert "Not allocated" in text


def test_it_lists_cases_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.iss_worker)
    for _ in range(3):
        referred(staffed_service)

    with django_assert_max_num_queries(15) as three:
        client.get(reverse("support:iss_case_list"))
    for _ in range(27):
        referred(staffed_service)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(reverse("support:iss_case_list"))

    assert "30 ISS cases" in response.text


# Her case page: the safe-contact panel and the forms


def test_it_shows_the_safe_contact_panel_right_above_the_contact_attempt_form(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    safe_contact_preferences_set(
        iss_case=her_case,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        preferred_methods=["phone"],
        unsafe_methods=["letter"],
        safe_times="Only call Tue/Thu 10-12",
        notes="Do not leave voicemail",
    )

    text = client_for(staffed_service.iss_worker).get(detail_url(her_case)).text

    panel = text.index(SAFE_CONTACT_HEADING)
    panel_end = text.index("</section>", panel)
    attempt_form = text.index(
        f'<form method="post" action="{reverse("support:contact_attempt_record", args=[her_case.pk])}"'
    )
    assert panel < panel_end < attempt_form
    assert "<form" not in text[panel_end:attempt_form], "nothing else comes between them"
    shown = text[panel:panel_end]
    assert "Only call Tue/Thu 10-12" in shown
    assert "Do not leave voicemail" in shown
    assert "Letter" in shown
    assert "Phone call" in shown


def test_it_refuses_an_attempt_by_a_method_she_marked_unsafe_naming_the_field(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    safe_contact_preferences_set(
        iss_case=her_case,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        preferred_methods=[],
        unsafe_methods=["letter"],
        safe_times="",
        notes="",
    )
    data = {**ACTIONS["support:contact_attempt_record"], "attempt-method": "letter"}

    response = post_with_version(
        client_for(staffed_service.iss_worker), "support:contact_attempt_record", her_case, data
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    at_the_method = field_error(response.text, "id_attempt-method")
    assert "she has said" in at_the_method
    assert "unsafe" in at_the_method
    assert not ContactAttempt.objects.exists()


def test_it_refuses_an_attempt_in_the_future_and_saves_nothing(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = {
        **ACTIONS["support:contact_attempt_record"],
        "attempt-attempted_at": f"{tomorrow:%Y-%m-%dT%H:%M}",
    }

    response = post_with_version(
        client_for(staffed_service.iss_worker), "support:contact_attempt_record", her_case, data
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "the attempt cannot be in the future" in field_error(
        response.text, "id_attempt-attempted_at"
    )
    assert not ContactAttempt.objects.exists()
    assert IssCase.objects.get(pk=her_case.pk).version == her_case.version


def test_it_refuses_a_blank_unsafe_reason_and_saves_nothing(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = post_with_version(
        client_for(staffed_service.iss_worker),
        "support:iss_contact_unsafe_record",
        her_case,
        {"unsafe-reason": "   "},
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Say why contact is unsafe or impossible" in field_error(
        response.text, "id_unsafe-reason"
    )
    assert IssCase.objects.get(pk=her_case.pk).contact_unsafe_reason == ""


def test_it_records_an_attempt_and_shows_every_attempt_newest_first(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)
    first = timezone.localtime() - timedelta(days=2)
    second = first + timedelta(hours=3)
    post_with_version(
        client,
        "support:contact_attempt_record",
        her_case,
        {
            **ACTIONS["support:contact_attempt_record"],
            "attempt-attempted_at": f"{first:%Y-%m-%dT%H:%M}",
        },
    )
    response = post_with_version(
        client,
        "support:contact_attempt_record",
        her_case,
        {
            "attempt-method": "phone",
            "attempt-attempted_at": f"{second:%Y-%m-%dT%H:%M}",
            "attempt-outcome": "support_accepted",
            "attempt-notes": "Synthetic: she accepted support",
            "attempt-destination": f"phone:{HER_PHONE}",
        },
    )

    assert response.status_code == 302
    text = client.get(response["Location"]).text
    assert "Contact attempt recorded" in text
    assert text.index(shown(second)) < text.index(shown(first))
    assert "No answer" in text
    assert "Complete" in text
    assert ContactAttempt.objects.count() == 2


def test_it_makes_the_iss_referral(staffed_service: ServiceStaff) -> None:
    iss_case = received(staffed_service, days_ago=0)
    client = client_for(staffed_service.iss_worker)

    response = post_with_version(client, "support:iss_referral_make", iss_case, {})

    assert response.status_code == 302
    assert IssCase.objects.get(pk=iss_case.pk).referred_at is not None
    assert "ISS referral made" in client.get(response["Location"]).text


def test_it_allocates_an_iss_worker_offering_only_iss_side_staff(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.service_manager)
    page = client.get(detail_url(her_case)).text
    worker = staffed_service.second_iss_worker

    response = post_with_version(
        client, "support:iss_case_allocate", her_case, {"allocation-worker": worker.pk}
    )

    assert f'<option value="{worker.pk}"' in page
    assert f'<option value="{staffed_service.perpetrator_worker.pk}"' not in page
    assert f'<option value="{staffed_service.service_manager.pk}"' not in page
    assert response.status_code == 302
    assert IssCase.objects.get(pk=her_case.pk).allocated_worker == worker


def test_it_refuses_allocating_someone_who_is_not_on_offer(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = post_with_version(
        client_for(staffed_service.iss_worker),
        "support:iss_case_allocate",
        her_case,
        {"allocation-worker": staffed_service.perpetrator_worker.pk},
    )

    assert response.status_code == 400
    assert "Choose an ISS worker of this service" in response.text
    assert IssCase.objects.get(pk=her_case.pk).allocated_worker is None


def test_it_saves_safe_contact_preferences_and_refuses_a_method_both_preferred_and_unsafe(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)

    refused = post_with_version(
        client,
        "support:safe_contact_preferences_set",
        her_case,
        {"safe-preferred_methods": ["text"], "safe-unsafe_methods": ["text"]},
    )
    saved = post_with_version(
        client,
        "support:safe_contact_preferences_set",
        her_case,
        {
            "safe-preferred_methods": ["text"],
            "safe-unsafe_methods": ["letter", "email"],
            "safe-safe_times": "Only call Tue/Thu 10-12",
        },
    )

    assert refused.status_code == 400
    assert "cannot be both preferred and unsafe: text message" in field_error(
        refused.text, "id_safe-unsafe_methods"
    )
    assert saved.status_code == 302
    preference = SafeContactPreference.objects.get(survivor=her_case.survivor)
    assert preference.unsafe_methods == ["email", "letter"]
    assert preference.safe_times == "Only call Tue/Thu 10-12"


def test_it_changes_her_address_through_the_page_and_flags_the_old_one(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    survivor_address_change(
        survivor=her_case.survivor,
        actor=staffed_service.iss_worker,
        expected_version=her_case.version,
        lines="9 Old Road\nSynthetic Town",
        postcode="ZZ1 1ZZ",
        source="Agency referral",
        confirmed_with_survivor=True,
    )
    client = client_for(staffed_service.iss_worker)

    response = post_with_version(
        client,
        "support:survivor_address_change",
        her_case,
        ACTIONS["support:survivor_address_change"],
    )

    assert response.status_code == 302
    text = client.get(response["Location"]).text
    panel = text[text.index(SAFE_CONTACT_HEADING) : text.index("</section>")]
    assert "9 Old Road" in panel, "the address she left is listed under never use"
    assert "1 Example Street" not in panel
    assert SurvivorAddress.objects.get(current=True).postcode == "ZZ99 9ZZ"


def test_it_refuses_an_address_not_confirmed_with_her_and_saves_nothing(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    data = dict(ACTIONS["support:survivor_address_change"])
    del data["address-confirmed_with_survivor"]

    response = post_with_version(
        client_for(staffed_service.iss_worker), "support:survivor_address_change", her_case, data
    )

    assert response.status_code == 400
    assert "confirm the new address with her before recording it" in field_error(
        response.text, "id_address-confirmed_with_survivor"
    )
    assert not SurvivorAddress.objects.exists()


def test_it_marks_a_number_unsafe_and_shows_it_as_never_to_be_used(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)

    response = post_with_version(
        client,
        "support:contact_point_record",
        her_case,
        {
            "point-kind": "phone",
            "point-value": "07700 900001",
            "point-unsafe": "on",
            "point-unsafe_reason": "Synthetic: he has her old phone",
        },
    )

    assert response.status_code == 302
    text = client.get(response["Location"]).text
    panel = text[text.index(SAFE_CONTACT_HEADING) : text.index("</section>")]
    assert "07700 900001" in panel
    assert "he has her old phone" in panel


def test_it_refuses_a_stale_form_without_overwriting(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)
    stale_version = her_case.version
    post_with_version(
        client, "support:iss_contact_unsafe_record", her_case, {"unsafe-reason": "First reason"}
    )

    response = client.post(
        reverse("support:iss_contact_unsafe_record", args=[her_case.pk]),
        {"unsafe-version": stale_version, "unsafe-reason": "Second reason"},
    )

    assert response.status_code == 400
    assert "was changed by someone else since you opened it" in response.text
    assert IssCase.objects.get(pk=her_case.pk).contact_unsafe_reason == "First reason"


def test_it_answers_a_get_on_an_action_with_method_not_allowed(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = client_for(staffed_service.iss_worker).get(
        reverse("support:contact_attempt_record", args=[her_case.pk])
    )

    assert response.status_code == 405
