"""The builders judge every indicator at once, writing what the services write one at a time;
this checks that both leave the same findings, so the shortcut cannot drift from the services."""

import pytest
from django.db import transaction

from tandem.assurance.models import (
    Assessment,
    Judgement,
    MethodJudgement,
    RequirementRecord,
)
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast
from tandem.assurance.tests.builders import fresh
from tandem.standards.models import AssessmentMethod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]
SCOPE = ["icm"]


def findings(assessment: Assessment) -> dict[str, list[tuple[object, ...]]]:
    records = RequirementRecord.objects.filter(assessment=assessment)
    methods = MethodJudgement.objects.filter(record__assessment=assessment)
    return {
        "records": sorted(
            records.values_list(
                "requirement__code", "judgement", "judgement_basis", "judged_by", "version"
            )
        ),
        "methods": sorted(
            methods.values_list(
                "record__requirement__code", "method", "result", "evidence_notes", "judged_by"
            )
        ),
    }


def at_site_visit_one_by_one(cast: Cast) -> Assessment:
    assessment = builders.submitted(cast, SCOPE)
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    for record in assessment.records.select_related("assessment", "requirement"):
        if AssessmentMethod.WRITTEN_SUBMISSION in record.requirement.assessment_methods:
            builders.judge_method(cast.assessor, record, AssessmentMethod.WRITTEN_SUBMISSION)
    return respect_findings.site_visit_start(
        assessment=fresh(assessment), actor=cast.assessor, expected_version=assessment.version
    )


def all_judged_one_by_one(cast: Cast, assessment: Assessment, *, not_met: str) -> Assessment:
    for record in assessment.records.select_related("assessment", "requirement"):
        for method in record.requirement.assessment_methods:
            if method != AssessmentMethod.WRITTEN_SUBMISSION:
                record = builders.judge_method(cast.assessor, record, method)
        respect_findings.record_judge(
            record=record,
            judgement=Judgement.NOT_MET if record.requirement.code == not_met else Judgement.MET,
            basis=builders.BASIS,
            actor=cast.assessor,
            expected_version=record.version,
        )
    return fresh(assessment)


def test_it_judges_every_indicator_as_the_services_do(cast: Cast) -> None:
    with transaction.atomic():
        by_services = findings(
            all_judged_one_by_one(cast, at_site_visit_one_by_one(cast), not_met="A2.1")
        )
        transaction.set_rollback(True)

    by_builders = findings(
        builders.all_judged(cast, builders.at_site_visit(cast, SCOPE), not_met="A2.1")
    )

    assert by_builders == by_services
    assert len(by_services["records"]) == 8 + 27 + 10 + 3
    assert ("A2.1", Judgement.NOT_MET) in {
        (code, judgement) for code, judgement, *_ in by_services["records"]
    }
    assert {method for _, method, *_ in by_services["methods"]} > {
        AssessmentMethod.WRITTEN_SUBMISSION
    }


def test_it_refuses_to_judge_met_what_a_method_found_not_met(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast, SCOPE)
    record = builders.record_of(assessment, "A1.1")
    MethodJudgement.objects.filter(record=record).update(result=Judgement.NOT_MET)

    with pytest.raises(AssertionError, match=r"A1\.1"):
        builders.all_judged(cast, assessment)
