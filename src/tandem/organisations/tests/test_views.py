"""The service pages: who may open each (administrators everywhere, a senior manager their own
service; 403 for everyone else, 404 for a service that is not theirs), and what the forms do
with good and bad input."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Person as AnyUser
from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service, StaffMembership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def signed_in(user: AnyUser) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def member(username: str, role: Role, service: Service, side: str, *, senior: bool = False) -> User:
    user = User.objects.create_user(username=username, first_name="Synthetic", last_name=username)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(
        user=user, service=service, side=side, is_senior_manager=senior, started_on="2024-01-01"
    )
    return user


def other_service(staff: ServiceStaff) -> Service:
    return Service.objects.exclude(pk=staff.service.pk).get()


PersonaMaker = Callable[[ServiceStaff, Callable[[Role], User]], AnyUser]
PERSONAS: dict[str, PersonaMaker] = {
    "administrator": lambda s, with_role: with_role(Role.ADMINISTRATOR),
    "senior-manager": lambda s, _r: s.service_manager,
    "assessor": lambda s, with_role: with_role(Role.ASSESSOR),
    "commissioner": lambda s, with_role: with_role(Role.COMMISSIONER),
    "perpetrator-worker": lambda s, _r: s.perpetrator_worker,
    "iss-worker": lambda s, _r: s.iss_worker,
    "manager-not-senior": lambda s, _r: member(
        "pm-not-senior", Role.PRACTICE_MANAGER, s.service, "perpetrator"
    ),
    "other-services-senior-manager": lambda s, _r: member(
        "sm-elsewhere", Role.SERVICE_MANAGER, other_service(s), "both", senior=True
    ),
    "no-role": lambda s, _r: User.objects.create_user(username="no-role"),
}
NEVER_ALLOWED = {
    "assessor",
    "commissioner",
    "perpetrator-worker",
    "iss-worker",
    "manager-not-senior",
    "no-role",
}


def routes(staff: ServiceStaff) -> dict[str, str]:
    service = staff.service.pk
    membership = StaffMembership.objects.get(user=staff.iss_worker).pk
    return {
        "service_list": reverse("organisations:service_list"),
        "service_new": reverse("organisations:service_new"),
        "organisation_new": reverse("organisations:organisation_new"),
        "service_detail": reverse("organisations:service_detail", args=[service]),
        "service_edit": reverse("organisations:service_edit", args=[service]),
        "membership_new": reverse("organisations:membership_new", args=[service]),
        "membership_end": reverse("organisations:membership_end", args=[service, membership]),
    }


ADMINISTRATORS_ONLY = {"service_new", "organisation_new"}
OF_ONE_SERVICE = {"service_detail", "service_edit", "membership_new", "membership_end"}


def expected_status(persona: str, route: str) -> int:
    if persona == "administrator":
        return 200
    if persona in NEVER_ALLOWED or route in ADMINISTRATORS_ONLY:
        return 403
    if persona == "other-services-senior-manager" and route in OF_ONE_SERVICE:
        return 404
    return 200


ROUTE_NAMES = [
    "service_list",
    "service_new",
    "organisation_new",
    "service_detail",
    "service_edit",
    "membership_new",
    "membership_end",
]


@pytest.mark.parametrize("route", ROUTE_NAMES)
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_lets_only_administrators_and_the_services_senior_managers_open_each_page(
    staffed_service: ServiceStaff,
    user_with_role: Callable[[Role], User],
    persona: str,
    route: str,
) -> None:
    client = signed_in(PERSONAS[persona](staffed_service, user_with_role))

    response = client.get(routes(staffed_service)[route])

    assert response.status_code == expected_status(persona, route)


@pytest.mark.parametrize("route", ROUTE_NAMES)
def test_it_sends_an_anonymous_visitor_to_sign_in(
    staffed_service: ServiceStaff, route: str
) -> None:
    response = signed_in(AnonymousUser()).get(routes(staffed_service)[route])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_shows_the_services_link_only_to_those_who_may_open_the_list(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User], persona: str
) -> None:
    client = signed_in(PERSONAS[persona](staffed_service, user_with_role))

    page = client.get(reverse("home")).content.decode()

    shown = reverse("organisations:service_list") in page
    assert shown is (expected_status(persona, "service_list") == 200)


def test_it_lists_only_the_services_a_senior_manager_manages(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User]
) -> None:
    mine = signed_in(staffed_service.service_manager).get(reverse("organisations:service_list"))
    everything = signed_in(user_with_role(Role.ADMINISTRATOR)).get(
        reverse("organisations:service_list")
    )

    assert "Test DAPP" in mine.content.decode()
    assert "Another service" not in mine.content.decode()
    assert "Add a service" not in mine.content.decode()
    for text in ("Test DAPP", "Another service", "Add a service"):
        assert text in everything.content.decode()


def test_it_shows_the_settings_and_current_and_past_staff_with_their_sides(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    leaver = member("leaver", Role.ISS_WORKER, staff.service, "iss")
    StaffMembership.objects.filter(user=leaver).update(ended_on=TODAY - timedelta(days=1))

    page = signed_in(staff.service_manager).get(
        reverse("organisations:service_detail", args=[staff.service.pk])
    )

    html = page.content.decode()
    current, past = html.split("Past staff", 1)
    assert "Disclosure and Barring Service (DBS)" in current
    assert "Behaviour-change (structured)" in current
    assert "Intensive case management" in current
    assert "Early-response" not in current
    assert "Internal: run by Synthetic Test Services (not real)" in current
    for user, side in (
        (staff.perpetrator_worker, "Perpetrator work"),
        (staff.iss_worker, "ISS / IDVA"),
        (staff.service_manager, "Both (managers only)"),
    ):
        assert user.username in current
        assert side in current
    assert "leaver" in past
    assert "leaver" not in current
    assert staff.other_service_worker.username not in html


def service_post(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "name": "Synthetic Second DAPP",
        "jurisdiction": "northern-ireland",
        "intervention_types": ["behaviour_change", "early_response"],
        "delivery": "one_to_one",
        "iss_provision": "internal",
        "external_iss_organisation": "",
        "partnership_agreement_signed_on": "",
        "information_sharing_agreement_signed_on": "",
        "dash_high_risk_threshold": "14",
        "marac_escalation_incidents": "3",
        "marac_escalation_window_days": "365",
        "referral_response_working_days": "5",
    }
    data.update(changes)
    return data


def test_it_lets_an_administrator_add_an_organisation_and_a_service(
    db: None, user_with_role: Callable[[Role], User]
) -> None:
    client = signed_in(user_with_role(Role.ADMINISTRATOR))

    client.post(reverse("organisations:organisation_new"), {"name": "Synthetic Org (not real)"})
    organisation = Organisation.objects.get()
    response = client.post(
        reverse("organisations:service_new"), service_post(organisation=str(organisation.pk))
    )

    service = Service.objects.get()
    assert response["Location"] == reverse("organisations:service_detail", args=[service.pk])
    assert (service.jurisdiction, service.offers_early_response, service.offers_icm) == (
        "northern-ireland",
        True,
        False,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "AccessNI" in detail
    assert "Service Synthetic Second DAPP recorded" in detail


def error_summary(html: str) -> str:
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_it_shows_a_refused_service_in_the_error_summary_linked_to_its_field(
    db: None, user_with_role: Callable[[Role], User]
) -> None:
    client = signed_in(user_with_role(Role.ADMINISTRATOR))
    organisation = Organisation.objects.create(name="Synthetic Org (not real)")

    response = client.post(
        reverse("organisations:service_new"),
        service_post(organisation=str(organisation.pk), intervention_types=[]),
    )

    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert 'href="#id_intervention_types"' in summary
    assert "choose at least one intervention type" in summary
    assert 'id="id_intervention_types"' in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1
    assert not Service.objects.exists()


def test_it_shows_an_external_iss_without_its_partner_as_an_error_on_that_field(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service

    response = signed_in(staff.service_manager).post(
        reverse("organisations:service_edit", args=[staff.service.pk]),
        service_post(iss_provision="external", expected_version="1"),
    )

    summary = error_summary(response.content.decode())
    assert 'href="#id_external_iss_organisation"' in summary
    assert Service.objects.get(pk=staff.service.pk).iss_provision == "internal"


def test_it_lets_a_senior_manager_change_their_services_settings(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    partner = Organisation.objects.create(name="Synthetic Partner (not real)")
    client = signed_in(staff.service_manager)
    url = reverse("organisations:service_edit", args=[staff.service.pk])
    form = client.get(url).content.decode()
    assert 'value="Test DAPP"' in form
    assert 'name="expected_version" value="1"' in form

    response = client.post(
        url,
        service_post(
            name="Test DAPP",
            iss_provision="external",
            external_iss_organisation=str(partner.pk),
            partnership_agreement_signed_on="2024-04-01",
            information_sharing_agreement_signed_on="2024-04-02",
            expected_version="1",
        ),
    )

    assert response.status_code == 302
    service = Service.objects.get(pk=staff.service.pk)
    assert (service.version, service.external_iss_organisation) == (2, partner)


def test_it_refuses_a_settings_change_made_on_a_stale_page(staffed_service: ServiceStaff) -> None:
    staff = staffed_service
    Service.objects.filter(pk=staff.service.pk).update(version=2)

    response = signed_in(staff.service_manager).post(
        reverse("organisations:service_edit", args=[staff.service.pk]),
        service_post(name="Test DAPP", expected_version="1"),
    )

    assert "changed by someone else" in error_summary(response.content.decode())
    assert Service.objects.get(pk=staff.service.pk).jurisdiction == "england-and-wales"


def test_it_adds_a_staff_member_by_username(staffed_service: ServiceStaff) -> None:
    staff = staffed_service
    newcomer = User.objects.create_user(username="Newcomer", first_name="Synthetic")
    newcomer.groups.add(Group.objects.get_or_create(name=Role.ISS_WORKER.value)[0])

    response = signed_in(staff.service_manager).post(
        reverse("organisations:membership_new", args=[staff.service.pk]),
        {"username": "newcomer", "side": "iss", "started_on": TODAY.isoformat()},
    )

    assert response.status_code == 302
    membership = StaffMembership.objects.get(user=newcomer)
    assert (membership.side, membership.is_senior_manager) == ("iss", False)


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"username": "nobody-here", "side": "iss"}, "username", "No one has that username"),
        ({"username": "iss1", "side": "iss"}, "username", "already works in this service"),
        ({"username": "pw", "side": "both"}, "side", "(rule not-same-staff)"),
        (
            {"username": "pw", "side": "perpetrator", "is_senior_manager": "on"},
            "is_senior_manager",
            "service manager or practice manager",
        ),
        ({"username": "pw", "side": ""}, "side", "Choose their side"),
    ],
)
def test_it_shows_a_refused_staff_member_on_the_field_at_fault(
    staffed_service: ServiceStaff, post: dict[str, str], field: str, message: str
) -> None:
    staff = staffed_service
    memberships = StaffMembership.objects.count()
    if post["username"] == "pw":
        StaffMembership.objects.filter(user=staff.perpetrator_worker).delete()
        memberships -= 1

    response = signed_in(staff.service_manager).post(
        reverse("organisations:membership_new", args=[staff.service.pk]),
        {**post, "started_on": TODAY.isoformat()},
    )

    summary = error_summary(response.content.decode())
    anchor = f"#id_{field}_0" if field == "side" else f"#id_{field}"
    assert f'href="{anchor}"' in summary
    assert message in summary
    assert StaffMembership.objects.count() == memberships


def test_it_ends_a_membership_and_moves_them_to_past_staff(staffed_service: ServiceStaff) -> None:
    staff = staffed_service
    membership = StaffMembership.objects.get(user=staff.iss_worker)
    client = signed_in(staff.service_manager)
    url = reverse("organisations:membership_end", args=[staff.service.pk, membership.pk])

    too_early = client.post(url, {"ended_on": "2023-12-31"})
    assert "before they started" in error_summary(too_early.content.decode())
    response = client.post(url, {"ended_on": (TODAY - timedelta(days=1)).isoformat()})

    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "iss1" in detail.split("Past staff", 1)[1]


def test_it_answers_404_for_a_membership_of_another_service(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    elsewhere = StaffMembership.objects.get(user=staff.other_service_worker)

    response = signed_in(staff.service_manager).get(
        reverse("organisations:membership_end", args=[staff.service.pk, elsewhere.pk])
    )

    assert response.status_code == 404
