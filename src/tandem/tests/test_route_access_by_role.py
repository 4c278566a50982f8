"""Every route, as every role and as no one, against an explicit table of who gets through.

The routes come from the URL configuration itself (every pattern, walked from the root), so a
route added without an entry in `ROUTE_ACCESS` fails `test_every_route_has_an_expected_access`,
saying what to add. Each is opened with GET, its URL filled from one world built once per module
(a staffed service with a case in the intervention, his child and a draft report, her ISS case,
a group with a session, a complaint, a Respect assessment with its people and the four
checklist assessments), by a person in each role (`PERSONAS`) and anonymously. To check a
route marked NOBODY properly, build its record in `world` and name its id in `records`.

"Through" is any answer but a refusal: 2xx, a redirect other than to sign in, a 400 or 405 (a
POST-only route answers GET after its permission check, or before it: `POST_ONLY` marks the
routes whose GET says only that sign-in is needed). A refusal is 401, 403, 404, or a redirect to
sign in. Refusals of the writes themselves are each app's own route tests.

Entries say who gets through, by category (`ANYONE`, `SIGNED_IN`, `SERVICE_STAFF`, ...) or as a
set of personas; `NOBODY` is a route whose record the world does not build (every persona is
refused the made-up id), which still shows it never answers 5xx.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pytest_django import DjangoDbBlocker

from tandem.access.roles import Role
from tandem.assurance.checklists.services.self_assessment import self_assessment_start
from tandem.assurance.checklists.services.west_midlands import (
    west_midlands_self_evaluation_start,
)
from tandem.assurance.checklists.tests import builders as checklist
from tandem.assurance.checklists.tests.builders import commissioner_of
from tandem.assurance.models import Assessment, AssessmentParticipant, RequirementRecord
from tandem.assurance.respect.tests import builders as respect
from tandem.cases.models import PerpetratorCase
from tandem.cases.services.children import child_add
from tandem.cases.services.intake import ChildDetails
from tandem.cases.services.reports import external_report_draft
from tandem.cases.tests.builders import (
    in_intervention,
    iss_case_of,
    practice_manager,
    report_sections,
)
from tandem.conftest import ServiceStaff
from tandem.delivery.tests.builders import group_session, group_with
from tandem.governance.services.complaints import complaint_receive
from tandem.organisations.models import Side, StaffMembership
from tandem.standards.models import Framework, Requirement
from tandem.support.models import IssCase
from tandem.workforce.models import Worker

# What it checks is decided in Python, the same on either database: once is enough.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass_only]

ANONYMOUS = "anonymous"
PERSONAS: tuple[str, ...] = (*(role.value for role in Role), ANONYMOUS)
SM = Role.SERVICE_MANAGER.value  # of the world's service, both sides, senior
PW = Role.PERPETRATOR_WORKER.value
ISS = Role.ISS_WORKER.value
PM = Role.PRACTICE_MANAGER.value  # of the world's service, perpetrator side
ASSESSOR = Role.ASSESSOR.value  # the Respect assessment's assessor, and so on
LEAD = Role.LEAD_ASSESSOR.value
VERIFIER = Role.INTERNAL_VERIFIER.value
PANEL = Role.PANEL_MEMBER.value
COMMISSIONER = Role.COMMISSIONER.value  # commissions the world's service
ADMIN = Role.ADMINISTRATOR.value  # works in no service
HR = Role.HR.value  # works in no service
DPO = Role.DATA_PROTECTION_OFFICER.value  # on the management side of the world's service

# Who gets through, by category.
ANYONE = frozenset(PERSONAS)
SIGNED_IN = ANYONE - {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()  # the world does not build its record: all refused
SERVICE_MANAGER = frozenset({SM})
CASE_WORK = frozenset({PW, ISS, PM, SM})
PERPETRATOR_SIDE = frozenset({PW, PM, SM})
ISS_SIDE = frozenset({ISS, SM})
# The roles that may do ISS work: a perpetrator-side practice manager opens the list (empty to
# him: the selectors scope it) but no ISS case.
ISS_WORK_ROLES = frozenset({ISS, PM, SM})
MANAGERS = frozenset({PM, SM})
ASSURANCE_SIDE = frozenset({ASSESSOR, COMMISSIONER, VERIFIER, LEAD, PANEL, SM})

# Route name (namespace:name) → who gets through its GET. A new route needs its line here.
ROUTE_ACCESS: dict[str, frozenset[str]] = {
    "api-schema": SIGNED_IN,
    "assurance:appeal_hear": NOBODY,
    "assurance:appeal_lodge": SERVICE_MANAGER,
    "assurance:appeals": frozenset({ASSESSOR, LEAD, PANEL, SM, VERIFIER}),
    "assurance:apply": SERVICE_MANAGER,
    "assurance:assessment_detail": frozenset({ASSESSOR, LEAD, PANEL, SM, VERIFIER}),
    "assurance:assessment_list": ASSURANCE_SIDE,
    "assurance:certificate": NOBODY,
    "assurance:certificate_pdf": NOBODY,
    "assurance:checklists:audit_agree": SERVICE_MANAGER,
    "assurance:checklists:audit_assessors": frozenset({LEAD}),
    "assurance:checklists:audit_detail": frozenset({LEAD, SM}),
    "assurance:checklists:audit_judge": NOBODY,
    "assurance:checklists:audit_link_person": frozenset({LEAD, SM}),
    "assurance:checklists:audit_new": frozenset({LEAD}),
    "assurance:checklists:audit_outcome": frozenset({LEAD}),
    "assurance:checklists:audit_report": NOBODY,
    "assurance:checklists:audit_schedule": NOBODY,
    "assurance:checklists:audit_visited": NOBODY,
    "assurance:checklists:commissioning": frozenset({COMMISSIONER}),
    "assurance:checklists:declare": SERVICE_MANAGER,
    "assurance:checklists:index": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "assurance:checklists:partnership_detail": NOBODY,
    "assurance:checklists:partnerships": frozenset({COMMISSIONER}),
    "assurance:checklists:relationships": frozenset({ADMIN}),
    "assurance:checklists:sa_complete": SERVICE_MANAGER,
    "assurance:checklists:sa_detail": SERVICE_MANAGER,
    "assurance:checklists:sa_new": SERVICE_MANAGER,
    "assurance:checklists:sa_rate": SERVICE_MANAGER,
    "assurance:checklists:welsh_complete": frozenset({COMMISSIONER}),
    "assurance:checklists:welsh_detail": frozenset({COMMISSIONER}),
    "assurance:checklists:welsh_new": frozenset({COMMISSIONER}),
    "assurance:checklists:welsh_rate": frozenset({COMMISSIONER}),
    "assurance:checklists:wm_detail": SERVICE_MANAGER,
    "assurance:checklists:wm_new": SERVICE_MANAGER,
    "assurance:checklists:wm_rate": SERVICE_MANAGER,
    "assurance:checklists:wm_review": NOBODY,
    "assurance:checklists:wm_review_complete": NOBODY,
    "assurance:checklists:wm_reviewer": SERVICE_MANAGER,
    "assurance:checklists:wm_submit": SERVICE_MANAGER,
    "assurance:citation_remove": SIGNED_IN,
    "assurance:condition_meet": NOBODY,
    "assurance:decide": frozenset({PANEL}),
    "assurance:declare": NOBODY,
    "assurance:document_download": NOBODY,
    "assurance:document_upload": SERVICE_MANAGER,
    "assurance:evidence_pack": frozenset({ASSESSOR, PANEL, SM, VERIFIER}),
    "assurance:offer_accept": SIGNED_IN,
    "assurance:offer_decline": SIGNED_IN,
    "assurance:participants": frozenset({LEAD}),
    "assurance:record_cite": SERVICE_MANAGER,
    "assurance:record_detail": frozenset({ASSESSOR, PANEL, SM, VERIFIER}),
    "assurance:record_judge": frozenset({ASSESSOR}),
    "assurance:record_method": frozenset({ASSESSOR}),
    "assurance:record_narrative": SERVICE_MANAGER,
    "assurance:record_offers": SERVICE_MANAGER,
    "assurance:refer": SIGNED_IN,
    "assurance:register": ANYONE,
    "assurance:report": frozenset({ASSESSOR, PANEL, VERIFIER}),
    "assurance:report_detail": NOBODY,
    "assurance:report_generate": SIGNED_IN,
    "assurance:report_pdf": NOBODY,
    "assurance:report_submit": frozenset({ASSESSOR}),
    "assurance:reports": frozenset({ASSESSOR, PANEL, SM, VERIFIER}),
    "assurance:requirements_csv": frozenset({ASSESSOR, PANEL, VERIFIER}),
    "assurance:requirements_xlsx": frozenset({ASSESSOR, PANEL, VERIFIER}),
    "assurance:site_visit_case_file": NOBODY,
    "assurance:site_visit_draw": SIGNED_IN,
    "assurance:site_visit_interview_add": frozenset({ASSESSOR}),
    "assurance:site_visit_interviews_complete": SIGNED_IN,
    "assurance:site_visit_observation_add": NOBODY,
    "assurance:site_visit_plan": frozenset({ASSESSOR, SM}),
    "assurance:site_visit_request_file": frozenset({ASSESSOR}),
    "assurance:site_visit_session_add": frozenset({ASSESSOR}),
    "assurance:start_desktop": SIGNED_IN,
    "assurance:start_site_visit": SIGNED_IN,
    "assurance:submit": SIGNED_IN,
    "assurance:verify": frozenset({VERIFIER}),
    "cases:case_allocate": PERPETRATOR_SIDE,
    "cases:case_assess": PERPETRATOR_SIDE,
    "cases:case_child_edit": PERPETRATOR_SIDE,
    "cases:case_child_new": PERPETRATOR_SIDE,
    "cases:case_children_reexamine": PERPETRATOR_SIDE,
    "cases:case_close": PERPETRATOR_SIDE,
    "cases:case_consent": PERPETRATOR_SIDE,
    "cases:case_detail": CASE_WORK,
    "cases:case_engagement_change_new": PERPETRATOR_SIDE,
    "cases:case_list": CASE_WORK,
    "cases:case_note_new": PERPETRATOR_SIDE,
    "cases:case_reengage": SIGNED_IN,
    "cases:case_report_detail": PERPETRATOR_SIDE,
    "cases:case_report_new": PERPETRATOR_SIDE,
    "cases:case_report_release": SIGNED_IN,
    "cases:case_report_sign_off": SERVICE_MANAGER,
    "cases:case_review_new": MANAGERS,
    "cases:case_risk_assessment_new": PERPETRATOR_SIDE,
    "cases:case_risk_concern_new": PERPETRATOR_SIDE,
    "cases:case_screen": PERPETRATOR_SIDE,
    "cases:case_start": SIGNED_IN,
    "cases:case_subject_access": SERVICE_MANAGER,
    "cases:case_subject_access_json": SERVICE_MANAGER,
    "cases:case_suspension_iss_consulted": SIGNED_IN,
    "cases:case_suspension_propose": PERPETRATOR_SIDE,
    "cases:case_suspension_sign_off": SERVICE_MANAGER,
    "cases:case_suspension_survivors_informed": SIGNED_IN,
    "cases:exchange_new": MANAGERS,
    "cases:file_audit_new": MANAGERS,
    "cases:referral_new": PERPETRATOR_SIDE,
    "cases:service_reviews": MANAGERS,
    "delivery:exceptions": PERPETRATOR_SIDE,
    "delivery:group_new": MANAGERS,
    "delivery:group_register": PERPETRATOR_SIDE,
    "delivery:index": PERPETRATOR_SIDE,
    "delivery:one_to_one_session_new": PERPETRATOR_SIDE,
    "delivery:participant_leave": PERPETRATOR_SIDE,
    "delivery:participant_new": PERPETRATOR_SIDE,
    "delivery:programme_detail": PERPETRATOR_SIDE,
    "delivery:programme_new": MANAGERS,
    "delivery:recording_new": PERPETRATOR_SIDE,
    "delivery:recording_review": NOBODY,
    "delivery:recordings": PERPETRATOR_SIDE,
    "delivery:session_detail": PERPETRATOR_SIDE,
    "delivery:session_new": PERPETRATOR_SIDE,
    "governance:action_new": NOBODY,
    "governance:action_status": NOBODY,
    "governance:agreement_new": SERVICE_MANAGER,
    "governance:agreement_review": NOBODY,
    "governance:agreements": SERVICE_MANAGER,
    "governance:calendar": SERVICE_MANAGER,
    "governance:complaint": SERVICE_MANAGER,
    "governance:complaint_new": SERVICE_MANAGER,
    "governance:complaints": SERVICE_MANAGER,
    "governance:edi_review_new": SERVICE_MANAGER,
    "governance:edi_reviews": SERVICE_MANAGER,
    "governance:feedback": SERVICE_MANAGER,
    "governance:feedback_new": SERVICE_MANAGER,
    # The data protection officer works in the service (management side): its policies, no cases.
    "governance:home": frozenset({DPO, HR, ISS, PM, PW, SM}),
    "governance:meeting_new": SERVICE_MANAGER,
    "governance:model_of_work": SERVICE_MANAGER,
    "governance:model_of_work_new": SERVICE_MANAGER,
    "governance:named_role_end": NOBODY,
    "governance:named_role_new": SERVICE_MANAGER,
    "governance:named_roles": SERVICE_MANAGER,
    "governance:on_call_new": SERVICE_MANAGER,
    "governance:policies": CASE_WORK | {DPO},
    "governance:policy": NOBODY,
    "governance:policy_acknowledge": SIGNED_IN,
    "governance:policy_document": NOBODY,
    "governance:policy_new": SERVICE_MANAGER,
    "governance:report": NOBODY,
    "governance:report_new": SERVICE_MANAGER,
    "governance:report_present": NOBODY,
    "governance:reports": SERVICE_MANAGER,
    "home": SIGNED_IN,
    "login": ANYONE,
    "logout": SIGNED_IN,
    "organisations:membership_end": frozenset({ADMIN, SM}),
    "organisations:membership_new": frozenset({ADMIN, SM}),
    "organisations:organisation_new": frozenset({ADMIN}),
    "organisations:service_detail": frozenset({ADMIN, SM}),
    "organisations:service_edit": frozenset({ADMIN, SM}),
    "organisations:service_list": frozenset({ADMIN, SM}),
    "organisations:service_new": frozenset({ADMIN}),
    "standards:framework_detail": SIGNED_IN,
    "standards:framework_download": SIGNED_IN,
    "standards:framework_list": SIGNED_IN,
    "standards:requirement_detail": SIGNED_IN,
    "standards:search": SIGNED_IN,
    "support:contact_attempt_record": SIGNED_IN,
    "support:contact_point_record": SIGNED_IN,
    "support:dash_assessment_record": ISS_SIDE,
    "support:dash_result": NOBODY,
    "support:iss_case_allocate": SIGNED_IN,
    "support:iss_case_close": SIGNED_IN,
    "support:iss_case_detail": ISS_SIDE,
    "support:iss_case_list": ISS_WORK_ROLES,
    "support:iss_contact_unsafe_record": SIGNED_IN,
    "support:iss_referral_make": SIGNED_IN,
    "support:marac_referral_record": SIGNED_IN,
    "support:possible_duplicate_resolve": SIGNED_IN,
    "support:risk_incident_record": SIGNED_IN,
    "support:risk_notes_awaiting_approval": MANAGERS,
    "support:safe_contact_preferences_set": SIGNED_IN,
    "support:safety_plan_record": SIGNED_IN,
    "support:safety_plan_review": SIGNED_IN,
    "support:shared_risk_note_approve": SIGNED_IN,
    "support:shared_risk_note_write": SIGNED_IN,
    "support:signposting_record": SIGNED_IN,
    "support:support_session_record": SIGNED_IN,
    "support:survivor_address_change": SIGNED_IN,
    "support:survivor_link_to_case": SIGNED_IN,
    "v1:assurance-assessment": frozenset({ASSESSOR, LEAD, PANEL, SM, VERIFIER}),
    "v1:assurance-assessments": ASSURANCE_SIDE,
    "v1:assurance-citations": ASSURANCE_SIDE,
    "v1:assurance-condition-meet": ASSURANCE_SIDE,
    "v1:assurance-decision": ASSURANCE_SIDE,
    "v1:assurance-declaration": ASSURANCE_SIDE,
    "v1:assurance-desktop-assessment": ASSURANCE_SIDE,
    "v1:assurance-documents": frozenset({ASSESSOR, PANEL, SM, VERIFIER}),
    "v1:assurance-judgement": ASSURANCE_SIDE,
    "v1:assurance-methods": ASSURANCE_SIDE,
    "v1:assurance-narrative": ASSURANCE_SIDE,
    "v1:assurance-participants": ASSURANCE_SIDE,
    "v1:assurance-refer": ASSURANCE_SIDE,
    "v1:assurance-register": ANYONE,
    "v1:assurance-report": ASSURANCE_SIDE,
    "v1:assurance-site-visit": ASSURANCE_SIDE,
    "v1:assurance-submit": ASSURANCE_SIDE,
    "v1:assurance-verification": ASSURANCE_SIDE,
    "v1:case-allocate": CASE_WORK,
    "v1:case-assess": CASE_WORK,
    "v1:case-child": CASE_WORK,
    "v1:case-children": CASE_WORK,
    "v1:case-children-reexamination": CASE_WORK,
    "v1:case-close": CASE_WORK,
    "v1:case-consent": CASE_WORK,
    "v1:case-detail": CASE_WORK,
    "v1:case-engagement-changes": CASE_WORK,
    "v1:case-list": CASE_WORK,
    "v1:case-notes": PERPETRATOR_SIDE,
    "v1:case-report-release": CASE_WORK,
    "v1:case-report-sign-off": CASE_WORK,
    "v1:case-reports": PERPETRATOR_SIDE,
    "v1:case-risk-assessments": CASE_WORK,
    "v1:case-risk-concerns": CASE_WORK,
    "v1:case-screen": CASE_WORK,
    "v1:case-start": CASE_WORK,
    "v1:checklists-audits": frozenset({LEAD}),
    "v1:checklists-commissioning": frozenset({COMMISSIONER}),
    "v1:checklists-complete": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-judgement": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-link-person": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-outcome": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-partnership": NOBODY,
    "v1:checklists-partnership-members": frozenset({ADMIN}),
    "v1:checklists-partnership-organisations": frozenset({ADMIN}),
    "v1:checklists-partnerships": frozenset({ADMIN}),
    "v1:checklists-peer-review": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-peer-reviewer": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-rating": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-relationships": frozenset({ADMIN}),
    "v1:checklists-report": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-schedule": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-schedule-agree": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-self-assessments": SERVICE_MANAGER,
    "v1:checklists-submit": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-summary": SERVICE_MANAGER,
    "v1:checklists-visit": frozenset({ASSESSOR, COMMISSIONER, LEAD, SM}),
    "v1:checklists-welsh": frozenset({COMMISSIONER}),
    "v1:checklists-west-midlands": SERVICE_MANAGER,
    "v1:delivery-group": PERPETRATOR_SIDE,
    "v1:delivery-groups": PERPETRATOR_SIDE,
    "v1:delivery-participant-leave": PERPETRATOR_SIDE,
    "v1:delivery-session": PERPETRATOR_SIDE,
    "v1:delivery-session-attendance": PERPETRATOR_SIDE,
    "v1:delivery-sessions": PERPETRATOR_SIDE,
    "v1:framework-detail": SIGNED_IN,
    "v1:framework-list": SIGNED_IN,
    "v1:framework-requirements": SIGNED_IN,
    "v1:governance-calendar": SERVICE_MANAGER,
    "v1:governance-complaints": SERVICE_MANAGER,
    "v1:governance-policies": CASE_WORK | {DPO},
    "v1:iss-case-allocate": CASE_WORK,
    "v1:iss-case-close": CASE_WORK,
    "v1:iss-case-contact-attempts": CASE_WORK,
    "v1:iss-case-dash": CASE_WORK,
    "v1:iss-case-detail": ISS_SIDE,
    "v1:iss-case-incidents": CASE_WORK,
    "v1:iss-case-links": CASE_WORK,
    "v1:iss-case-list": ISS_WORK_ROLES,
    "v1:iss-case-marac-referrals": CASE_WORK,
    "v1:iss-case-possible-duplicate": CASE_WORK,
    "v1:iss-case-referral": CASE_WORK,
    "v1:iss-case-referrals": ISS_SIDE,
    "v1:iss-case-risk-notes": CASE_WORK,
    "v1:iss-case-safety-plan-review": CASE_WORK,
    "v1:iss-case-safety-plans": ISS_SIDE,
    "v1:iss-case-sessions": ISS_SIDE,
    "v1:iss-case-unsafe": CASE_WORK,
    "v1:mapping-list": SIGNED_IN,
    "v1:my-work": CASE_WORK,
    "v1:requirement-detail": SIGNED_IN,
    "v1:requirement-search": SIGNED_IN,
    "v1:risk-note-approve": MANAGERS,
    "v1:risk-notes-awaiting-approval": MANAGERS,
    "v1:service-case-reviews": MANAGERS,
    "v1:service-detail": frozenset({ADMIN, SM}),
    "v1:service-exchanges": MANAGERS,
    "v1:service-file-audits": MANAGERS,
    "v1:service-list": frozenset({ADMIN, SM}),
    "v1:service-memberships": frozenset({ADMIN, SM}),
    "v1:workforce-checks": SERVICE_MANAGER,
    "v1:workforce-matrix": SERVICE_MANAGER,
    "v1:workforce-service-workers": SERVICE_MANAGER,
    "v1:workforce-supervision": MANAGERS,
    "v1:workforce-training": SERVICE_MANAGER,
    "work:my_work": CASE_WORK,
    "workforce:check_new": SERVICE_MANAGER,
    "workforce:disclosure_new": SERVICE_MANAGER,
    "workforce:index": CASE_WORK,
    "workforce:matrix": SERVICE_MANAGER,
    "workforce:mentoring_end": SIGNED_IN,
    "workforce:mentoring_new": SERVICE_MANAGER,
    "workforce:staff_list": SERVICE_MANAGER,
    "workforce:supervision_new": MANAGERS,
    "workforce:training_new": SERVICE_MANAGER,
    "workforce:worker_detail": SERVICE_MANAGER,
    "workforce:worker_edit": SERVICE_MANAGER,
    "workforce:worker_new": SERVICE_MANAGER,
    # Issue 12: accounts (2FA, passwords, API tokens, users), the audit trail, break-glass, data
    # protection. POST-only routes answer a GET with 405, which counts as through.
    "accounts:account": SIGNED_IN,
    "accounts:api_token_list": SIGNED_IN,
    "accounts:api_token_new": SIGNED_IN,
    "accounts:api_token_revoke": SIGNED_IN,
    "accounts:api_token_revoke_all": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_reset": ANYONE,
    "accounts:password_reset_confirm": ANYONE,
    "accounts:password_reset_done": ANYONE,
    "accounts:password_reset_sent": ANYONE,
    "accounts:recovery_codes": SIGNED_IN,
    "accounts:sign_out_everywhere": SIGNED_IN,
    "accounts:two_factor": SIGNED_IN,
    "accounts:two_factor_enrol": SIGNED_IN,
    "accounts:user_deactivate": NOBODY,  # no such account: the administrator gets 404
    "accounts:user_list": frozenset({ADMIN}),
    "audit:trail": frozenset({DPO}),
    "audit:trail_download": frozenset({DPO}),
    "dataprotection:case_subject_access_review": SERVICE_MANAGER,
    "governance:break_glass": SERVICE_MANAGER,
    "support:exchange_iss_account_approve": SIGNED_IN,
    "v1:api-token": SIGNED_IN,
    "v1:api-tokens": SIGNED_IN,
    "v1:audit-event-list": frozenset({DPO}),
    "v1:case-subject-access": SERVICE_MANAGER,
    "v1:case-subject-access-release": SIGNED_IN,
    "v1:legal-hold-lift": SERVICE_MANAGER,
    "v1:legal-holds": SERVICE_MANAGER,
    "v1:user-deactivate": frozenset({ADMIN}),
    "v1:user-list": frozenset({ADMIN}),
}

# An id no world record has: a route whose parameter the world does not fill is refused to all.
NO_SUCH_RECORD = 999_999


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # the pattern, e.g. "cases/<str:reference>/"
    parameters: tuple[str, ...]


def routes_of(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from routes_of(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            path = prefix + str(pattern.pattern)
            name = pattern.name or path
            yield Route(
                name=f"{namespace}:{name}" if namespace else name,
                path=path,
                parameters=tuple(re.findall(r"<(?:\w+:)?(\w+)>", path)),
            )


ROUTES = sorted(routes_of(get_resolver()), key=lambda route: route.name)


@dataclass(frozen=True)
class World:
    staff: ServiceStaff
    case: PerpetratorCase
    iss_case: IssCase
    assessment: Assessment
    # The checklist assessments, by the path their routes start with.
    checklists: dict[str, Assessment]
    worker: Worker
    requirement: Requirement
    people: dict[str, User]
    # Other records, by the name their routes give their id.
    records: dict[str, int]

    def url(self, route: Route) -> str:
        values = self.parameter_values(route)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.path)
        return "/" + path

    def parameter_values(self, route: Route) -> dict[str, object]:
        values: dict[str, object] = {name: NO_SUCH_RECORD for name in route.parameters}
        assessment = next(
            (found for start, found in self.checklists.items() if route.path.startswith(start)),
            self.assessment,
        )
        known: dict[str, object] = {
            "service_id": self.staff.service.pk,
            "reference": self.case.reference,
            "assessment_id": assessment.pk,
            "record_id": RequirementRecord.objects.filter(assessment=assessment).earliest("pk").pk,
            "worker_id": self.worker.pk,
            "slug": self.requirement.framework.slug,
            "code": self.requirement.code,
            "file_format": "csv",
            "kind": "self-assessment",
            "version": 1,
        }
        known.update(self.records)
        if route.path.startswith(("support/", "api/v1/iss-cases/")):
            known["pk"] = self.iss_case.pk
        if route.path.startswith("assurance/checklists/"):
            known["participant_id"] = self.records["audit_participant_id"]
        values.update({name: known[name] for name in route.parameters if name in known})
        return values


def person_with(role: Role, username: str) -> User:
    user = User.objects.create_user(username=username, first_name="Test", last_name=role.label)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def in_management(user: User, staff: ServiceStaff) -> User:
    StaffMembership.objects.create(
        user=user, service=staff.service, side=Side.MANAGEMENT, started_on="2024-01-01"
    )
    return user


@pytest.fixture(scope="module")
def world(module_staffed_service: ServiceStaff, django_db_blocker: DjangoDbBlocker) -> World:
    staff = module_staffed_service
    with django_db_blocker.unblock():
        case = in_intervention(staff)
        cast = respect.cast_for(staff)
        assessment = respect.allocated(cast, respect.applied(cast))
        commissioner = commissioner_of(staff.service)
        self_assessment = self_assessment_start(
            service=staff.service,
            framework=Framework.objects.get(slug="respect-2022", is_current=True),
            actor=staff.service_manager,
            scope=["icm"],
        )
        checklists = {
            "assurance/checklists/audits/": checklist.audit_opened(checklist.audit_cast(staff)),
            "assurance/checklists/welsh/": checklist.welsh_started(staff.service, commissioner),
            "assurance/checklists/west-midlands/": west_midlands_self_evaluation_start(
                service=staff.service, actor=staff.service_manager
            ),
            "assurance/checklists/self-assessments/": self_assessment,
            "api/v1/assurance/checklists/": self_assessment,
        }
        requirement = Requirement.objects.select_related("framework").first()
        assert requirement is not None
        people = {
            Role.SERVICE_MANAGER.value: staff.service_manager,
            Role.PERPETRATOR_WORKER.value: staff.perpetrator_worker,
            Role.ISS_WORKER.value: staff.iss_worker,
            Role.PRACTICE_MANAGER.value: practice_manager(staff),
            Role.LEAD_ASSESSOR.value: cast.coordinator,
            Role.ASSESSOR.value: cast.assessor,
            Role.INTERNAL_VERIFIER.value: cast.verifier,
            Role.PANEL_MEMBER.value: cast.panel,
            Role.COMMISSIONER.value: commissioner,
            Role.ADMINISTRATOR.value: person_with(Role.ADMINISTRATOR, "route-administrator"),
            Role.HR.value: person_with(Role.HR, "route-hr"),
            Role.DATA_PROTECTION_OFFICER.value: in_management(
                person_with(Role.DATA_PROTECTION_OFFICER, "route-dpo"), staff
            ),
        }
        group = group_with(staff, men=1)
        records = {
            "child_id": child_add(
                case=case,
                actor=staff.perpetrator_worker,
                child=ChildDetails("Kit", "son", "Synthetic", date(2019, 9, 9)),
            ).pk,
            "report_id": external_report_draft(
                case=case, actor=staff.perpetrator_worker, sections=report_sections()
            ).pk,
            "programme_id": group.programme_id,
            "group_id": group.pk,
            "session_id": group_session(
                staff, group, exception_reason="Synthetic: one man in the group"
            ).pk,
            "complaint_id": complaint_receive(
                service=staff.service,
                received_on=date.today(),
                complainant="Synthetic complainant",
                summary="Synthetic complaint",
                response_working_days=None,
                actor=staff.service_manager,
            ).pk,
            "membership_id": StaffMembership.objects.get(user=staff.perpetrator_worker).pk,
            "participant_id": AssessmentParticipant.objects.get(
                assessment=assessment, user=cast.assessor
            ).pk,
            "audit_participant_id": AssessmentParticipant.objects.filter(
                assessment=checklists["assurance/checklists/audits/"]
            )
            .earliest("pk")
            .pk,
        }
        return World(
            staff=staff,
            case=case,
            iss_case=iss_case_of(case),
            assessment=assessment,
            checklists=checklists,
            worker=Worker.objects.get(user=staff.service_manager),
            requirement=requirement,
            people=people,
            records=records,
        )


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(world.people[persona])
    return client


def gets_through(status: int, location: str) -> bool:
    if status in (401, 403, 404):
        return False
    if 300 <= status < 400:
        return not location.startswith("/sign-in/")
    assert status < 500, f"answered {status}"
    return True


def observed(world: World, persona: str, routes: list[Route]) -> dict[str, bool]:
    client = client_for(world, persona)
    answers = {}
    for route in routes:
        response = client.get(world.url(route))
        answers[route.name] = gets_through(response.status_code, response.get("Location", ""))
    return answers


# The names the failure message writes an entry in.
CATEGORIES = {
    "ANYONE": ANYONE,
    "SIGNED_IN": SIGNED_IN,
    "NOBODY": NOBODY,
    "SERVICE_MANAGER": SERVICE_MANAGER,
    "CASE_WORK": CASE_WORK,
    "PERPETRATOR_SIDE": PERPETRATOR_SIDE,
    "ISS_SIDE": ISS_SIDE,
    "ISS_WORK_ROLES": ISS_WORK_ROLES,
    "MANAGERS": MANAGERS,
    "ASSURANCE_SIDE": ASSURANCE_SIDE,
}
PERSONA_NAMES = {
    SM: "SM",
    PW: "PW",
    ISS: "ISS",
    PM: "PM",
    ASSESSOR: "ASSESSOR",
    LEAD: "LEAD",
    VERIFIER: "VERIFIER",
    PANEL: "PANEL",
    COMMISSIONER: "COMMISSIONER",
    ADMIN: "ADMIN",
    HR: "HR",
    DPO: "DPO",
    ANONYMOUS: "ANONYMOUS",
}


def entry_for(through: set[str]) -> str:
    """How ROUTE_ACCESS writes who got through: a category, or the set of them."""
    for name, category in CATEGORIES.items():
        if category == through:
            return name
    return "frozenset({" + ", ".join(sorted(PERSONA_NAMES[p] for p in through)) + "})"


def test_every_route_has_an_expected_access(world: World) -> None:
    """A route added to the URL configuration without a line in ROUTE_ACCESS fails here, with
    the line to add (as observed now: check it says who should get through)."""
    missing = [route for route in ROUTES if route.name not in ROUTE_ACCESS]
    through: dict[str, set[str]] = {route.name: set() for route in missing}
    for persona in PERSONAS:
        for name, passed in observed(world, persona, missing).items():
            if passed:
                through[name].add(persona)
    lines = [
        f'    "{route.name}": {entry_for(through[route.name])},  # /{route.path}'
        for route in missing
    ]
    assert not missing, (
        "Routes with no expected access: add to ROUTE_ACCESS in "
        "src/tandem/tests/test_route_access_by_role.py (observed now; check it is right):\n"
        + "\n".join(lines)
    )
    gone = sorted(set(ROUTE_ACCESS) - {route.name for route in ROUTES})
    assert not gone, f"ROUTE_ACCESS names routes that no longer exist: {gone}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_through_only_where_the_table_says(world: World, persona: str) -> None:
    known = [route for route in ROUTES if route.name in ROUTE_ACCESS]
    answers = observed(world, persona, known)
    wrong = [
        f"{route.name} (/{route.path}): "
        + ("got through, expected refused" if answers[route.name] else "refused, expected through")
        for route in known
        if answers[route.name] != (persona in ROUTE_ACCESS[route.name])
    ]
    assert not wrong, f"As {persona}:\n" + "\n".join(wrong)
