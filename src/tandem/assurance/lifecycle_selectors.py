"""Reads for Respect accreditation's lifecycle: appeals, and evidence offered from earlier
assessments. Callers have already opened the assessment (`selectors.assessment_get_for_user`)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from tandem.assurance import lifecycle_rules
from tandem.assurance.models import (
    Appeal,
    Assessment,
    EvidenceCitation,
    EvidenceOfferDecision,
    RequirementRecord,
)
from tandem.standards.models import RequirementMapping


def appeals_of(*, assessment: Assessment) -> QuerySet[Appeal]:
    return Appeal.objects.filter(assessment=assessment).select_related(
        "decision__decided_by", "lodged_by", "heard_by"
    )


def open_appeal_of(*, assessment: Assessment) -> Appeal | None:
    return appeals_of(assessment=assessment).filter(outcome="").first()


@dataclass(frozen=True)
class EvidenceOffer:
    """Evidence already accepted in an earlier assessment of the same service, offered for a
    record instead of writing it again."""

    source: RequirementRecord
    # From the assessment this one follows (the last accreditation cycle).
    last_cycle: bool
    # The library's mapping between the two requirements; None for the same requirement.
    mapping: RequirementMapping | None


def evidence_offers_for(*, record: RequirementRecord) -> list[EvidenceOffer]:
    """Accepted evidence (`lifecycle_rules.accepted_evidence`) for the same requirement, or one
    the library maps to it in either direction in any framework, from the service's earlier
    assessments; leaving out what the service already accepted or declined for this record.
    The last cycle's first, then the newest."""
    assessment = record.assessment
    mappings: dict[int, RequirementMapping] = {}
    for mapping in RequirementMapping.objects.filter(
        Q(source_id=record.requirement_id) | Q(target_id=record.requirement_id)
    ).select_related("source__framework", "target__framework"):
        other = (
            mapping.target_id if mapping.source_id == record.requirement_id else mapping.source_id
        )
        mappings.setdefault(other, mapping)
    answered = EvidenceOfferDecision.objects.filter(record=record).values("source")
    sources = (
        RequirementRecord.objects.filter(lifecycle_rules.accepted_evidence())
        .filter(
            requirement_id__in=[record.requirement_id, *mappings],
            assessment__service_id=assessment.service_id,
            assessment__created_at__lte=assessment.created_at,
        )
        .exclude(assessment_id=assessment.pk)
        .exclude(pk__in=answered)
        .exclude(pk=record.carried_from_id or 0)
        .distinct()
        .select_related("assessment__framework", "requirement__framework")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("document").order_by("pk"),
            )
        )
        .order_by("-assessment__created_at", "-pk")
    )
    offers = [
        EvidenceOffer(
            source=source,
            last_cycle=source.assessment_id == assessment.previous_id,
            mapping=mappings.get(source.requirement_id),
        )
        for source in sources
    ]
    return sorted(offers, key=lambda offer: not offer.last_cycle)
