"""Shared risk notes (rule survivor-confidentiality): written by the ISS for one of her
perpetrators' cases, released to the perpetrator side, without their source, once approved."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.approvals import Approvals, approval_give
from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.standards.models import InterventionType
from tandem.support.barrier import PerpetratorCase
from tandem.support.models import IssCase, SharedRiskNote, SurvivorLink
from tandem.support.rules import (
    GIVE_ISS_MANAGER_APPROVAL,
    GIVE_SERVICE_MANAGER_APPROVAL,
    WORK_WITH_SURVIVOR,
)

CONFIDENTIALITY = "survivor-confidentiality"
RISK_NOTE_APPROVALS = Approvals(
    iss_manager=GIVE_ISS_MANAGER_APPROVAL,
    service_manager=GIVE_SERVICE_MANAGER_APPROVAL,
    iss_manager_refusal="only a manager on the ISS side of her service can approve it first",
)


def _needs_service_manager(*, note: SharedRiskNote) -> bool:
    """R22-I B3.3: for intensive case management nothing from her or her IDVA reaches the
    perpetrator side without both service managers' agreement."""
    return note.perpetrator_case.intervention_type == InterventionType.ICM


@transaction.atomic
def shared_risk_note_write(
    *,
    iss_case: IssCase,
    perpetrator_case: PerpetratorCase,
    actor: User,
    note: str,
    now: datetime | None = None,
) -> SharedRiskNote:
    """Risk information the ISS wants the perpetrator side to act on, for one of her
    perpetrators' cases. Nothing crosses until it is approved (`shared_risk_note_approve`)."""
    now = now or timezone.now()
    survivor = iss_case.survivor
    refuse_unless_permitted(
        actor=actor,
        permission=WORK_WITH_SURVIVOR,
        target=survivor,
        refusal="only the ISS side of her service can do this",
        rule_id="survivor-confidentiality",
        field="",
    )
    if not note.strip():
        raise ActionRefused(
            "write the risk information to share", rule_id=CONFIDENTIALITY, field="note"
        )
    if not SurvivorLink.objects.filter(
        survivor=survivor, perpetrator_case=perpetrator_case
    ).exists():
        raise ActionRefused(
            "choose one of her perpetrators' cases",
            rule_id=CONFIDENTIALITY,
            field="perpetrator_case",
        )
    written = SharedRiskNote.objects.create(
        perpetrator_case=perpetrator_case,
        source_iss_case=iss_case,
        note=note.strip(),
        written_by=actor,
        written_at=now,
    )
    # The note's words stay out of the trail until released: managers on both sides read it.
    audit_event_record(
        actor=actor,
        action="created",
        target=written,
        summary=f"risk note written for case {perpetrator_case.reference}: awaiting approval",
    )
    return written


@transaction.atomic
def shared_risk_note_approve(
    *, note: SharedRiskNote, actor: User, now: datetime | None = None
) -> SharedRiskNote:
    """Give the next approval a note needs; it is released (shown on his case, without its
    source) once every approval it needs is given.

    1. The ISS manager: a service or practice manager working on the ISS side of her service.
    2. For intensive case management only, also the service manager: someone holding the
       service manager role on the perpetrator side of his service (R22-I B3.3: both service
       managers agree). It is a second approval, given after the first.

    Nobody approves a note they wrote. One person may give both approvals only where one service
    manager runs both sides (a service manager working on both sides): each is still its own,
    recorded act, so agreeing for the ISS never silently agrees for the intervention too."""
    now = now or timezone.now()
    note = (
        SharedRiskNote.objects.select_for_update()
        .select_related("perpetrator_case", "source_iss_case__survivor")
        .get(pk=note.pk)
    )
    if note.released_at is not None:
        raise ActionRefused("this risk note is already released", rule_id=CONFIDENTIALITY)
    if note.written_by_id == actor.pk:
        raise ActionRefused(
            "another manager must approve a risk note you wrote", rule_id=CONFIDENTIALITY
        )
    given = approval_give(record=note, actor=actor, now=now, approvals=RISK_NOTE_APPROVALS)
    needs_service_manager = _needs_service_manager(note=note)
    if not needs_service_manager or note.service_manager_approved_at is not None:
        note.released_at = now
    note.save()
    audit_event_record(
        actor=actor,
        action="changed",
        target=note,
        summary=f"risk note approved by the {given}"
        + (": released to the perpetrator side" if note.released_at else ""),
    )
    return note
