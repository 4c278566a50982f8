"""Writes to ISS records: survivors from referrals, ISS referral, contact attempts, allocation,
linking her to perpetrator cases, shared risk notes, DASH and MARAC, and closing her ISS case."""

import re
from collections.abc import Mapping
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import PerpetratorCase
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.gates import case_management_lead_refusal
from tandem.organisations.models import Side, StaffMembership
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services
from tandem.standards.models import InterventionType
from tandem.support.contact_values import contact_value_index
from tandem.support.instruments import instrument_get
from tandem.support.models import (
    SIGNPOSTED_TO_MAX_LENGTH,
    AttemptOutcome,
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
    ContactPoint,
    ContactPointKind,
    DashAssessment,
    DuplicateResolution,
    IssCase,
    MaracReferral,
    PossibleDuplicateSurvivor,
    Relationship,
    RiskIncident,
    SafeContactPreference,
    SafetyPlan,
    SessionMethod,
    SharedRiskNote,
    Signposting,
    SignpostingKind,
    SupportSession,
    Survivor,
    SurvivorAddress,
    SurvivorLink,
)
from tandem.support.risk import (
    DASH_INSTRUMENT_ID,
    MaracSettings,
    dash_yes_count,
    marac_referral_criteria,
)
from tandem.support.rules import (
    GIVE_ISS_MANAGER_APPROVAL,
    GIVE_SERVICE_MANAGER_APPROVAL,
    WORK_WITH_SURVIVOR,
)
from tandem.support.selectors import iss_minimum_support, normalised_contact_value
from tandem.workforce.gates import allocation_refusal

# Her contact details (nor the blind index of her number) are never copied into the audit trail:
# managers on both sides read the trail, so it holds who did what, not where she can be reached.
_SURVIVOR_CONTACT_FIELDS = ("phone", "phone_index", "email")


@transaction.atomic
def survivor_receive_from_referral(
    *,
    case: PerpetratorCase,
    position: int,
    first_name: str,
    last_name: str,
    relationship: Relationship,
    phone: str,
    email: str,
    date_of_birth: date | None,
    received_at: datetime,
    actor: User,
    now: datetime,
) -> Survivor:
    """A survivor named in a perpetrator referral: her record and ISS case, with the ISS
    referral due within 24 hours of her details being received (rule iss-handover)."""
    service = case.service
    survivor = Survivor.objects.create(
        service=service,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        date_of_birth=date_of_birth,
        contact_details_received_at=received_at,
    )
    SurvivorLink.objects.create(
        perpetrator_case=case, survivor=survivor, relationship=relationship, position=position
    )
    iss_case = IssCase.objects.create(survivor=survivor)
    due_task_create(
        service=service,
        rule_id="iss-handover",
        title=f"Pass {survivor}'s details to the ISS",
        side=TaskSide.ISS,
        due_at=deadlines.iss_handover_due(details_received_at=received_at),
        now=now,
        perpetrator_case=case,
        iss_case=iss_case,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=survivor,
        summary="survivor received from a perpetrator referral",
        after=model_snapshot(instance=survivor, exclude=_SURVIVOR_CONTACT_FIELDS),
    )
    for existing, matched_on in _possible_duplicates_of(survivor=survivor):
        PossibleDuplicateSurvivor.objects.create(
            survivor=survivor, existing=existing, matched_on=matched_on, flagged_at=now
        )
        audit_event_record(
            actor=actor,
            action="changed",
            target=survivor,
            summary=f"flagged as possibly the same person as survivor {existing.pk} "
            f"(same {matched_on})",
        )
    return survivor


def _possible_duplicates_of(*, survivor: Survivor) -> list[tuple[Survivor, str]]:
    """Other survivors of her service with her name and date of birth, or her phone number
    (on their record or among their other numbers), and what matched."""
    others = Survivor.objects.filter(service=survivor.service).exclude(pk=survivor.pk)
    matched: dict[int, tuple[Survivor, list[str]]] = {}
    if survivor.date_of_birth is not None:
        for other in others.filter(
            first_name__iexact=survivor.first_name,
            last_name__iexact=survivor.last_name,
            date_of_birth=survivor.date_of_birth,
        ):
            matched.setdefault(other.pk, (other, []))[1].append("name and date of birth")
    # Numbers are encrypted: equal numbers, however written, share a blind index instead.
    if survivor.phone_index:
        numbers = ContactPoint.objects.filter(
            survivor__in=others, value_index=survivor.phone_index
        ).select_related("survivor")
        same_number = [
            *others.filter(phone_index=survivor.phone_index),
            *(point.survivor for point in numbers),
        ]
        for other in same_number:
            reasons = matched.setdefault(other.pk, (other, []))[1]
            if "phone number" not in reasons:
                reasons.append("phone number")
    return [(other, " and ".join(reasons)) for other, reasons in matched.values() if reasons]


def _lock_iss_case(*, iss_case: IssCase, expected_version: int) -> IssCase:
    current = (
        IssCase.objects.select_for_update().select_related("survivor__service").get(pk=iss_case.pk)
    )
    if current.version != expected_version:
        raise StaleRecord("this ISS case")
    return current


def _save_with_version(iss_case: IssCase) -> IssCase:
    iss_case.version = F("version") + 1
    iss_case.save()
    iss_case.refresh_from_db()
    return iss_case


@transaction.atomic
def iss_referral_make(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> IssCase:
    """Her details are with the ISS: closes the 24-hour handover task (rule iss-handover) and
    makes initial contact due within 5 working days (rule iss-contact)."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if iss_case.referred_at is not None:
        raise ActionRefused("her details were already passed to the ISS", field="referred_at")
    service = iss_case.survivor.service
    iss_case.referred_at = now
    iss_case = _save_with_version(iss_case)
    due_tasks_complete(rule_id="iss-handover", iss_case=iss_case, actor=actor, now=now)
    due_task_create(
        service=service,
        rule_id="iss-contact",
        title=f"Make initial contact with {iss_case.survivor}",
        side=TaskSide.ISS,
        due_at=deadlines.iss_contact_due(
            iss_referred_at=now, jurisdiction=Jurisdiction(service.jurisdiction)
        ),
        now=now,
        iss_case=iss_case,
        assigned_to=iss_case.allocated_worker,
    )
    audit_event_record(actor=actor, action="changed", target=iss_case, summary="ISS referral made")
    return iss_case


_SUCCESSFUL = {
    AttemptOutcome.SUPPORT_ACCEPTED: ContactOutcome.SUPPORT_ACCEPTED,
    AttemptOutcome.SUPPORT_DECLINED: ContactOutcome.SUPPORT_DECLINED,
}


@transaction.atomic
def contact_attempt_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    attempted_at: datetime,
    method: str,
    outcome: str,
    notes: str = "",
    destination: "str | SurvivorAddress | None" = None,
    now: datetime | None = None,
) -> ContactAttempt:
    """Rule iss-contact: every attempt is recorded, even with no answer. Speaking with her and
    her accepting or declining support is successful contact.

    `destination` is the number or email address used, or the `SurvivorAddress` written to or
    visited (an in-person meeting elsewhere needs none). Everything goes through
    `assert_safe_to_send`, so a method she has said is unsafe, or a number, email or address
    marked unsafe or known to him, is refused before anything is saved. The destination is kept
    on the attempt, never in the audit trail."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if attempted_at > now:
        raise ActionRefused("the attempt cannot be in the future", field="attempted_at")
    if iss_case.referred_at is None:
        raise ActionRefused(
            "make the ISS referral before recording contact",
            rule_id="iss-handover",
            field="outcome",
        )
    # Attempts are recorded to the minute, as the form takes them: one made in the minute the
    # referral was made counts as after it.
    if attempted_at < iss_case.referred_at.replace(second=0, microsecond=0):
        referred = timezone.localtime(iss_case.referred_at)
        raise ActionRefused(
            f"the attempt cannot be before the ISS referral ({referred:%d %b %Y %H:%M})",
            rule_id="iss-contact",
            field="attempted_at",
        )
    if outcome not in AttemptOutcome.values:
        raise ActionRefused("choose the outcome, even if there was no answer", field="outcome")
    assert_safe_to_send(survivor=iss_case.survivor, method=method, destination=destination)
    attempt = ContactAttempt.objects.create(
        iss_case=iss_case,
        attempted_at=attempted_at,
        method=method,
        outcome=outcome,
        notes=notes,
        destination=destination.strip() if isinstance(destination, str) else "",
        destination_address=destination if isinstance(destination, SurvivorAddress) else None,
        recorded_by=actor,
    )
    if outcome in _SUCCESSFUL and iss_case.contact_established_at is None:
        iss_case.contact_established_at = attempted_at
        iss_case.contact_outcome = _SUCCESSFUL[AttemptOutcome(outcome)]
        due_tasks_complete(rule_id="iss-contact", iss_case=iss_case, actor=actor, now=now)
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=iss_case,
        summary=f"contact attempt: {attempt.get_method_display()}, {attempt.get_outcome_display()}",
    )
    return attempt


@transaction.atomic
def iss_contact_unsafe_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    reason: str,
    now: datetime | None = None,
) -> IssCase:
    """Rule iss-before-start: the recorded reason contact is unsafe or impossible. It stands in
    for contact, so the initial-contact task (rule iss-contact) is done."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if not reason.strip():
        raise ActionRefused("say why contact is unsafe or impossible", field="reason")
    iss_case.contact_unsafe_reason = reason.strip()
    iss_case = _save_with_version(iss_case)
    due_tasks_complete(rule_id="iss-contact", iss_case=iss_case, actor=actor, now=now)
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="contact recorded as unsafe or impossible",
    )
    return iss_case


@transaction.atomic
def iss_case_allocate(
    *, iss_case: IssCase, actor: User, expected_version: int, worker: User
) -> IssCase:
    """Allocate her ISS worker. Rule separate-workers: two survivors of the same perpetrator have
    different workers. Rule not-same-staff: no one who works on the perpetrator side."""
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    service = iss_case.survivor.service
    if not iss_side_services(user=worker).filter(pk=service.pk).exists():
        raise ActionRefused("choose an ISS worker of this service", field="worker")
    on_perpetrator_side = StaffMembership.objects.filter(
        user=worker, service=service, side__in=[Side.PERPETRATOR, Side.BOTH], ended_on__isnull=True
    ).exists()
    if on_perpetrator_side or perpetrator_side_services(user=worker).filter(pk=service.pk).exists():
        raise ActionRefused(
            "the ISS must not be delivered by staff who deliver the perpetrator intervention",
            rule_id="not-same-staff",
            field="worker",
        )
    perpetrator_cases = SurvivorLink.objects.filter(survivor=iss_case.survivor).values(
        "perpetrator_case"
    )
    clash = (
        IssCase.objects.filter(
            allocated_worker=worker,
            survivor__links__perpetrator_case__in=perpetrator_cases,
            closed_at__isnull=True,
        )
        .exclude(pk=iss_case.pk)
        .exists()
    )
    if clash:
        raise ActionRefused(
            "this worker supports another survivor of the same perpetrator: choose someone else",
            rule_id="separate-workers",
            field="worker",
        )
    dbs_refusal = allocation_refusal(user=worker, service=service, on=timezone.localdate())
    if dbs_refusal:
        raise ActionRefused(dbs_refusal, rule_id="dbs", field="worker")
    lead_refusal = case_management_lead_refusal(user=worker, service=service)
    if lead_refusal:
        raise ActionRefused(lead_refusal, rule_id="case-management-lead", field="worker")
    iss_case.allocated_worker = worker
    iss_case = _save_with_version(iss_case)
    audit_event_record(
        actor=actor, action="changed", target=iss_case, summary=f"allocated to {worker}"
    )
    return iss_case


@transaction.atomic
def safe_contact_preferences_set(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    preferred_methods: list[str],
    unsafe_methods: list[str],
    safe_times: str,
    notes: str,
) -> SafeContactPreference:
    """How and when she can safely be contacted, as she has told the ISS. Shown wherever someone
    is about to contact her; a method she calls unsafe is refused by `assert_safe_to_send`."""
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    for field_name, methods in (
        ("preferred_methods", preferred_methods),
        ("unsafe_methods", unsafe_methods),
    ):
        unknown = sorted(set(methods) - set(ContactMethod.values))
        if unknown:
            raise ActionRefused(f"unknown contact method: {', '.join(unknown)}", field=field_name)
    both = [
        method
        for method in ContactMethod
        if method in preferred_methods and method in unsafe_methods
    ]
    if both:
        raise ActionRefused(
            "a method cannot be both preferred and unsafe: "
            + ", ".join(method.label.lower() for method in both),
            field="unsafe_methods",
        )
    preference, _ = SafeContactPreference.objects.update_or_create(
        survivor=iss_case.survivor,
        defaults={
            "preferred_methods": [m for m in ContactMethod.values if m in preferred_methods],
            "unsafe_methods": [m for m in ContactMethod.values if m in unsafe_methods],
            "safe_times": safe_times.strip(),
            "notes": notes.strip(),
        },
    )
    _save_with_version(iss_case)
    # What she said about contacting her stays out of the trail, like her contact details.
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="safe-contact preferences changed",
    )
    return preference


_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


@transaction.atomic
def survivor_address_change(
    *,
    survivor: Survivor,
    actor: User,
    expected_version: int,
    lines: str,
    postcode: str,
    source: str,
    confirmed_with_survivor: bool,
    known_to_perpetrator: bool = False,
    now: datetime | None = None,
) -> SurvivorAddress:
    """Her new address, only once confirmed with her and with its source recorded. The address
    she left becomes unsafe: it may be known to him, and she no longer receives post there.
    `expected_version` is her ISS case's."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=survivor.iss_case, expected_version=expected_version)
    if not lines.strip():
        raise ActionRefused("enter the address", field="lines")
    postcode_match = _UK_POSTCODE.match(" ".join(postcode.upper().split()))
    if postcode_match is None:
        raise ActionRefused("enter a UK postcode, like AA1 1AA", field="postcode")
    if not source.strip():
        raise ActionRefused(
            "say where the new address came from, e.g. she told her ISS worker", field="source"
        )
    if not confirmed_with_survivor:
        raise ActionRefused(
            "confirm the new address with her before recording it",
            field="confirmed_with_survivor",
        )
    previous = (
        SurvivorAddress.objects.select_for_update().filter(survivor=survivor, current=True).first()
    )
    if previous is not None:
        previous.current = False
        if not previous.unsafe:
            previous.unsafe = True
            previous.unsafe_reason = (
                f"she moved away: a new address was recorded on {timezone.localdate(now):%d %b %Y}"
            )
        previous.save()
    address = SurvivorAddress.objects.create(
        survivor=survivor,
        lines=lines.strip(),
        postcode=" ".join(postcode_match.groups()),
        current=True,
        source=source.strip(),
        confirmed_with_survivor_at=now,
        known_to_perpetrator=known_to_perpetrator,
        recorded_by=actor,
        recorded_at=now,
    )
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=survivor,
        summary="address changed"
        + (": previous address flagged unsafe" if previous is not None else ""),
    )
    return address


def _matching_contact_points(*, survivor: Survivor, kind: str, value: str) -> list[ContactPoint]:
    """Her records of this number or email, however it is written (by its blind index)."""
    index = contact_value_index(kind=kind, value=value)
    if not index:
        return []
    return list(ContactPoint.objects.filter(survivor=survivor, kind=kind, value_index=index))


@transaction.atomic
def contact_point_record(
    *,
    survivor: Survivor,
    actor: User,
    expected_version: int,
    kind: str,
    value: str,
    unsafe: bool,
    unsafe_reason: str,
    known_to_perpetrator: bool,
    now: datetime | None = None,
) -> ContactPoint:
    """Record one of her phone numbers or emails, or mark one unsafe or known to him.

    Marks only ever go on: once a number is unsafe or known to him it stays so, and she is
    reached on a new one instead. `expected_version` is her ISS case's."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=survivor.iss_case, expected_version=expected_version)
    if kind not in ContactPointKind.values:
        raise ActionRefused("choose phone number or email address", field="kind")
    value = value.strip()
    if kind == ContactPointKind.PHONE and len(
        normalised_contact_value(kind=kind, value=value).lstrip("+")
    ) not in range(10, 16):
        raise ActionRefused("enter a phone number, like 07700 900 982", field="value")
    if kind == ContactPointKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ActionRefused(
                "enter an email address, like name@example.invalid", field="value"
            ) from None
    if unsafe and not unsafe_reason.strip():
        raise ActionRefused("say why it is unsafe to use", field="unsafe_reason")
    matches = _matching_contact_points(survivor=survivor, kind=kind, value=value)
    if matches:
        point = matches[0]
        if unsafe:
            point.unsafe = True
            point.unsafe_reason = unsafe_reason.strip()
        point.known_to_perpetrator = point.known_to_perpetrator or known_to_perpetrator
        point.save()
    else:
        point = ContactPoint.objects.create(
            survivor=survivor,
            kind=kind,
            value=value,
            unsafe=unsafe,
            unsafe_reason=unsafe_reason.strip() if unsafe else "",
            known_to_perpetrator=known_to_perpetrator,
            recorded_by=actor,
            recorded_at=now,
        )
    _save_with_version(iss_case)
    flags = [
        label
        for flag, label in ((point.unsafe, "unsafe"), (point.known_to_perpetrator, "known to him"))
        if flag
    ]
    audit_event_record(
        actor=actor,
        action="changed",
        target=survivor,
        summary=f"{point.get_kind_display().lower()} recorded"
        + (f" ({', '.join(flags)})" if flags else ""),
    )
    return point


_SENT_TO_CONTACT_POINT = {
    ContactMethod.PHONE: ContactPointKind.PHONE,
    ContactMethod.TEXT: ContactPointKind.PHONE,
    ContactMethod.EMAIL: ContactPointKind.EMAIL,
}


def assert_safe_to_send(
    *, survivor: Survivor, method: str, destination: "str | SurvivorAddress | None"
) -> None:
    """The one check every way of reaching her goes through before anything is sent or anyone
    calls: letters to an address, calls and texts to a number, emails to an address.

    Refuses (ActionRefused, on `method` or `destination`) a method she has said is unsafe, and
    any destination marked unsafe, known to the perpetrator, his own number, not hers, not on
    her record, or an address she has left. `destination` is the number or email address for
    phone, text and email, and one of her `SurvivorAddress`es for a letter (and for an
    in-person visit at an address; a visit elsewhere needs none)."""
    if method not in ContactMethod.values:
        raise ActionRefused("choose how she is to be contacted", field="method")
    chosen = ContactMethod(method)
    safe_contact = SafeContactPreference.objects.filter(survivor=survivor).first()
    if safe_contact is not None and chosen in safe_contact.unsafe_methods:
        raise ActionRefused(
            f"she has said contact by {chosen.label.lower()} is unsafe: use another way",
            field="method",
        )
    if chosen in _SENT_TO_CONTACT_POINT:
        _assert_safe_contact_point(
            survivor=survivor, kind=_SENT_TO_CONTACT_POINT[chosen], destination=destination
        )
    elif chosen == ContactMethod.LETTER or isinstance(destination, SurvivorAddress):
        _assert_safe_address(survivor=survivor, destination=destination)


def _assert_safe_contact_point(
    *, survivor: Survivor, kind: ContactPointKind, destination: "str | SurvivorAddress | None"
) -> None:
    what = "number" if kind == ContactPointKind.PHONE else "email address"
    if not isinstance(destination, str) or not destination.strip():
        raise ActionRefused(f"give the {what} to use", field="destination")
    wanted = normalised_contact_value(kind=kind, value=destination)
    matches = _matching_contact_points(survivor=survivor, kind=kind, value=destination)
    for point in matches:
        if point.known_to_perpetrator:
            raise ActionRefused(
                f"{destination} is known to the perpetrator: never use it", field="destination"
            )
        if point.unsafe:
            raise ActionRefused(
                f"{destination} is marked unsafe ({point.unsafe_reason}): never use it",
                field="destination",
            )
    if kind == ContactPointKind.PHONE:
        his_numbers = SurvivorLink.objects.filter(survivor=survivor).values_list(
            "perpetrator_case__phone", flat=True
        )
        if wanted in {normalised_contact_value(kind=kind, value=n) for n in his_numbers if n}:
            raise ActionRefused(
                f"{destination} is the perpetrator's own number: never use it",
                field="destination",
            )
    on_her_record = survivor.phone if kind == ContactPointKind.PHONE else survivor.email
    if not matches and (
        not on_her_record or normalised_contact_value(kind=kind, value=on_her_record) != wanted
    ):
        raise ActionRefused(
            f"{destination} is not a {what} on her record: record it, and whether it is safe, "
            "before using it",
            field="destination",
        )


def _assert_safe_address(
    *, survivor: Survivor, destination: "str | SurvivorAddress | None"
) -> None:
    if not isinstance(destination, SurvivorAddress):
        raise ActionRefused("choose which of her addresses to use", field="destination")
    # Read afresh: the caller's copy may predate someone flagging the address.
    address = SurvivorAddress.objects.filter(pk=destination.pk, survivor=survivor).first()
    if address is None:
        raise ActionRefused("that address is not one of hers", field="destination")
    if address.known_to_perpetrator:
        raise ActionRefused(
            "this address is known to the perpetrator: nothing goes there", field="destination"
        )
    if address.unsafe:
        raise ActionRefused(
            f"this address is marked unsafe ({address.unsafe_reason}): nothing goes there",
            field="destination",
        )
    if not address.current:
        raise ActionRefused("she no longer lives at this address", field="destination")


# One survivor, several perpetrators


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
    locked = PerpetratorCase.objects.select_for_update().get(pk=perpetrator_case.pk)
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
    new_case = _lock_iss_case(iss_case=flag.survivor.iss_case, expected_version=expected_version)
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
    _save_with_version(new_case)
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


# Support duration (rule iss-duration)


@transaction.atomic
def iss_case_close(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    reason: str,
    early_closure_reason: str = "",
    now: datetime | None = None,
) -> IssCase:
    """Close her ISS case. Rule iss-duration (NE 5.3.1): support is available at least 4
    months after he leaves the intervention, so closing while any of her perpetrators' cases is
    open, or within 4 months of the last one closing, needs the reason it ends early."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if iss_case.closed_at is not None:
        raise ActionRefused("her ISS case is already closed", field="reason")
    if not reason.strip():
        raise ActionRefused("say why support is ending", field="reason")
    minimum = iss_minimum_support(survivor=iss_case.survivor)
    early = bool(minimum.open_cases) or (minimum.until is not None and now < minimum.until)
    if early and not early_closure_reason.strip():
        if minimum.open_cases:
            why = f"case {', '.join(minimum.open_cases)} is still open"
        else:
            assert minimum.until is not None
            why = f"support continues until {timezone.localtime(minimum.until):%d %b %Y %H:%M}"
        raise ActionRefused(
            f"{why}: support continues at least 4 months after he leaves the intervention, "
            "so say why it ends early",
            rule_id="iss-duration",
            field="early_closure_reason",
        )
    iss_case.closed_at = now
    iss_case.closure_reason = reason.strip()
    iss_case.early_closure_reason = early_closure_reason.strip() if early else ""
    iss_case = _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="ISS case closed" + (" early, with the reason recorded" if early else ""),
    )
    return iss_case


# Shared risk notes (rule survivor-confidentiality)

CONFIDENTIALITY = "survivor-confidentiality"


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
    if note.iss_manager_approved_at is None:
        refuse_unless_permitted(
            actor=actor,
            permission=GIVE_ISS_MANAGER_APPROVAL,
            target=note,
            refusal="only a manager on the ISS side of her service can approve it first",
            rule_id=CONFIDENTIALITY,
            field="",
        )
        note.iss_manager_approved_by = actor
        note.iss_manager_approved_at = now
        given = "ISS manager"
    else:
        refuse_unless_permitted(
            actor=actor,
            permission=GIVE_SERVICE_MANAGER_APPROVAL,
            target=note,
            refusal="for intensive case management the service manager of the intervention must "
            "also agree: only they can give this approval",
            rule_id=CONFIDENTIALITY,
            field="",
        )
        note.service_manager_approved_by = actor
        note.service_manager_approved_at = now
        given = "service manager"
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


# DASH and MARAC (rule dash)


def marac_referral_due(*, assessed_at: datetime, jurisdiction: Jurisdiction) -> datetime:
    """The standards set no deadline for a MARAC referral (rules.md, rule dash, has no number):
    1 working day is Tandem's service default, so a case at high risk does not wait."""
    return due_after_working_days(start=assessed_at, working_days=1, jurisdiction=jurisdiction)


def marac_settings_of(*, iss_case: IssCase) -> MaracSettings:
    service = iss_case.survivor.service
    try:
        return MaracSettings(
            visible_high_risk_threshold=service.dash_high_risk_threshold,
            escalation_incidents=service.marac_escalation_incidents,
            escalation_window_days=service.marac_escalation_window_days,
        )
    except ValueError as problem:
        raise ActionRefused(
            f"the service's MARAC referral settings cannot be used ({problem}): ask an "
            "administrator to correct them",
            rule_id="dash",
        ) from None


@transaction.atomic
def dash_assessment_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    answers: Mapping[int, str],
    professional_judgement_high: bool,
    professional_judgement_reasons: str,
    now: datetime | None = None,
) -> DashAssessment:
    """Her answers to the DASH risk checklist, scored, with the MARAC referral criteria they
    meet with the service's settings, her recorded incidents and earlier MARAC referrals.
    Meeting any criterion makes a MARAC referral due (unless one is already due).

    Every question is answered (yes, no or don't know). A professional judgement of high risk
    needs written reasons and only ever raises the level."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    for question in instrument.questions:
        if question.number not in answers:
            raise ActionRefused(
                f"answer question {question.number} ({question.topic}): yes, no or don't know",
                rule_id="dash",
                field=f"question_{question.number}",
            )
    try:
        yes_count = dash_yes_count(instrument=instrument, answers=dict(answers))
    except ValueError as problem:
        raise ActionRefused(str(problem), rule_id="dash", field="answers") from None
    reasons = professional_judgement_reasons.strip()
    if professional_judgement_high and not reasons:
        raise ActionRefused(
            "give your reasons for judging her risk high",
            rule_id="dash",
            field="professional_judgement_reasons",
        )
    survivor = iss_case.survivor
    criteria = marac_referral_criteria(
        yes_count=yes_count,
        settings=marac_settings_of(iss_case=iss_case),
        professional_judgement_high=professional_judgement_high,
        professional_judgement_reasons=reasons,
        incident_dates=list(survivor.risk_incidents.values_list("occurred_on", flat=True)),
        assessed_on=timezone.localdate(now),
        previous_marac_referral_dates=list(
            survivor.marac_referrals.values_list("referred_on", flat=True)
        ),
    )
    assessment = DashAssessment.objects.create(
        iss_case=iss_case,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers={str(number): answers[number] for number in sorted(answers)},
        yes_count=yes_count,
        professional_judgement_high=professional_judgement_high,
        professional_judgement_reasons=reasons if professional_judgement_high else "",
        criteria=[criterion.value for criterion in criteria],
        assessed_at=now,
        assessed_by=actor,
    )
    referral_due = DueTask.objects.filter(
        rule_id="dash", iss_case=iss_case, completed_at__isnull=True
    ).exists()
    if criteria and not referral_due:
        due_task_create(
            service=survivor.service,
            rule_id="dash",
            title=f"Refer {survivor} to MARAC",
            side=TaskSide.ISS,
            due_at=marac_referral_due(
                assessed_at=now, jurisdiction=Jurisdiction(survivor.service.jurisdiction)
            ),
            now=now,
            iss_case=iss_case,
            assigned_to=iss_case.allocated_worker,
        )
    _save_with_version(iss_case)
    # Her answers and the result stay out of the trail: managers on both sides read it.
    audit_event_record(
        actor=actor, action="created", target=assessment, summary="DASH risk checklist recorded"
    )
    return assessment


@transaction.atomic
def risk_incident_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    occurred_on: date,
    summary: str,
    now: datetime | None = None,
) -> RiskIncident:
    """An incident against her, counted by the next DASH assessment for potential escalation
    and repeat referral (rule dash)."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if occurred_on > timezone.localdate(now):
        raise ActionRefused("the incident cannot be in the future", field="occurred_on")
    if not summary.strip():
        raise ActionRefused("say what happened", field="summary")
    incident = RiskIncident.objects.create(
        survivor=iss_case.survivor,
        occurred_on=occurred_on,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    _save_with_version(iss_case)
    audit_event_record(actor=actor, action="created", target=incident, summary="incident recorded")
    return incident


@transaction.atomic
def marac_referral_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    referred_on: date,
    now: datetime | None = None,
) -> MaracReferral:
    """Her referral to the MARAC, made on the criteria her latest DASH assessment met; the
    referral task is done (rule dash)."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if referred_on > timezone.localdate(now):
        raise ActionRefused("the referral cannot be in the future", field="referred_on")
    latest = iss_case.dash_assessments.order_by("-assessed_at", "-pk").first()
    if latest is None or not latest.criteria:
        raise ActionRefused(
            "her latest DASH assessment meets no MARAC referral criterion: record the "
            "assessment the referral is made on first",
            rule_id="dash",
            field="referred_on",
        )
    assessed_on = timezone.localdate(latest.assessed_at)
    if referred_on < assessed_on:
        raise ActionRefused(
            f"the referral cannot be before the DASH assessment it is made on "
            f"({assessed_on:%d %b %Y})",
            rule_id="dash",
            field="referred_on",
        )
    if latest.marac_referrals.exists():
        raise ActionRefused(
            "the referral on her latest DASH assessment is already recorded",
            rule_id="dash",
            field="referred_on",
        )
    referral = MaracReferral.objects.create(
        survivor=iss_case.survivor,
        dash_assessment=latest,
        referred_on=referred_on,
        criteria=latest.criteria,
        referred_by=actor,
        recorded_at=now,
    )
    due_tasks_complete(rule_id="dash", iss_case=iss_case, actor=actor, now=now)
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor, action="created", target=referral, summary="MARAC referral recorded"
    )
    return referral


# Safety plans, support sessions, signposting and referrals

# rules.md sets no deadline for reviewing a safety plan: the review date is the one agreed in the
# plan itself, so this rule id is Tandem's own, not one of rules.md's.
SAFETY_PLAN_REVIEW = "safety-plan-review"


def safety_plan_review_due(*, review_on: date) -> datetime:
    """A review is due by the end of its day, UK time."""
    return datetime.combine(review_on, time.max, tzinfo=UK_TIME)


def _make_review_due(*, iss_case: IssCase, review_on: date, now: datetime) -> None:
    due_task_create(
        service=iss_case.survivor.service,
        rule_id=SAFETY_PLAN_REVIEW,
        title=f"Review {iss_case.survivor}'s safety plan",
        side=TaskSide.ISS,
        due_at=safety_plan_review_due(review_on=review_on),
        now=now,
        iss_case=iss_case,
        assigned_to=iss_case.allocated_worker,
    )


@transaction.atomic
def safety_plan_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    agreed_on: date,
    summary: str,
    review_on: date,
    now: datetime | None = None,
) -> SafetyPlan:
    """The safety plan agreed with her. It supersedes her current plan (kept as it was) and its
    review; her new plan's review becomes due at the end of `review_on`."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if agreed_on > timezone.localdate(now):
        raise ActionRefused("the plan cannot be agreed in the future", field="agreed_on")
    if not summary.strip():
        raise ActionRefused("say what was agreed in the plan", field="summary")
    if review_on <= agreed_on:
        raise ActionRefused(
            f"the review date must be after the plan was agreed ({agreed_on:%d %b %Y})",
            field="review_on",
        )
    SafetyPlan.objects.filter(iss_case=iss_case, superseded_at__isnull=True).update(
        superseded_at=now
    )
    due_tasks_complete(rule_id=SAFETY_PLAN_REVIEW, iss_case=iss_case, actor=actor, now=now)
    plan = SafetyPlan.objects.create(
        iss_case=iss_case,
        agreed_on=agreed_on,
        summary=summary.strip(),
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _make_review_due(iss_case=iss_case, review_on=review_on, now=now)
    _save_with_version(iss_case)
    # What the plan says stays out of the trail: managers on both sides read it.
    audit_event_record(actor=actor, action="created", target=plan, summary="safety plan recorded")
    return plan


@transaction.atomic
def safety_plan_review(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    next_review_on: date,
    now: datetime | None = None,
) -> SafetyPlan:
    """Her current plan reviewed with her and kept as it is: its review task is done and the
    next review is due at the end of `next_review_on`. A changed plan is a new plan instead."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    plan = SafetyPlan.objects.filter(iss_case=iss_case, superseded_at__isnull=True).first()
    if plan is None:
        raise ActionRefused("she has no safety plan to review: record one", field="next_review_on")
    today = timezone.localdate(now)
    if next_review_on <= today:
        raise ActionRefused(
            f"the next review date must be after today ({today:%d %b %Y})", field="next_review_on"
        )
    plan.reviewed_at = now
    plan.review_on = next_review_on
    plan.save(update_fields=["reviewed_at", "review_on"])
    due_tasks_complete(rule_id=SAFETY_PLAN_REVIEW, iss_case=iss_case, actor=actor, now=now)
    _make_review_due(iss_case=iss_case, review_on=next_review_on, now=now)
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=plan,
        summary=f"safety plan reviewed: next review {next_review_on:%d %b %Y}",
    )
    return plan


@transaction.atomic
def support_session_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    held_at: datetime,
    method: str,
    summary: str,
    now: datetime | None = None,
) -> SupportSession:
    """A support session held with her."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if held_at > now:
        raise ActionRefused("the session cannot be in the future", field="held_at")
    if method not in SessionMethod.values:
        raise ActionRefused("choose how the session was held", field="method")
    if not summary.strip():
        raise ActionRefused("say what the session covered", field="summary")
    session = SupportSession.objects.create(
        iss_case=iss_case,
        held_at=held_at,
        method=method,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=session,
        summary=f"support session recorded: {session.get_method_display()}",
    )
    return session


@transaction.atomic
def signposting_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    made_on: date,
    to_whom: str,
    kind: str,
    reason: str,
    outcome: str = "",
    now: datetime | None = None,
) -> Signposting:
    """Another organisation or service she was signposted or referred to."""
    now = now or timezone.now()
    iss_case = _lock_iss_case(iss_case=iss_case, expected_version=expected_version)
    if made_on > timezone.localdate(now):
        raise ActionRefused("it cannot be in the future", field="made_on")
    if not to_whom.strip():
        raise ActionRefused("name the organisation or service", field="to_whom")
    if len(to_whom.strip()) > SIGNPOSTED_TO_MAX_LENGTH:
        raise ActionRefused(
            f"shorten the name to {SIGNPOSTED_TO_MAX_LENGTH} characters or fewer", field="to_whom"
        )
    if kind not in SignpostingKind.values:
        raise ActionRefused("choose whether she was signposted or referred", field="kind")
    if not reason.strip():
        raise ActionRefused("say why", field="reason")
    signposting = Signposting.objects.create(
        iss_case=iss_case,
        made_on=made_on,
        to_whom=to_whom.strip(),
        kind=kind,
        reason=reason.strip(),
        outcome=outcome.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    _save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=signposting,
        summary=f"{signposting.get_kind_display().lower()} to another service",
    )
    return signposting
