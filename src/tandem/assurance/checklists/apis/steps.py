"""The checklist routes that act in an assessment (its steps, per process) or start one. An
assessment someone may not open is 404 (so is one of another process on a route that is not its
own); one they can open but may not act on is 403. A refusal is 400 naming the field and, where a
rule refuses, the rule; a write based on a stale read is 409 (`tandem.api`'s handler answers
both). Every write answers with the assessment's summary, as its report shows it."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import NOT_ALLOWED, REFUSED, STALE, bounded_list, signed_in
from tandem.api_schema import described_as, record_id, stored_integer
from tandem.assurance.checklists import gates, selectors
from tandem.assurance.checklists.apis.summaries import (
    CHECKLIST_NOT_FOUND,
    SUMMARY,
    ChecklistApi,
    PersonInput,
    person_of,
    summary_response,
)
from tandem.assurance.checklists.gates import ScheduleItemDetails
from tandem.assurance.checklists.rules import (
    AGREE_AUDIT_SCHEDULE,
    AUDIT,
    COMMISSION,
    LEAD_AUDIT,
    NAME_LINK_PERSON,
    PEER_REVIEW,
    SELF_EVALUATE,
    START_SELF_EVALUATION,
    VIEW_COMMISSIONING,
)
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.checklists.services.audit import (
    audit_indicator_judge,
    audit_link_person_name,
    audit_outcome_record,
    audit_report_submit,
    audit_schedule_agree,
    audit_schedule_set,
    audit_visit_record,
    safeguarding_audit_open,
)
from tandem.assurance.checklists.services.ratings import ActionDetails
from tandem.assurance.checklists.services.self_assessment import (
    self_assessment_complete,
    self_assessment_record_rate,
    self_assessment_start,
)
from tandem.assurance.checklists.services.welsh import (
    welsh_checklist_complete,
    welsh_checklist_start,
    welsh_question_rate,
)
from tandem.assurance.checklists.services.west_midlands import (
    peer_review_complete,
    peer_review_record,
    peer_reviewer_add,
    west_midlands_record_rate,
    west_midlands_self_evaluation_start,
    west_midlands_submit,
)
from tandem.assurance.models import (
    Assessment,
    Judgement,
    Process,
    RagRating,
    RequirementRecord,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
)
from tandem.assurance.rules import COORDINATE
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.standards.models import InterventionType


class VersionInput(serializers.Serializer[Any]):
    expected_version = stored_integer(min_value=1)


class ScheduleItemInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ScheduleItemKind.choices)
    starts_at = serializers.TimeField()
    description = serializers.CharField(max_length=300, allow_blank=True)


class ScheduleInput(VersionInput):
    visit_on = serializers.DateField()
    items = bounded_list(
        ScheduleItemInput(), at_most=100, too_many="A visit's schedule can have at most 100 items"
    )


class JudgementInput(VersionInput):
    judgement = serializers.ChoiceField(
        choices=[(Judgement.MET.value, "Met"), (Judgement.NOT_MET.value, "Not met")]
    )
    basis = serializers.CharField(allow_blank=True)


class SummaryInput(VersionInput):
    summary = serializers.CharField(allow_blank=True)


class DueInput(VersionInput):
    actions_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    reassess_by = serializers.DateField(required=False, allow_null=True, default=None)


class ActionInput(serializers.Serializer[Any]):
    description = serializers.CharField(allow_blank=True)
    owner = record_id(help_text="The owner's user id")
    due_on = serializers.DateField(help_text="The due date; for an Amber item, its review date")


class RatingInput(VersionInput):
    rating = serializers.ChoiceField(choices=[*RagRating.choices, *SelfRating.choices])
    evidence = serializers.CharField(allow_blank=True)
    action = ActionInput(required=False, allow_null=True, default=None)


class PeerReviewInput(VersionInput):
    agrees = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class AuditOpenInput(serializers.Serializer[Any]):
    service = record_id()
    runs_iss = serializers.BooleanField(
        help_text="Whether Respect found the provider runs an ISS for partners and ex-partners"
    )


class WelshStartInput(serializers.Serializer[Any]):
    service = record_id()
    accreditation = serializers.ChoiceField(choices=SpecialistAccreditation.choices)
    accreditation_evidence = serializers.CharField(allow_blank=True, required=False, default="")
    # Refused outside these by the service, naming rule welsh.
    review_within_weeks = serializers.IntegerField(
        style=described_as(minimum=gates.REVIEW_WEEKS_MIN, maximum=gates.REVIEW_WEEKS_MAX)
    )


class ServiceInput(serializers.Serializer[Any]):
    service = record_id()


class SelfAssessmentInput(ServiceInput):
    framework = serializers.SlugField(help_text="The framework's slug, e.g. respect-2022")
    scope = bounded_list(
        serializers.ChoiceField(choices=InterventionType.choices),
        at_most=len(InterventionType.choices),
        too_many="Name each intervention type at most once",
        required=False,
        default=list,
    )


class ActionApi(ChecklistApi):
    """A write in one assessment: which processes it applies to, the permission each needs in
    the assessment, the input, then the service."""

    input_serializer: type[serializers.Serializer[Any]] = VersionInput
    permissions: dict[Process, str]

    @abstractmethod
    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        """Call the service with the validated input."""

    def record(self, access: ChecklistAccess) -> RequirementRecord:
        return selectors.checklist_record_get(access=access, record_id=self.ids["record_id"])

    def post(self, request: Request, assessment_id: int, **ids: int) -> Response:
        access = selectors.checklist_get_any(user=request.user, assessment_id=assessment_id)
        permission = self.permissions.get(Process(access.assessment.process))
        if permission is None:
            raise NotFound("No such step for this assessment.")
        if not request.user.has_perm(permission, access.assessment):
            raise PermissionDenied("You may not do this in this assessment.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.ids = ids
        self.act(access=access, actor=signed_in(request), data=dict(serializer.validated_data))
        return summary_response(request, assessment_id)


def action_schema(input_serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: SUMMARY,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: CHECKLIST_NOT_FOUND,
            409: STALE,
        },
    )


@action_schema(PersonInput, "Name the audit's link person (the service's manager)")
class LinkPersonApi(ActionApi):
    input_serializer = PersonInput
    permissions = {Process.SAFEGUARDING_AUDIT_2008: NAME_LINK_PERSON}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_link_person_name(
            assessment=access.assessment, user=person_of(data["user"]), actor=actor
        )


@action_schema(ScheduleInput, "Propose the visit's day and schedule (the lead assessor)")
class ScheduleApi(ActionApi):
    input_serializer = ScheduleInput
    permissions = {Process.SAFEGUARDING_AUDIT_2008: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_schedule_set(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["expected_version"],
            visit_on=data["visit_on"],
            items=[
                ScheduleItemDetails(
                    kind=ScheduleItemKind(item["kind"]),
                    starts_at=item["starts_at"],
                    description=item["description"],
                )
                for item in data["items"]
            ],
        )


@action_schema(VersionInput, "Agree the visit's schedule (the link person)")
class ScheduleAgreeApi(ActionApi):
    permissions = {Process.SAFEGUARDING_AUDIT_2008: AGREE_AUDIT_SCHEDULE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_schedule_agree(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(VersionInput, "Record the site visit done (the lead assessor)")
class VisitApi(ActionApi):
    permissions = {Process.SAFEGUARDING_AUDIT_2008: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_visit_record(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(JudgementInput, "Judge an evidence indicator met or not met (either assessor)")
class JudgementApi(ActionApi):
    input_serializer = JudgementInput
    permissions = {Process.SAFEGUARDING_AUDIT_2008: AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_indicator_judge(
            record=self.record(access),
            actor=actor,
            expected_version=data["expected_version"],
            judgement=data["judgement"],
            basis=data["basis"],
        )


@action_schema(SummaryInput, "Write the audit report (the lead assessor)")
class ReportApi(ActionApi):
    input_serializer = SummaryInput
    permissions = {Process.SAFEGUARDING_AUDIT_2008: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_report_submit(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["expected_version"],
            summary=data["summary"],
        )


@action_schema(DueInput, "Record the audit's outcome (a lead assessor running audits)")
class OutcomeApi(ActionApi):
    input_serializer = DueInput
    permissions = {Process.SAFEGUARDING_AUDIT_2008: COORDINATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return audit_outcome_record(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["expected_version"],
            actions_due_on=data["actions_due_on"],
        )


@action_schema(
    RatingInput,
    "Rate a requirement: RAG with evidence (Welsh: the commissioner; Amber needs an "
    "improvement action), or met/partly/not met with evidence (the service's manager)",
)
class RatingApi(ActionApi):
    input_serializer = RatingInput
    permissions = {
        Process.WELSH_COMMISSIONING: COMMISSION,
        Process.WEST_MIDLANDS_SELF_EVALUATION: SELF_EVALUATE,
        Process.SELF_ASSESSMENT: SELF_EVALUATE,
    }

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        record = self.record(access)
        given = data["action"]
        action = (
            ActionDetails(
                description=given["description"],
                owner=person_of(given["owner"], field="owner"),
                due_on=given["due_on"],
            )
            if given
            else None
        )
        common = {
            "record": record,
            "actor": actor,
            "expected_version": data["expected_version"],
            "rating": data["rating"],
            "evidence": data["evidence"],
        }
        process = Process(access.assessment.process)
        if process == Process.WELSH_COMMISSIONING:
            return welsh_question_rate(**common, improvement=action)
        if process == Process.WEST_MIDLANDS_SELF_EVALUATION:
            return west_midlands_record_rate(**common, action=action)
        if action is not None:
            raise ActionRefused("A self-assessment sets no actions", field="action")
        return self_assessment_record_rate(**common)


@action_schema(
    DueInput,
    "Complete it: a Welsh checklist (the commissioner; `reassess_by` when an item is Red), a "
    "self-assessment (the service's manager), or a peer review (the peer reviewer; "
    "`actions_due_on` when a rating is challenged)",
)
class CompleteApi(ActionApi):
    input_serializer = DueInput
    permissions = {
        Process.WELSH_COMMISSIONING: COMMISSION,
        Process.SELF_ASSESSMENT: SELF_EVALUATE,
        Process.WEST_MIDLANDS_SELF_EVALUATION: PEER_REVIEW,
    }

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        assessment = access.assessment
        version = data["expected_version"]
        process = Process(assessment.process)
        if process == Process.WELSH_COMMISSIONING:
            return welsh_checklist_complete(
                assessment=assessment,
                actor=actor,
                expected_version=version,
                reassess_by=data["reassess_by"],
            )
        if process == Process.WEST_MIDLANDS_SELF_EVALUATION:
            return peer_review_complete(
                assessment=assessment,
                actor=actor,
                expected_version=version,
                actions_due_on=data["actions_due_on"],
            )
        return self_assessment_complete(
            assessment=assessment, actor=actor, expected_version=version
        )


@action_schema(PersonInput, "Choose the peer reviewer, from another agency (the agency)")
class PeerReviewerApi(ActionApi):
    input_serializer = PersonInput
    permissions = {Process.WEST_MIDLANDS_SELF_EVALUATION: SELF_EVALUATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return peer_reviewer_add(
            assessment=access.assessment, user=person_of(data["user"]), actor=actor
        )


@action_schema(VersionInput, "Send the self-evaluation for peer review (the agency)")
class SubmitApi(ActionApi):
    permissions = {Process.WEST_MIDLANDS_SELF_EVALUATION: SELF_EVALUATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return west_midlands_submit(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(PeerReviewInput, "Agree with or challenge a self-rating (the peer reviewer)")
class PeerReviewApi(ActionApi):
    input_serializer = PeerReviewInput
    permissions = {Process.WEST_MIDLANDS_SELF_EVALUATION: PEER_REVIEW}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return peer_review_record(
            record=self.record(access),
            actor=actor,
            expected_version=data["expected_version"],
            agrees=data["agrees"],
            comment=data["comment"],
        )


# Starting one


class StartApi(ChecklistApi):
    """Start an assessment of a service the person may start it for (404 for any other)."""

    input_serializer: type[serializers.Serializer[Any]]
    process: Process

    @abstractmethod
    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        """Call the service's start."""

    def post(self, request: Request) -> Response:
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        service = selectors.service_for_checklist(
            user=request.user, service_id=data["service"], process=self.process
        )
        assessment = self.start(service=service, actor=signed_in(request), data=data)
        return summary_response(request, assessment.pk, status.HTTP_201_CREATED)


def start_schema(input_serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={201: SUMMARY, 400: REFUSED, 403: NOT_ALLOWED, 404: CHECKLIST_NOT_FOUND},
    )


@start_schema(AuditOpenInput, "Open a 2008 safeguarding audit (a lead assessor)")
class AuditOpenApi(StartApi):
    required_permission = COORDINATE
    input_serializer = AuditOpenInput
    process = Process.SAFEGUARDING_AUDIT_2008

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return safeguarding_audit_open(service=service, actor=actor, runs_iss=data["runs_iss"])


@start_schema(WelshStartInput, "Start a Welsh standards checklist (a commissioner of the service)")
class WelshStartApi(StartApi):
    required_permission = VIEW_COMMISSIONING
    input_serializer = WelshStartInput
    process = Process.WELSH_COMMISSIONING

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return welsh_checklist_start(
            service=service,
            actor=actor,
            accreditation=data["accreditation"],
            accreditation_evidence=data["accreditation_evidence"],
            review_within_weeks=data["review_within_weeks"],
        )


@start_schema(ServiceInput, "Start a West Midlands self-evaluation (the agency's manager)")
class WestMidlandsStartApi(StartApi):
    required_permission = START_SELF_EVALUATION
    input_serializer = ServiceInput
    process = Process.WEST_MIDLANDS_SELF_EVALUATION

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return west_midlands_self_evaluation_start(service=service, actor=actor)


@start_schema(SelfAssessmentInput, "Start a self-assessment against a framework")
class SelfAssessmentStartApi(StartApi):
    required_permission = START_SELF_EVALUATION
    input_serializer = SelfAssessmentInput
    process = Process.SELF_ASSESSMENT

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        framework = selectors.library_frameworks().filter(slug=data["framework"]).first()
        if framework is None:
            raise ActionRefused("No such framework in the library", field="framework")
        return self_assessment_start(
            service=service, framework=framework, actor=actor, scope=data["scope"]
        )
