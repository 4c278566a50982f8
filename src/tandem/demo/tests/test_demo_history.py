"""What `tandem demo`'s synthetic service holds: 18 months of history built through the real services.

The tests only read it, so they share one load (at the smallest size), rolled back when they are done."""

from datetime import timedelta
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db.models import F, Min
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from tandem.access.roles import Role
from tandem.cases.due import recurring_items_for_user
from tandem.cases.models import (
    CaseReviewMeeting,
    ContactNote,
    FileAudit,
    PerpetratorCase,
    RiskAssessment,
    RiskConcern,
    RiskEngagementExchange,
    RiskPoint,
)
from tandem.cases.selectors import open_cases_at
from tandem.compliance.models import OVERDUE, DueTask
from tandem.demo.organisation import SERVICE_NAME
from tandem.demo.people import PERPETRATOR_FIRST_NAMES, SURNAMES, SURVIVOR_FIRST_NAMES
from tandem.demo.plans import MIN_SIZE
from tandem.demo.service import DemoServiceSummary, demo_service_get, demo_service_load
from tandem.demo.tests.builders import LONDON, TODAY, demo_loaded
from tandem.demo.users import demo_user
from tandem.lib.calendar import Jurisdiction, due_after_working_days, recorded_late
from tandem.organisations.models import Service
from tandem.organisations.selectors import (
    is_senior_manager_of,
    iss_side_services,
    perpetrator_side_services,
)
from tandem.standards.models import InterventionType
from tandem.support.models import DashAssessment, IssCase, MaracReferral, SharedRiskNote, Survivor

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction: None, django_db_blocker: DjangoDbBlocker) -> DemoServiceSummary:
    with django_db_blocker.unblock():
        return demo_loaded(size=MIN_SIZE)


def test_it_records_late_iss_referrals_and_late_first_contacts(demo: DemoServiceSummary) -> None:
    """Rules iss-handover (24 hours) and iss-contact (5 working days), breached in the past."""

    late = DueTask.objects.filter(completed_at__gt=F("due_at"))
    assert late.filter(rule_id="iss-handover").exists()
    assert late.filter(rule_id="iss-contact").exists()
    late_referral = IssCase.objects.filter(
        due_tasks__rule_id="iss-handover", due_tasks__completed_at__gt=F("due_tasks__due_at")
    ).first()
    assert late_referral is not None
    assert late_referral.referred_at is not None
    received = late_referral.survivor.contact_details_received_at
    assert late_referral.referred_at - received > timedelta(hours=24)


def test_it_leaves_tasks_overdue_and_due_soon_today(demo: DemoServiceSummary) -> None:
    """What the demo ISS and perpetrator workers' "My work" pages have to show."""

    open_tasks = DueTask.objects.filter(completed_at__isnull=True)
    overdue = open_tasks.filter(due_at__lt=TODAY)
    due_soon = open_tasks.filter(
        due_at__gte=TODAY,
        due_at__lte=due_after_working_days(
            start=TODAY, working_days=2, jurisdiction=Jurisdiction.ENGLAND_AND_WALES
        ),
    )
    assert demo.open_tasks == open_tasks.count()
    assert demo.overdue_tasks == overdue.count() > 0
    assert {"iss-handover", "iss-contact"} <= set(overdue.values_list("rule_id", flat=True))
    assert overdue.filter(side="perpetrator", rule_id="assessment-outcome").exists()
    iss_worker = demo_user(Role.ISS_WORKER)
    assert overdue.filter(assigned_to=iss_worker).exists()
    assert due_soon.filter(assigned_to=iss_worker, rule_id="engagement-change").exists()


def test_it_builds_history_through_the_services(demo: DemoServiceSummary) -> None:
    """Transitions, tasks and contact attempts dated in the past, as the services record them."""

    started = PerpetratorCase.objects.filter(intervention_started_at__isnull=False)
    assert started.exists()
    for case in started:
        kinds = list(case.transitions.values_list("kind", flat=True))
        assert kinds[:3] == ["screened", "assessed", "intervention_started"]
        assert all(t.occurred_at < TODAY for t in case.transitions.all())
        assert case.consent_signed_on is not None
    flagged = PerpetratorCase.objects.filter(possible_duplicate_of__isnull=False).distinct()
    assert flagged.count() == 2, "the re-referral after proceedings concluded is flagged"
    assert "cj-pending" in "".join(flagged.values_list("closure_detail", flat=True))


# role: (works on the perpetrator side, on the ISS side, senior manager)
DEMO_SIDES = {
    Role.PERPETRATOR_WORKER: (True, False, False),
    Role.ISS_WORKER: (False, True, False),
    Role.SERVICE_MANAGER: (True, True, True),
    Role.PRACTICE_MANAGER: (True, False, True),
}


def test_it_gives_each_demo_sign_in_its_side_of_the_barrier(demo: DemoServiceSummary) -> None:
    service = demo_service_get()
    assert service is not None

    for role in Role:
        user = demo_user(role)
        perpetrator_side, iss_side, senior = DEMO_SIDES.get(role, (False, False, False))
        assert list(perpetrator_side_services(user=user)) == (
            [service] if perpetrator_side else []
        ), role
        assert list(iss_side_services(user=user)) == ([service] if iss_side else []), role
        assert is_senior_manager_of(user=user, service=service) is senior, role


def test_it_leaves_the_case_review_and_the_file_audit_overdue_for_the_service_manager(
    demo: DemoServiceSummary,
) -> None:
    """Rules case-review (monthly) and file-audit (at most 8 weeks apart): the missed review and
    the late audit the service manager's "My work" shows today."""

    items = recurring_items_for_user(user=demo_user(Role.SERVICE_MANAGER), now=TODAY)
    due = {item.rule_id: item for item in items if item.service == demo_service_get()}
    assert due["case-review"].urgency == OVERDUE
    assert due["case-review"].due_on < TODAY.date()
    assert due["file-audit"].urgency == OVERDUE
    assert due["file-audit"].due_on < TODAY.date()


def test_it_exchanges_risk_and_engagement_weekly_until_a_missed_week_shows_overdue(
    demo: DemoServiceSummary,
) -> None:
    """Rule weekly-exchange (R08 B3.5): from the first referral on, a perpetrator worker and an
    ISS worker exchange changes in risk and engagement, never more than a week apart and dated
    in the past; last week's was missed, so the manager's work list shows the next overdue."""
    service = demo_service_get()
    assert service is not None
    first_referral = PerpetratorCase.objects.aggregate(first=Min("referral_received_at"))["first"]

    exchanges = list(RiskEngagementExchange.objects.order_by("held_on"))
    gaps = [later.held_on - earlier.held_on for earlier, later in pairwise(exchanges)]
    assert exchanges[0].held_on - first_referral.astimezone(LONDON).date() < timedelta(weeks=1)
    assert all(timedelta(days=1) <= gap <= timedelta(weeks=1) for gap in gaps), gaps
    assert (
        TODAY.date() - timedelta(days=14)
        <= exchanges[-1].held_on
        < TODAY.date() - timedelta(days=7)
    )
    for exchange in exchanges:
        assert exchange.recorded_at.astimezone(LONDON).date() == exchange.held_on
        assert service in perpetrator_side_services(user=exchange.perpetrator_side_person)
        assert service in iss_side_services(user=exchange.iss_side_person)
        assert exchange.summary.endswith("(synthetic)")
    items = recurring_items_for_user(user=demo_user(Role.SERVICE_MANAGER), now=TODAY)
    due = {item.rule_id: item for item in items if item.service == service}
    assert due["weekly-exchange"].urgency == OVERDUE


def test_it_dates_every_record_and_task_completion_in_the_past(demo: DemoServiceSummary) -> None:
    """Each service call is given the moment of its step, so nothing is dated at load time."""

    assert not DueTask.objects.filter(completed_at__gte=TODAY).exists()
    assert not DueTask.objects.filter(created_at__gte=TODAY).exists()
    assert IssCase.objects.exclude(contact_unsafe_reason="").exists()
    assert not PerpetratorCase.objects.filter(transitions__occurred_at__gte=TODAY).exists()
    assert not RiskEngagementExchange.objects.filter(recorded_at__gte=TODAY).exists()


def test_it_holds_monthly_case_reviews_of_every_open_case_with_both_sides(
    demo: DemoServiceSummary,
) -> None:
    """Rule case-review: every case open that day considered, chaired by a manager, the
    intervention and the ISS represented, the previous meeting's actions reviewed."""
    service = demo_service_get()
    assert service is not None
    perpetrator_workers = set(
        User.objects.filter(groups__name=Role.PERPETRATOR_WORKER.value).values_list("pk", flat=True)
    )
    iss_workers = set(
        User.objects.filter(groups__name=Role.ISS_WORKER.value).values_list("pk", flat=True)
    )
    managers = {demo_user(Role.SERVICE_MANAGER), demo_user(Role.PRACTICE_MANAGER)}

    meetings = list(CaseReviewMeeting.objects.order_by("held_on"))
    assert meetings[0].held_on <= TODAY.date() - timedelta(days=365)
    assert (
        TODAY.date() - timedelta(weeks=7)
        <= meetings[-1].held_on
        <= (TODAY.date() - timedelta(weeks=6))
    )
    for previous, meeting in pairwise(meetings):
        assert meeting.held_on <= previous.held_on + relativedelta(months=1), meeting.held_on
        if previous.entries.exclude(actions="").exists():
            assert meeting.previous_actions_reviewed
    for meeting in meetings:
        considered = set(meeting.entries.values_list("case", flat=True))
        open_then = set(
            open_cases_at(service=service, on=meeting.held_on).values_list("pk", flat=True)
        )
        assert considered == open_then, meeting.held_on
        assert meeting.chair in managers
        attendees = set(meeting.attendees.values_list("pk", flat=True))
        assert attendees & perpetrator_workers, meeting.held_on
        assert attendees & iss_workers, meeting.held_on


def test_it_audits_case_files_every_six_to_eight_weeks_with_one_longer_gap(
    demo: DemoServiceSummary,
) -> None:
    """Rule file-audit: by the practice manager, never more than 8 weeks apart but once."""

    audits = list(FileAudit.objects.order_by("audited_on"))
    gaps = [later.audited_on - earlier.audited_on for earlier, later in pairwise(audits)]
    assert len([gap for gap in gaps if gap > timedelta(weeks=8)]) == 1
    assert all(timedelta(weeks=5) <= gap for gap in gaps)
    assert (
        TODAY.date() - timedelta(weeks=11)
        < audits[-1].audited_on
        <= (TODAY.date() - timedelta(weeks=10))
    )
    assert {audit.auditor for audit in audits} == {demo_user(Role.PRACTICE_MANAGER)}
    assert all(audit.sample.exists() and audit.findings and audit.feedback for audit in audits)


def test_it_records_contact_notes_while_he_attends_a_few_late(demo: DemoServiceSummary) -> None:
    """Rule record-1wd: notes recorded more than 1 working day after the contact are flagged."""

    notes = ContactNote.objects.select_related("case")
    late = notes.filter(recorded_late=True)
    assert late.exists()
    assert late.count() < 0.05 * notes.count()
    for note in notes:
        started = note.case.intervention_started_at
        assert started is not None
        assert started <= note.occurred_at < TODAY
        assert note.case.closed_at is None or note.occurred_at < note.case.closed_at
        assert note.occurred_at <= note.recorded_at <= TODAY
        assert note.recorded_late == recorded_late(
            occurred_at=note.occurred_at,
            recorded_at=note.recorded_at,
            jurisdiction=Jurisdiction.ENGLAND_AND_WALES,
        )
    assert (
        PerpetratorCase.objects.filter(
            intervention_started_at__isnull=False, notes__isnull=True
        ).count()
        == 0
    )


def test_it_assesses_his_risk_at_intake_and_on_events_with_actions(
    demo: DemoServiceSummary,
) -> None:
    """Rules risk-points and outcome-comment: an intake assessment for every case that started,
    each with actions, told to him or the reason why not; the half-way one due as a task; event
    assessments after risk concerns, which the ISS acts on (rule concern-24h)."""

    started = PerpetratorCase.objects.filter(intervention_started_at__isnull=False)
    for case in started:
        intake = case.risk_assessments.get(point=RiskPoint.INTAKE)
        assert intake.actions.exists()
        assert intake.outcome_told_to_him or intake.outcome_not_told_reason
        if case.intervention_type == InterventionType.BEHAVIOUR_CHANGE:
            assert case.due_tasks.filter(rule_id="risk-points").exists(), case.reference
    assessments = RiskAssessment.objects.all()
    assert assessments.filter(outcome_told_to_him=False).exclude(outcome_not_told_reason="")
    assert assessments.filter(point=RiskPoint.EVENT).count() >= 3
    assert (
        DueTask.objects.filter(
            rule_id="risk-points",
            completed_at__isnull=True,
            perpetrator_case__closed_at__isnull=False,
        ).count()
        == 0
    ), "an end assessment when he leaves completes the one due"

    concerns = RiskConcern.objects.all()
    assert 2 <= concerns.count() <= 3
    assert concerns.filter(imminent=True).exists()
    concern_tasks = DueTask.objects.filter(rule_id="concern-24h")
    assert concern_tasks.exists()
    assert not concern_tasks.filter(completed_at__isnull=True).exists()


def test_it_refers_a_high_risk_survivor_to_marac_and_leaves_one_referral_due(
    demo: DemoServiceSummary,
) -> None:
    """Rule dash: a DASH at the visible high-risk threshold with its MARAC referral recorded,
    and a recent one meeting the criteria whose referral is overdue on the ISS worker's list."""
    service = demo_service_get()
    assert service is not None

    referral = MaracReferral.objects.select_related("dash_assessment").first()
    assert referral is not None
    assert "visible-high-risk" in referral.criteria
    assert referral.dash_assessment.yes_count >= service.dash_high_risk_threshold
    assert DashAssessment.objects.filter(criteria=[]).exists(), "and some below the criteria"
    open_referral = DueTask.objects.get(rule_id="dash", completed_at__isnull=True)
    assert open_referral.assigned_to == demo_user(Role.ISS_WORKER)
    assert open_referral.due_at < TODAY


def test_it_releases_shared_risk_notes_and_leaves_one_awaiting_approval(
    demo: DemoServiceSummary,
) -> None:
    """Rule survivor-confidentiality: risk notes reach his worker only once approved by the ISS
    manager, and for intensive case management by the service manager too."""
    service_manager = demo_user(Role.SERVICE_MANAGER)

    released = SharedRiskNote.objects.filter(released_at__isnull=False)
    assert released.count() >= 2
    assert all(note.iss_manager_approved_by == service_manager for note in released)
    icm = released.get(perpetrator_case__intervention_type=InterventionType.ICM)
    assert icm.service_manager_approved_by == service_manager
    awaiting = SharedRiskNote.objects.get(released_at__isnull=True)
    assert awaiting.iss_manager_approved_at is None
    assert awaiting.written_at < TODAY


def test_it_keeps_every_survivor_and_man_obviously_synthetic(demo: DemoServiceSummary) -> None:
    for survivor in Survivor.objects.all():
        assert survivor.first_name in SURVIVOR_FIRST_NAMES
        assert survivor.last_name in SURNAMES
        assert survivor.phone.startswith("07700 900"), survivor.phone
        assert survivor.email == "" or survivor.email.endswith("@example.invalid")
    for case in PerpetratorCase.objects.all():
        assert case.first_name in PERPETRATOR_FIRST_NAMES
        assert case.last_name in SURNAMES
        assert case.phone == "" or case.phone.startswith("07700 900")
        assert case.referrer_contact == "" or case.referrer_contact.endswith(".example.invalid")


def test_it_does_not_load_the_service_twice(demo: DemoServiceSummary) -> None:
    records = (ContactNote.objects.count(), CaseReviewMeeting.objects.count())
    with override_settings(DEBUG=True):
        again = demo_service_load(today=TODAY, size=MIN_SIZE)

    assert (demo.already_loaded, again.already_loaded) == (False, True)
    assert Service.objects.filter(name=SERVICE_NAME).count() == 1
    assert again.cases_by_stage == demo.cases_by_stage
    assert PerpetratorCase.objects.count() == MIN_SIZE
    assert (ContactNote.objects.count(), CaseReviewMeeting.objects.count()) == records
