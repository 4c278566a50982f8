"""The perpetrator side's running records (rules.md section 3): contact notes (record-1wd), risk
assessments and the action plan (risk-points), children (children-record, child-plan,
child-retrigger), allocation (not-same-staff), case management reviews (case-review), case-file
audits (file-audit) and reports to other agencies (external-report, limitations)."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import (
    ActionPlanItem,
    CaseReviewMeeting,
    Child,
    ContactNote,
    ExternalReport,
    FileAudit,
    PerpetratorCase,
    RiskAssessment,
)
from tandem.cases.services.children import (
    ChildSocialCare,
    child_add,
    child_update,
    children_reexamination_trigger,
)
from tandem.cases.services.intake import ChildDetails, perpetrator_referral_receive
from tandem.cases.services.lifecycle import perpetrator_case_allocate, perpetrator_case_close
from tandem.cases.services.records import PlannedAction, contact_note_record, risk_assessment_record
from tandem.cases.services.reports import (
    ReportSections,
    external_report_draft,
    external_report_release,
    external_report_sign_off,
)
from tandem.cases.services.reviews import ReviewEntry, case_review_meeting_record, file_audit_record
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    assessed,
    in_intervention,
    iss_manager,
    non_senior_manager,
    practice_manager,
    received,
    referral,
    staff_member,
)
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Service

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 14:00: the working day after the Friday the cases were referred.
MONDAY = datetime(2026, 11, 23, 14, 0, tzinfo=LONDON)
TODAY = date(2026, 11, 23)


def note(case: PerpetratorCase, staff: ServiceStaff, occurred_at: datetime, now: datetime) -> bool:
    return contact_note_record(
        case=case,
        actor=staff.perpetrator_worker,
        occurred_at=occurred_at,
        kind="Session with him",
        note="Synthetic: attended the session and talked about the week.",
        now=now,
    ).recorded_late


# Contact notes: rule record-1wd


def test_it_keeps_a_note_recorded_exactly_one_working_day_later_on_time_and_a_minute_later_late(
    staffed_service: ServiceStaff,
) -> None:
    """Rule record-1wd: Tuesday 10:00 is due by Wednesday 10:00."""
    case = received(staffed_service)
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)

    assert note(case, staffed_service, tuesday, now=wednesday) is False
    assert note(case, staffed_service, tuesday, now=wednesday + timedelta(minutes=1)) is True
    assert ContactNote.objects.filter(case=case).count() == 2, "a late note is kept"


def test_it_counts_the_working_day_for_a_note_across_a_weekend(
    staffed_service: ServiceStaff,
) -> None:
    """Rule record-1wd: Friday 16:00 is due by Monday 16:00."""
    case = received(staffed_service)
    friday = datetime(2026, 11, 20, 16, 0, tzinfo=LONDON)
    monday = datetime(2026, 11, 23, 16, 0, tzinfo=LONDON)

    assert note(case, staffed_service, friday, now=monday) is False
    assert note(case, staffed_service, friday, now=monday + timedelta(minutes=1)) is True


def test_it_counts_the_working_day_for_a_note_across_christmas_and_the_boxing_day_substitute(
    staffed_service: ServiceStaff,
) -> None:
    """Rule record-1wd: Thursday 24 December 2026 15:00 is due by Tuesday 29 December 15:00:
    Christmas Day, the weekend and the Boxing Day substitute (Monday 28th) are not working
    days."""
    case = received(staffed_service)
    christmas_eve = datetime(2026, 12, 24, 15, 0, tzinfo=LONDON)
    due = datetime(2026, 12, 29, 15, 0, tzinfo=LONDON)

    assert (
        note(case, staffed_service, christmas_eve, now=datetime(2026, 12, 28, 9, 0, tzinfo=LONDON))
        is False
    )
    assert note(case, staffed_service, christmas_eve, now=due) is False
    assert note(case, staffed_service, christmas_eve, now=due + timedelta(minutes=1)) is True


def test_it_refuses_a_note_of_a_contact_in_the_future_or_without_its_text(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)

    with pytest.raises(ActionRefused) as future:
        note(case, staffed_service, MONDAY + timedelta(hours=1), now=MONDAY)
    with pytest.raises(ActionRefused) as empty:
        contact_note_record(
            case=case,
            actor=staffed_service.perpetrator_worker,
            occurred_at=MONDAY,
            kind="Session with him",
            note="   ",
            now=MONDAY,
        )
    with pytest.raises(ActionRefused) as kind:
        contact_note_record(
            case=case,
            actor=staffed_service.perpetrator_worker,
            occurred_at=MONDAY,
            kind="Chat",
            note="Synthetic",
            now=MONDAY,
        )

    assert (future.value.field, empty.value.field, kind.value.field) == (
        "occurred_at",
        "note",
        "kind",
    )
    assert not ContactNote.objects.exists()


def test_it_audits_a_late_note_as_late(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)
    note(case, staffed_service, FRIDAY, now=FRIDAY + timedelta(days=7))

    event = AuditEvent.objects.get(action="created", object_repr__startswith="Session with him")
    assert "recorded more than 1 working day late" in event.summary


# Risk assessments and the action plan: rule risk-points


def assess_risk(case: PerpetratorCase, staff: ServiceStaff, **overrides: object) -> RiskAssessment:
    values: dict[str, object] = {
        "case": case,
        "actor": staff.perpetrator_worker,
        "point": "intake",
        "summary": "Synthetic: medium risk to his current partner.",
        "actions": [],
        "next_assessment_due_on": date(2027, 2, 1),
        "outcome_told_to_him": True,
        "now": FRIDAY,
    }
    values.update(overrides)
    return risk_assessment_record(**values)  # type: ignore[arg-type]


def test_it_refuses_an_event_assessment_without_saying_what_happened(
    staffed_service: ServiceStaff,
) -> None:
    """Rule risk-points: an assessment on an event that changes risk says what the event was."""
    case = in_intervention(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        assess_risk(case, staffed_service, point="event", next_assessment_due_on=None)

    assert refused.value.rule_id == "risk-points"
    assert refused.value.field == "event_description"
    assert not RiskAssessment.objects.exists()


def test_it_needs_the_half_way_date_at_intake_for_behaviour_change(
    staffed_service: ServiceStaff,
) -> None:
    """Rule risk-points: behaviour-change is assessed at intake, half-way and end, so the intake
    says when the half-way one is due."""
    case = in_intervention(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        assess_risk(case, staffed_service, next_assessment_due_on=None)

    assert refused.value.rule_id == "risk-points"
    assert refused.value.field == "next_assessment_due_on"
    assert "half-way" in refused.value.message


def test_it_does_not_schedule_assessments_for_intensive_case_management(
    staffed_service: ServiceStaff,
) -> None:
    case = assessed(staffed_service, intervention_type="icm")

    assessment = assess_risk(case, staffed_service, next_assessment_due_on=None)

    assert assessment.point == "intake"
    assert not DueTask.objects.filter(rule_id="risk-points").exists()


def test_it_puts_the_actions_in_his_plan_and_makes_the_next_assessment_due(
    staffed_service: ServiceStaff,
) -> None:
    """Rule risk-points: actions go into the perpetrator action plan; the next assessment is a
    due task for his worker."""
    case = in_intervention(staffed_service)
    PerpetratorCase.objects.filter(pk=case.pk).update(
        allocated_worker=staffed_service.perpetrator_worker
    )
    case.refresh_from_db()

    assess_risk(
        case,
        staffed_service,
        actions=[
            PlannedAction("Synthetic: refer to substance use service", date(2026, 12, 4)),
            PlannedAction("Synthetic: check bail conditions with probation"),
        ],
    )

    assert list(
        ActionPlanItem.objects.filter(risk_assessment__case=case).values_list("action", "due_on")
    ) == [
        ("Synthetic: refer to substance use service", date(2026, 12, 4)),
        ("Synthetic: check bail conditions with probation", None),
    ]
    task = DueTask.objects.get(rule_id="risk-points", perpetrator_case=case)
    assert task.title == f"Half-way risk assessment of {case.reference}"
    assert task.due_at == datetime(2027, 2, 1, 17, 0, tzinfo=LONDON)
    assert task.assigned_to == staffed_service.perpetrator_worker
    assert task.side == "perpetrator"


def test_it_completes_the_due_assessment_when_it_is_recorded_but_not_on_an_event(
    staffed_service: ServiceStaff,
) -> None:
    """Rule risk-points: the half-way assessment completes its task and makes the end one due;
    an event's assessment in between does not stand in for the half-way one."""
    case = in_intervention(staffed_service)
    assess_risk(case, staffed_service)
    halfway_task = DueTask.objects.get(rule_id="risk-points", perpetrator_case=case)

    assess_risk(
        case,
        staffed_service,
        point="event",
        event_description="Synthetic: police called to his address",
        next_assessment_due_on=None,
    )
    assert DueTask.objects.get(pk=halfway_task.pk).completed_at is None

    assess_risk(
        case, staffed_service, point="halfway", next_assessment_due_on=date(2027, 5, 3), now=MONDAY
    )

    assert DueTask.objects.get(pk=halfway_task.pk).completed_at == MONDAY
    open_task = DueTask.objects.get(rule_id="risk-points", completed_at__isnull=True)
    assert open_task.title == f"End risk assessment of {case.reference}"


def test_it_refuses_a_next_assessment_due_today_or_an_action_due_in_the_past(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)

    with pytest.raises(ActionRefused) as today:
        assess_risk(case, staffed_service, next_assessment_due_on=date(2026, 11, 20))
    with pytest.raises(ActionRefused) as past:
        assess_risk(case, staffed_service, actions=[PlannedAction("Synthetic", date(2026, 11, 1))])

    assert today.value.field == "next_assessment_due_on"
    assert past.value.field == "actions"
    assert "action 1" in past.value.message
    assert not RiskAssessment.objects.exists()


# Children: rules children-record, child-plan and child-retrigger


def a_child(**overrides: object) -> ChildDetails:
    values: dict[str, object] = {
        "first_name": "Kit",
        "last_name": "Synthetic",
        "relationship_to_perpetrator": "son",
        "date_of_birth": date(2019, 9, 9),
    }
    values.update(overrides)
    return ChildDetails(**values)  # type: ignore[arg-type]


def test_it_refuses_a_child_older_than_the_parent(staffed_service: ServiceStaff) -> None:
    """Rule children-record: his date of birth is 1 March 1985."""
    case = received(staffed_service)

    with pytest.raises(ActionRefused) as older:
        child_add(
            case=case,
            actor=staffed_service.perpetrator_worker,
            child=a_child(date_of_birth=date(1984, 1, 1)),
            now=FRIDAY,
        )
    with pytest.raises(ActionRefused) as future:
        child_add(
            case=case,
            actor=staffed_service.perpetrator_worker,
            child=a_child(date_of_birth=date(2027, 1, 1)),
            now=FRIDAY,
        )

    assert older.value.rule_id == "children-record"
    assert older.value.field == future.value.field == "date_of_birth"
    assert not Child.objects.exists()


def test_it_refuses_to_change_a_child_to_be_older_than_the_parent(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    child = child_add(
        case=case, actor=staffed_service.perpetrator_worker, child=a_child(), now=FRIDAY
    )

    with pytest.raises(ActionRefused) as refused:
        child_update(
            child=child,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            details=a_child(date_of_birth=date(1980, 1, 1)),
            social_care=ChildSocialCare(),
            now=FRIDAY,
        )

    assert refused.value.rule_id == "children-record"
    assert Child.objects.get(pk=child.pk).date_of_birth == date(2019, 9, 9)


def test_it_needs_a_plans_review_date_and_a_copy_of_a_child_protection_plan(
    staffed_service: ServiceStaff,
) -> None:
    """Rule child-plan: a child in need or child protection plan has its review date; a copy of a
    child protection plan is on file."""
    case = received(staffed_service)

    def add(social_care: ChildSocialCare) -> Child:
        return child_add(
            case=case,
            actor=staffed_service.perpetrator_worker,
            child=a_child(),
            social_care=social_care,
            now=FRIDAY,
        )

    with pytest.raises(ActionRefused) as no_review_date:
        add(
            ChildSocialCare(
                known_to_childrens_social_care=True, plan="child_protection", plan_copy_on_file=True
            )
        )
    with pytest.raises(ActionRefused) as no_copy:
        add(
            ChildSocialCare(
                known_to_childrens_social_care=True,
                plan="child_protection",
                plan_review_on=date(2027, 1, 15),
            )
        )
    with pytest.raises(ActionRefused) as not_known:
        add(
            ChildSocialCare(
                known_to_childrens_social_care=False,
                plan="child_in_need",
                plan_review_on=date(2027, 1, 15),
            )
        )

    assert (no_review_date.value.rule_id, no_review_date.value.field) == (
        "child-plan",
        "plan_review_on",
    )
    assert (no_copy.value.rule_id, no_copy.value.field) == ("child-plan", "plan_copy_on_file")
    assert not_known.value.field == "known_to_childrens_social_care"
    assert not Child.objects.exists()

    child = add(
        ChildSocialCare(
            known_to_childrens_social_care=True,
            plan="child_protection",
            plan_review_on=date(2027, 1, 15),
            plan_copy_on_file=True,
            proceedings="public",
        )
    )
    assert (child.plan, child.plan_review_on, child.plan_copy_on_file, child.proceedings) == (
        "child_protection",
        date(2027, 1, 15),
        True,
        "public",
    )


def test_it_updates_the_childs_social_care_record_and_guards_against_stale_edits(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    child = child_add(
        case=case, actor=staffed_service.perpetrator_worker, child=a_child(), now=FRIDAY
    )
    social_care = ChildSocialCare(
        known_to_childrens_social_care=True, plan="child_in_need", plan_review_on=date(2027, 2, 2)
    )

    child_update(
        child=child,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        details=a_child(),
        social_care=social_care,
        now=FRIDAY,
    )
    with pytest.raises(StaleRecord):
        child_update(
            child=child,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            details=a_child(first_name="Overwritten"),
            social_care=social_care,
            now=FRIDAY,
        )

    saved = Child.objects.get(pk=child.pk)
    assert (saved.first_name, saved.plan, saved.known_to_childrens_social_care) == (
        "Kit",
        "child_in_need",
        True,
    )
    event = AuditEvent.objects.get(action="changed", object_id=str(child.pk))
    assert (event.before or {}).get("plan") == "none"
    assert (event.after or {}).get("plan") == "child_in_need"


def test_it_makes_re_examining_the_children_due_by_the_next_review_when_a_child_moves_in(
    staffed_service: ServiceStaff,
) -> None:
    """Rule child-retrigger: a new child in his household during the intervention; the last
    review was on 10 November, so the next is due by 10 December."""
    case = in_intervention(staffed_service)
    CaseReviewMeeting.objects.create(
        service=staffed_service.service,
        held_on=date(2026, 11, 10),
        chair=staffed_service.service_manager,
        recorded_by=staffed_service.service_manager,
        recorded_at=FRIDAY,
    )

    child_add(
        case=case,
        actor=staffed_service.perpetrator_worker,
        child=a_child(date_of_birth=date(2015, 5, 5), lives_with_perpetrator=True),
        now=MONDAY,
    )

    task = DueTask.objects.get(rule_id="child-retrigger", perpetrator_case=case)
    assert (
        task.title
        == f"Re-examine the children's needs in {case.reference}: a new child in his household"
    )
    assert task.due_at == datetime(2026, 12, 10, 17, 0, tzinfo=LONDON)
    assert task.side == "perpetrator"


def test_it_makes_a_birth_during_the_intervention_a_re_examination_due_now_with_no_review_yet(
    staffed_service: ServiceStaff,
) -> None:
    """Rule child-retrigger: with no review yet, one is due at once, and so is the
    re-examination."""
    case = in_intervention(staffed_service)

    child_add(
        case=case,
        actor=staffed_service.perpetrator_worker,
        child=a_child(date_of_birth=date(2026, 11, 21)),
        now=MONDAY,
    )

    task = DueTask.objects.get(rule_id="child-retrigger")
    assert task.title.endswith(": a birth")
    assert task.due_at == datetime(2026, 11, 23, 17, 0, tzinfo=LONDON)


def test_it_triggers_no_re_examination_for_a_child_recorded_before_the_intervention_or_living_elsewhere(
    staffed_service: ServiceStaff,
) -> None:
    before = received(staffed_service)
    during = in_intervention(staffed_service)

    child_add(
        case=before,
        actor=staffed_service.perpetrator_worker,
        child=a_child(lives_with_perpetrator=True),
        now=MONDAY,
    )
    child_add(case=during, actor=staffed_service.perpetrator_worker, child=a_child(), now=MONDAY)

    assert not DueTask.objects.filter(rule_id="child-retrigger").exists()


def test_it_triggers_a_re_examination_when_a_recorded_child_moves_in_with_him(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    child = child_add(
        case=case, actor=staffed_service.perpetrator_worker, child=a_child(), now=MONDAY
    )

    child_update(
        child=child,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        details=a_child(lives_with_perpetrator=True),
        social_care=ChildSocialCare(),
        now=MONDAY,
    )

    assert DueTask.objects.get(rule_id="child-retrigger").title.endswith(
        "a new child in his household"
    )


def test_it_records_a_pregnancy_as_a_re_examination_and_refuses_one_on_a_closed_case(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    task = children_reexamination_trigger(
        case=case,
        actor=staffed_service.perpetrator_worker,
        trigger="pregnancy",
        details="Synthetic: his partner is expecting in spring",
        now=MONDAY,
    )
    assert task.rule_id == "child-retrigger"
    assert task.title.endswith("a pregnancy")

    closed = perpetrator_case_close(
        case=received(staffed_service),
        actor=staffed_service.perpetrator_worker,
        expected_version=1,
        reason="moved",
        now=MONDAY,
    )
    with pytest.raises(ActionRefused):
        children_reexamination_trigger(
            case=closed,
            actor=staffed_service.perpetrator_worker,
            trigger="incident",
            details="Synthetic",
            now=MONDAY,
        )
    with pytest.raises(ActionRefused) as no_details:
        children_reexamination_trigger(
            case=case,
            actor=staffed_service.perpetrator_worker,
            trigger="incident",
            details=" ",
            now=MONDAY,
        )
    assert no_details.value.field == "details"


# Allocation


def test_it_refuses_to_allocate_an_iss_worker_to_his_case(staffed_service: ServiceStaff) -> None:
    """Rule not-same-staff: the intervention is never delivered by ISS staff, nor by a manager
    who also works on the ISS side."""
    case = received(staffed_service)

    for worker in (staffed_service.iss_worker, staffed_service.service_manager):
        with pytest.raises(ActionRefused) as refused:
            perpetrator_case_allocate(
                case=case,
                actor=staffed_service.service_manager,
                expected_version=case.version,
                worker=worker,
            )
        assert refused.value.rule_id == "not-same-staff"
        assert refused.value.field == "worker"
    with pytest.raises(ActionRefused) as elsewhere:
        perpetrator_case_allocate(
            case=case,
            actor=staffed_service.service_manager,
            expected_version=case.version,
            worker=staffed_service.other_service_worker,
        )
    assert "not a perpetrator worker of this service" in elsewhere.value.message
    assert PerpetratorCase.objects.get(pk=case.pk).allocated_worker is None


def test_it_allocates_his_worker_who_takes_over_his_open_perpetrator_side_tasks(
    staffed_service: ServiceStaff,
) -> None:
    case = assessed(staffed_service)
    open_before = DueTask.objects.filter(
        perpetrator_case=case, side="perpetrator", completed_at__isnull=True
    ).count()
    assert open_before

    allocated = perpetrator_case_allocate(
        case=case,
        actor=staffed_service.service_manager,
        expected_version=case.version,
        worker=staffed_service.perpetrator_worker,
    )

    assert allocated.allocated_worker == staffed_service.perpetrator_worker
    assert allocated.version == case.version + 1
    tasks = DueTask.objects.filter(perpetrator_case=case, completed_at__isnull=True)
    assert {t.assigned_to for t in tasks if t.side == "perpetrator"} == {
        staffed_service.perpetrator_worker
    }
    assert all(
        t.assigned_to != staffed_service.perpetrator_worker for t in tasks if t.side == "iss"
    )
    with pytest.raises(StaleRecord):
        perpetrator_case_allocate(
            case=case,
            actor=staffed_service.service_manager,
            expected_version=case.version,
            worker=staffed_service.perpetrator_worker,
        )


# Case management reviews: rule case-review


def review(staff: ServiceStaff, **overrides: object) -> CaseReviewMeeting:
    """Chaired by the senior manager (on both sides) with the perpetrator worker attending, so
    both sides are represented by different people."""
    values: dict[str, object] = {
        "service": staff.service,
        "actor": staff.service_manager,
        "held_on": TODAY,
        "chair": staff.service_manager,
        "attendees": [staff.perpetrator_worker],
        "entries": [
            ReviewEntry(case=case, decisions=f"Synthetic: continue; {case.reference} on track")
            for case in PerpetratorCase.objects.filter(service=staff.service).exclude(
                stage="closed"
            )
        ],
        "now": MONDAY,
    }
    values.update(overrides)
    return case_review_meeting_record(**values)  # type: ignore[arg-type]


def test_it_refuses_a_chair_who_works_directly_with_service_users(
    staffed_service: ServiceStaff,
) -> None:
    received(staffed_service)

    for worker in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        with pytest.raises(ActionRefused) as refused:
            review(
                staffed_service,
                chair=worker,
                attendees=[staffed_service.service_manager, staffed_service.second_iss_worker],
            )
        assert (refused.value.rule_id, refused.value.field) == ("case-review", "chair")
    assert not CaseReviewMeeting.objects.exists()


def test_it_refuses_a_meeting_where_only_one_side_is_represented(
    staffed_service: ServiceStaff,
) -> None:
    """Rule case-review: the intervention and the ISS both represented. A manager on both sides
    counts for one side only when someone else represents the other."""
    received(staffed_service)
    manager = practice_manager(staffed_service)

    for chair, attendees in (
        (manager, [staffed_service.perpetrator_worker]),  # perpetrator side only
        (iss_manager(staffed_service), [staffed_service.iss_worker]),  # ISS side only
        (staffed_service.service_manager, []),  # one person on both sides is not both sides
    ):
        with pytest.raises(ActionRefused) as refused:
            review(staffed_service, chair=chair, attendees=attendees)
        assert (refused.value.rule_id, refused.value.field) == ("case-review", "attendees")
    assert not CaseReviewMeeting.objects.exists()

    both = review(staffed_service, chair=manager, attendees=[staffed_service.service_manager])
    assert list(both.attendees.all()) == [staffed_service.service_manager]


def test_it_refuses_attendees_from_outside_the_service(staffed_service: ServiceStaff) -> None:
    received(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        review(
            staffed_service,
            attendees=[staffed_service.iss_worker, staffed_service.other_service_worker],
        )

    assert refused.value.field == "attendees"
    assert "not on this service's staff" in refused.value.message


def test_it_refuses_a_meeting_that_leaves_an_open_case_out_naming_it(
    staffed_service: ServiceStaff,
) -> None:
    considered = received(staffed_service)
    left_out = received(staffed_service, first_name="Leftout")

    with pytest.raises(ActionRefused) as refused:
        review(
            staffed_service,
            attendees=[staffed_service.iss_worker],
            entries=[ReviewEntry(case=considered, decisions="Synthetic: screen this week")],
        )
    with pytest.raises(ActionRefused) as blank:
        review(
            staffed_service,
            attendees=[staffed_service.iss_worker],
            entries=[
                ReviewEntry(case=considered, decisions="Synthetic: screen this week"),
                ReviewEntry(case=left_out, decisions="", actions="Synthetic: chase the referrer"),
            ],
        )

    assert refused.value.rule_id == "case-review"
    assert refused.value.message == (
        f"every open case must be considered, with decisions: {left_out.reference} is missing"
    )
    assert blank.value.message == f"record the decisions about {left_out.reference}"
    assert not CaseReviewMeeting.objects.exists()


def test_it_needs_no_decision_on_a_closed_case_or_one_referred_after_the_meeting(
    staffed_service: ServiceStaff,
) -> None:
    open_case = received(staffed_service)
    perpetrator_case_close(
        case=received(staffed_service),
        actor=staffed_service.perpetrator_worker,
        expected_version=1,
        reason="moved",
        now=FRIDAY,
    )
    perpetrator_referral_receive(
        service=staffed_service.service,
        actor=staffed_service.perpetrator_worker,
        details=referral(received_at=MONDAY),
        now=MONDAY,
    )

    meeting = review(
        staffed_service,
        held_on=date(2026, 11, 20),
        attendees=[staffed_service.iss_worker],
        entries=[ReviewEntry(case=open_case, decisions="Synthetic: screen this week")],
    )

    assert [entry.case for entry in meeting.entries.all()] == [open_case]


def test_it_needs_the_previous_meetings_actions_reviewed(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)
    review(
        staffed_service,
        held_on=date(2026, 11, 20),
        attendees=[staffed_service.iss_worker],
        entries=[
            ReviewEntry(
                case=case, decisions="Synthetic: screen", actions="Synthetic: book screening"
            )
        ],
    )

    with pytest.raises(ActionRefused) as refused:
        review(staffed_service, attendees=[staffed_service.iss_worker])

    assert (refused.value.rule_id, refused.value.field) == (
        "case-review",
        "previous_actions_reviewed",
    )
    assert CaseReviewMeeting.objects.count() == 1
    second = review(
        staffed_service,
        attendees=[staffed_service.iss_worker],
        previous_actions_reviewed="Synthetic: screening booked for Wednesday",
    )
    assert second.previous_actions_reviewed == "Synthetic: screening booked for Wednesday"


def test_it_records_a_valid_meeting_with_every_open_case_and_completes_children_re_examined(
    staffed_service: ServiceStaff,
) -> None:
    first = in_intervention(staffed_service)
    second = received(staffed_service)
    retrigger = children_reexamination_trigger(
        case=first,
        actor=staffed_service.perpetrator_worker,
        trigger="incident",
        details="Synthetic: police call-out",
        now=FRIDAY,
    )

    meeting = review(
        staffed_service,
        attendees=[staffed_service.perpetrator_worker, staffed_service.iss_worker],
        entries=[
            ReviewEntry(
                case=first,
                decisions="Synthetic: continue the group",
                actions="Synthetic: speak to social worker",
                children_reexamined=True,
            ),
            ReviewEntry(case=second, decisions="Synthetic: screen this week"),
        ],
    )

    assert meeting.chair == staffed_service.service_manager
    assert set(meeting.attendees.all()) == {
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
    }
    assert {(e.case, e.actions) for e in meeting.entries.all()} == {
        (first, "Synthetic: speak to social worker"),
        (second, ""),
    }
    assert DueTask.objects.get(pk=retrigger.pk).completed_at == MONDAY
    assert AuditEvent.objects.filter(
        action="created", object_id=str(meeting.pk), summary__contains="2 case(s)"
    ).exists()


def test_it_refuses_a_meeting_in_the_future(staffed_service: ServiceStaff) -> None:
    with pytest.raises(ActionRefused) as refused:
        review(
            staffed_service,
            held_on=TODAY + timedelta(days=1),
            attendees=[staffed_service.iss_worker],
        )

    assert refused.value.field == "held_on"


def test_it_makes_the_next_review_due_a_month_after_the_last() -> None:
    """Rule case-review: at least monthly; with none yet, one is due now."""
    assert deadlines.case_review_due(last_held_on=date(2026, 10, 31), today=TODAY) == date(
        2026, 11, 30
    )
    assert deadlines.case_review_due(last_held_on=None, today=TODAY) == TODAY


# Case-file audits: rule file-audit


def test_it_makes_the_next_file_audit_due_8_weeks_after_the_last() -> None:
    """Rule file-audit: never more than 8 weeks apart. 1 October + 8 weeks is 26 November."""
    assert deadlines.file_audit_due(last_audited_on=date(2026, 10, 1), today=TODAY) == date(
        2026, 11, 26
    )
    assert deadlines.file_audit_due(last_audited_on=None, today=TODAY) == TODAY


def test_it_records_a_file_audit_by_the_intervention_manager(staffed_service: ServiceStaff) -> None:
    sampled = [received(staffed_service), received(staffed_service)]

    audit = file_audit_record(
        service=staffed_service.service,
        actor=practice_manager(staffed_service),
        audited_on=TODAY,
        sample=sampled,
        findings="Synthetic: risk reviews up to date; one late note",
        feedback="Synthetic: fed back to the worker in supervision",
        now=MONDAY,
    )

    assert set(audit.sample.all()) == set(sampled)
    assert AuditEvent.objects.filter(action="created", object_id=str(audit.pk)).exists()


def test_it_refuses_a_file_audit_by_someone_who_is_not_its_manager_or_without_its_record(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    manager = practice_manager(staffed_service)
    elsewhere = Service.objects.exclude(pk=staffed_service.service.pk).get()
    manager_elsewhere = staff_member(
        staffed_service, "pm-elsewhere", Role.PRACTICE_MANAGER, "perpetrator", service=elsewhere
    )

    def audit(actor: User, **overrides: object) -> FileAudit:
        values: dict[str, object] = {
            "service": staffed_service.service,
            "actor": actor,
            "audited_on": TODAY,
            "sample": [case],
            "findings": "Synthetic findings",
            "feedback": "Synthetic feedback",
            "now": MONDAY,
        }
        values.update(overrides)
        return file_audit_record(**values)  # type: ignore[arg-type]

    for actor in (
        staffed_service.perpetrator_worker,
        manager_elsewhere,
        iss_manager(staffed_service),
    ):
        with pytest.raises(ActionRefused) as refused:
            audit(actor)
        assert refused.value.rule_id == "file-audit"
    with pytest.raises(ActionRefused) as no_sample:
        audit(manager, sample=[])
    with pytest.raises(ActionRefused) as no_feedback:
        audit(manager, feedback="  ")
    with pytest.raises(ActionRefused) as future:
        audit(manager, audited_on=TODAY + timedelta(days=1))

    assert (no_sample.value.field, no_feedback.value.field, future.value.field) == (
        "sample",
        "feedback",
        "audited_on",
    )
    assert not FileAudit.objects.exists()


# Reports to other agencies: rules external-report and limitations


def sections(**overrides: str) -> ReportSections:
    values = {
        "recipient": "childrens_social_care",
        "recipient_name": "Example Borough Children's Services (synthetic)",
        "intervention_and_attendance": "Synthetic: attended 10 of 12 group sessions.",
        "further_abuse": "Synthetic: none known to the service.",
        "concerns_with_evidence": "Synthetic: minimises his behaviour (session notes 3 and 7).",
        "limitations": "Synthetic: based on his account and the partner's ISS contact only.",
    }
    values.update(overrides)
    return ReportSections(**values)


def test_it_refuses_a_report_without_its_limitations_naming_the_section(
    staffed_service: ServiceStaff,
) -> None:
    """Rule limitations: any risk report to an external agency states the limitations."""
    case = in_intervention(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        external_report_draft(
            case=case, actor=staffed_service.perpetrator_worker, sections=sections(limitations=" ")
        )
    with pytest.raises(ActionRefused) as no_further_abuse:
        external_report_draft(
            case=case, actor=staffed_service.perpetrator_worker, sections=sections(further_abuse="")
        )

    assert refused.value.rule_id == "limitations"
    assert refused.value.field == "limitations"
    assert "Limitations: what can and cannot be concluded" in refused.value.message
    assert (no_further_abuse.value.rule_id, no_further_abuse.value.field) == (
        "external-report",
        "further_abuse",
    )
    assert not ExternalReport.objects.exists()


def test_it_refuses_to_release_a_report_before_a_senior_manager_signs_it_off(
    staffed_service: ServiceStaff,
) -> None:
    """Rule external-report: signed off by a senior manager before release."""
    report = external_report_draft(
        case=in_intervention(staffed_service),
        actor=staffed_service.perpetrator_worker,
        sections=sections(),
    )

    with pytest.raises(ActionRefused) as refused:
        external_report_release(report=report, actor=staffed_service.perpetrator_worker)

    assert (
        refused.value.message == "cannot release the report: a senior manager has not signed it off"
    )
    assert refused.value.rule_id == "external-report"
    assert ExternalReport.objects.get(pk=report.pk).released_at is None


def test_it_refuses_sign_off_by_anyone_but_a_senior_manager(staffed_service: ServiceStaff) -> None:
    report = external_report_draft(
        case=in_intervention(staffed_service),
        actor=staffed_service.perpetrator_worker,
        sections=sections(),
    )

    for actor in (
        staffed_service.perpetrator_worker,
        non_senior_manager(staffed_service),
        staffed_service.other_service_worker,
    ):
        with pytest.raises(ActionRefused) as refused:
            external_report_sign_off(report=report, actor=actor)
        assert refused.value.rule_id == "external-report"
    assert ExternalReport.objects.get(pk=report.pk).signed_off_at is None


def test_it_releases_a_report_once_signed_off_and_only_once(staffed_service: ServiceStaff) -> None:
    report = external_report_draft(
        case=in_intervention(staffed_service),
        actor=staffed_service.perpetrator_worker,
        sections=sections(),
        now=FRIDAY,
    )

    external_report_sign_off(report=report, actor=staffed_service.service_manager, now=MONDAY)
    released = external_report_release(
        report=report, actor=staffed_service.perpetrator_worker, now=MONDAY
    )

    assert (released.signed_off_by, released.signed_off_at, released.released_at) == (
        staffed_service.service_manager,
        MONDAY,
        MONDAY,
    )
    with pytest.raises(ActionRefused):
        external_report_release(report=report, actor=staffed_service.perpetrator_worker)
    with pytest.raises(ActionRefused):
        external_report_sign_off(report=report, actor=staffed_service.service_manager)
    assert AuditEvent.objects.filter(action="exported", object_id=str(report.pk)).count() == 1
