"""A man leaves a group (completed, suspended or removed, dropped out): sessions after his last
day are not his, the group's size no longer counts him (rule group-size), and the register keeps
him, with why he left and his dose so far (rule dose)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliveryException, Group, GroupParticipant
from tandem.delivery.selectors import group_list_for_user, session_participants
from tandem.delivery.services import (
    AttendanceEntry,
    WarningsNeedReason,
    attendance_record,
    group_participant_add,
    group_participant_leave,
)
from tandem.delivery.tests.builders import (
    MONDAY,
    NOW,
    TODAY,
    group_session,
    group_with,
    men_in_intervention,
)
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = pytest.mark.django_db

REASON = "Synthetic: dropped out"


def first_place(group: Group) -> GroupParticipant:
    return group.participants.select_related("case", "group").order_by("case__reference")[0]


def leave(
    staff: ServiceStaff, place: GroupParticipant, left_on: object, reason: str = REASON
) -> GroupParticipant:
    place.group.refresh_from_db()
    return group_participant_leave(
        participant=place,
        actor=staff.perpetrator_worker,
        expected_version=place.group.version,
        left_on=left_on,  # type: ignore[arg-type]
        reason=reason,
        now=NOW,
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_records_that_he_left_and_audits_it(staffed_service: ServiceStaff) -> None:
    group = group_with(staffed_service, men=7)
    place = first_place(group)
    version = group.version
    leave(staffed_service, place, MONDAY, "  Synthetic: completed the programme  ")
    place.refresh_from_db()
    group.refresh_from_db()
    assert place.left_on == MONDAY
    assert place.leaving_reason == "Synthetic: completed the programme"
    assert group.version == version + 1
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(GroupParticipant),
        object_id=str(place.pk),
        action="changed",
    )
    assert event.actor == staffed_service.perpetrator_worker
    assert event.before == {"left_on": None, "leaving_reason": ""}
    assert event.after == {
        "left_on": MONDAY.isoformat(),
        "leaving_reason": "Synthetic: completed the programme",
    }


def test_it_lets_him_leave_on_the_day_he_joined_and_today(staffed_service: ServiceStaff) -> None:
    """The boundaries: his joining day and today are both allowed."""
    group = group_with(staffed_service, men=7)
    places = list(group.participants.select_related("case", "group").order_by("pk"))
    assert leave(staffed_service, places[0], places[0].joined_on).left_on == places[0].joined_on
    assert leave(staffed_service, places[1], TODAY).left_on == TODAY


@pytest.mark.parametrize(
    ("days_after_joining", "reason", "field"),
    [
        (-1, REASON, "left_on"),  # before he joined
        (None, REASON, "left_on"),  # tomorrow: in the future
        (7, "   ", "reason"),  # no reason
    ],
)
def test_it_refuses_a_bad_date_or_no_reason_naming_the_field(
    staffed_service: ServiceStaff, days_after_joining: int | None, reason: str, field: str
) -> None:
    group = group_with(staffed_service, men=7)
    place = first_place(group)
    left_on = (
        TODAY + timedelta(days=1)
        if days_after_joining is None
        else place.joined_on + timedelta(days=days_after_joining)
    )
    with pytest.raises(ActionRefused) as refused:
        leave(staffed_service, place, left_on, reason)
    assert refused.value.field == field
    place.refresh_from_db()
    assert place.left_on is None
    assert place.leaving_reason == ""


def test_it_refuses_leaving_twice_and_from_a_stale_page(staffed_service: ServiceStaff) -> None:
    group = group_with(staffed_service, men=7)
    place = first_place(group)
    version = group.version
    leave(staffed_service, place, MONDAY)
    with pytest.raises(ActionRefused) as twice:
        leave(staffed_service, place, MONDAY + timedelta(days=1), "Synthetic: again")
    assert twice.value.field == "left_on"
    other = group.participants.exclude(pk=place.pk).first()
    assert other is not None
    with pytest.raises(StaleRecord) as stale:
        group_participant_leave(
            participant=other,
            actor=staffed_service.perpetrator_worker,
            expected_version=version,
            left_on=MONDAY,
            reason=REASON,
            now=NOW,
        )
    assert stale.value.field == "version"
    place.refresh_from_db()
    assert place.leaving_reason == REASON


def test_it_refuses_a_date_before_a_session_his_attendance_is_recorded_at(
    staffed_service: ServiceStaff,
) -> None:
    group = group_with(staffed_service, men=7)
    session = group_session(staffed_service, group)
    session.refresh_from_db()
    attendance_record(
        session=session,
        actor=staffed_service.perpetrator_worker,
        expected_version=session.version,
        entries=[AttendanceEntry(c.pk, "attended") for c in session_participants(session=session)],
        now=NOW,
    )
    place = first_place(group)
    with pytest.raises(ActionRefused) as refused:
        leave(staffed_service, place, MONDAY - timedelta(days=1))
    assert refused.value.field == "left_on"
    assert leave(staffed_service, place, MONDAY).left_on == MONDAY


def test_it_leaves_him_out_of_sessions_after_his_last_day_only(
    staffed_service: ServiceStaff,
) -> None:
    """A session planned after he left, held after his last day, does not list him; one held
    before it, or on it, does; attendance after it is recorded without him."""
    group = group_with(staffed_service, men=7)
    place = first_place(group)
    leave(staffed_service, place, MONDAY - timedelta(weeks=1))
    before = group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=2))
    last_day = group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=1))
    after = group_session(staffed_service, group, held_on=MONDAY)
    assert place.case in session_participants(session=before)
    assert place.case in session_participants(session=last_day)
    assert place.case not in session_participants(session=after)
    after.refresh_from_db()
    records = attendance_record(
        session=after,
        actor=staffed_service.perpetrator_worker,
        expected_version=after.version,
        entries=[AttendanceEntry(c.pk, "attended") for c in session_participants(session=after)],
        now=NOW,
    )
    assert len(records) == 6
    with pytest.raises(ActionRefused) as refused:
        attendance_record(
            session=after,
            actor=staffed_service.perpetrator_worker,
            expected_version=after.version + 1,
            entries=[AttendanceEntry(place.case_id, "attended")],
            now=NOW,
        )
    assert refused.value.field == "attendance"


def test_it_counts_only_current_participants_for_the_group_size(
    staffed_service: ServiceStaff,
) -> None:
    """Rule group-size: 6 men less one who left is 5 on later sessions (a reason is needed),
    still 6 on sessions before he left."""
    group = group_with(staffed_service, men=6)
    leave(staffed_service, first_place(group), MONDAY - timedelta(days=1))
    group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=1))
    with pytest.raises(WarningsNeedReason) as warned:
        group_session(staffed_service, group, held_on=MONDAY)
    assert [w.rule_id for w in warned.value.warnings] == ["group-size"]
    assert not DeliveryException.objects.exists()
    listed = group_list_for_user(user=staffed_service.perpetrator_worker).get(pk=group.pk)
    assert listed.participant_count == 5  # type: ignore[attr-defined]


def test_it_lets_a_13th_man_join_without_a_reason_once_one_left(
    staffed_service: ServiceStaff,
) -> None:
    """Rule group-size: 12 men, one left, a new man joining makes 12 again."""
    big = group_with(staffed_service, men=12)
    leave(staffed_service, first_place(big), MONDAY - timedelta(days=1))
    big.refresh_from_db()
    (thirteenth,) = men_in_intervention(staffed_service, 1)
    group_participant_add(
        group=big,
        actor=staffed_service.perpetrator_worker,
        expected_version=big.version,
        case=thirteenth,
        joined_on=MONDAY,
        now=NOW,
    )
    assert not DeliveryException.objects.filter(group=big).exists()


@pytest.fixture
def left_group(staffed_service: ServiceStaff) -> tuple[Group, GroupParticipant]:
    group = group_with(staffed_service, men=7)
    return group, first_place(group)


def leave_urls(group: Group, place: GroupParticipant) -> tuple[str, str]:
    return (
        reverse("delivery:participant_leave", args=[group.pk, place.pk]),
        f"/api/v1/delivery/groups/{group.pk}/participants/{place.pk}/leave/",
    )


@pytest.mark.parametrize("role", [Role.ISS_WORKER, Role.ASSESSOR, Role.COMMISSIONER, None])
def test_it_refuses_the_page_and_route_to_those_off_the_perpetrator_side(
    staffed_service: ServiceStaff,
    left_group: tuple[Group, GroupParticipant],
    user_with_role: Callable[[Role], User],
    user_without_role: User,
    role: Role | None,
) -> None:
    client = signed_in(user_with_role(role) if role else user_without_role)
    page, api = leave_urls(*left_group)
    body = {"version": 1, "left_on": MONDAY.isoformat(), "reason": REASON}
    assert client.get(page).status_code == 403
    assert client.post(page, body).status_code == 403
    assert client.post(api, body, content_type="application/json").status_code == 403
    assert GroupParticipant.objects.filter(left_on__isnull=False).count() == 0


def test_it_refuses_the_services_iss_worker_and_another_services_staff(
    staffed_service: ServiceStaff, left_group: tuple[Group, GroupParticipant]
) -> None:
    """The information barrier (the service's ISS worker: 403) and other services' records
    (404)."""
    page, api = leave_urls(*left_group)
    body = {"version": left_group[0].version, "left_on": MONDAY.isoformat(), "reason": REASON}
    iss = signed_in(staffed_service.iss_worker)
    assert iss.get(page).status_code in (403, 404)
    assert iss.post(api, body, content_type="application/json").status_code in (403, 404)
    other = signed_in(staffed_service.other_service_worker)
    assert other.get(page).status_code == 404
    assert other.post(page, body).status_code == 404
    assert other.post(api, body, content_type="application/json").status_code == 404
    assert GroupParticipant.objects.filter(left_on__isnull=False).count() == 0


def test_it_answers_404_for_a_place_in_another_group(
    staffed_service: ServiceStaff, left_group: tuple[Group, GroupParticipant]
) -> None:
    group, place = left_group
    client = signed_in(staffed_service.perpetrator_worker)
    wrong = reverse("delivery:participant_leave", args=[group.pk, place.pk + 1000])
    assert client.get(wrong).status_code == 404


def test_it_records_that_he_left_from_the_register_page(
    staffed_service: ServiceStaff, left_group: tuple[Group, GroupParticipant]
) -> None:
    group, place = left_group
    client = signed_in(staffed_service.perpetrator_worker)
    register = reverse("delivery:group_register", args=[group.pk])
    page, _api = leave_urls(group, place)
    assert page in client.get(register).content.decode()
    data = {"expected_version": group.version, "left_on": MONDAY.isoformat(), "reason": ""}
    response = client.post(page, data)
    assert response.status_code == 200
    assert "Enter why he left" in response.content.decode()
    future = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(page, {**data, "left_on": future, "reason": REASON})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    response = client.post(page, {**data, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == register
    shown = client.get(register).content.decode()
    assert 'id="group-left"' in shown
    assert REASON in shown
    assert MONDAY.strftime("%-d %b %Y") in shown
    assert page not in shown


def test_it_records_that_he_left_through_the_api_naming_the_field(
    staffed_service: ServiceStaff, left_group: tuple[Group, GroupParticipant]
) -> None:
    group, place = left_group
    client = signed_in(staffed_service.perpetrator_worker)
    _page, api = leave_urls(group, place)
    body = {"version": group.version, "left_on": MONDAY.isoformat(), "reason": " "}
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()
    before = (place.joined_on - timedelta(days=1)).isoformat()
    response = client.post(api, {**body, "left_on": before}, content_type="application/json")
    assert response.status_code == 400
    assert "left_on" in response.json()
    response = client.post(api, {**body, "reason": REASON}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "id": place.pk,
        "case": place.case.reference,
        "joined_on": place.joined_on.isoformat(),
        "left_on": MONDAY.isoformat(),
        "leaving_reason": REASON,
    }
    stale = client.post(api, {**body, "reason": REASON}, content_type="application/json")
    assert stale.status_code == 409
    detail = client.get(f"/api/v1/delivery/groups/{group.pk}/").json()
    assert {p["left_on"] for p in detail["participants"]} == {None, MONDAY.isoformat()}


def test_it_shows_the_register_in_queries_that_do_not_grow_with_men_who_left(
    staffed_service: ServiceStaff,
) -> None:
    """The register lists those who left apart, with their dose (rule dose), in the same number
    of queries for 1 man who left as for 3."""
    group = group_with(staffed_service, men=9)
    for week in range(2):
        group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=week + 3))
    places = list(group.participants.select_related("case", "group").order_by("pk"))
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("delivery:group_register", args=[group.pk])

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    leave(staffed_service, places[0], MONDAY)
    one, page = count()
    assert page.count("Below dose") == 9
    for place in places[1:3]:
        leave(staffed_service, place, MONDAY)
    three, page = count()
    assert three == one
    assert page.count('govuk-tag--grey">Left<') == 3
    assert page.count("Record that he left") == 6
