"""Writes to the policy register (rule policies, R22 A1.1, WM 1) and the model of work (rule
model-review, R22-S/I B1.2; rule edi-review, R22 D1.1, D1.3)."""

import hashlib
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.governance import gates
from tandem.governance.inputs import (
    not_in_future,
    read_document,
    require_choice,
    require_staff,
    require_text,
)
from tandem.governance.models import (
    EdiReview,
    EdiReviewKind,
    ModelOfWorkReview,
    Policy,
    PolicyAcknowledgement,
    RequiredPolicy,
)
from tandem.governance.rules import READ_POLICY_REGISTER
from tandem.governance.services.common import (
    audit_created,
    now_or_current,
    refuse_unless_governance_manager,
)
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service

# The policy register (rule policies, R22 A1.1, WM 1)


@transaction.atomic
def policy_record(
    *,
    service: Service,
    required_policy: str,
    title: str,
    version_label: str,
    owner: User,
    approved_on: date,
    next_review_on: date,
    document: File | None,
    actor: User,
    now: datetime | None = None,
) -> Policy:
    """Record a version of a policy the governing body approved: it satisfies one required
    policy (R22 A1.1 a-k) and is reviewed within 3 years (rule policies)."""
    now = now_or_current(now)
    today = timezone.localdate(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    require_choice(
        required_policy,
        choices=RequiredPolicy.values,
        field="required_policy",
        what="which required policy (R22 A1.1 a-k) this satisfies",
    )
    title = require_text(title, field="title", what="the policy's title", limit=200)
    version_label = require_text(version_label, field="version_label", what="the version", limit=40)
    not_in_future(approved_on, field="approved_on", what="The approval date", today=today)
    refusal = gates.policy_review_refusal(approved_on=approved_on, next_review_on=next_review_on)
    if refusal is not None:
        raise refusal
    require_staff(user=owner, service=service, field="owner", on=today)
    if document is None:
        raise ActionRefused("choose the policy document to upload", field="document")
    content, name, kind = read_document(document)
    sha256 = hashlib.sha256(content).hexdigest()
    policy = Policy(
        service=service,
        required_policy=required_policy,
        title=title,
        version_label=version_label,
        owner=owner,
        approved_on=approved_on,
        next_review_on=next_review_on,
        document_name=name[:255],
        document_kind=kind,
        document_sha256=sha256,
        document_size=len(content),
        recorded_by=actor,
        recorded_at=now,
    )
    path = policy.document.field.generate_filename(policy, name)
    if policy.document.storage.exists(path):
        policy.document.name = path  # the same bytes, stored before
    else:
        policy.document.save(name, ContentFile(content), save=False)
    policy.save()
    audit_created(actor=actor, target=policy, summary=f"policy {title} {version_label} recorded")
    return policy


@transaction.atomic
def policy_acknowledge(
    *, policy: Policy, actor: User, now: datetime | None = None
) -> PolicyAcknowledgement:
    """A member of staff acknowledges that they have read this version of a policy (R22 A1.1
    guidance 2c: policies are part of every induction)."""
    now = now_or_current(now)
    refuse_unless_permitted(
        actor=actor,
        permission=READ_POLICY_REGISTER,
        target=policy,
        refusal="only staff of the service can acknowledge its policies",
    )
    if PolicyAcknowledgement.objects.filter(policy=policy, user=actor).exists():
        raise ActionRefused(f"you have already acknowledged {policy}", field="policy")
    try:
        with transaction.atomic():
            acknowledgement = PolicyAcknowledgement.objects.create(
                policy=policy, user=actor, acknowledged_at=now
            )
    except IntegrityError:
        raise ActionRefused(f"you have already acknowledged {policy}", field="policy") from None
    audit_created(actor=actor, target=acknowledgement, summary=f"acknowledged {policy}")
    return acknowledgement


# The model of work (rule model-review, R22-S/I B1.2)


@transaction.atomic
def model_of_work_review_record(
    *,
    service: Service,
    version_label: str,
    reviewed_on: date,
    summary_of_changes: str,
    consultation: str,
    actor: User,
    now: datetime | None = None,
) -> ModelOfWorkReview:
    """Record a reviewed version of the model of work: its review date, a summary of the
    changes and the consultation with staff (rule model-review). The next is due 12 months
    later."""
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    version_label = require_text(version_label, field="version_label", what="the version", limit=40)
    not_in_future(
        reviewed_on, field="reviewed_on", what="The review date", today=timezone.localdate(now)
    )
    latest = ModelOfWorkReview.objects.filter(service=service).order_by("-reviewed_on").first()
    if latest is not None and reviewed_on < latest.reviewed_on:
        raise ActionRefused(
            f"a later review ({latest.reviewed_on:%-d %B %Y}) is already recorded",
            field="reviewed_on",
            rule_id="model-review",
        )
    review = ModelOfWorkReview.objects.create(
        service=service,
        version_label=version_label,
        reviewed_on=reviewed_on,
        summary_of_changes=require_text(
            summary_of_changes,
            field="summary_of_changes",
            what="a summary of the changes made (rule model-review)",
        ),
        consultation=require_text(
            consultation,
            field="consultation",
            what="the consultation held with the staff involved (R22 B1.2)",
        ),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_created(actor=actor, target=review, summary=f"model of work {version_label} reviewed")
    return review


@transaction.atomic
def edi_review_record(
    *,
    service: Service,
    kind: str,
    reviewed_on: date,
    summary: str,
    actor: User,
    now: datetime | None = None,
) -> EdiReview:
    """Record a review of the equalities framework, the diversity goals or the service-user
    profile (rule edi-review, R22 D1.1, D1.3)."""
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    require_choice(kind, choices=EdiReviewKind.values, field="kind", what="what was reviewed")
    not_in_future(
        reviewed_on, field="reviewed_on", what="The review date", today=timezone.localdate(now)
    )
    review = EdiReview.objects.create(
        service=service,
        kind=kind,
        reviewed_on=reviewed_on,
        summary=require_text(summary, field="summary", what="what the review found and changed"),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_created(actor=actor, target=review, summary=f"{review.get_kind_display()} reviewed")
    return review
