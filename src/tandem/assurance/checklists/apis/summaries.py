"""What the checklist routes show, and what they share: an assessment's summary as this person
may see it (from the same summary selectors as the reports), and the base of every route."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, not_found
from tandem.api_schema import record_id
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.gates import Readiness
from tandem.assurance.checklists.rules import (
    VIEW_CHECKLISTS,
)
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.labels import requirement_label
from tandem.assurance.models import (
    Action,
    Process,
    RequirementRecord,
)
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name

CHECKLIST_NOT_FOUND = not_found("No such assessment (or service) among those you may open")
SUMMARY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The assessment's summary: its state, people, records and actions, as its "
    "report shows them",
)


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# What is shown


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "requirement": (requirement_label(action.record.requirement) if action.record else None),
        "description": action.description,
        "owner": person_name(action.owner),
        "due_on": day(action.due_on),
        "status": action.status,
        "version": action.version,
    }


def _record(record: RequirementRecord, *, findings: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.pk,
        "version": record.version,
        "requirement": requirement_label(record.requirement),
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
            {
                "agrees": finding.agrees,
                "comment": finding.comment,
                "by": person_name(finding.reviewed_by),
            }
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
    if process == Process.SAFEGUARDING_AUDIT_2008:
        audit = selectors.safeguarding_audit_summary(assessment=assessment)
        data |= {
            "outcome_reason": audit.outcome_reason,
            "link_person": person_name(audit.link_person) if audit.link_person else None,
            "lead_assessors": [person_name(user) for user in audit.lead_assessors],
            "second_assessors": [person_name(user) for user in audit.second_assessors],
            "visit_on": day(audit.audit.visit_on),
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
    elif process == Process.WELSH_COMMISSIONING:
        welsh = selectors.welsh_checklist_summary(assessment=assessment)
        data |= {
            "specialist_accreditation": welsh.checklist.specialist_accreditation,
            "accreditation_evidence": welsh.checklist.accreditation_evidence,
            "review_within_weeks": welsh.checklist.review_within_weeks,
            "review_window_end": day(welsh.review_window_end),
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
    elif process == Process.WEST_MIDLANDS_SELF_EVALUATION:
        wm = selectors.west_midlands_self_evaluation_summary(assessment=assessment)
        data |= {
            "counts": readiness_json(wm.counts),
            "reviewed": wm.reviewed,
            "challenged": wm.challenged,
            "peer_reviewers": [person_name(user) for user in wm.peer_reviewers],
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
        readiness = selectors.self_assessment_summary(assessment=assessment)
        data |= {
            "scope": assessment.scope,
            "readiness": readiness_json(readiness.readiness),
            "records": [
                _record(record, findings=False)
                for group in readiness.groups
                for record in group.records
            ],
        }
    return data


def readiness_json(readiness: Readiness) -> dict[str, int]:
    return {
        "applicable": readiness.applicable,
        "met": readiness.met,
        "partly": readiness.partly,
        "not_met": readiness.not_met,
        "unrated": readiness.unrated,
        "percent_met": readiness.percent_met,
        "to_go": readiness.to_go,
    }


class PersonInput(serializers.Serializer[Any]):
    user = record_id(help_text="The person's user id")


def person_of(user_id: int, field: str = "user") -> User:
    """The active person a route names by id; refused, naming the field, otherwise."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ActionRefused("No such person", field=field)
    return user


def summary_response(request: Request, assessment_id: int, code: int = 200) -> Response:
    access = selectors.checklist_get_any(user=request.user, assessment_id=assessment_id)
    return Response(summary_json(access), status=code)


# Views


class ChecklistApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_CHECKLISTS


class SummaryApi(ChecklistApi):
    @extend_schema(responses={200: SUMMARY, 403: NOT_ALLOWED, 404: CHECKLIST_NOT_FOUND})
    def get(self, request: Request, assessment_id: int) -> Response:
        """One audit, checklist, self-evaluation or self-assessment, as you may see it."""
        access = selectors.checklist_get_any(user=request.user, assessment_id=assessment_id)
        audit_event_record(
            actor=request.user,
            action="viewed",
            target=access.assessment,
            summary="viewed through the API",
        )
        return Response(summary_json(access))
