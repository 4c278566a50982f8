"""Governance writes: the rules they enforce (policies, model-review, governance-report,
case-management-lead, WG 18 complaints), bad input refused naming the field with nothing
half-saved, stale versions, the audit trail, and the demo records."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase, Stage
from tandem.cases.tests.builders import received
from tandem.conftest import ServiceStaff
from tandem.governance.due import governance_due_items_for_user
from tandem.governance.models import (
    Agreement,
    AgreementKind,
    Complaint,
    PerformanceReport,
    Policy,
    PolicyAcknowledgement,
)
from tandem.governance.selectors import policy_register
from tandem.governance.services.agreements import (
    agreement_record,
    agreement_review_record,
    named_role_assign,
    named_role_end,
)
from tandem.governance.services.complaints import complaint_receive, complaint_update
from tandem.governance.services.governing_body import (
    performance_report_draft,
    performance_report_present,
    performance_report_update,
)
from tandem.governance.services.policies import (
    edi_review_record,
    model_of_work_review_record,
    policy_acknowledge,
    policy_record,
)
from tandem.governance.tests.builders import NOW, TODAY, pdf
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.gates import case_management_lead_refusal
from tandem.organisations.models import NamedRole, NamedRoleKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("governance_uploads")]


def record_policy(staff: ServiceStaff, **overrides: object) -> Policy:
    values: dict[str, object] = {
        "service": staff.service,
        "required_policy": "d",
        "title": "Synthetic safeguarding policy",
        "version_label": "v1",
        "owner": staff.service_manager,
        "approved_on": date(2025, 1, 10),
        "next_review_on": date(2028, 1, 10),
        "document": pdf(),
        "actor": staff.service_manager,
        "now": NOW,
    }
    values.update(overrides)
    return policy_record(**values)  # type: ignore[arg-type]


def test_it_records_a_policy_with_its_document_typed_by_content_and_audits_it(
    staffed_service: ServiceStaff,
) -> None:
    policy = record_policy(staffed_service)
    assert policy.document_kind == "pdf"
    assert policy.document.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(object_id=str(policy.pk), action="created").exists()


def test_it_refuses_a_review_more_than_3_years_after_approval_saving_nothing_rule_policies(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        record_policy(staffed_service, next_review_on=date(2028, 1, 11))
    assert (refused.value.field, refused.value.rule_id) == ("next_review_on", "policies")
    assert not Policy.objects.exists()


def test_it_refuses_a_document_whose_content_is_not_what_its_name_says(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        record_policy(staffed_service, document=pdf(name="policy.docx"))
    assert refused.value.field == "document"
    with pytest.raises(ActionRefused) as refused:
        record_policy(
            staffed_service, document=ContentFile(b"<html>not a policy</html>", name="p.pdf")
        )
    assert refused.value.field == "document"
    assert not Policy.objects.exists()


def test_it_refuses_a_policy_from_a_worker_who_is_not_a_senior_manager(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused):
        record_policy(staffed_service, actor=staffed_service.perpetrator_worker)


def test_it_shows_every_required_policy_missing_ones_included_and_overdue_reviews(
    staffed_service: ServiceStaff,
) -> None:
    record_policy(staffed_service, approved_on=date(2023, 12, 1), next_review_on=date(2026, 11, 17))
    rows = policy_register(
        service=staffed_service.service, user=staffed_service.iss_worker, now=NOW
    )
    assert [row.code for row in rows] == list("abcdefghijk")
    assert sum(1 for row in rows if row.policy is None) == 10
    safeguarding = rows[3]
    assert safeguarding.review_overdue
    assert not safeguarding.review_due_soon


def test_it_shows_a_review_due_today_as_due_soon_not_overdue_rule_policies(
    staffed_service: ServiceStaff,
) -> None:
    record_policy(staffed_service, approved_on=date(2023, 11, 18), next_review_on=TODAY)
    row = policy_register(
        service=staffed_service.service, user=staffed_service.iss_worker, now=NOW
    )[3]
    assert row.review_due_soon
    assert not row.review_overdue


def test_it_records_who_acknowledged_which_version_when_once_each(
    staffed_service: ServiceStaff,
) -> None:
    policy = record_policy(staffed_service)
    policy_acknowledge(policy=policy, actor=staffed_service.perpetrator_worker, now=NOW)
    with pytest.raises(ActionRefused):
        policy_acknowledge(policy=policy, actor=staffed_service.perpetrator_worker, now=NOW)
    with pytest.raises(ActionRefused):
        policy_acknowledge(policy=policy, actor=staffed_service.other_service_worker, now=NOW)
    acknowledgement = PolicyAcknowledgement.objects.get()
    assert (acknowledgement.user, acknowledgement.policy, acknowledgement.acknowledged_at) == (
        staffed_service.perpetrator_worker,
        policy,
        NOW,
    )


def test_it_refuses_a_model_of_work_review_without_a_summary_of_changes_rule_model_review(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        model_of_work_review_record(
            service=staffed_service.service,
            version_label="2026",
            reviewed_on=TODAY,
            summary_of_changes="  ",
            consultation="Synthetic staff meeting",
            actor=staffed_service.service_manager,
            now=NOW,
        )
    assert refused.value.field == "summary_of_changes"


def test_it_drafts_a_report_from_the_records_then_presents_it_and_refuses_a_stale_edit_rule_governance_report(
    staffed_service: ServiceStaff,
) -> None:
    received(staffed_service)
    report = performance_report_draft(
        service=staffed_service.service,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 11, 30),
        actor=staffed_service.service_manager,
        now=NOW,
    )
    assert "Referrals received: 1" in report.text
    edited = performance_report_update(
        report=report,
        text=report.text + "\nSynthetic note",
        expected_version=1,
        actor=staffed_service.service_manager,
    )
    with pytest.raises(StaleRecord):
        performance_report_update(
            report=report, text="x", expected_version=1, actor=staffed_service.service_manager
        )
    performance_report_present(
        report=edited,
        presented_on=TODAY,
        meeting=None,
        expected_version=edited.version,
        actor=staffed_service.service_manager,
        now=NOW,
    )
    presented = PerformanceReport.objects.get()
    assert presented.status == "presented"
    assert presented.presented_on == TODAY
    items = governance_due_items_for_user(user=staffed_service.service_manager, now=NOW)
    report_due = [item for item in items if item.title.startswith("Quarterly")]
    assert report_due[0].due_on == date(2027, 2, 18)


def test_it_refuses_naming_a_case_management_lead_who_carries_open_cases_rule_case_management_lead(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    PerpetratorCase.objects.filter(pk=case.pk).update(
        allocated_worker=staffed_service.perpetrator_worker
    )
    with pytest.raises(ActionRefused) as refused:
        named_role_assign(
            service=staffed_service.service,
            kind=NamedRoleKind.CASE_MANAGEMENT_LEAD,
            user=staffed_service.perpetrator_worker,
            from_date=TODAY,
            to_date=None,
            actor=staffed_service.service_manager,
        )
    assert (refused.value.field, refused.value.rule_id) == ("user", "case-management-lead")
    assert not NamedRole.objects.exists()
    # Once the case is closed, they carry no caseload.
    PerpetratorCase.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_at=NOW)
    named_role_assign(
        service=staffed_service.service,
        kind=NamedRoleKind.CASE_MANAGEMENT_LEAD,
        user=staffed_service.perpetrator_worker,
        from_date=TODAY,
        to_date=None,
        actor=staffed_service.service_manager,
    )
    message = case_management_lead_refusal(
        user=staffed_service.perpetrator_worker, service=staffed_service.service, on=TODAY
    )
    assert message is not None
    assert "case-management-lead" in message
    assert (
        case_management_lead_refusal(
            user=staffed_service.iss_worker, service=staffed_service.service, on=TODAY
        )
        is None
    )


def test_it_refuses_naming_someone_who_does_not_work_in_the_service(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        named_role_assign(
            service=staffed_service.service,
            kind=NamedRoleKind.SAFEGUARDING_LEAD,
            user=staffed_service.other_service_worker,
            from_date=TODAY,
            to_date=None,
            actor=staffed_service.service_manager,
        )
    assert refused.value.field == "user"


def test_it_makes_a_complaint_response_due_in_20_working_days_and_flags_it_overdue_wg_18(
    staffed_service: ServiceStaff,
) -> None:
    complaint = complaint_receive(
        service=staffed_service.service,
        received_on=date(2026, 10, 1),
        complainant="Synthetic service user",
        summary="Synthetic complaint",
        response_working_days=None,
        actor=staffed_service.service_manager,
        now=NOW,
    )
    assert complaint.response_due_on == date(2026, 10, 29)
    items = governance_due_items_for_user(user=staffed_service.service_manager, now=NOW)
    assert items[0].rule_id in {"complaints", "policies"}
    complaint_item = next(item for item in items if item.rule_id == "complaints")
    assert complaint_item.urgency == 0


def test_it_refuses_a_response_date_without_the_outcome_wg_18(
    staffed_service: ServiceStaff,
) -> None:
    complaint = complaint_receive(
        service=staffed_service.service,
        received_on=date(2026, 11, 2),
        complainant="Synthetic professional",
        summary="Synthetic complaint",
        response_working_days=10,
        actor=staffed_service.service_manager,
        now=NOW,
    )
    with pytest.raises(ActionRefused) as refused:
        complaint_update(
            complaint=complaint,
            investigator=None,
            investigation="",
            outcome="",
            responded_on=TODAY,
            expected_version=1,
            actor=staffed_service.service_manager,
            now=NOW,
        )
    assert (refused.value.field, refused.value.rule_id) == ("outcome", "complaints")
    assert Complaint.objects.get().responded_on is None


def test_it_keeps_complaints_from_a_practice_manager(
    staffed_service: ServiceStaff, practice_manager: object
) -> None:
    with pytest.raises(ActionRefused):
        complaint_receive(
            service=staffed_service.service,
            received_on=TODAY,
            complainant="Synthetic",
            summary="Synthetic",
            response_working_days=None,
            actor=practice_manager,  # type: ignore[arg-type]
            now=NOW,
        )
    items = governance_due_items_for_user(user=practice_manager, now=NOW)  # type: ignore[arg-type]
    assert items
    assert all(item.rule_id != "complaints" for item in items)


def test_it_lists_no_governance_items_for_a_worker(staffed_service: ServiceStaff) -> None:
    assert governance_due_items_for_user(user=staffed_service.perpetrator_worker, now=NOW) == []


def test_it_creates_the_demo_records_one_policy_missing_one_review_overdue(
    staffed_service: ServiceStaff,
) -> None:
    from tandem.demo.governance import demo_governance

    now = timezone.now()
    demo_governance(
        service=staffed_service.service,
        now=now,
        manager=staffed_service.service_manager,
        staff=[staffed_service.perpetrator_worker, staffed_service.iss_worker],
    )
    rows = policy_register(
        service=staffed_service.service, user=staffed_service.service_manager, now=now
    )
    assert [row.code for row in rows if row.policy is None] == ["k"]
    assert [row.code for row in rows if row.review_overdue] == ["d"]
    assert PerformanceReport.objects.get().status == "presented"
    assert Complaint.objects.count() == 1


def test_it_answers_due_items_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: object
) -> None:
    from tandem.demo.governance import demo_governance

    now = timezone.now()
    demo_governance(
        service=staffed_service.service, now=now, manager=staffed_service.service_manager
    )
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        items = governance_due_items_for_user(
            user=staffed_service.service_manager, now=now + timedelta(days=1)
        )
    assert len(items) > 12


_ = datetime


def _agreement(staff: ServiceStaff) -> Agreement:
    return agreement_record(
        service=staff.service,
        kind=AgreementKind.ISS_PARTNERSHIP,
        title="Synthetic ISS partnership",
        parties="Synthetic A\nSynthetic B",
        signed_on=date(2025, 10, 1),
        review_on=date(2026, 10, 1),
        actor=staff.service_manager,
        now=NOW,
    )


def test_it_renews_or_ends_an_agreement_and_drops_an_ended_one_from_the_due_items(
    staffed_service: ServiceStaff,
) -> None:
    agreement = _agreement(staffed_service)
    manager = staffed_service.service_manager
    with pytest.raises(ActionRefused) as refused:
        agreement_review_record(
            agreement=agreement,
            reviewed_on=TODAY,
            next_review_on=None,
            ended_on=None,
            expected_version=1,
            actor=manager,
            now=NOW,
        )
    assert refused.value.field == "next_review_on"
    renewed = agreement_review_record(
        agreement=agreement,
        reviewed_on=TODAY,
        next_review_on=date(2027, 11, 18),
        ended_on=None,
        expected_version=1,
        actor=manager,
        now=NOW,
    )
    assert renewed.review_on == date(2027, 11, 18)
    with pytest.raises(StaleRecord):
        agreement_review_record(
            agreement=agreement,
            reviewed_on=TODAY,
            next_review_on=None,
            ended_on=TODAY,
            expected_version=1,
            actor=manager,
            now=NOW,
        )
    agreement_review_record(
        agreement=agreement,
        reviewed_on=TODAY,
        next_review_on=None,
        ended_on=TODAY,
        expected_version=renewed.version,
        actor=manager,
        now=NOW,
    )
    items = governance_due_items_for_user(user=manager, now=NOW)
    assert all(item.rule_id != "agreements" for item in items)


def test_it_ends_a_named_role_once(staffed_service: ServiceStaff) -> None:
    role = named_role_assign(
        service=staffed_service.service,
        kind=NamedRoleKind.OUT_OF_HOURS_LEAD,
        user=staffed_service.iss_worker,
        from_date=date(2026, 1, 1),
        to_date=None,
        actor=staffed_service.service_manager,
    )
    with pytest.raises(ActionRefused):
        named_role_end(role=role, to_date=date(2025, 12, 31), actor=staffed_service.service_manager)
    named_role_end(role=role, to_date=TODAY, actor=staffed_service.service_manager)
    with pytest.raises(ActionRefused):
        named_role_end(role=role, to_date=TODAY, actor=staffed_service.service_manager)
    assert NamedRole.objects.get().to_date == TODAY


def test_it_refuses_a_report_period_longer_than_12_months_rule_governance_report(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        performance_report_draft(
            service=staffed_service.service,
            period_start=date(2025, 1, 1),
            period_end=date(9999, 12, 31),
            actor=staffed_service.service_manager,
            now=NOW,
        )
    assert (refused.value.field, refused.value.rule_id) == ("period_end", "governance-report")
    assert not PerformanceReport.objects.exists()


def test_it_makes_the_equalities_reviews_due_from_the_last_one_rule_edi_review(
    staffed_service: ServiceStaff,
) -> None:
    edi_review_record(
        service=staffed_service.service,
        kind="service_user_profile",
        reviewed_on=date(2025, 11, 17),
        summary="Synthetic: profile compared with the local population.",
        actor=staffed_service.service_manager,
        now=NOW,
    )
    items = governance_due_items_for_user(user=staffed_service.service_manager, now=NOW)
    edi = {
        item.title: (item.due_on, item.urgency) for item in items if item.rule_id == "edi-review"
    }
    assert edi["Review: Service-user profile (at least annually)"] == (date(2026, 11, 17), 0)
    assert edi["Review: Equalities framework (every 3 years)"] == (TODAY, 1)
    with pytest.raises(ActionRefused) as refused:
        edi_review_record(
            service=staffed_service.service,
            kind="framework",
            reviewed_on=TODAY,
            summary=" ",
            actor=staffed_service.service_manager,
            now=NOW,
        )
    assert refused.value.field == "summary"
