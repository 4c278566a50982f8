"""Suspension and removal (rule suspend-remove, R22-S B4.2, R22 C1.6, WG 8-9): proposed by the
perpetrator side, decided with the ISS, survivors told first, then a senior manager signs off;
and a suspended man's re-engagement."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases import gates
from tandem.cases.models import (
    ClosureReason,
    PerpetratorCase,
    Stage,
    SuspensionKind,
    SuspensionProposal,
    TransitionKind,
)
from tandem.cases.rules import RECORD_SUSPENSION_ISS_STEPS, SIGN_OFF
from tandem.cases.services.common import case_lock_for_write, case_transition
from tandem.cases.services.engagement import engagement_change_tasks_create
from tandem.compliance.models import DueTask, TaskSide
from tandem.lib.errors import ActionRefused

SUSPEND_REMOVE = "suspend-remove"


@transaction.atomic
def suspension_propose(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    kind: str,
    reason: str,
    now: datetime | None = None,
) -> SuspensionProposal:
    """Propose suspending him (on hold) or removing him. Nothing changes for him until the ISS is
    consulted, the survivors are told first and a senior manager signs off. Considering it is an
    engagement change, so telling the ISS and each survivor becomes due at once."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    if case.stage != Stage.IN_INTERVENTION:
        raise ActionRefused(
            "cannot propose a suspension or removal: the case is "
            f"{Stage(case.stage).label.lower()}, not in intervention",
            rule_id=SUSPEND_REMOVE,
            field="stage",
        )
    if kind not in SuspensionKind.values:
        raise ActionRefused(
            "choose whether he is to be suspended or removed", rule_id=SUSPEND_REMOVE, field="kind"
        )
    if not reason.strip():
        raise ActionRefused(
            "say why he is to be suspended or removed", rule_id=SUSPEND_REMOVE, field="reason"
        )
    waiting = gates.suspension_awaiting_sign_off(case=case)
    if waiting is not None:
        raise ActionRefused(
            f"a {waiting.get_kind_display().lower()} is already proposed and awaiting sign-off",
            rule_id=SUSPEND_REMOVE,
            field="kind",
        )
    proposal = SuspensionProposal.objects.create(
        case=case, kind=kind, reason=reason.strip(), proposed_by=actor, proposed_at=now
    )
    # Proposing changes what the case page offers, so a form opened before it is stale.
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    label = SuspensionKind(kind).label
    audit_event_record(
        actor=actor,
        action="created",
        target=proposal,
        summary=f"{label} proposed: {proposal.reason}",
        after=model_snapshot(instance=proposal),
    )
    considered = (
        "suspension considered" if kind == SuspensionKind.SUSPENSION else "removal considered"
    )
    engagement_change_tasks_create(case=case, change=considered, now=now)
    return proposal


def _lock_proposal(*, proposal: SuspensionProposal, action: str) -> SuspensionProposal:
    current = (
        SuspensionProposal.objects.select_for_update()
        .select_related("case__service")
        .get(pk=proposal.pk)
    )
    if current.signed_off_at is not None:
        raise ActionRefused(
            f"cannot {action}: the {current.get_kind_display().lower()} was already signed off",
            rule_id=SUSPEND_REMOVE,
        )
    return current


def _complete_proposal_tasks(
    *, proposal: SuspensionProposal, side: TaskSide, actor: User, now: datetime
) -> None:
    """Close the engagement-change tasks this proposal created on one side of the barrier."""
    DueTask.objects.filter(
        rule_id="engagement-change",
        side=side,
        perpetrator_case=proposal.case,
        created_at=proposal.proposed_at,
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)


def _suspension_step_record(
    *,
    proposal: SuspensionProposal,
    actor: User,
    now: datetime | None,
    action: str,
    step: str,
    tasks_side: TaskSide,
    summary: str,
) -> SuspensionProposal:
    """Record one of the ISS's steps on a proposal (`step` names its `<step>_at` and `<step>_by`
    fields) and complete that side's engagement-change tasks of the proposal."""
    now = now or timezone.now()
    proposal = _lock_proposal(proposal=proposal, action=action)
    refuse_unless_permitted(
        actor=actor,
        permission=RECORD_SUSPENSION_ISS_STEPS,
        target=proposal.case,
        refusal=f"cannot {action}: only the ISS of this service can record it",
        rule_id=SUSPEND_REMOVE,
        field="",
    )
    if getattr(proposal, f"{step}_at") is not None:
        raise ActionRefused(f"cannot {action}: it is already recorded", rule_id=SUSPEND_REMOVE)
    before = model_snapshot(instance=proposal)
    setattr(proposal, f"{step}_at", now)
    setattr(proposal, f"{step}_by", actor)
    proposal.save(update_fields=[f"{step}_at", f"{step}_by"])
    _complete_proposal_tasks(proposal=proposal, side=tasks_side, actor=actor, now=now)
    audit_event_record(
        actor=actor,
        action="changed",
        target=proposal,
        summary=summary,
        before=before,
        after=model_snapshot(instance=proposal),
    )
    return proposal


@transaction.atomic
def suspension_record_iss_consultation(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> SuspensionProposal:
    """The ISS records that it was consulted on the proposal, which also means it has been told
    of the engagement change (rule engagement-change): only the "tell the ISS" task completes,
    as each survivor still has to be told."""
    return _suspension_step_record(
        proposal=proposal,
        actor=actor,
        now=now,
        action="record the ISS consultation",
        step="iss_consulted",
        tasks_side=TaskSide.PERPETRATOR,
        summary="ISS consulted on the proposal",
    )


@transaction.atomic
def suspension_record_survivors_informed(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> SuspensionProposal:
    """The ISS records that the survivors were told first, so each could be safety-planned."""
    return _suspension_step_record(
        proposal=proposal,
        actor=actor,
        now=now,
        action="record that the survivors were told",
        step="survivors_informed",
        tasks_side=TaskSide.ISS,
        summary="survivors told of the proposal first",
    )


@transaction.atomic
def suspension_sign_off(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> PerpetratorCase:
    """A senior manager of the service signs off, once the ISS consultation and the survivors
    being told are recorded. A suspension puts the case on hold; a removal closes it as
    de-selected. The survivors' ISS cases go on either way."""
    now = now or timezone.now()
    proposal = _lock_proposal(proposal=proposal, action="sign off")
    label = proposal.get_kind_display().lower()
    refuse_unless_permitted(
        actor=actor,
        permission=SIGN_OFF,
        target=proposal.case,
        refusal=f"cannot sign off the {label}: only a senior manager of the service can",
        rule_id=SUSPEND_REMOVE,
        field="",
    )
    case = (
        PerpetratorCase.objects.select_for_update()
        .select_related("service")
        .get(pk=proposal.case_id)
    )
    if case.stage != Stage.IN_INTERVENTION:
        raise ActionRefused(
            f"cannot sign off the {label}: the case is {Stage(case.stage).label.lower()}, "
            "not in intervention",
            rule_id=SUSPEND_REMOVE,
        )
    refusals = gates.gate_suspension_sign_off(proposal=proposal)
    if refusals:
        raise ActionRefused(
            f"cannot sign off the {label}: " + "; ".join(r.message for r in refusals),
            rule_id=SUSPEND_REMOVE,
        )
    before = model_snapshot(instance=case)
    proposal.signed_off_at = now
    proposal.signed_off_by = actor
    proposal.save(update_fields=["signed_off_at", "signed_off_by"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=proposal,
        summary=f"{label} signed off",
    )
    if proposal.kind == SuspensionKind.SUSPENSION:
        return case_transition(
            case=case,
            actor=actor,
            kind=TransitionKind.SUSPENDED,
            to_stage=Stage.SUSPENDED,
            now=now,
            reason=proposal.reason,
            before=before,
        )
    case.closed_at = now
    case.closure_reason = ClosureReason.DESELECTED
    case.closure_detail = proposal.reason
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.CLOSED,
        to_stage=Stage.CLOSED,
        now=now,
        reason=f"{ClosureReason.DESELECTED.label}: {proposal.reason}",
        before=before,
    )


@transaction.atomic
def perpetrator_case_reengage(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> PerpetratorCase:
    """A suspended man re-engages and goes back into the intervention (rule suspend-remove:
    re-engagement is tried before de-selection where it is safe)."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    if case.stage != Stage.SUSPENDED:
        raise ActionRefused(
            f"cannot re-engage him: the case is {Stage(case.stage).label.lower()}, not suspended",
            rule_id=SUSPEND_REMOVE,
            field="stage",
        )
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.REENGAGED,
        to_stage=Stage.IN_INTERVENTION,
        now=now,
        before=model_snapshot(instance=case),
    )
