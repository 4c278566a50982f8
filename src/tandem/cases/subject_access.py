"""The data held about him, as produced for his subject access request: a printable page and a
JSON download, both from `subject_access_export`.

NE 5.2 (rule survivor-confidentiality): survivors get complete confidentiality in relation to
the man; he is never told whether his (ex-)partner had contact with the ISS. So what he receives
is built from a whitelist of his side's own records, never by leaving things out of everything.
"""

from datetime import date, datetime
from typing import TypeAlias

from django.db.models import Prefetch

from tandem.cases.models import (
    ActionPlanItem,
    ContactNote,
    EngagementChange,
    PerpetratorCase,
    RiskAssessment,
)
from tandem.lib.calendar import UK_TIME

# One value as he reads it: text, "Yes"/"No", a date (2026-11-20) or a UK time (2026-11-20 10:14).
Fields: TypeAlias = dict[str, str]
Export: TypeAlias = dict[str, Fields | list[Fields]]

# His own contacts with the service. Contacts with professionals, multi-agency meetings,
# supervision and risk or need reviews are left out: they carry what others, the ISS among them,
# said about him and the people he harmed.
CONTACTS_WITH_HIM = ("Session with him", "Phone call or message with him")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value.astimezone(UK_TIME):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fields(**values: object) -> Fields:
    return {label: _text(value) for label, value in values.items()}


def subject_access_export(*, case: PerpetratorCase, now: datetime) -> Export:
    """NE 5.2: everything here is from this whitelist of perpetrator-side fields, so nothing he
    receives reveals whether a survivor had contact with the ISS, or what she said.

    In: his details, the referral, screening, the assessment and its outcome, consent, his
    changes of stage (without the reasons, which the ISS may have informed), the changes in his
    engagement (without the detail written for the ISS and the survivors), his own sessions and
    calls, the risk assessments whose outcome he was told (with his comment and his action
    plan), and the closure (without its detail, which can name a partner's needs).

    Never: a survivor's name, contact details or address; her ISS contact status or outcome
    (nor the start refusals that would show it); shared risk notes or their source; risk
    concerns sent to the ISS; the suspension workflow's ISS consultation and survivors told;
    due tasks; anything from the support app; children's records and professionals' contact
    details (third parties); whether a partner's language needs can be met; other men's cases
    flagged as possible duplicates; risk assessments he was not told, as it was unsafe."""
    case = (
        PerpetratorCase.objects.select_related("service", "allocated_worker")
        .prefetch_related(
            "transitions",
            Prefetch(
                "engagement_changes",
                queryset=EngagementChange.objects.order_by("recorded_at", "pk"),
            ),
            Prefetch(
                "notes",
                queryset=ContactNote.objects.filter(kind__in=CONTACTS_WITH_HIM).order_by(
                    "occurred_at", "pk"
                ),
                to_attr="contacts_with_him",
            ),
            Prefetch(
                "risk_assessments",
                queryset=RiskAssessment.objects.filter(outcome_told_to_him=True)
                .order_by("assessed_at", "pk")
                .prefetch_related(
                    Prefetch("actions", queryset=ActionPlanItem.objects.order_by("pk"))
                ),
                to_attr="told_to_him",
            ),
        )
        .get(pk=case.pk)
    )
    worker = case.allocated_worker
    return {
        "This export": _fields(
            **{
                "Produced": now,
                "Service": case.service.name,
                "What it holds": "The records this service keeps about you, from its case file.",
            }
        ),
        "Your details": _fields(
            **{
                "Case reference": case.reference,
                "First name": case.first_name,
                "Last name": case.last_name,
                "Date of birth": case.date_of_birth,
                "Phone": case.phone,
                "Stage": case.get_stage_display(),
                "Your worker": (worker.get_full_name() or worker.get_username()) if worker else "",
            }
        ),
        "Referral": _fields(
            **{
                "Received": case.referral_received_at,
                "Source": case.get_referral_source_display(),
                "Referred by": case.referrer_name,
                "Referring organisation": case.referrer_organisation,
            }
        ),
        "Screening": _fields(
            **{
                "Screened": case.screened_at,
                "Criminal justice": case.get_criminal_justice_display(),
                "Family proceedings": case.get_family_proceedings_display(),
                "Judgement on family proceedings": case.family_proceedings_judgement,
                "Substance use": case.substance_use,
                "Mental health": case.mental_health,
                "Social services involved": case.social_services_involved,
                "Barriers you face": case.protected_characteristics_barriers,
                "How the service plans for them": case.barriers_delivery_plan,
                "Aged 21 or younger": case.needs_extra_care_young_adult,
                "Pursuing child contact through the family courts": case.pursuing_child_contact,
                "Expert risk assessment on file": case.child_contact_expert_assessment,
                "Attendance required by a criminal court order": (
                    case.attendance_required_by_criminal_court
                ),
            }
        ),
        "Assessment": _fields(
            **{
                "Assessed": case.assessed_at,
                "Risk": case.risk_summary,
                "Need": case.need_summary,
                "Responsivity": case.responsivity_summary,
                "Motivation": case.motivation_summary,
                "Decision": case.decision_statement,
                "Acknowledges some abuse": case.acknowledges_some_abuse,
                "Sees the abuse as a problem": case.sees_abuse_as_a_problem,
                "Accepts some responsibility": case.accepts_some_responsibility,
                "Agrees the conditions": case.agrees_conditions,
            }
        ),
        "Consent": _fields(
            **{
                "Agreement signed": case.consent_signed_on,
                "Covers case-file review": case.consent_covers_case_file_review,
                "Covers recorded sessions being seen": case.consent_covers_recorded_sessions,
                "Agreed not to block the support service's contact": (
                    case.consent_agrees_not_to_block_iss
                ),
                "Agreement refused": case.consent_refused,
                "Why consent could not be sought": case.consent_not_sought_reason,
            }
        ),
        "Intervention": _fields(
            **{
                "Intervention": case.get_intervention_type_display(),
                "Started": case.intervention_started_at,
            }
        ),
        "Changes of stage": [
            _fields(When=transition.occurred_at, Change=transition.get_kind_display())
            for transition in case.transitions.all()
        ],
        "Changes in your engagement": [
            _fields(When=change.recorded_at, **{"What changed": change.get_change_display()})
            for change in case.engagement_changes.all()
        ],
        "Your sessions and calls": [
            _fields(When=note.occurred_at, Contact=note.kind, Note=note.note)
            for note in case.contacts_with_him
        ],
        "Risk assessments you were told": [
            _fields(
                **{
                    "When": assessment.assessed_at,
                    "Which": assessment.get_point_display(),
                    "Assessment": assessment.summary,
                    "Your comment": assessment.his_comment,
                    "Your action plan": "; ".join(item.action for item in assessment.actions.all()),
                }
            )
            for assessment in case.told_to_him
        ],
        "Closure": _fields(Closed=case.closed_at, Reason=case.get_closure_reason_display()),
    }


Section: TypeAlias = tuple[str, list[tuple[str, str]], list[list[tuple[str, str]]]]


def subject_access_sections(export: Export) -> list[Section]:
    """The export as the printable page shows it: each heading with its fields, or its records
    (a list section), in order."""
    sections: list[Section] = []
    for heading, section in export.items():
        if isinstance(section, list):
            sections.append((heading, [], [list(record.items()) for record in section]))
        else:
            sections.append((heading, list(section.items()), []))
    return sections
