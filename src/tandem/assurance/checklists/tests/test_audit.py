"""The 2008 risk management and safeguarding audit through the services (rule
safeguarding-audit-2008, R08 "Audit Process" and "Introduction"): the automatic fail without an
ISS, the exemption of an accredited service, the link person, two assessors, the agreed
one-day schedule, the findings, the outcome, and who is refused each step."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.gates import ScheduleItemDetails
from tandem.assurance.checklists.services import audit as audit_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import AuditCast
from tandem.assurance.models import (
    Action,
    AssessmentParticipant,
    Judgement,
    Part,
    Process,
    RequirementRecord,
    ScheduleItemKind,
    State,
)
from tandem.assurance.services import conflict_declare, participant_add
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]
AUDIT = Process.SAFEGUARDING_AUDIT_2008


@pytest.fixture
def cast(staffed_service: ServiceStaff) -> AuditCast:
    return build.audit_cast(staffed_service)


def refused(message: str) -> pytest.RaisesExc[ActionRefused]:
    return pytest.raises(ActionRefused, match=message)


def test_it_opens_an_audit_with_a_record_per_evidence_indicator(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast, staffed=False)
    assert assessment.state == State.DRAFT
    assert assessment.framework.slug == "respect-audit-2008"
    assert assessment.records.count() == 60
    assert assessment.safeguarding_audit.outcome_reason == ""


def test_it_fails_a_service_without_an_iss_automatically_recording_why(
    cast: AuditCast,
) -> None:
    """R08 introduction: no ISS → automatic fail, recorded as the outcome with its reason."""
    assessment = audit_services.safeguarding_audit_open(
        service=cast.staff.service, actor=cast.coordinator, runs_iss=False
    )
    assert assessment.state == State.FAILED
    assert assessment.decided_at is not None
    assert assessment.records.count() == 0
    reason = assessment.safeguarding_audit.outcome_reason
    assert "without an Integrated Support Service" in reason
    assert "fails automatically" in reason
    transition = assessment.transitions.get()
    assert (transition.from_state, transition.to_state, transition.note) == (
        State.DRAFT,
        State.FAILED,
        reason,
    )


def test_it_records_an_accredited_service_as_exempt_instead_of_auditing_it(
    cast: AuditCast,
) -> None:
    """R08: organisations that have met the Respect accreditation standard are exempt."""
    expires_on = timezone.localdate() + timedelta(days=400)
    build.respect_accredited(cast.staff.service, expires_on=expires_on, by=cast.coordinator)
    assessment = audit_services.safeguarding_audit_open(
        service=cast.staff.service, actor=cast.coordinator, runs_iss=False
    )
    assert assessment.state == State.EXEMPT
    assert assessment.records.count() == 0
    assert "exempt from the audit" in assessment.safeguarding_audit.outcome_reason


def test_it_audits_a_service_whose_accreditation_has_expired(cast: AuditCast) -> None:
    build.respect_accredited(
        cast.staff.service, expires_on=timezone.localdate(), by=cast.coordinator
    )
    assessment = build.audit_opened(cast, staffed=False)
    assert assessment.state == State.DRAFT


@pytest.mark.parametrize("who", ["manager", "perpetrator_worker", "assessor"])
def test_it_lets_only_a_lead_assessor_open_an_audit(cast: AuditCast, who: str) -> None:
    actor = {
        "manager": cast.staff.service_manager,
        "perpetrator_worker": cast.staff.perpetrator_worker,
        "assessor": cast.second,
    }[who]
    with refused("Only a lead assessor can open a safeguarding audit"):
        audit_services.safeguarding_audit_open(service=cast.staff.service, actor=actor)


def test_it_refuses_a_second_audit_while_one_is_under_way(cast: AuditCast) -> None:
    build.audit_opened(cast, staffed=False)
    with refused("already has an audit under way"):
        build.audit_opened(cast, staffed=False)


def test_it_names_a_link_person_who_works_in_the_service_once(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast, staffed=False)
    with refused("does not work in Test DAPP") as refusal:
        audit_services.audit_link_person_name(
            assessment=assessment,
            user=build.works_in(
                build.person("pm-other", Role.PRACTICE_MANAGER), build.other_agency()
            ),
            actor=cast.link,
        )
    assert refusal.value.field == "user"
    with refused("cannot be the link person"):
        audit_services.audit_link_person_name(
            assessment=assessment, user=cast.staff.perpetrator_worker, actor=cast.link
        )
    with refused("Only a service manager of Test DAPP or a lead assessor"):
        audit_services.audit_link_person_name(
            assessment=assessment, user=cast.link, actor=cast.staff.iss_worker
        )
    audit_services.audit_link_person_name(
        assessment=assessment, user=cast.link, actor=cast.coordinator
    )
    with refused("already has a named link person"):
        audit_services.audit_link_person_name(
            assessment=assessment, user=cast.link, actor=cast.link
        )


def test_it_refuses_an_assessor_who_works_in_the_service(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast, staffed=False)
    inside = build.works_in(build.person("inside-assessor", Role.ASSESSOR), cast.staff.service)
    with refused("works in Test DAPP"):
        participant_add(
            assessment=assessment, user=inside, part=Part.SECOND_ASSESSOR, actor=cast.coordinator
        )


def test_it_takes_the_audit_through_its_schedule_visit_report_and_pass(cast: AuditCast) -> None:
    assessment = build.audit_reported(cast)
    assert [t.to_state for t in assessment.transitions.order_by("pk")] == [
        State.SCHEDULED,
        State.VISITED,
        State.REPORTED,
    ]
    audit = assessment.safeguarding_audit
    assert audit.visit_on == build.VISIT_ON
    assert audit.schedule_agreed_by == cast.link
    assert audit.schedule.count() == 3
    assessment = audit_services.audit_outcome_record(
        assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
    )
    assert assessment.state == State.PASSED
    assert fresh(assessment).safeguarding_audit.outcome_reason == "Every evidence indicator met"
    assert not Action.objects.filter(assessment=assessment).exists()


def test_it_fails_an_audit_with_an_indicator_not_met_and_sets_an_action_for_it(
    cast: AuditCast,
) -> None:
    assessment = build.audit_reported(cast, not_met="B1.1")
    with refused("Give the date by which the service must meet") as refusal:
        audit_services.audit_outcome_record(
            assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
        )
    assert refusal.value.field == "actions_due_on"
    due_on = timezone.localdate() + timedelta(days=60)
    assessment = audit_services.audit_outcome_record(
        assessment=assessment,
        actor=cast.coordinator,
        expected_version=assessment.version,
        actions_due_on=due_on,
    )
    assert assessment.state == State.FAILED
    assert assessment.safeguarding_audit.outcome_reason == "Evidence indicators not met: B1.1"
    action = Action.objects.get(assessment=assessment)
    assert action.record is not None
    assert (action.record.requirement.code, action.owner, action.due_on) == (
        "B1.1",
        cast.link,
        due_on,
    )


def test_it_refuses_an_action_date_when_every_indicator_is_met(cast: AuditCast) -> None:
    assessment = build.audit_reported(cast)
    with refused("no actions to set a date for"):
        audit_services.audit_outcome_record(
            assessment=assessment,
            actor=cast.coordinator,
            expected_version=assessment.version,
            actions_due_on=timezone.localdate() + timedelta(days=1),
        )


def test_it_refuses_an_incomplete_schedule_naming_the_field(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast)
    with refused("add group recording") as refusal:
        audit_services.audit_schedule_set(
            assessment=assessment,
            actor=cast.lead,
            expected_version=assessment.version,
            visit_on=build.VISIT_ON,
            items=build.SCHEDULE[:2],
        )
    assert (refusal.value.field, refusal.value.rule_id) == ("schedule", "safeguarding-audit-2008")
    with refused("after today") as refusal:
        audit_services.audit_schedule_set(
            assessment=assessment,
            actor=cast.lead,
            expected_version=assessment.version,
            visit_on=timezone.localdate(),
            items=build.SCHEDULE,
        )
    assert refusal.value.field == "visit_on"
    blank = [
        *build.SCHEDULE,
        ScheduleItemDetails(ScheduleItemKind.STAFF_INTERVIEW, build.SCHEDULE[0].starts_at, " "),
    ]
    with refused("Describe schedule item 4"):
        audit_services.audit_schedule_set(
            assessment=assessment,
            actor=cast.lead,
            expected_version=assessment.version,
            visit_on=build.VISIT_ON,
            items=blank,
        )


@pytest.mark.parametrize("who", ["second", "coordinator", "link"])
def test_it_lets_only_the_audits_lead_assessor_set_the_schedule(cast: AuditCast, who: str) -> None:
    assessment = build.audit_opened(cast)
    actor: User = getattr(cast, who)
    with refused("Only the assessment's lead assessor"):
        audit_services.audit_schedule_set(
            assessment=assessment,
            actor=actor,
            expected_version=assessment.version,
            visit_on=build.VISIT_ON,
            items=build.SCHEDULE,
        )


def test_it_lets_only_the_link_person_agree_the_schedule_and_needs_two_assessors(
    cast: AuditCast,
) -> None:
    assessment = audit_services.safeguarding_audit_open(
        service=cast.staff.service, actor=cast.coordinator
    )
    audit_services.audit_link_person_name(assessment=assessment, user=cast.link, actor=cast.link)
    build.join(assessment, cast.lead, Part.LEAD_ASSESSOR, by=cast.coordinator)
    assessment = audit_services.audit_schedule_set(
        assessment=fresh(assessment),
        actor=cast.lead,
        expected_version=fresh(assessment).version,
        visit_on=build.VISIT_ON,
        items=build.SCHEDULE,
    )
    with refused("Only the audit's link person"):
        audit_services.audit_schedule_agree(
            assessment=assessment, actor=cast.lead, expected_version=assessment.version
        )
    with refused("The visit needs two assessors") as refusal:
        audit_services.audit_schedule_agree(
            assessment=assessment, actor=cast.link, expected_version=assessment.version
        )
    assert refusal.value.field == "participants"
    # A second assessor who has not declared no conflict does not count.
    participant_add(
        assessment=assessment, user=cast.second, part=Part.SECOND_ASSESSOR, actor=cast.coordinator
    )
    with refused("The visit needs two assessors"):
        audit_services.audit_schedule_agree(
            assessment=assessment, actor=cast.link, expected_version=assessment.version
        )
    conflict_declare(
        participant=AssessmentParticipant.objects.get(user=cast.second, assessment=assessment),
        actor=cast.second,
        no_conflict=True,
    )
    assessment = audit_services.audit_schedule_agree(
        assessment=assessment, actor=cast.link, expected_version=assessment.version
    )
    assert assessment.state == State.SCHEDULED


def test_it_refuses_to_agree_a_schedule_changed_since_it_was_read(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast)
    read = assessment.version
    audit_services.audit_schedule_set(
        assessment=assessment,
        actor=cast.lead,
        expected_version=read,
        visit_on=build.VISIT_ON,
        items=build.SCHEDULE,
    )
    with pytest.raises(StaleRecord):
        audit_services.audit_schedule_agree(
            assessment=assessment, actor=cast.link, expected_version=read
        )


def test_it_refuses_to_record_the_visit_before_its_day(cast: AuditCast) -> None:
    assessment = build.audit_scheduled(cast)
    with refused("record it on or after that day") as refusal:
        audit_services.audit_visit_record(
            assessment=assessment, actor=cast.lead, expected_version=assessment.version
        )
    assert refusal.value.field == "visit_on"


def test_it_judges_indicators_only_met_or_not_met_after_the_visit(cast: AuditCast) -> None:
    assessment = build.audit_scheduled(cast)
    record = build.record(assessment, "B1.1")
    with refused("only when it is “Site visit done”"):
        audit_services.audit_indicator_judge(
            record=record,
            actor=cast.lead,
            expected_version=record.version,
            judgement=Judgement.MET,
            basis="Synthetic",
        )
    assessment = audit_services.audit_visit_record(
        assessment=assessment,
        actor=cast.lead,
        expected_version=assessment.version,
        now=build.on_visit_day(),
    )
    with refused("Judge B1.1 met or not met") as refusal:
        audit_services.audit_indicator_judge(
            record=record,
            actor=cast.second,
            expected_version=record.version,
            judgement=Judgement.MORE_EVIDENCE,
            basis="Synthetic",
        )
    assert refusal.value.field == "judgement"
    with refused("Give the evidence seen for B1.1"):
        audit_services.audit_indicator_judge(
            record=record,
            actor=cast.second,
            expected_version=record.version,
            judgement=Judgement.MET,
            basis=" ",
        )
    for outsider in (cast.link, cast.coordinator, cast.staff.perpetrator_worker):
        with refused("Only the assessment's lead assessor or second assessor"):
            audit_services.audit_indicator_judge(
                record=record,
                actor=outsider,
                expected_version=record.version,
                judgement=Judgement.MET,
                basis="Synthetic",
            )
    judged = audit_services.audit_indicator_judge(
        record=record,
        actor=cast.second,
        expected_version=record.version,
        judgement=Judgement.MET,
        basis="Synthetic: seen",
    )
    assert (judged.judgement, judged.judged_by) == (Judgement.MET, cast.second)


def test_it_refuses_the_report_until_every_indicator_is_judged(cast: AuditCast) -> None:
    assessment = build.audit_visited(cast)
    with refused("before writing the report") as refusal:
        audit_services.audit_report_submit(
            assessment=assessment,
            actor=cast.lead,
            expected_version=assessment.version,
            summary="Synthetic",
        )
    assert refusal.value.field == "judgement"


def test_it_keeps_a_finished_audit_read_only(cast: AuditCast) -> None:
    assessment = audit_services.safeguarding_audit_open(
        service=cast.staff.service, actor=cast.coordinator, runs_iss=False
    )
    with refused("can no longer be changed"):
        audit_services.audit_link_person_name(
            assessment=assessment, user=cast.link, actor=cast.link
        )
    with refused("only when it is “Audit report written”"):
        audit_services.audit_outcome_record(
            assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
        )


def test_it_shows_the_findings_to_the_service_only_once_reported(cast: AuditCast) -> None:
    assessment = build.audit_judged(cast)
    manager_access = checklist_selectors.checklist_get_for_user(
        user=cast.link, assessment_id=assessment.pk, process=AUDIT
    )
    assert not manager_access.sees_findings
    coordinator_access = checklist_selectors.checklist_get_for_user(
        user=cast.coordinator, assessment_id=assessment.pk, process=AUDIT
    )
    assert not coordinator_access.sees_findings
    assert checklist_selectors.checklist_get_for_user(
        user=cast.second, assessment_id=assessment.pk, process=AUDIT
    ).sees_findings
    assessment = audit_services.audit_report_submit(
        assessment=assessment,
        actor=cast.lead,
        expected_version=assessment.version,
        summary="Synthetic",
    )
    assert checklist_selectors.checklist_get_for_user(
        user=cast.link, assessment_id=assessment.pk, process=AUDIT
    ).sees_findings


@pytest.mark.parametrize("who", ["perpetrator_worker", "iss_worker", "other_service_worker"])
def test_it_hides_an_audit_from_the_services_workers(cast: AuditCast, who: str) -> None:
    assessment = build.audit_opened(cast)
    with pytest.raises(Http404):
        checklist_selectors.checklist_get_for_user(
            user=getattr(cast.staff, who), assessment_id=assessment.pk, process=AUDIT
        )


def test_it_hides_an_audit_from_an_assessor_until_they_declare(cast: AuditCast) -> None:
    assessment = build.audit_opened(cast, staffed=False)
    participant_add(
        assessment=assessment, user=cast.second, part=Part.SECOND_ASSESSOR, actor=cast.coordinator
    )
    with pytest.raises(Http404):
        checklist_selectors.checklist_get_for_user(
            user=cast.second, assessment_id=assessment.pk, process=AUDIT
        )


def test_it_summarises_the_audit_for_its_report(cast: AuditCast) -> None:
    assessment = build.audit_reported(cast, not_met="B1.1")
    summary = checklist_selectors.safeguarding_audit_summary(assessment=assessment)
    assert summary.link_person == cast.link
    assert summary.lead_assessors == [cast.lead]
    assert summary.second_assessors == [cast.second]
    assert [item.kind for item in summary.schedule] == [
        ScheduleItemKind.CASE_FILE_REVIEW,
        ScheduleItemKind.STAFF_INTERVIEW,
        ScheduleItemKind.GROUP_RECORDING,
    ]
    assert (summary.met, summary.not_met, summary.unjudged) == (59, 1, 0)
    assert sum(len(group.records) for group in summary.standards) == 60
    assert all(
        isinstance(record, RequirementRecord)
        for group in summary.standards
        for record in group.records
    )
