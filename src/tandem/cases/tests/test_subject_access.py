"""His own data export (subject access) and NE 5.2 (rule survivor-confidentiality): nothing he
receives ever reveals whether a survivor had contact with the ISS."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.services.children import child_add
from tandem.cases.services.engagement import engagement_change_record
from tandem.cases.services.intake import ChildDetails, SurvivorDetails
from tandem.cases.services.lifecycle import (
    ScreeningDetails,
    perpetrator_case_close,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.services.records import (
    CONTACT_KINDS,
    PlannedAction,
    contact_note_record,
    risk_assessment_record,
    risk_concern_raise,
)
from tandem.cases.subject_access import CONTACTS_WITH_HIM, subject_access_export
from tandem.cases.tests.builders import (
    FRIDAY,
    assessed,
    consented,
    iss_case_of,
    non_senior_manager,
    received,
    signed_in,
)
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.support.models import Relationship
from tandem.support.services.contact import (
    contact_attempt_record,
    iss_contact_unsafe_record,
    iss_referral_make,
)
from tandem.support.services.risk_notes import shared_risk_note_approve, shared_risk_note_write

pytestmark = pytest.mark.django_db

SURVIVOR_FIRST_NAME = "Alicesynth"
SURVIVOR_LAST_NAME = "Exampleton"
SURVIVOR_PHONE = "07700 900321"
SURVIVOR_EMAIL = "alicesynth@example.invalid"
CHILD_NAME = "Kidsynth"
SESSION_NOTE = "Synthetic: attended the session on jealousy and took part"
PROFESSIONAL_NOTE = "Synthetic: her ISS worker says she is frightened of him"
HIS_COMMENT = "Synthetic: he says the risk is overstated"
NOT_TOLD_REASON = "Synthetic: telling him would show she spoke to the ISS"
CONCERN = "Synthetic: he asked where she is living now"
RISK_NOTE = "Synthetic: she told the ISS he turned up at her work"
UNSAFE_REASON = "Synthetic: no answer on any number and no safe address"
ENGAGEMENT_DETAIL = "Synthetic: she told the ISS he is drinking again"
# What would tell him whether she had contact with the ISS, or who she is (checked ignoring case).
NEVER_IN_HIS_EXPORT = [
    SURVIVOR_FIRST_NAME,
    SURVIVOR_LAST_NAME,
    SURVIVOR_PHONE,
    SURVIVOR_EMAIL,
    CHILD_NAME,
    PROFESSIONAL_NOTE,
    NOT_TOLD_REASON,
    CONCERN,
    RISK_NOTE,
    UNSAFE_REASON,
    ENGAGEMENT_DETAIL,
    "support accepted",
    "no answer",
    "unsafe",
    "language needs",
]


def case_with_a_history(staff: ServiceStaff, *, survivor_accepted_support: bool) -> PerpetratorCase:
    """Referred, assessed, consented, started, with his sessions, risk assessments, an engagement
    change, a child and a risk concern, then completed. The survivor either accepted ISS support
    (and the ISS shared a risk note), or no contact was ever made with her."""
    survivor = SurvivorDetails(
        SURVIVOR_FIRST_NAME,
        SURVIVOR_LAST_NAME,
        Relationship.CURRENT_PARTNER,
        phone=SURVIVOR_PHONE,
        email=SURVIVOR_EMAIL,
    )
    case = received(staff, survivors=[survivor])
    case = perpetrator_case_screen(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        screening=ScreeningDetails(criminal_justice="none", family_proceedings="none"),
        now=FRIDAY,
    )
    case = consented(staff, assessed(staff, case))
    iss_case = iss_referral_make(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, now=FRIDAY
    )
    contact_attempt_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        attempted_at=FRIDAY,
        method="phone",
        outcome="support_accepted" if survivor_accepted_support else "no_answer",
        destination=SURVIVOR_PHONE,
        now=FRIDAY,
    )
    iss_case.refresh_from_db()
    if not survivor_accepted_support:
        iss_contact_unsafe_record(
            iss_case=iss_case,
            actor=staff.iss_worker,
            expected_version=iss_case.version,
            reason=UNSAFE_REASON,
            now=FRIDAY,
        )
    case = perpetrator_case_start_intervention(
        case=case, actor=staff.perpetrator_worker, expected_version=case.version, now=FRIDAY
    )
    for kind, text in ((CONTACT_KINDS[0], SESSION_NOTE), (CONTACT_KINDS[2], PROFESSIONAL_NOTE)):
        contact_note_record(
            case=case,
            actor=staff.perpetrator_worker,
            occurred_at=FRIDAY,
            kind=kind,
            note=text,
            now=FRIDAY,
        )
    risk_assessment_record(
        case=case,
        actor=staff.perpetrator_worker,
        point="intake",
        summary="Synthetic intake risk summary",
        actions=[PlannedAction("Synthetic: agree a time-out plan")],
        next_assessment_due_on=FRIDAY.date().replace(month=12),
        outcome_told_to_him=True,
        his_comment=HIS_COMMENT,
        now=FRIDAY,
    )
    risk_assessment_record(
        case=case,
        actor=staff.perpetrator_worker,
        point="event",
        summary="Synthetic event risk summary",
        actions=[],
        event_description="Synthetic: police called to her address",
        outcome_not_told_reason=NOT_TOLD_REASON,
        now=FRIDAY,
    )
    child_add(
        case=case,
        actor=staff.perpetrator_worker,
        child=ChildDetails(CHILD_NAME, "son", lives_with_perpetrator=False),
        now=FRIDAY,
    )
    risk_concern_raise(
        case=case, actor=staff.perpetrator_worker, concern=CONCERN, imminent=False, now=FRIDAY
    )
    if survivor_accepted_support:
        note = shared_risk_note_write(
            iss_case=iss_case,
            perpetrator_case=case,
            actor=staff.iss_worker,
            note=RISK_NOTE,
            now=FRIDAY,
        )
        shared_risk_note_approve(note=note, actor=staff.service_manager, now=FRIDAY)
    case.refresh_from_db()
    engagement_change_record(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        change="missed_session",
        detail=ENGAGEMENT_DETAIL,
        now=FRIDAY,
    )
    case.refresh_from_db()
    return perpetrator_case_close(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        reason="completed",
        now=FRIDAY,
    )


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key in the export, as a path; a list's items share their list's path."""
    if isinstance(value, dict):
        return {
            path
            for key, item in value.items()
            for path in {f"{prefix}/{key}"} | key_paths(item, f"{prefix}/{key}")
        }
    if isinstance(value, list):
        return {path for item in value for path in key_paths(item, f"{prefix}[]")}
    return set()


@pytest.fixture
def two_cases(staffed_service: ServiceStaff) -> tuple[PerpetratorCase, PerpetratorCase]:
    accepted = case_with_a_history(staffed_service, survivor_accepted_support=True)
    never_reached = case_with_a_history(staffed_service, survivor_accepted_support=False)
    return accepted, never_reached


def test_it_exports_the_same_whether_or_not_the_survivor_had_contact_with_the_iss(
    two_cases: tuple[PerpetratorCase, PerpetratorCase],
) -> None:
    """NE 5.2 (rule survivor-confidentiality): his export is the same, key for key and value for
    value but his case reference, whether she accepted ISS support or was never reached."""
    accepted, never_reached = two_cases

    first = subject_access_export(case=accepted, now=FRIDAY)
    second = subject_access_export(case=never_reached, now=FRIDAY)

    assert key_paths(first) == key_paths(second)
    assert "/Your sessions and calls[]/Note" in key_paths(first)
    assert json.dumps(first).replace(accepted.reference, "P") == json.dumps(second).replace(
        never_reached.reference, "P"
    )


@pytest.mark.parametrize("accepted_support", [True, False])
def test_it_keeps_every_survivor_and_iss_detail_out_of_his_export(
    staffed_service: ServiceStaff, accepted_support: bool
) -> None:
    """NE 5.2: no survivor's name or contact details, no ISS contact status or outcome, no
    shared risk note, and none of the records others informed."""
    case = case_with_a_history(staffed_service, survivor_accepted_support=accepted_support)

    text = json.dumps(subject_access_export(case=case, now=FRIDAY))

    for secret in NEVER_IN_HIS_EXPORT:
        assert secret.lower() not in text.lower(), secret
    for his_own in (SESSION_NOTE, HIS_COMMENT, "Missed a session", "Synthetic intake risk summary"):
        assert his_own in text, his_own
    assert "Synthetic event risk summary" not in text, "not told him as it was unsafe"


def test_it_takes_only_his_own_contacts_from_the_contact_kinds() -> None:
    assert set(CONTACTS_WITH_HIM) <= set(CONTACT_KINDS)


# The pages


def page_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_subject_access", args=[case.reference])


def json_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_subject_access_json", args=[case.reference])


def test_it_gives_the_senior_manager_a_printable_page_and_a_json_download(
    staffed_service: ServiceStaff, two_cases: tuple[PerpetratorCase, PerpetratorCase]
) -> None:
    accepted, never_reached = two_cases
    manager = signed_in(staffed_service.service_manager)

    assert "Produce the data held about him" in (
        manager.get(reverse("cases:case_detail", args=[accepted.reference])).content.decode()
    )
    page = manager.get(page_url(accepted))
    download = manager.get(json_url(accepted))
    other = manager.get(json_url(never_reached))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Data held about Testperson Synthetic" in html
    assert SESSION_NOTE in html
    for secret in (SURVIVOR_FIRST_NAME, SURVIVOR_LAST_NAME, SURVIVOR_PHONE, RISK_NOTE):
        assert secret not in html, secret
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"] == (
        f'attachment; filename="{accepted.reference}-data-held-about-you.json"'
    )
    assert download["Cache-Control"] == "no-store"
    exported = download.json()
    assert key_paths(exported) == key_paths(other.json())
    for secret in NEVER_IN_HIS_EXPORT:
        assert secret.lower() not in download.content.decode().lower(), secret
    events = AuditEvent.objects.filter(action="exported", object_id=str(accepted.pk))
    assert events.count() == 2
    assert {event.actor for event in events} == {staffed_service.service_manager}


def practice_manager_not_senior(staff: ServiceStaff) -> User:
    user = User.objects.create_user(username="pm-not-senior", first_name="Test")
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side="perpetrator", started_on="2024-01-01"
    )
    return user


def test_it_refuses_his_data_to_everyone_but_a_senior_manager_of_the_service(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client]
) -> None:
    """Those who can see the case but may not produce his data get 403; those who cannot see it
    get 404, so its existence is not leaked."""
    case = case_with_a_history(staffed_service, survivor_accepted_support=True)
    can_see_the_case = [
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        non_senior_manager(staffed_service),
        practice_manager_not_senior(staffed_service),
    ]
    cannot_see_it = [signed_in(staffed_service.other_service_worker)] + [
        client_as(role)
        for role in (Role.ASSESSOR, Role.COMMISSIONER, Role.ADMINISTRATOR, Role.SERVICE_MANAGER)
    ]

    for url in (page_url(case), json_url(case)):
        for user in can_see_the_case:
            assert signed_in(user).get(url).status_code == 403, (url, user.username)
        for client in cannot_see_it:
            assert client.get(url).status_code == 404, url
        anonymous = Client().get(url)
        assert urlsplit(anonymous["Location"]).path == reverse("login")
    assert not AuditEvent.objects.filter(action="exported").exists()
    worker_page = signed_in(staffed_service.perpetrator_worker).get(
        reverse("cases:case_detail", args=[case.reference])
    )
    assert "Produce the data held about him" not in worker_page.content.decode()
