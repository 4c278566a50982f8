"""Builders that take a Respect accreditation to each state through the services, for tests (all
but the mass judging, below); synthetic perpetrator cases for the site visit; and a service
manager of another service."""

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.auth.models import Group, User
from django.db.models import F
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance import services
from tandem.assurance.models import (
    Assessment,
    AssessmentParticipant,
    DecisionOutcome,
    Judgement,
    MethodJudgement,
    Part,
    Recommendation,
    RequirementRecord,
    State,
    VerificationOutcome,
)
from tandem.assurance.respect.services import application as respect_application
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.tests.builders import fresh
from tandem.cases.models import Child, PerpetratorCase, RiskConcern, Stage
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.standards.models import AssessmentMethod

MethodsOf = Callable[[RequirementRecord], list[str]]
NARRATIVE = "Synthetic narrative: the policy is approved by the board and reviewed every year."


def person(username: str, role: Role) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Synthetic", "last_name": role.label}
    )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@dataclass(frozen=True)
class Cast:
    """The service's staff and Respect's people: one per part."""

    staff: ServiceStaff
    coordinator: User
    assessor: User
    verifier: User
    panel: User

    @property
    def manager(self) -> User:
        return self.staff.service_manager


def cast_for(staff: ServiceStaff) -> Cast:
    return Cast(
        staff=staff,
        coordinator=person("lead", Role.LEAD_ASSESSOR),
        assessor=person("assessor", Role.ASSESSOR),
        verifier=person("verifier", Role.INTERNAL_VERIFIER),
        panel=person("panel", Role.PANEL_MEMBER),
    )


def applied(
    cast: Cast, scope: list[str] | None = None, *, previous: Assessment | None = None
) -> Assessment:
    return respect_application.respect_accreditation_apply(
        service=cast.staff.service,
        actor=cast.manager,
        scope=scope or ["behaviour_change"],
        previous=previous,
    )


def join(
    assessment: Assessment, user: User, part: Part, *, by: User, declare: bool = True
) -> AssessmentParticipant:
    participant = services.participant_add(assessment=assessment, user=user, part=part, actor=by)
    if declare:
        services.conflict_declare(participant=participant, actor=user, no_conflict=True)
    return participant


def allocated(cast: Cast, assessment: Assessment) -> Assessment:
    join(assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    join(assessment, cast.verifier, Part.INTERNAL_VERIFIER, by=cast.coordinator)
    join(assessment, cast.panel, Part.PANEL_MEMBER, by=cast.coordinator)
    return fresh(assessment)


def submitted(
    cast: Cast, scope: list[str] | None = None, *, previous: Assessment | None = None
) -> Assessment:
    assessment = applied(cast, scope, previous=previous)
    RequirementRecord.objects.filter(assessment=assessment).update(narrative=NARRATIVE)
    assessment = respect_application.assessment_submit(
        assessment=assessment, actor=cast.manager, expected_version=assessment.version
    )
    return allocated(cast, assessment)


def record_of(assessment: Assessment, code: str) -> RequirementRecord:
    return RequirementRecord.objects.select_related("assessment", "requirement").get(
        assessment=assessment, requirement__code=code
    )


def judge_method(
    assessor: User, record: RequirementRecord, method: str, result: str = Judgement.MET
) -> RequirementRecord:
    record = RequirementRecord.objects.select_related("assessment", "requirement").get(pk=record.pk)
    respect_findings.method_judgement_record(
        record=record,
        method=AssessmentMethod(method),
        result=Judgement(result),
        evidence_notes="Synthetic: seen and verified.",
        actor=assessor,
        expected_version=record.version,
    )
    return RequirementRecord.objects.select_related("assessment", "requirement").get(pk=record.pk)


def at_site_visit(
    cast: Cast, scope: list[str] | None = None, *, previous: Assessment | None = None
) -> Assessment:
    """Submitted, with every written submission judged met at the desktop assessment."""
    assessment = submitted(cast, scope, previous=previous)
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    written_submissions_judged(cast, assessment)
    return respect_findings.site_visit_start(
        assessment=fresh(assessment), actor=cast.assessor, expected_version=assessment.version
    )


# The assessor judges one method of one indicator at a time; taking all 79 through
# method_judgement_record and record_judge costs seconds a test. These builders write at once what
# those services write (the judgements, the records' judgements and versions), without the audit
# events; test_builders.py checks that they leave exactly what the services leave.
SEEN = "Synthetic: seen and verified."
BASIS = "Synthetic basis: written evidence matches the case files and interviews."


def _methods_judged_met(
    assessor: User, records: list[RequirementRecord], methods_of: MethodsOf
) -> None:
    now = timezone.now()
    judged = [(record, method) for record in records for method in methods_of(record)]
    MethodJudgement.objects.bulk_create(
        MethodJudgement(
            record=record,
            method=method,
            result=Judgement.MET,
            evidence_notes=SEEN,
            judged_at=now,
            judged_by=assessor,
        )
        for record, method in judged
    )
    # Each judgement saves the record once more (its version counts every change).
    saves = Counter(record.pk for record, _ in judged)
    for count in set(saves.values()):
        RequirementRecord.objects.filter(
            pk__in=[pk for pk, n in saves.items() if n == count]
        ).update(version=F("version") + count)


def written_submissions_judged(cast: Cast, assessment: Assessment) -> None:
    """Every written submission judged met, as the desktop assessment does."""
    assert assessment.state == State.DESKTOP_ASSESSMENT, assessment.state
    _methods_judged_met(
        cast.assessor,
        list(assessment.records.select_related("requirement")),
        lambda record: [
            method
            for method in record.requirement.assessment_methods
            if method == AssessmentMethod.WRITTEN_SUBMISSION
        ],
    )


def all_judged(cast: Cast, assessment: Assessment, *, not_met: str = "") -> Assessment:
    """Every method judged met and every indicator judged met, except `not_met` (a code)."""
    assert respect_findings.findings_open(assessment), assessment.state
    records = list(assessment.records.select_related("requirement"))
    _methods_judged_met(
        cast.assessor,
        records,
        lambda record: [
            method
            for method in record.requirement.assessment_methods
            if method != AssessmentMethod.WRITTEN_SUBMISSION
        ],
    )
    # record_judge's own rule: met only when every method is done and met.
    for record in (
        RequirementRecord.objects.filter(assessment=assessment)
        .prefetch_related("method_judgements")
        .select_related("requirement")
        .exclude(requirement__code=not_met)
    ):
        assert not respect_findings.methods_not_met(record), (
            record,
            respect_findings.methods_not_met(record),
        )
    judged = RequirementRecord.objects.filter(assessment=assessment)
    fields = {"judgement_basis": BASIS, "judged_at": timezone.now(), "judged_by": cast.assessor}
    judged.exclude(requirement__code=not_met).update(
        judgement=Judgement.MET, version=F("version") + 1, **fields
    )
    judged.filter(requirement__code=not_met).update(
        judgement=Judgement.NOT_MET, version=F("version") + 1, **fields
    )
    return fresh(assessment)


def report_drafted(
    cast: Cast, *, not_met: str = "", previous: Assessment | None = None
) -> Assessment:
    assessment = all_judged(cast, at_site_visit(cast, previous=previous), not_met=not_met)
    return respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation=Recommendation.NOT_ACCREDIT if not_met else Recommendation.ACCREDIT,
        summary="Synthetic summary of the evidence seen and verified.",
    )


def at_panel(cast: Cast, *, not_met: str = "", previous: Assessment | None = None) -> Assessment:
    assessment = report_drafted(cast, not_met=not_met, previous=previous)
    assessment = respect_panel.assessor_report_verify(
        assessment=assessment,
        actor=cast.verifier,
        expected_version=assessment.version,
        outcome=VerificationOutcome.APPROVED,
        notes="Synthetic: the report rests on the evidence.",
    )
    return respect_panel.assessment_refer_to_panel(
        assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
    )


def accredited(cast: Cast, *, now: datetime | None = None) -> Assessment:
    assessment = at_panel(cast)
    assessment = respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.ACCREDITED,
        reasons="Synthetic: every indicator met.",
        now=now,
    )
    assert assessment.state == State.ACCREDITED
    return assessment


def deferred(cast: Cast, *, due_on: date) -> Assessment:
    assessment = at_panel(cast)
    return respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.DEFERRED,
        reasons="Synthetic: one policy to update.",
        conditions=[
            respect_panel.ConditionDetails("Update the synthetic lone working policy", due_on)
        ],
    )


# A service manager elsewhere


def other_manager() -> User:
    """A service manager of another service: no business with this one's assessment."""
    service = Service.objects.create(
        organisation=Organisation.objects.create(name="Synthetic elsewhere (not real)"),
        name="Elsewhere DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    user = User.objects.create_user(username="elsewhere-manager")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=service, side="both", started_on=timezone.localdate()
    )
    return user


# Synthetic perpetrator cases for the site visit, written directly: the sample needs many live
# cases in chosen strata, not their histories.

RECEIVED = datetime(2026, 1, 5, 10, tzinfo=UTC)
_numbers = itertools.count(1)


def live_case(
    service: Service,
    by: User,
    *,
    intervention: str = "behaviour_change",
    stage: str = Stage.IN_INTERVENTION,
    consent: bool = True,
    concern: bool | None = None,
) -> PerpetratorCase:
    """`concern`: None for no risk concern raised, else whether the latest one was imminent."""
    case = PerpetratorCase.objects.create(
        service=service,
        reference=f"SV{next(_numbers):05d}",
        stage=stage,
        first_name="Synthetic",
        last_name="Person",
        date_of_birth=date(1985, 3, 1),
        phone="07700900999",
        referral_received_at=RECEIVED,
        referral_source="agency",
        referrer_contact="synthetic-referrer@example.org",
        intervention_type=intervention,
        consent_signed_on=date(2026, 1, 6) if consent else None,
        consent_covers_case_file_review=consent,
        consent_covers_recorded_sessions=consent,
        created_by=by,
    )
    if concern is not None:
        RiskConcern.objects.create(
            case=case,
            concern="Synthetic concern",
            imminent=concern,
            raised_by=by,
            raised_at=RECEIVED,
        )
    return case


def with_child_protection_plan(case: PerpetratorCase) -> PerpetratorCase:
    Child.objects.create(
        case=case,
        first_name="Synthetic",
        relationship_to_perpetrator="Son",
        plan=Child.Plan.CHILD_PROTECTION,
    )
    return case
