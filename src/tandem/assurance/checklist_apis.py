"""The 2008 audit, the Welsh checklist, the West Midlands self-evaluation and self-assessments
through the API, under /api/v1/assurance/checklists/: the same selectors, rules and services as
the pages.

An assessment someone may not open is 404 (so is one of another process on a route that is not
its own); one they can open but may not act on is 403. A refusal is 400 naming the field and,
where a rule refuses, the rule; a write based on a stale read is 409. Every write answers with
the assessment's summary, as its report shows it.
"""

from abc import abstractmethod
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.assurance import checklist_rules, checklist_selectors, checklist_services
from tandem.assurance.checklist_rules import ScheduleItemDetails
from tandem.assurance.checklist_selectors import ChecklistAccess
from tandem.assurance.models import (
    Action,
    Assessment,
    Judgement,
    LocalPartnership,
    Process,
    RagRating,
    RequirementRecord,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
)
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Organisation, Service
from tandem.standards.models import InterventionType

VIEW = "assurance.view_checklists"
COORDINATE = "assurance.coordinate"
NAME_LINK_PERSON = "assurance.name_link_person"
AGREE_SCHEDULE = "assurance.agree_audit_schedule"
LEAD_AUDIT = "assurance.lead_audit"
AUDIT = "assurance.audit"
VIEW_COMMISSIONING = "assurance.view_commissioning"
COMMISSION = "assurance.commission"
MANAGE_COMMISSIONING = "assurance.manage_commissioning"
START_SELF_EVALUATION = "assurance.start_self_evaluation"
SELF_EVALUATE = "assurance.self_evaluate"
PEER_REVIEW = "assurance.peer_review"
VIEW_PARTNERSHIPS = "assurance.view_partnerships"

AUDIT_PROCESS = Process.SAFEGUARDING_AUDIT_2008
WELSH = Process.WELSH_COMMISSIONING
WM = Process.WEST_MIDLANDS_SELF_EVALUATION
SELF_ASSESSMENT = Process.SELF_ASSESSMENT

SUMMARY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The assessment's summary: its state, people, records and actions, as its "
    "report shows them",
)
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input, or refused: `{field: [message]}` (`non_field_errors` when no one "
    "field is at fault), with `rule` naming the rule in rules.md when one refuses",
)
NOT_ALLOWED = OpenApiResponse(description="Signed in, but may not do this")
NOT_FOUND = OpenApiResponse(description="No such assessment (or service) among those you may open")
STALE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Someone changed it since `expected_version` was read: `{version: [message]}`",
)


def signed_in(request: Request) -> User:
    """The acting person; RulePermission has already refused anyone not signed in."""
    return cast(User, request.user)


def refused_response(refused: ActionRefused) -> Response:
    if isinstance(refused, StaleRecord):
        return Response(refused.as_api_error(), status=status.HTTP_409_CONFLICT)
    return Response(refused.as_api_error(), status=status.HTTP_400_BAD_REQUEST)


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# What is shown


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "requirement": (
            checklist_rules.requirement_label(action.record.requirement) if action.record else None
        ),
        "description": action.description,
        "owner": _name(action.owner),
        "due_on": _day(action.due_on),
        "status": action.status,
        "version": action.version,
    }


def _record(record: RequirementRecord, *, findings: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.pk,
        "version": record.version,
        "requirement": checklist_rules.requirement_label(record.requirement),
        "text": record.requirement.text,
        "rating": record.rating or None,
        "evidence": record.narrative,
        "actions": [_action(action) for action in record.actions.all()],
    }
    if findings:
        data["judgement"] = record.judgement or None
        data["judgement_basis"] = record.judgement_basis
        finding = getattr(record, "peer_review", None)
        data["peer_review"] = (
            {"agrees": finding.agrees, "comment": finding.comment, "by": _name(finding.reviewed_by)}
            if finding
            else None
        )
    return data


def _base(access: ChecklistAccess) -> dict[str, Any]:
    assessment = access.assessment
    return {
        "id": assessment.pk,
        "process": assessment.process,
        "state": assessment.state,
        "state_label": assessment.get_state_display(),
        "version": assessment.version,
        "service": assessment.service.name,
        "organisation": assessment.service.organisation.name,
        "framework": assessment.framework.slug,
        "edition": assessment.framework.edition,
        "created_at": assessment.created_at.isoformat(),
        "decided_at": assessment.decided_at.isoformat() if assessment.decided_at else None,
    }


def summary_json(access: ChecklistAccess) -> dict[str, Any]:
    """The assessment as this person may see it, from the same summary selectors as the
    reports."""
    assessment = access.assessment
    data = _base(access)
    findings = access.sees_findings
    process = Process(assessment.process)
    if process == AUDIT_PROCESS:
        audit = checklist_selectors.safeguarding_audit_summary(assessment=assessment)
        data |= {
            "outcome_reason": audit.outcome_reason,
            "link_person": _name(audit.link_person),
            "lead_assessors": [_name(user) for user in audit.lead_assessors],
            "second_assessors": [_name(user) for user in audit.second_assessors],
            "visit_on": _day(audit.audit.visit_on),
            "schedule_agreed": audit.audit.schedule_agreed_at is not None,
            "schedule": [
                {
                    "kind": item.kind,
                    "starts_at": item.starts_at.strftime("%H:%M"),
                    "description": item.description,
                }
                for item in audit.schedule
            ],
            "report_summary": audit.audit.report_summary if findings else None,
            "met": audit.met if findings else None,
            "not_met": audit.not_met if findings else None,
            "records": [
                _record(record, findings=findings)
                for group in audit.standards
                for record in group.records
            ],
            "actions": [_action(action) for action in audit.actions],
        }
    elif process == WELSH:
        welsh = checklist_selectors.welsh_checklist_summary(assessment=assessment)
        data |= {
            "specialist_accreditation": welsh.checklist.specialist_accreditation,
            "accreditation_evidence": welsh.checklist.accreditation_evidence,
            "review_within_weeks": welsh.checklist.review_within_weeks,
            "review_window_end": _day(welsh.review_window_end),
            "overall": welsh.overall,
            "counts": welsh.counts,
            "trend": welsh.trend.value if welsh.trend else None,
            "previous": welsh.previous.pk if welsh.previous else None,
            "reassessment": _action(welsh.reassessment) if welsh.reassessment else None,
            "standards": [
                {
                    "standard": standard.standard.heading,
                    "status": standard.status,
                    "records": [_record(r, findings=False) for r in standard.records],
                }
                for standard in welsh.standards
            ],
        }
    elif process == WM:
        wm = checklist_selectors.west_midlands_self_evaluation_summary(assessment=assessment)
        data |= {
            "counts": _readiness(wm.counts),
            "reviewed": wm.reviewed,
            "challenged": wm.challenged,
            "peer_reviewers": [_name(user) for user in wm.peer_reviewers],
            "standards": [
                {
                    "standard": _record(standard.record, findings=findings),
                    "items": [_record(item, findings=findings) for item in standard.items],
                }
                for standard in wm.standards
            ],
            "actions": [_action(action) for action in wm.actions],
        }
    else:
        readiness = checklist_selectors.self_assessment_summary(assessment=assessment)
        data |= {
            "scope": assessment.scope,
            "readiness": _readiness(readiness.readiness),
            "records": [
                _record(record, findings=False)
                for group in readiness.groups
                for record in group.records
            ],
        }
    return data


def _readiness(readiness: checklist_rules.Readiness) -> dict[str, int]:
    return {
        "applicable": readiness.applicable,
        "met": readiness.met,
        "partly": readiness.partly,
        "not_met": readiness.not_met,
        "unrated": readiness.unrated,
        "percent_met": readiness.percent_met,
        "to_go": readiness.to_go,
    }


# Input


class VersionInput(serializers.Serializer[Any]):
    expected_version = serializers.IntegerField(min_value=1)


class PersonInput(serializers.Serializer[Any]):
    user = serializers.IntegerField(help_text="The person's user id")


class ScheduleItemInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ScheduleItemKind.choices)
    starts_at = serializers.TimeField()
    description = serializers.CharField(max_length=300, allow_blank=True)


class ScheduleInput(VersionInput):
    visit_on = serializers.DateField()
    items = ScheduleItemInput(many=True)


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
    owner = serializers.IntegerField(help_text="The owner's user id")
    due_on = serializers.DateField(help_text="The due date; for an Amber item, its review date")


class RatingInput(VersionInput):
    rating = serializers.ChoiceField(choices=[*RagRating.choices, *SelfRating.choices])
    evidence = serializers.CharField(allow_blank=True)
    action = ActionInput(required=False, allow_null=True, default=None)


class PeerReviewInput(VersionInput):
    agrees = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class AuditOpenInput(serializers.Serializer[Any]):
    service = serializers.IntegerField()
    runs_iss = serializers.BooleanField(
        help_text="Whether Respect found the provider runs an ISS for partners and ex-partners"
    )


class WelshStartInput(serializers.Serializer[Any]):
    service = serializers.IntegerField()
    accreditation = serializers.ChoiceField(choices=SpecialistAccreditation.choices)
    accreditation_evidence = serializers.CharField(allow_blank=True, required=False, default="")
    review_within_weeks = serializers.IntegerField()


class ServiceInput(serializers.Serializer[Any]):
    service = serializers.IntegerField()


class SelfAssessmentInput(ServiceInput):
    framework = serializers.SlugField(help_text="The framework's slug, e.g. respect-2022")
    scope = serializers.ListField(
        child=serializers.ChoiceField(choices=InterventionType.choices),
        required=False,
        default=list,
    )


class RelationshipInput(serializers.Serializer[Any]):
    commissioner = serializers.IntegerField(help_text="The commissioner's user id")
    service = serializers.IntegerField()
    since = serializers.DateField()


class NameInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, allow_blank=True)


class OrganisationInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()


def _user(user_id: int, field: str = "user") -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ActionRefused("No such person", field=field)
    return user


def _summary_response(request: Request, assessment_id: int, code: int = 200) -> Response:
    access = checklist_selectors.checklist_get_any(user=request.user, assessment_id=assessment_id)
    return Response(summary_json(access), status=code)


# Views


class ChecklistApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW


class SummaryApi(ChecklistApi):
    @extend_schema(responses={200: SUMMARY, 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request: Request, assessment_id: int) -> Response:
        """One audit, checklist, self-evaluation or self-assessment, as you may see it."""
        access = checklist_selectors.checklist_get_any(
            user=request.user, assessment_id=assessment_id
        )
        audit_event_record(
            actor=request.user,
            action="viewed",
            target=access.assessment,
            summary="viewed through the API",
        )
        return Response(summary_json(access))


class ActionApi(ChecklistApi):
    """A write in one assessment: which processes it applies to, the permission each needs in
    the assessment, the input, then the service."""

    input_serializer: type[serializers.Serializer[Any]] = VersionInput
    permissions: dict[Process, str]

    @abstractmethod
    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        """Call the service with the validated input."""

    def record(self, access: ChecklistAccess) -> RequirementRecord:
        return checklist_selectors.checklist_record_get(
            access=access, record_id=self.ids["record_id"]
        )

    def post(self, request: Request, assessment_id: int, **ids: int) -> Response:
        access = checklist_selectors.checklist_get_any(
            user=request.user, assessment_id=assessment_id
        )
        permission = self.permissions.get(Process(access.assessment.process))
        if permission is None:
            raise NotFound("No such step for this assessment.")
        if not request.user.has_perm(permission, access.assessment):
            raise PermissionDenied("You may not do this in this assessment.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.ids = ids
        try:
            self.act(access=access, actor=signed_in(request), data=dict(serializer.validated_data))
        except ActionRefused as refused:
            return refused_response(refused)
        return _summary_response(request, assessment_id)


def action_schema(input_serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: SUMMARY,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: STALE,
        },
    )


@action_schema(PersonInput, "Name the audit's link person (the service's manager)")
class LinkPersonApi(ActionApi):
    input_serializer = PersonInput
    permissions = {AUDIT_PROCESS: NAME_LINK_PERSON}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_link_person_name(
            assessment=access.assessment, user=_user(data["user"]), actor=actor
        )


@action_schema(ScheduleInput, "Propose the visit's day and schedule (the lead assessor)")
class ScheduleApi(ActionApi):
    input_serializer = ScheduleInput
    permissions = {AUDIT_PROCESS: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_schedule_set(
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
    permissions = {AUDIT_PROCESS: AGREE_SCHEDULE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_schedule_agree(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(VersionInput, "Record the site visit done (the lead assessor)")
class VisitApi(ActionApi):
    permissions = {AUDIT_PROCESS: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_visit_record(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(JudgementInput, "Judge an evidence indicator met or not met (either assessor)")
class JudgementApi(ActionApi):
    input_serializer = JudgementInput
    permissions = {AUDIT_PROCESS: AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_indicator_judge(
            record=self.record(access),
            actor=actor,
            expected_version=data["expected_version"],
            judgement=data["judgement"],
            basis=data["basis"],
        )


@action_schema(SummaryInput, "Write the audit report (the lead assessor)")
class ReportApi(ActionApi):
    input_serializer = SummaryInput
    permissions = {AUDIT_PROCESS: LEAD_AUDIT}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_report_submit(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["expected_version"],
            summary=data["summary"],
        )


@action_schema(DueInput, "Record the audit's outcome (a lead assessor running audits)")
class OutcomeApi(ActionApi):
    input_serializer = DueInput
    permissions = {AUDIT_PROCESS: COORDINATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.audit_outcome_record(
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
    permissions = {WELSH: COMMISSION, WM: SELF_EVALUATE, SELF_ASSESSMENT: SELF_EVALUATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        record = self.record(access)
        given = data["action"]
        action = (
            checklist_services.ActionDetails(
                description=given["description"],
                owner=_user(given["owner"], field="owner"),
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
        if process == WELSH:
            return checklist_services.welsh_question_rate(**common, improvement=action)
        if process == WM:
            return checklist_services.west_midlands_record_rate(**common, action=action)
        if action is not None:
            raise ActionRefused("A self-assessment sets no actions", field="action")
        return checklist_services.self_assessment_record_rate(**common)


@action_schema(
    DueInput,
    "Complete it: a Welsh checklist (the commissioner; `reassess_by` when an item is Red), a "
    "self-assessment (the service's manager), or a peer review (the peer reviewer; "
    "`actions_due_on` when a rating is challenged)",
)
class CompleteApi(ActionApi):
    input_serializer = DueInput
    permissions = {WELSH: COMMISSION, SELF_ASSESSMENT: SELF_EVALUATE, WM: PEER_REVIEW}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        assessment = access.assessment
        version = data["expected_version"]
        process = Process(assessment.process)
        if process == WELSH:
            return checklist_services.welsh_checklist_complete(
                assessment=assessment,
                actor=actor,
                expected_version=version,
                reassess_by=data["reassess_by"],
            )
        if process == WM:
            return checklist_services.peer_review_complete(
                assessment=assessment,
                actor=actor,
                expected_version=version,
                actions_due_on=data["actions_due_on"],
            )
        return checklist_services.self_assessment_complete(
            assessment=assessment, actor=actor, expected_version=version
        )


@action_schema(PersonInput, "Choose the peer reviewer, from another agency (the agency)")
class PeerReviewerApi(ActionApi):
    input_serializer = PersonInput
    permissions = {WM: SELF_EVALUATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.peer_reviewer_add(
            assessment=access.assessment, user=_user(data["user"]), actor=actor
        )


@action_schema(VersionInput, "Send the self-evaluation for peer review (the agency)")
class SubmitApi(ActionApi):
    permissions = {WM: SELF_EVALUATE}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.west_midlands_submit(
            assessment=access.assessment, actor=actor, expected_version=data["expected_version"]
        )


@action_schema(PeerReviewInput, "Agree with or challenge a self-rating (the peer reviewer)")
class PeerReviewApi(ActionApi):
    input_serializer = PeerReviewInput
    permissions = {WM: PEER_REVIEW}

    def act(self, *, access: ChecklistAccess, actor: User, data: dict[str, Any]) -> object:
        return checklist_services.peer_review_record(
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
        service = checklist_selectors.service_for_checklist(
            user=request.user, service_id=data["service"], process=self.process
        )
        try:
            assessment = self.start(service=service, actor=signed_in(request), data=data)
        except ActionRefused as refused:
            return refused_response(refused)
        return _summary_response(request, assessment.pk, status.HTTP_201_CREATED)


def start_schema(input_serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={201: SUMMARY, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )


@start_schema(AuditOpenInput, "Open a 2008 safeguarding audit (a lead assessor)")
class AuditOpenApi(StartApi):
    required_permission = COORDINATE
    input_serializer = AuditOpenInput
    process = AUDIT_PROCESS

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return checklist_services.safeguarding_audit_open(
            service=service, actor=actor, runs_iss=data["runs_iss"]
        )


@start_schema(WelshStartInput, "Start a Welsh standards checklist (a commissioner of the service)")
class WelshStartApi(StartApi):
    required_permission = VIEW_COMMISSIONING
    input_serializer = WelshStartInput
    process = WELSH

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return checklist_services.welsh_checklist_start(
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
    process = WM

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        return checklist_services.west_midlands_self_evaluation_start(service=service, actor=actor)


@start_schema(SelfAssessmentInput, "Start a self-assessment against a framework")
class SelfAssessmentStartApi(StartApi):
    required_permission = START_SELF_EVALUATION
    input_serializer = SelfAssessmentInput
    process = SELF_ASSESSMENT

    def start(self, *, service: Service, actor: User, data: dict[str, Any]) -> Assessment:
        framework = checklist_selectors.library_frameworks().filter(slug=data["framework"]).first()
        if framework is None:
            raise ActionRefused("No such framework in the library", field="framework")
        return checklist_services.self_assessment_start(
            service=service, framework=framework, actor=actor, scope=data["scope"]
        )


# Side by side


class CommissioningApi(ChecklistApi):
    required_permission = VIEW_COMMISSIONING

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 403: NOT_ALLOWED},
    )
    def get(self, request: Request) -> Response:
        """The services you commission, side by side: the latest completed Welsh checklist, its
        RAG status and its trend against the review before."""
        rows = checklist_selectors.commissioned_services_overview(user=request.user)
        return Response(
            [
                {
                    "service": row.service.pk,
                    "name": row.service.name,
                    "organisation": row.service.organisation.name,
                    "latest": row.latest.pk if row.latest else None,
                    "reviewed_at": row.latest.decided_at.isoformat()
                    if row.latest and row.latest.decided_at
                    else None,
                    "status": row.status,
                    "trend": row.trend.value if row.trend else None,
                    "in_progress": row.in_progress.pk if row.in_progress else None,
                    "open_actions": row.open_actions,
                    "reassessment_due": _day(row.reassessment_due),
                }
                for row in rows
            ]
        )


class PartnershipApi(ChecklistApi):
    required_permission = VIEW_PARTNERSHIPS

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 403: NOT_ALLOWED, 404: NOT_FOUND}
    )
    def get(self, request: Request, partnership_id: int) -> Response:
        """A local partnership's agencies with their latest self-evaluation sent for review."""
        overview = checklist_selectors.partnership_overview(
            user=request.user, partnership_id=partnership_id
        )
        return Response(
            {
                "partnership": overview.partnership.name,
                "agencies": [
                    {
                        "organisation": agency.organisation.name,
                        "service": agency.service.name,
                        "latest": agency.latest.pk if agency.latest else None,
                        "state": agency.latest.state if agency.latest else None,
                        "counts": _readiness(agency.counts) if agency.counts else None,
                        "challenged": agency.challenged,
                        "open_actions": agency.open_actions,
                    }
                    for agency in overview.agencies
                ],
            }
        )


# Administration


class AdminApi(ChecklistApi):
    required_permission = MANAGE_COMMISSIONING


class RelationshipApi(AdminApi):
    @extend_schema(
        summary="Record that a commissioner commissions a service (administrators)",
        request=RelationshipInput,
        responses={201: OpenApiResponse(OpenApiTypes.OBJECT), 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        serializer = RelationshipInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            service = Service.objects.filter(pk=data["service"]).first()
            if service is None:
                raise ActionRefused("No such service", field="service")
            relationship = checklist_services.commissioning_relationship_start(
                commissioner=_user(data["commissioner"], field="commissioner"),
                service=service,
                since=data["since"],
                actor=signed_in(request),
            )
        except ActionRefused as refused:
            return refused_response(refused)
        return Response(
            {
                "id": relationship.pk,
                "commissioner": relationship.commissioner_id,
                "service": relationship.service_id,
                "since": _day(relationship.since),
            },
            status=status.HTTP_201_CREATED,
        )


def _partnership_json(partnership: LocalPartnership) -> dict[str, Any]:
    return {
        "id": partnership.pk,
        "name": partnership.name,
        "organisations": [o.name for o in partnership.organisations.order_by("name")],
        "members": [_name(user) for user in partnership.members.order_by("username")],
    }


PARTNERSHIP = OpenApiResponse(OpenApiTypes.OBJECT, description="The partnership")


class PartnershipCreateApi(AdminApi):
    @extend_schema(
        summary="Set up a local partnership (administrators)",
        request=NameInput,
        responses={201: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        serializer = NameInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            partnership = checklist_services.local_partnership_create(
                name=serializer.validated_data["name"], actor=signed_in(request)
            )
        except ActionRefused as refused:
            return refused_response(refused)
        return Response(_partnership_json(partnership), status=status.HTTP_201_CREATED)


def _partnership(partnership_id: int) -> LocalPartnership:
    partnership = LocalPartnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise NotFound("No such partnership.")
    return partnership


class PartnershipOrganisationApi(AdminApi):
    @extend_schema(
        summary="Add an agency (organisation) to a local partnership (administrators)",
        request=OrganisationInput,
        responses={200: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request: Request, partnership_id: int) -> Response:
        partnership = _partnership(partnership_id)
        serializer = OrganisationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            organisation = Organisation.objects.filter(
                pk=serializer.validated_data["organisation"]
            ).first()
            if organisation is None:
                raise ActionRefused("No such organisation", field="organisation")
            checklist_services.local_partnership_organisation_add(
                partnership=partnership, organisation=organisation, actor=signed_in(request)
            )
        except ActionRefused as refused:
            return refused_response(refused)
        return Response(_partnership_json(partnership))


class PartnershipMemberApi(AdminApi):
    @extend_schema(
        summary="Add a commissioner to a local partnership (administrators)",
        request=PersonInput,
        responses={200: PARTNERSHIP, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request: Request, partnership_id: int) -> Response:
        partnership = _partnership(partnership_id)
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            checklist_services.local_partnership_member_add(
                partnership=partnership,
                user=_user(serializer.validated_data["user"]),
                actor=signed_in(request),
            )
        except ActionRefused as refused:
            return refused_response(refused)
        return Response(_partnership_json(partnership))


_ONE = "checklists/<int:assessment_id>"
_RECORD = f"{_ONE}/records/<int:record_id>"
urlpatterns = [
    path("checklists/audits/", AuditOpenApi.as_view(), name="checklists-audits"),
    path("checklists/welsh/", WelshStartApi.as_view(), name="checklists-welsh"),
    path(
        "checklists/west-midlands/",
        WestMidlandsStartApi.as_view(),
        name="checklists-west-midlands",
    ),
    path(
        "checklists/self-assessments/",
        SelfAssessmentStartApi.as_view(),
        name="checklists-self-assessments",
    ),
    path("checklists/commissioning/", CommissioningApi.as_view(), name="checklists-commissioning"),
    path(
        "checklists/commissioning/relationships/",
        RelationshipApi.as_view(),
        name="checklists-relationships",
    ),
    path(
        "checklists/partnerships/", PartnershipCreateApi.as_view(), name="checklists-partnerships"
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/",
        PartnershipApi.as_view(),
        name="checklists-partnership",
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/organisations/",
        PartnershipOrganisationApi.as_view(),
        name="checklists-partnership-organisations",
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/members/",
        PartnershipMemberApi.as_view(),
        name="checklists-partnership-members",
    ),
    path(f"{_ONE}/", SummaryApi.as_view(), name="checklists-summary"),
    path(f"{_ONE}/link-person/", LinkPersonApi.as_view(), name="checklists-link-person"),
    path(f"{_ONE}/schedule/", ScheduleApi.as_view(), name="checklists-schedule"),
    path(f"{_ONE}/schedule/agree/", ScheduleAgreeApi.as_view(), name="checklists-schedule-agree"),
    path(f"{_ONE}/visit/", VisitApi.as_view(), name="checklists-visit"),
    path(f"{_ONE}/report/", ReportApi.as_view(), name="checklists-report"),
    path(f"{_ONE}/outcome/", OutcomeApi.as_view(), name="checklists-outcome"),
    path(f"{_ONE}/peer-reviewer/", PeerReviewerApi.as_view(), name="checklists-peer-reviewer"),
    path(f"{_ONE}/submit/", SubmitApi.as_view(), name="checklists-submit"),
    path(f"{_ONE}/complete/", CompleteApi.as_view(), name="checklists-complete"),
    path(f"{_RECORD}/judgement/", JudgementApi.as_view(), name="checklists-judgement"),
    path(f"{_RECORD}/rating/", RatingApi.as_view(), name="checklists-rating"),
    path(f"{_RECORD}/peer-review/", PeerReviewApi.as_view(), name="checklists-peer-review"),
]
