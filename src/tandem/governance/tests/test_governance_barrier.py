"""Rule survivor-confidentiality in governance: feedback from the ISS side (what survivors said)
and complaints involving a survivor are read only by the managers on the ISS side of the
service; each manager on the perpetrator side (or running the service without case records)
sees how many there are, on the pages, through the API and in the calendar, never their words."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.governance.due import governance_due_items_for_user
from tandem.governance.models import Complaint, FeedbackEntry
from tandem.governance.services.complaints import complaint_update
from tandem.governance.tests.builders import NOW
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import StaffMembership

pytestmark = pytest.mark.django_db

SURVIVOR_WORDS = "Synthetic survivor said the worker called her at an unsafe time"
ISS_THEME = "Synthetic unsafe call times"
PERPETRATOR_WORDS = "Synthetic service user said the group room was too cold"

# The managers who may open the governance pages but work off the ISS side: (role, side).
OFF_ISS_SIDE_MANAGERS = [
    (Role.SERVICE_MANAGER, "perpetrator"),
    (Role.PRACTICE_MANAGER, "perpetrator"),
    (Role.SERVICE_MANAGER, "management"),
]
ISS_SIDE_SERVICE_MANAGERS = [(Role.SERVICE_MANAGER, "iss"), (Role.SERVICE_MANAGER, "both")]


def manager(staff: ServiceStaff, role: Role, side: str) -> User:
    user = User.objects.create_user(
        username=f"{role.value}-{side}", first_name="Test", last_name=f"{role.label} {side}"
    )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=staff.service,
        side=side,
        is_senior_manager=True,
        started_on=date(2024, 1, 1),
    )
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(name: str, staff: ServiceStaff, *args: int) -> str:
    return reverse(f"governance:{name}", args=[staff.service.pk, *args])


@pytest.fixture
def records(staffed_service: ServiceStaff) -> tuple[Complaint, Complaint]:
    """One complaint involving a survivor and one not, both open and overdue; feedback from
    each side, received this month."""
    common = {
        "service": staffed_service.service,
        "received_on": date(2026, 1, 5),
        "response_due_on": date(2026, 2, 2),
        "recorded_by": staffed_service.service_manager,
    }
    hers = Complaint.objects.create(
        complainant="A survivor", summary=SURVIVOR_WORDS, involves_survivor=True, **common
    )
    his = Complaint.objects.create(
        complainant="A service user", summary=PERPETRATOR_WORDS, involves_survivor=False, **common
    )
    today = date.today()
    for side, theme, words in [
        ("iss", ISS_THEME, SURVIVOR_WORDS),
        ("perpetrator", "Rooms", PERPETRATOR_WORDS),
    ]:
        FeedbackEntry.objects.create(
            service=staffed_service.service,
            received_on=today,
            method="interview",
            from_side=side,
            theme=theme,
            summary=words,
            change_made=f"Synthetic change after {theme}",
            recorded_by=staffed_service.service_manager,
        )
    return hers, his


@pytest.mark.parametrize(("role", "side"), OFF_ISS_SIDE_MANAGERS)
def test_it_shows_managers_off_the_iss_side_the_count_of_iss_feedback_not_its_words(
    staffed_service: ServiceStaff, records: object, role: Role, side: str
) -> None:
    response = signed_in(manager(staffed_service, role, side)).get(
        page("feedback", staffed_service)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert SURVIVOR_WORDS not in text
    assert ISS_THEME not in text
    assert PERPETRATOR_WORDS in text
    assert "2, of which 1 from the ISS side" in text


@pytest.mark.parametrize(
    ("role", "side"),
    [(Role.SERVICE_MANAGER, "iss"), (Role.PRACTICE_MANAGER, "iss"), (Role.SERVICE_MANAGER, "both")],
)
def test_it_shows_iss_feedback_to_the_managers_on_the_iss_side(
    staffed_service: ServiceStaff, records: object, role: Role, side: str
) -> None:
    text = (
        signed_in(manager(staffed_service, role, side))
        .get(page("feedback", staffed_service))
        .content.decode()
    )
    assert SURVIVOR_WORDS in text
    assert ISS_THEME in text
    assert "of which" not in text


@pytest.mark.parametrize(("role", "side"), [OFF_ISS_SIDE_MANAGERS[0], OFF_ISS_SIDE_MANAGERS[2]])
def test_it_shows_service_managers_off_the_iss_side_the_count_of_survivor_complaints(
    staffed_service: ServiceStaff, records: tuple[Complaint, Complaint], role: Role, side: str
) -> None:
    hers, his = records
    client = signed_in(manager(staffed_service, role, side))
    text = client.get(page("complaints", staffed_service)).content.decode()
    assert SURVIVOR_WORDS not in text
    assert PERPETRATOR_WORDS in text
    assert "Complaints involving a survivor: 1, of which 1 still open" in text
    assert client.get(page("complaint", staffed_service, hers.pk)).status_code == 404
    assert client.get(page("complaint", staffed_service, his.pk)).status_code == 200


@pytest.mark.parametrize(("role", "side"), ISS_SIDE_SERVICE_MANAGERS)
def test_it_shows_survivor_complaints_to_the_service_manager_on_the_iss_side(
    staffed_service: ServiceStaff, records: tuple[Complaint, Complaint], role: Role, side: str
) -> None:
    hers, _ = records
    client = signed_in(manager(staffed_service, role, side))
    text = client.get(page("complaints", staffed_service)).content.decode()
    assert SURVIVOR_WORDS in text
    assert "Complaints involving a survivor:" not in text
    assert (
        SURVIVOR_WORDS in client.get(page("complaint", staffed_service, hers.pk)).content.decode()
    )


@pytest.mark.parametrize(
    ("side", "sees_hers"), [("perpetrator", False), ("management", False), ("iss", True)]
)
def test_the_complaints_api_lists_survivor_complaints_on_the_iss_side_only(
    staffed_service: ServiceStaff, records: object, side: str, sees_hers: bool
) -> None:
    client = APIClient()
    client.force_authenticate(manager(staffed_service, Role.SERVICE_MANAGER, side))
    response = client.get(reverse("v1:governance-complaints", args=[staffed_service.service.pk]))
    assert response.status_code == 200
    summaries = {row["summary"] for row in response.json()}
    assert PERPETRATOR_WORDS in summaries
    assert (SURVIVOR_WORDS in summaries) is sees_hers
    calendar = client.get(reverse("v1:governance-calendar", args=[staffed_service.service.pk]))
    assert sum(item["rule_id"] == "complaints" for item in calendar.json()) == (
        2 if sees_hers else 1
    )


def test_my_work_lists_a_survivor_complaint_due_on_the_iss_side_only(
    staffed_service: ServiceStaff, records: object
) -> None:
    def complaints_due(user: User) -> int:
        items = governance_due_items_for_user(user=user, now=NOW)
        return sum(item.rule_id == "complaints" for item in items)

    assert complaints_due(manager(staffed_service, Role.SERVICE_MANAGER, "perpetrator")) == 1
    assert complaints_due(manager(staffed_service, Role.SERVICE_MANAGER, "iss")) == 2


def test_a_service_manager_off_the_iss_side_cannot_answer_a_survivor_complaint(
    staffed_service: ServiceStaff, records: tuple[Complaint, Complaint]
) -> None:
    hers, _ = records
    with pytest.raises(ActionRefused) as refused:
        complaint_update(
            complaint=hers,
            investigator=None,
            investigation="Synthetic investigation",
            outcome="upheld",
            responded_on=None,
            expected_version=hers.version,
            actor=manager(staffed_service, Role.SERVICE_MANAGER, "perpetrator"),
        )
    assert refused.value.rule_id == "survivor-confidentiality"
    hers.refresh_from_db()
    assert (hers.investigation, hers.version) == ("", 1)


def test_the_complaint_form_asks_whether_it_involves_a_survivor(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.service_manager)
    answer = {"received_on": "2026-01-05", "complainant": "A professional", "summary": "Late"}
    refused = client.post(page("complaint_new", staffed_service), answer)
    assert "Choose whether it involves a survivor" in refused.content.decode()
    assert not Complaint.objects.exists()
    client.post(page("complaint_new", staffed_service), {**answer, "involves_survivor": "no"})
    assert Complaint.objects.get().involves_survivor is False
