"""One survivor, several perpetrators: linking her to another case of her service, and settling
a possible duplicate of her record (rules separate-workers, survivor-confidentiality)."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record
from tandem.compliance.models import DueTask
from tandem.compliance.services import due_tasks_complete
from tandem.lib.errors import ActionRefused
from tandem.support.barrier import PerpetratorCase, perpetrator_case_lock
from tandem.support.models import (
    DuplicateResolution,
    IssCase,
    PossibleDuplicateSurvivor,
    Relationship,
    Survivor,
    SurvivorLink,
)
from tandem.support.rules import WORK_WITH_SURVIVOR
from tandem.support.services.iss_cases import iss_case_lock, iss_case_save_with_version


def _refuse_shared_worker(
    *, survivor: Survivor, perpetrator_case: PerpetratorCase, ignoring: Survivor | None = None
) -> None:
    """Rule separate-workers: her worker must not also support another survivor of his."""
    # Read afresh: the caller's copy of her case may predate an allocation.
    worker_id = (
        IssCase.objects.filter(survivor=survivor).values_list("allocated_worker", flat=True).get()
    )
    if worker_id is None:
        return
    clash = IssCase.objects.filter(
        allocated_worker_id=worker_id,
        survivor__links__perpetrator_case=perpetrator_case,
        closed_at__isnull=True,
    ).exclude(survivor__in=[s.pk for s in (survivor, ignoring) if s is not None])
    if clash.exists():
        raise ActionRefused(
            f"her ISS worker also supports another survivor of case {perpetrator_case.reference}: "
            "allocate her another worker first",
            rule_id="separate-workers",
            field="reference",
        )


@transaction.atomic
def survivor_link_to_case(
    *,
    survivor: Survivor,
    perpetrator_case: PerpetratorCase,
    relationship: str,
    actor: User,
) -> SurvivorLink:
    """She is also a survivor of another perpetrator of her service (current, ex or new partner,
    or family): linked as his next survivor, so his case's gates and tasks count her too."""
    refuse_unless_permitted(
        actor=actor,
        permission=WORK_WITH_SURVIVOR,
        target=survivor,
        refusal="only the ISS side of her service can do this",
        rule_id="survivor-confidentiality",
        field="",
    )
    if relationship not in Relationship.values:
        raise ActionRefused("choose how she is related to him", field="relationship")
    locked = perpetrator_case_lock(case=perpetrator_case)
    if locked.service_id != survivor.service_id:
        raise ActionRefused(
            f"case {locked.reference} is not a case of her service", field="reference"
        )
    iss_case = survivor.iss_case
    if iss_case.closed_at is not None:
        raise ActionRefused(
            "her ISS case is closed: she cannot be linked to another case from it",
            field="reference",
        )
    links = SurvivorLink.objects.filter(perpetrator_case=locked)
    if links.filter(survivor=survivor).exists():
        raise ActionRefused(f"she is already linked to case {locked.reference}", field="reference")
    _refuse_shared_worker(survivor=survivor, perpetrator_case=locked)
    position = (links.aggregate(last=Max("position"))["last"] or 0) + 1
    link = SurvivorLink.objects.create(
        perpetrator_case=locked, survivor=survivor, relationship=relationship, position=position
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=link,
        summary=f"survivor {survivor.pk} linked to case {locked.reference} as survivor {position}",
    )
    return link


@transaction.atomic
def survivor_duplicate_resolve(
    *,
    flag: PossibleDuplicateSurvivor,
    actor: User,
    expected_version: int,
    same_person: bool,
    now: datetime | None = None,
) -> PossibleDuplicateSurvivor:
    """Settle a possible duplicate flagged when a referral named her. The same person: her
    existing record takes the new record's perpetrator cases (same position and relationship),
    whatever is due for her moves to her existing ISS case, and the new ISS case closes.
    Not the same person: the flag is cleared and both records go on. `expected_version` is the
    new survivor's ISS case's."""
    now = now or timezone.now()
    flag = PossibleDuplicateSurvivor.objects.select_for_update().get(pk=flag.pk)
    new_case = iss_case_lock(iss_case=flag.survivor.iss_case, expected_version=expected_version)
    refuse_unless_permitted(
        actor=actor,
        permission=WORK_WITH_SURVIVOR,
        target=flag.survivor,
        refusal="only the ISS side of her service can do this",
        rule_id="survivor-confidentiality",
        field="",
    )
    if flag.resolved_at is not None:
        raise ActionRefused(f"this was already settled: {flag.get_resolution_display().lower()}")
    if same_person:
        _link_instead(flag=flag, new_case=new_case, actor=actor, now=now)
    flag.resolution = (
        DuplicateResolution.SAME_PERSON if same_person else DuplicateResolution.DIFFERENT_PEOPLE
    )
    flag.resolved_by = actor
    flag.resolved_at = now
    flag.save()
    iss_case_save_with_version(new_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=flag.survivor,
        summary=f"possible duplicate of survivor {flag.existing_id} settled: "
        f"{flag.get_resolution_display().lower()}",
    )
    return flag


# The new record's own handover and initial contact are not owed twice: her existing ISS case
# has, or has had, its own.
_OWED_ONCE_PER_ISS_CASE = ("iss-handover", "iss-contact")


def _link_instead(
    *, flag: PossibleDuplicateSurvivor, new_case: IssCase, actor: User, now: datetime
) -> None:
    existing = flag.existing
    existing_case = IssCase.objects.select_for_update().get(survivor=existing)
    if new_case.closed_at is not None:
        raise ActionRefused("this ISS case is already closed")
    if existing_case.closed_at is not None:
        raise ActionRefused(
            f"her existing ISS case {existing_case.pk} is closed: keep this record instead"
        )
    for link in SurvivorLink.objects.filter(survivor=flag.survivor).select_related(
        "perpetrator_case"
    ):
        case = link.perpetrator_case
        if SurvivorLink.objects.filter(perpetrator_case=case, survivor=existing).exists():
            # Named twice in one case: she stays the survivor she already was.
            audit_event_record(
                actor=actor,
                action="deleted",
                target=link,
                summary=f"duplicate survivor {link.position} of case {case.reference} removed",
            )
            link.delete()
            continue
        _refuse_shared_worker(survivor=existing, perpetrator_case=case, ignoring=flag.survivor)
        link.survivor = existing
        link.save()
    open_tasks = DueTask.objects.filter(iss_case=new_case, completed_at__isnull=True)
    for rule_id in _OWED_ONCE_PER_ISS_CASE:
        due_tasks_complete(rule_id=rule_id, iss_case=new_case, actor=actor, now=now)
    open_tasks.exclude(rule_id__in=_OWED_ONCE_PER_ISS_CASE).update(
        iss_case=existing_case, assigned_to=existing_case.allocated_worker
    )
    new_case.closed_at = now
    new_case.closure_reason = (
        f"The same person as ISS case {existing_case.pk}: her record there is used instead"
    )
    audit_event_record(
        actor=actor,
        action="changed",
        target=existing_case,
        summary=f"linked instead of the duplicate ISS case {new_case.pk}",
    )
