"""Respect accreditation through the services: every transition, every refusal, separation of
duties, conflicts of interest, concurrency, evidence stored once, and expiry (rule
respect-accreditation)."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance import selectors, services
from tandem.assurance.models import (
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    ConflictDeclaration,
    DecisionOutcome,
    EvidenceDocument,
    Judgement,
    Part,
    Recommendation,
    RequirementRecord,
    State,
    VerificationOutcome,
)
from tandem.assurance.respect import gates as respect_gates
from tandem.assurance.respect import selectors as respect_selectors
from tandem.assurance.respect.services import application as respect_application
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, record_of
from tandem.assurance.tests import builders as files
from tandem.assurance.tests.builders import fresh
from tandem.audit.models import AuditEvent
from tandem.lib import documents
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Organisation, Service
from tandem.standards.models import AssessmentMethod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def refused(message: str) -> pytest.RaisesExc[ActionRefused]:
    return pytest.raises(ActionRefused, match=message)


# Applying


def test_it_creates_a_record_for_each_applicable_indicator(cast: Cast) -> None:
    assessment = builders.applied(cast, ["behaviour_change", "icm"])
    assert assessment.state == State.DRAFT
    assert assessment.framework.slug == "respect-2022"
    assert assessment.records.count() == 79
    assert AuditEvent.objects.filter(object_id=str(assessment.pk), action="created").exists()


def test_it_skips_behaviour_change_only_indicators_for_early_response(cast: Cast) -> None:
    Service.objects.filter(pk=cast.staff.service.pk).update(offers_early_response=True)
    cast.staff.service.refresh_from_db()
    assessment = builders.applied(cast, ["early_response"])
    codes = set(assessment.records.values_list("requirement__code", flat=True))
    assert "S-B5.5" in codes
    assert not codes & {"S-B5.6", "S-B5.7"}


def test_it_refuses_an_application_from_anyone_but_the_services_manager(cast: Cast) -> None:
    with refused("Only a service manager of Test DAPP can apply"):
        respect_application.respect_accreditation_apply(
            service=cast.staff.service, actor=cast.staff.perpetrator_worker, scope=["icm"]
        )


def test_it_refuses_an_application_for_an_intervention_not_offered(cast: Cast) -> None:
    with refused("Test DAPP does not offer: Early-response") as refusal:
        builders.applied(cast, ["early_response"])
    assert refusal.value.rule_id == "respect-accreditation"
    assert refusal.value.field == "scope"


def test_it_refuses_a_second_application_while_one_is_under_way(cast: Cast) -> None:
    builders.applied(cast)
    with refused("already has an accreditation assessment under way"):
        builders.applied(cast)


def test_it_refuses_an_application_from_a_service_without_survivor_support(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R22 scope: no perpetrator work without survivor support (the refusal itself is tested
    on a service with no ISS in test_gates)."""
    monkeypatch.setattr(
        respect_gates,
        "survivor_support_refusal",
        lambda *, service: f"{service.name} has no Integrated Support Service",
    )
    with refused("Test DAPP has no Integrated Support Service"):
        builders.applied(cast)


# The service's evidence


def test_it_accepts_250_words_and_refuses_251_with_the_count(cast: Cast) -> None:
    assessment = builders.applied(cast)
    record = record_of(assessment, "S-B3.3")
    with refused("^The narrative for B3.3 has 251 words; the limit is 250$") as refusal:
        respect_application.record_narrative_save(
            record=record,
            actor=cast.manager,
            expected_version=record.version,
            narrative=" ".join(["word"] * 251),
        )
    assert refusal.value.field == "narrative"
    assert record_of(assessment, "S-B3.3").narrative == "", "nothing half-saved"
    saved = respect_application.record_narrative_save(
        record=record,
        actor=cast.manager,
        expected_version=record.version,
        narrative=" ".join(["word"] * 250),
    )
    assert saved.version == record.version + 1
    assert saved.narrative_updated_by == cast.manager


def test_it_refuses_a_stale_edit_of_the_same_indicator(cast: Cast) -> None:
    assessment = builders.applied(cast)
    read_by_both = record_of(assessment, "A1.1")
    respect_application.record_narrative_save(
        record=read_by_both,
        actor=cast.manager,
        expected_version=read_by_both.version,
        narrative="First",
    )
    with pytest.raises(StaleRecord):
        respect_application.record_narrative_save(
            record=read_by_both,
            actor=cast.manager,
            expected_version=read_by_both.version,
            narrative="Second",
        )
    assert record_of(assessment, "A1.1").narrative == "First"


def test_it_lets_two_assessors_judge_different_indicators_at_once(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    second = builders.person("assessor-2", Role.ASSESSOR)
    builders.join(assessment, second, Part.SECOND_ASSESSOR, by=cast.coordinator)
    first_record = record_of(assessment, "A1.1")
    second_record = record_of(assessment, "A2.1")
    version_read = fresh(assessment).version
    respect_findings.record_judge(
        record=first_record,
        judgement=Judgement.MET,
        basis="Synthetic basis.",
        actor=cast.assessor,
        expected_version=first_record.version,
    )
    respect_findings.record_judge(
        record=second_record,
        judgement=Judgement.NOT_MET,
        basis="Synthetic basis.",
        actor=second,
        expected_version=second_record.version,
    )
    assert record_of(assessment, "A1.1").judgement == Judgement.MET
    assert record_of(assessment, "A2.1").judgement == Judgement.NOT_MET
    assert fresh(assessment).version == version_read, "record edits leave the assessment alone"


def test_it_stores_a_document_once_and_cites_it_for_several_indicators(cast: Cast) -> None:
    assessment = builders.applied(cast)
    document, created = respect_application.evidence_document_upload(
        service=cast.staff.service,
        actor=cast.manager,
        title="Synthetic policies",
        upload=files.upload("policies.pdf", files.PDF),
    )
    again, created_again = respect_application.evidence_document_upload(
        service=cast.staff.service,
        actor=cast.manager,
        title="Same file, other name",
        upload=files.upload("copy.pdf", files.PDF),
    )
    assert created
    assert not created_again
    assert again == document
    assert EvidenceDocument.objects.count() == 1
    assert document.kind == "pdf"
    assert document.size == len(files.PDF)
    with document.file.open("rb") as stored:
        assert stored.read() == files.PDF
    for code, location in (("A1.1", "page 3"), ("A2.1", "section 2.1")):
        record = record_of(assessment, code)
        respect_application.evidence_citation_add(
            record=record,
            document=document,
            location=location,
            actor=cast.manager,
            expected_version=record.version,
        )
    assert document.citations.count() == 2
    record = record_of(assessment, "A1.1")
    with refused("Give the page or section of Synthetic policies where A1.1 is met"):
        respect_application.evidence_citation_add(
            record=record,
            document=document,
            location=" ",
            actor=cast.manager,
            expected_version=record.version,
        )
    with refused("already cited"):
        respect_application.evidence_citation_add(
            record=record,
            document=document,
            location="page 3",
            actor=cast.manager,
            expected_version=record.version,
        )
    citation = record.citations.get()
    respect_application.evidence_citation_remove(
        citation=citation, actor=cast.manager, expected_version=record.version
    )
    assert not record.citations.exists()


def test_it_refuses_a_document_of_another_service(cast: Cast) -> None:
    assessment = builders.applied(cast)
    other = Service.objects.create(
        organisation=Organisation.objects.create(name="Synthetic other organisation"),
        name="Other DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    foreign = EvidenceDocument.objects.create(
        service=other,
        title="Not theirs",
        file="evidence/x/y",
        original_name="x.pdf",
        kind="pdf",
        size=1,
        sha256="0" * 64,
        uploaded_at=timezone.now(),
        uploaded_by=cast.manager,
    )
    record = record_of(assessment, "A1.1")
    with refused("not one of this service's"):
        respect_application.evidence_citation_add(
            record=record,
            document=foreign,
            location="page 1",
            actor=cast.manager,
            expected_version=record.version,
        )


def test_it_refuses_an_upload_over_the_size_limit_or_of_the_wrong_type(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    with refused("virus.pdf cannot be accepted: it is not a PDF, Word"):
        respect_application.evidence_document_upload(
            service=cast.staff.service,
            actor=cast.manager,
            title="",
            upload=files.upload("virus.pdf", files.EXE),
        )
    monkeypatch.setattr(documents, "EVIDENCE_MAX_BYTES", len(files.PDF) - 1)
    with refused("big.pdf is larger than .* bytes, the largest file accepted"):
        respect_application.evidence_document_upload(
            service=cast.staff.service,
            actor=cast.manager,
            title="",
            upload=files.upload("big.pdf", files.PDF),
        )
    with refused("Only a service manager of Test DAPP can upload"):
        respect_application.evidence_document_upload(
            service=cast.staff.service,
            actor=cast.staff.perpetrator_worker,
            title="",
            upload=files.upload("ok.png", files.PNG),
        )
    assert not EvidenceDocument.objects.exists()


def test_it_refuses_to_submit_until_every_indicator_has_a_narrative(cast: Cast) -> None:
    assessment = builders.applied(cast)
    RequirementRecord.objects.filter(assessment=assessment).exclude(
        requirement__code__in=["A1.1", "A2.1", "S-B6.1"]
    ).update(narrative=builders.NARRATIVE)
    with refused("Write the narrative for A1.1 and A2.1 before submitting"):
        respect_application.assessment_submit(
            assessment=assessment, actor=cast.manager, expected_version=assessment.version
        )
    RequirementRecord.objects.filter(assessment=assessment).update(narrative=builders.NARRATIVE)
    submitted = respect_application.assessment_submit(
        assessment=assessment, actor=cast.manager, expected_version=assessment.version
    )
    assert submitted.state == State.SUBMITTED
    assert submitted.submitted_at is not None
    transition = submitted.transitions.get()
    assert (transition.from_state, transition.to_state, transition.actor) == (
        State.DRAFT,
        State.SUBMITTED,
        cast.manager,
    )
    with pytest.raises(StaleRecord):
        respect_application.assessment_submit(
            assessment=assessment, actor=cast.manager, expected_version=assessment.version
        )
    with refused("You cannot submit the evidence while the assessment is “Submitted”"):
        respect_application.assessment_submit(
            assessment=assessment, actor=cast.manager, expected_version=submitted.version
        )


def test_it_lets_the_service_add_evidence_after_submitting_only_where_asked(cast: Cast) -> None:
    assessment = builders.submitted(cast)
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    record = record_of(assessment, "A1.1")
    with refused("The evidence for A1.1 was submitted"):
        respect_application.record_narrative_save(
            record=record, actor=cast.manager, expected_version=record.version, narrative="More"
        )
    record = builders.judge_method(
        cast.assessor, record, AssessmentMethod.WRITTEN_SUBMISSION, Judgement.MORE_EVIDENCE
    )
    saved = respect_application.record_narrative_save(
        record=record, actor=cast.manager, expected_version=record.version, narrative="More"
    )
    assert saved.narrative == "More"


# Conflicts of interest and separation of duties


def test_it_hides_the_assessment_from_an_assessor_until_they_declare(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participant = builders.join(
        assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator, declare=False
    )
    with pytest.raises(Http404):
        respect_selectors.assessment_get_for_user(user=cast.assessor, assessment_id=assessment.pk)
    assert assessment not in respect_selectors.assessment_list_for_user(user=cast.assessor)
    assert list(respect_selectors.declarations_awaited_from(user=cast.assessor)) == [participant]
    with refused("Only the assessment's assessor or lead assessor or second assessor"):
        respect_findings.desktop_assessment_start(
            assessment=assessment, actor=cast.assessor, expected_version=assessment.version
        )
    services.conflict_declare(participant=participant, actor=cast.assessor, no_conflict=True)
    access = respect_selectors.assessment_get_for_user(
        user=cast.assessor, assessment_id=assessment.pk
    )
    assert access.parts == {Part.ASSESSOR}
    assert access.sees_findings


def test_it_keeps_out_someone_who_declares_a_conflict(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participant = builders.join(
        assessment, cast.panel, Part.PANEL_MEMBER, by=cast.coordinator, declare=False
    )
    with refused("Say what the conflict of interest is"):
        services.conflict_declare(participant=participant, actor=cast.panel, no_conflict=False)
    services.conflict_declare(
        participant=participant,
        actor=cast.panel,
        no_conflict=False,
        details="Synthetic: I was a trustee of the organisation.",
    )
    with pytest.raises(Http404):
        respect_selectors.assessment_get_for_user(user=cast.panel, assessment_id=assessment.pk)
    with refused("already declared"):
        services.conflict_declare(participant=participant, actor=cast.panel, no_conflict=True)


def test_it_lets_only_the_participant_declare(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participant = builders.join(
        assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator, declare=False
    )
    with refused("Only the person given the part can declare"):
        services.conflict_declare(participant=participant, actor=cast.coordinator, no_conflict=True)
    with pytest.raises(Http404):
        selectors.participation_get_for_declaration(
            user=cast.coordinator, participant_id=participant.pk
        )


def test_it_refuses_parts_for_people_without_the_role(cast: Cast) -> None:
    assessment = builders.applied(cast)
    with refused("does not hold the role needed to be internal verifier: Internal verifier"):
        services.participant_add(
            assessment=assessment,
            user=cast.assessor,
            part=Part.INTERNAL_VERIFIER,
            actor=cast.coordinator,
        )
    with refused("Only a lead assessor can allocate"):
        services.participant_add(
            assessment=assessment, user=cast.assessor, part=Part.ASSESSOR, actor=cast.assessor
        )


def _with_roles(user: User, *roles: Role) -> User:
    for role in roles:
        builders.person(user.username, role)
    return User.objects.get(pk=user.pk)


def test_it_refuses_to_make_the_assessor_the_verifier_or_a_panel_member(cast: Cast) -> None:
    assessment = builders.applied(cast)
    builders.join(assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    both = _with_roles(cast.assessor, Role.INTERNAL_VERIFIER, Role.PANEL_MEMBER)
    with refused("is an assessor of this assessment: the assessor cannot verify their own report"):
        services.participant_add(
            assessment=assessment, user=both, part=Part.INTERNAL_VERIFIER, actor=cast.coordinator
        )
    with refused("panel members cannot be the assessor or the verifier"):
        services.participant_add(
            assessment=assessment, user=both, part=Part.PANEL_MEMBER, actor=cast.coordinator
        )


def test_it_refuses_an_assessor_who_works_in_the_service(cast: Cast) -> None:
    assessment = builders.applied(cast)
    insider = _with_roles(cast.manager, Role.ASSESSOR)
    with refused("works in Test DAPP: no one assesses, verifies or decides on their own service"):
        services.participant_add(
            assessment=assessment, user=insider, part=Part.ASSESSOR, actor=cast.coordinator
        )


def _slip_in(assessment: Assessment, user: User, part: Part, by: User) -> None:
    """A part given around the allocation checks (as if the rules changed since): the check when
    they act must still hold."""
    participant = AssessmentParticipant.objects.create(
        assessment=assessment, user=user, part=part, added_at=timezone.now(), added_by=by
    )
    ConflictDeclaration.objects.create(
        participant=participant, no_conflict=True, declared_at=timezone.now()
    )


def test_it_refuses_the_assessor_verifying_their_own_report(cast: Cast) -> None:
    assessment = builders.report_drafted(cast)
    _slip_in(assessment, cast.assessor, Part.INTERNAL_VERIFIER, cast.coordinator)
    with refused("the assessor cannot verify their own report"):
        respect_panel.assessor_report_verify(
            assessment=assessment,
            actor=cast.assessor,
            expected_version=assessment.version,
            outcome=VerificationOutcome.APPROVED,
            notes="Looks right to me.",
        )
    assert fresh(assessment).state == State.REPORT_DRAFTED


def test_it_refuses_a_panel_member_who_was_the_assessor(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    _slip_in(assessment, cast.assessor, Part.PANEL_MEMBER, cast.coordinator)
    with refused("is an assessor of this assessment: panel members cannot be the assessor"):
        respect_panel.panel_decision_record(
            assessment=assessment,
            actor=cast.assessor,
            expected_version=assessment.version,
            outcome=DecisionOutcome.ACCREDITED,
            reasons="Synthetic.",
        )


def test_it_refuses_a_panel_member_who_verified_the_report(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    _slip_in(assessment, cast.verifier, Part.PANEL_MEMBER, cast.coordinator)
    with refused("is the internal verifier of this assessment: panel members cannot"):
        respect_panel.panel_decision_record(
            assessment=assessment,
            actor=cast.verifier,
            expected_version=assessment.version,
            outcome=DecisionOutcome.ACCREDITED,
            reasons="Synthetic.",
        )


# The assessor


def test_it_judges_only_the_written_submission_at_the_desktop_assessment(cast: Cast) -> None:
    assessment = builders.submitted(cast)
    with refused("You cannot record findings while the assessment is “Submitted”"):
        builders.judge_method(cast.assessor, record_of(assessment, "S-B5.6"), "written_submission")
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    record = record_of(assessment, "S-B5.6")
    with refused("Case files review is done at the site visit"):
        builders.judge_method(cast.assessor, record, AssessmentMethod.CASE_FILE_REVIEW)
    with refused("B5.6 is not assessed by recorded sessions review: its methods are"):
        builders.judge_method(cast.assessor, record, AssessmentMethod.RECORDED_SESSIONS_REVIEW)
    with refused("Note the evidence seen and verified"):
        respect_findings.method_judgement_record(
            record=record,
            method=AssessmentMethod.WRITTEN_SUBMISSION,
            result=Judgement.MET,
            evidence_notes=" ",
            actor=cast.assessor,
            expected_version=record.version,
        )
    judged = builders.judge_method(cast.assessor, record, AssessmentMethod.WRITTEN_SUBMISSION)
    method = judged.method_judgements.get()
    assert (method.result, method.judged_by) == (Judgement.MET, cast.assessor)


def test_it_refuses_to_judge_an_indicator_met_until_all_its_methods_are_met(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    record = record_of(assessment, "S-B5.6")
    with refused(
        "B5.6 cannot be judged met: not yet judged by case files review; "
        "not yet judged by staff interviews"
    ):
        respect_findings.record_judge(
            record=record,
            judgement=Judgement.MET,
            basis="Synthetic.",
            actor=cast.assessor,
            expected_version=record.version,
        )
    record = builders.judge_method(cast.assessor, record, AssessmentMethod.CASE_FILE_REVIEW)
    record = builders.judge_method(
        cast.assessor, record, AssessmentMethod.STAFF_INTERVIEWS, Judgement.NOT_MET
    )
    with refused("B5.6 cannot be judged met: not met by staff interviews"):
        respect_findings.record_judge(
            record=record,
            judgement=Judgement.MET,
            basis="Synthetic.",
            actor=cast.assessor,
            expected_version=record.version,
        )
    record = builders.judge_method(cast.assessor, record, AssessmentMethod.STAFF_INTERVIEWS)
    with refused("Give the basis of the judgement of B5.6"):
        respect_findings.record_judge(
            record=record,
            judgement=Judgement.MET,
            basis="",
            actor=cast.assessor,
            expected_version=record.version,
        )
    judged = respect_findings.record_judge(
        record=record,
        judgement=Judgement.MET,
        basis="Synthetic basis.",
        actor=cast.assessor,
        expected_version=record.version,
    )
    assert (judged.judgement, judged.judged_by) == (Judgement.MET, cast.assessor)
    reopened = builders.judge_method(
        cast.assessor, judged, AssessmentMethod.CASE_FILE_REVIEW, Judgement.NOT_MET
    )
    assert reopened.judgement == "", "a method no longer met reopens the indicator"


def test_it_refuses_a_report_with_indicators_not_judged(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    with refused("Judge A1.1, A2.1, A2.2, A3.1, A3.2 and 47 more met or not met"):
        respect_findings.assessor_report_submit(
            assessment=assessment,
            actor=cast.assessor,
            expected_version=assessment.version,
            recommendation=Recommendation.NOT_ACCREDIT,
            summary="Synthetic.",
        )


def test_it_refuses_to_recommend_accreditation_with_an_indicator_not_met(cast: Cast) -> None:
    assessment = builders.all_judged(cast, builders.at_site_visit(cast), not_met="C1.1")
    with refused("Accreditation needs every applicable indicator met: C1.1 not met"):
        respect_findings.assessor_report_submit(
            assessment=assessment,
            actor=cast.assessor,
            expected_version=assessment.version,
            recommendation=Recommendation.ACCREDIT,
            summary="Synthetic.",
        )


def test_it_returns_a_report_for_changes_and_takes_it_back(cast: Cast) -> None:
    assessment = builders.report_drafted(cast)
    assessment = respect_panel.assessor_report_verify(
        assessment=assessment,
        actor=cast.verifier,
        expected_version=assessment.version,
        outcome=VerificationOutcome.RETURNED,
        notes="Synthetic: say which case files B4.1 rests on.",
    )
    assert assessment.state == State.REPORT_RETURNED
    record = record_of(assessment, "S-B4.1")
    respect_findings.record_judge(
        record=record,
        judgement=Judgement.MET,
        basis="Synthetic basis, with the case files named.",
        actor=cast.assessor,
        expected_version=record.version,
    )
    assessment = respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation=Recommendation.ACCREDIT,
        summary="Synthetic summary, revised.",
    )
    assert assessment.state == State.REPORT_DRAFTED
    assert assessment.assessor_report.summary == "Synthetic summary, revised."
    with refused("Write the verifier's notes"):
        respect_panel.assessor_report_verify(
            assessment=assessment,
            actor=cast.verifier,
            expected_version=assessment.version,
            outcome=VerificationOutcome.APPROVED,
            notes="",
        )
    verified = respect_panel.assessor_report_verify(
        assessment=assessment,
        actor=cast.verifier,
        expected_version=assessment.version,
        outcome=VerificationOutcome.APPROVED,
        notes="Synthetic: approved.",
    )
    assert verified.state == State.INTERNALLY_VERIFIED
    assert [v.outcome for v in verified.verifications.all()] == ["returned", "approved"]


def test_it_refers_to_the_panel_only_with_a_declared_panel_member(cast: Cast) -> None:
    assessment = builders.applied(cast)
    RequirementRecord.objects.filter(assessment=assessment).update(narrative=builders.NARRATIVE)
    assessment = respect_application.assessment_submit(
        assessment=assessment, actor=cast.manager, expected_version=assessment.version
    )
    builders.join(assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    builders.join(assessment, cast.verifier, Part.INTERNAL_VERIFIER, by=cast.coordinator)
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    for record in assessment.records.select_related("assessment", "requirement"):
        if AssessmentMethod.WRITTEN_SUBMISSION in record.requirement.assessment_methods:
            builders.judge_method(cast.assessor, record, AssessmentMethod.WRITTEN_SUBMISSION)
    assessment = respect_findings.site_visit_start(
        assessment=fresh(assessment), actor=cast.assessor, expected_version=assessment.version
    )
    assessment = builders.all_judged(cast, assessment)
    assessment = respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation=Recommendation.ACCREDIT,
        summary="Synthetic.",
    )
    assessment = respect_panel.assessor_report_verify(
        assessment=assessment,
        actor=cast.verifier,
        expected_version=assessment.version,
        outcome=VerificationOutcome.APPROVED,
        notes="Synthetic.",
    )
    with refused("Only a lead assessor can refer"):
        respect_panel.assessment_refer_to_panel(
            assessment=assessment, actor=cast.verifier, expected_version=assessment.version
        )
    builders.join(assessment, cast.panel, Part.PANEL_MEMBER, by=cast.coordinator, declare=False)
    with refused("Allocate a panel member, who must declare no conflict of interest, first"):
        respect_panel.assessment_refer_to_panel(
            assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
        )


# The panel


def _decide(
    cast: Cast,
    assessment: Assessment,
    outcome: DecisionOutcome,
    *,
    conditions: list[respect_panel.ConditionDetails] | None = None,
    now: datetime | None = None,
) -> Assessment:
    return respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=outcome,
        reasons="Synthetic reasons.",
        conditions=conditions,
        now=now,
    )


def test_it_accredits_for_3_years_and_releases_the_findings(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    manager_view = respect_selectors.assessment_get_for_user(
        user=cast.manager, assessment_id=assessment.pk
    )
    assert manager_view.sees_evidence
    assert not manager_view.sees_findings
    decided_at = datetime(2025, 3, 10, 11, 0, tzinfo=timezone.get_current_timezone())
    assessment = _decide(cast, assessment, DecisionOutcome.ACCREDITED, now=decided_at)
    assert assessment.state == State.ACCREDITED
    assert assessment.expires_on == date(2028, 3, 10)
    assert assessment.decided_at == decided_at
    decision = assessment.panel_decisions.get()
    assert (decision.outcome, decision.decided_by) == (DecisionOutcome.ACCREDITED, cast.panel)
    manager_view = respect_selectors.assessment_get_for_user(
        user=cast.manager, assessment_id=assessment.pk
    )
    assert manager_view.sees_findings
    assert manager_view.read_only


def test_it_refuses_accreditation_with_an_indicator_not_met(cast: Cast) -> None:
    assessment = builders.at_panel(cast, not_met="D1.2")
    with refused("Accreditation needs every applicable indicator met: D1.2 not met") as refusal:
        _decide(cast, assessment, DecisionOutcome.ACCREDITED)
    assert refusal.value.rule_id == "respect-accreditation"
    assessment = _decide(cast, assessment, DecisionOutcome.NOT_ACCREDITED)
    assert assessment.state == State.NOT_ACCREDITED
    assert assessment.expires_on is None


def test_it_refuses_accreditation_of_a_service_without_survivor_support(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = builders.at_panel(cast)
    monkeypatch.setattr(
        respect_gates,
        "survivor_support_refusal",
        lambda *, service: f"{service.name} has no Integrated Support Service",
    )
    with refused("Test DAPP has no Integrated Support Service"):
        _decide(cast, assessment, DecisionOutcome.ACCREDITED)


def test_it_refuses_a_decision_without_reasons_or_with_misplaced_conditions(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    with refused("Give the panel's reasons"):
        respect_panel.panel_decision_record(
            assessment=assessment,
            actor=cast.panel,
            expected_version=assessment.version,
            outcome=DecisionOutcome.NOT_ACCREDITED,
            reasons=" ",
        )
    with refused("A deferral needs at least one condition"):
        _decide(cast, assessment, DecisionOutcome.DEFERRED)
    today = timezone.localdate()
    with refused("Condition 1 must be due after today"):
        _decide(
            cast,
            assessment,
            DecisionOutcome.DEFERRED,
            conditions=[respect_panel.ConditionDetails("Synthetic condition", today)],
        )
    with refused("Only a deferral carries conditions"):
        _decide(
            cast,
            assessment,
            DecisionOutcome.NOT_ACCREDITED,
            conditions=[respect_panel.ConditionDetails("Synthetic", today + timedelta(days=30))],
        )
    with refused("Only the assessment's panel member"):
        respect_panel.panel_decision_record(
            assessment=assessment,
            actor=cast.coordinator,
            expected_version=assessment.version,
            outcome=DecisionOutcome.NOT_ACCREDITED,
            reasons="Synthetic.",
        )


def test_it_returns_a_deferral_to_the_panel_when_its_conditions_are_met(cast: Cast) -> None:
    due = timezone.localdate() + timedelta(days=60)
    assessment = builders.at_panel(cast)
    assessment = _decide(
        cast,
        assessment,
        DecisionOutcome.DEFERRED,
        conditions=[
            respect_panel.ConditionDetails("Update the synthetic lone working policy", due),
            respect_panel.ConditionDetails("Train the synthetic ISS team", due),
        ],
    )
    assert assessment.state == State.DEFERRED
    first, second = respect_selectors.open_conditions_of(assessment=assessment)
    assert first.owner == cast.manager
    assert first.due_on == due
    with refused("Only a service manager of Test DAPP"):
        respect_panel.deferral_condition_meet(
            condition=first,
            actor=cast.assessor,
            expected_version=first.version,
            evidence="Synthetic.",
        )
    with refused("Give the evidence that the action is done"):
        respect_panel.deferral_condition_meet(
            condition=first, actor=cast.manager, expected_version=first.version, evidence=""
        )
    met = respect_panel.deferral_condition_meet(
        condition=first,
        actor=cast.manager,
        expected_version=first.version,
        evidence="Synthetic: the policy was approved by the board.",
    )
    assert met.status == ActionStatus.DONE
    assert met.closed_by == cast.manager
    assert fresh(assessment).state == State.DEFERRED, "one condition is still open"
    with pytest.raises(StaleRecord):
        respect_panel.deferral_condition_meet(
            condition=first, actor=cast.manager, expected_version=first.version, evidence="Again"
        )
    respect_panel.deferral_condition_meet(
        condition=second,
        actor=cast.manager,
        expected_version=second.version,
        evidence="Synthetic: training records.",
    )
    assessment = fresh(assessment)
    assert assessment.state == State.PANEL
    assessment = _decide(cast, assessment, DecisionOutcome.ACCREDITED)
    assert assessment.state == State.ACCREDITED


def test_it_keeps_a_decided_assessment_read_only(cast: Cast) -> None:
    assessment = builders.accredited(cast)
    record = record_of(assessment, "A1.1")
    with refused("The assessment is accredited: it can no longer be changed"):
        respect_application.record_narrative_save(
            record=record, actor=cast.manager, expected_version=record.version, narrative="New"
        )
    with refused("can no longer be changed"):
        respect_findings.record_judge(
            record=record,
            judgement=Judgement.NOT_MET,
            basis="Changed my mind.",
            actor=cast.assessor,
            expected_version=record.version,
        )
    with refused("can no longer be changed"):
        services.participant_add(
            assessment=assessment,
            user=builders.person("late", Role.PANEL_MEMBER),
            part=Part.PANEL_MEMBER,
            actor=cast.coordinator,
        )
    with refused("You cannot record the panel's decision while the assessment is “Accredited”"):
        _decide(cast, assessment, DecisionOutcome.NOT_ACCREDITED)


# Expiry and reaccreditation


def test_it_expires_an_accreditation_exactly_3_years_after_the_decision(cast: Cast) -> None:
    decided_at = datetime(2025, 3, 10, 16, 0, tzinfo=timezone.get_current_timezone())
    assessment = _decide(cast, builders.at_panel(cast), DecisionOutcome.ACCREDITED, now=decided_at)
    day_before = date(2028, 3, 9)
    assert [e.service for e in respect_selectors.public_register(today=day_before)] == ["Test DAPP"]
    assert respect_panel.accreditations_expire(today=day_before) == 0
    assert respect_selectors.public_register(today=date(2028, 3, 10)) == []
    assert respect_panel.accreditations_expire(today=date(2028, 3, 10)) == 1
    assessment = fresh(assessment)
    assert assessment.state == State.EXPIRED
    expiry = assessment.transitions.last()
    assert expiry is not None
    assert expiry.actor is None


def test_it_expires_accreditations_from_the_daily_command(cast: Cast) -> None:
    decided_at = timezone.now() - timedelta(days=3 * 366)
    assessment = _decide(cast, builders.at_panel(cast), DecisionOutcome.ACCREDITED, now=decided_at)
    out = io.StringIO()
    call_command("expire_accreditations", stdout=out)
    assert out.getvalue() == "1 accreditation expired\n"
    assert fresh(assessment).state == State.EXPIRED


def test_it_marks_the_earlier_accreditation_reaccredited(cast: Cast) -> None:
    first = builders.accredited(cast)
    draft = builders.applied(cast)
    with refused("Reaccreditation follows an accreditation"):
        builders.applied(cast, previous=draft)
    RequirementRecord.objects.filter(assessment=draft).delete()
    draft.delete()
    second = builders.at_panel(cast, previous=first)
    assert second.previous == first
    assert second.records.count() == first.records.count(), "assessed against all standards"
    second = _decide(cast, second, DecisionOutcome.ACCREDITED)
    assert fresh(first).state == State.REACCREDITED
    assert [e.service for e in respect_selectors.public_register(today=timezone.localdate())] == [
        "Test DAPP"
    ]
