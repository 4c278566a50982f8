"""The checklist builders rate, judge and review most records at once, writing what the services
write one record at a time; this checks that both paths leave the same records, so the shortcut
cannot drift from the services."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from tandem.assurance.checklists.services import audit as audit_services
from tandem.assurance.checklists.services import ratings
from tandem.assurance.checklists.services import west_midlands as west_midlands_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import AuditCast
from tandem.assurance.models import (
    Action,
    Assessment,
    Judgement,
    PeerReviewFinding,
    RequirementRecord,
    SelfRating,
)
from tandem.assurance.services import conflict_declare
from tandem.conftest import ServiceStaff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]
Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(assessment: Assessment) -> Snapshot:
    records = RequirementRecord.objects.filter(assessment=assessment)
    findings = PeerReviewFinding.objects.filter(record__assessment=assessment)
    actions = Action.objects.filter(assessment=assessment)
    return {
        "records": sorted(
            records.values_list(
                "requirement__code",
                "rating",
                "narrative",
                "narrative_updated_by",
                "judgement",
                "judgement_basis",
                "judged_by",
                "version",
            )
        ),
        "findings": sorted(
            findings.values_list("record__requirement__code", "agrees", "comment", "reviewed_by")
        ),
        "actions": sorted(actions.values_list("record__requirement__code", "status", "owner")),
    }


def audit_judged_one_by_one(cast: AuditCast, *, not_met: str) -> Assessment:
    assessment = build.audit_visited(cast)
    for item in build.records(assessment):
        audit_services.audit_indicator_judge(
            record=item,
            actor=cast.second if item.position % 2 else cast.lead,
            expected_version=item.version,
            judgement=Judgement.NOT_MET if item.requirement.code == not_met else Judgement.MET,
            basis=build.AUDIT_BASIS,
        )
    return build.fresh(assessment)


def wm_reviewed_one_by_one(
    staff: ServiceStaff, reviewer: User, *, partly: str, challenge: str
) -> Assessment:
    manager = staff.service_manager
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=staff.service, actor=manager
    )
    for item in build.records(assessment):
        rated_partly = item.requirement.code == partly
        west_midlands_services.west_midlands_record_rate(
            record=item,
            actor=manager,
            expected_version=item.version,
            rating=SelfRating.PARTLY if rated_partly else SelfRating.MET,
            evidence=build.EVIDENCE,
            action=ratings.ActionDetails(
                description="Synthetic: review the policy with the safeguarding lead",
                owner=manager,
                due_on=build.TODAY + timedelta(days=60),
            )
            if rated_partly
            else None,
        )
    participant = west_midlands_services.peer_reviewer_add(
        assessment=build.fresh(assessment), user=reviewer, actor=manager
    )
    conflict_declare(participant=participant, actor=reviewer, no_conflict=True)
    assessment = build.fresh(assessment)
    west_midlands_services.west_midlands_submit(
        assessment=assessment, actor=manager, expected_version=assessment.version
    )
    for item in build.records(assessment):
        challenged = item.requirement.code == challenge
        west_midlands_services.peer_review_record(
            record=item,
            actor=reviewer,
            expected_version=item.version,
            agrees=not challenged,
            comment="Synthetic: no evidence of a review date" if challenged else "",
        )
    assessment = build.fresh(assessment)
    return west_midlands_services.peer_review_complete(
        assessment=assessment,
        actor=reviewer,
        expected_version=assessment.version,
        actions_due_on=build.TODAY + timedelta(days=90),
    )


def test_it_judges_the_audit_as_the_services_do(staffed_service: ServiceStaff) -> None:
    cast = build.audit_cast(staffed_service)
    with transaction.atomic():
        by_services = snapshot(audit_judged_one_by_one(cast, not_met="B1.2"))
        transaction.set_rollback(True)

    by_builders = snapshot(build.audit_judged(cast, not_met="B1.2"))

    assert by_builders == by_services
    judged = {(code, judgement) for code, _, _, _, judgement, *_ in by_services["records"]}
    assert ("B1.2", Judgement.NOT_MET) in judged
    assert len(judged) == 60


def test_it_rates_and_reviews_a_self_evaluation_as_the_services_do(
    staffed_service: ServiceStaff,
) -> None:
    reviewer = build.peer_reviewer()
    with transaction.atomic():
        by_services = snapshot(
            wm_reviewed_one_by_one(staffed_service, reviewer, partly="2.3", challenge="1.4")
        )
        transaction.set_rollback(True)

    manager = staffed_service.service_manager
    by_builders = snapshot(
        build.wm_reviewed(
            build.wm_submitted(staffed_service.service, manager, reviewer, partly="2.3"),
            reviewer,
            challenge="1.4",
        )
    )

    assert by_builders == by_services
    assert ("1.4", False, "Synthetic: no evidence of a review date", reviewer.pk) in (
        by_services["findings"]
    )
    assert len(by_services["actions"]) == 2, "the partly-met rating's and the challenge's"
