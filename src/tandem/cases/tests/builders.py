"""Builders shared by the perpetrator case tests (and by other apps' tests that need a case): a
synthetic case at the stage a test needs, the people who may or may not act on it, and the
client they sign in with."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.test import Client

from tandem.access.roles import Role
from tandem.cases.models import PerpetratorCase, ReferralSource, SuspensionProposal
from tandem.cases.services.intake import (
    ReferralDetails,
    SurvivorDetails,
    perpetrator_referral_receive,
)
from tandem.cases.services.lifecycle import (
    AssessmentDetails,
    ConsentDetails,
    ScreeningDetails,
    perpetrator_case_assess,
    perpetrator_case_record_consent,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.services.reports import ReportSections
from tandem.cases.services.suspension import (
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
)
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership
from tandem.support.models import IssCase, Relationship
from tandem.support.services.contact import iss_contact_unsafe_record
from tandem.workforce.tests.builders import worker_with_current_check

LONDON = ZoneInfo("Europe/London")
# Friday 20 November 2026, 10:14: a referral at the end of a working week.
FRIDAY = datetime(2026, 11, 20, 10, 14, tzinfo=LONDON)


def referral(**overrides: object) -> ReferralDetails:
    values: dict[str, object] = {
        "first_name": "Testperson",
        "last_name": "Synthetic",
        "date_of_birth": date(1985, 3, 1),
        "received_at": FRIDAY,
        "source": ReferralSource.AGENCY,
        "referrer_name": "A. Referrer (synthetic)",
        "survivors": [
            SurvivorDetails("Alice", "Example", Relationship.CURRENT_PARTNER, phone="07700 900001")
        ],
    }
    values.update(overrides)
    return ReferralDetails(**values)  # type: ignore[arg-type]


def received(staff: ServiceStaff, **overrides: object) -> PerpetratorCase:
    return perpetrator_referral_receive(
        service=staff.service,
        actor=staff.perpetrator_worker,
        details=referral(**overrides),
        now=FRIDAY,
    )


def screened(staff: ServiceStaff, **screening: object) -> PerpetratorCase:
    case = received(staff)
    values: dict[str, object] = {"criminal_justice": "none", "family_proceedings": "none"}
    values.update(screening)
    return perpetrator_case_screen(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        screening=ScreeningDetails(**values),  # type: ignore[arg-type]
        now=FRIDAY,
    )


def assessed(
    staff: ServiceStaff, case: PerpetratorCase | None = None, **overrides: object
) -> PerpetratorCase:
    case = case or screened(staff)
    values: dict[str, object] = {
        "risk_summary": "Synthetic risk summary",
        "need_summary": "Synthetic need",
        "responsivity_summary": "Synthetic responsivity",
        "motivation_summary": "Synthetic motivation",
        "accepted": True,
        "decision_statement": "Eligible and suitable for the group programme.",
        "intervention_type": "behaviour_change",
    }
    values.update(overrides)
    return perpetrator_case_assess(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        assessment=AssessmentDetails(**values),  # type: ignore[arg-type]
        now=FRIDAY,
    )


def consented(staff: ServiceStaff, case: PerpetratorCase, **overrides: object) -> PerpetratorCase:
    values: dict[str, object] = {
        "signed_on": date(2026, 11, 20),
        "covers_case_file_review": True,
        "covers_recorded_sessions": True,
    }
    values.update(overrides)
    return perpetrator_case_record_consent(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        consent=ConsentDetails(**values),  # type: ignore[arg-type]
        now=FRIDAY,
    )


def iss_case_of(case: PerpetratorCase, position: int = 1) -> IssCase:
    return IssCase.objects.get(
        survivor__links__perpetrator_case=case, survivor__links__position=position
    )


TWO_SURVIVORS = [
    SurvivorDetails("Alice", "Example", Relationship.CURRENT_PARTNER, phone="07700 900001"),
    SurvivorDetails("Beth", "Example", Relationship.EX_PARTNER, email="beth@example.invalid"),
]


def in_intervention(staff: ServiceStaff, **referral: object) -> PerpetratorCase:
    case = received(staff, **referral)
    case = perpetrator_case_screen(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        screening=ScreeningDetails(criminal_justice="none", family_proceedings="none"),
        now=FRIDAY,
    )
    case = consented(staff, assessed(staff, case))
    for link in case.survivor_links.all():
        iss_contact_unsafe_record(
            iss_case=iss_case_of(case, link.position),
            actor=staff.iss_worker,
            expected_version=1,
            reason="Synthetic: no safe way to reach her yet",
        )
    return perpetrator_case_start_intervention(
        case=case, actor=staff.perpetrator_worker, expected_version=case.version, now=FRIDAY
    )


def proposed(
    staff: ServiceStaff, case: PerpetratorCase | None = None, kind: str = "suspension"
) -> SuspensionProposal:
    case = case or in_intervention(staff)
    return suspension_propose(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        kind=kind,
        reason="Synthetic: charged with a domestic abuse offence",
        now=FRIDAY,
    )


def consulted_and_informed(staff: ServiceStaff, proposal: SuspensionProposal) -> None:
    suspension_record_iss_consultation(proposal=proposal, actor=staff.iss_worker, now=FRIDAY)
    suspension_record_survivors_informed(proposal=proposal, actor=staff.iss_worker, now=FRIDAY)


def non_senior_manager(staff: ServiceStaff) -> User:
    user = User.objects.create_user(username="sm-not-senior", first_name="Test")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side="both", is_senior_manager=False, started_on=FRIDAY
    )
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_member(
    staff: ServiceStaff,
    username: str,
    role: Role,
    side: str,
    *,
    senior: bool = False,
    service: Service | None = None,
) -> User:
    user = User.objects.create_user(username=username, first_name="Test", last_name=username)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=service or staff.service,
        side=side,
        is_senior_manager=senior,
        started_on=date(2024, 1, 1),
    )
    # Rule dbs: a current criminal record check, so they can be allocated cases.
    worker_with_current_check(user=user, service=service or staff.service)
    return user


def practice_manager(staff: ServiceStaff) -> User:
    return staff_member(staff, "pm", Role.PRACTICE_MANAGER, "perpetrator")


def iss_manager(staff: ServiceStaff) -> User:
    return staff_member(staff, "iss-manager", Role.PRACTICE_MANAGER, "iss")


def report_sections(**overrides: str) -> ReportSections:
    values = {
        "recipient": "court",
        "recipient_name": "Example Family Court (synthetic)",
        "intervention_and_attendance": "Synthetic: attended 10 of 12 sessions.",
        "further_abuse": "Synthetic: none known to the service.",
        "concerns_with_evidence": "Synthetic: minimises his behaviour (session notes 3, 7).",
        "limitations": "Synthetic: based on his account and ISS contact only.",
    }
    values.update(overrides)
    return ReportSections(**values)
