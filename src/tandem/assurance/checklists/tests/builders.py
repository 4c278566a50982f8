"""Builders for the 2008 audit, the Welsh checklist, the West Midlands self-evaluation and
self-assessments, through the services (synthetic people and services only)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, User
from django.db.models import F
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.checklists.gates import ScheduleItemDetails
from tandem.assurance.checklists.services import audit as audit_services
from tandem.assurance.checklists.services import ratings
from tandem.assurance.checklists.services import welsh as welsh_services
from tandem.assurance.checklists.services import west_midlands as west_midlands_services
from tandem.assurance.models import (
    Assessment,
    CommissioningRelationship,
    Judgement,
    LocalPartnership,
    Part,
    PeerReviewFinding,
    Process,
    RagRating,
    RequirementRecord,
    ScheduleItemKind,
    SelfRating,
    State,
)
from tandem.assurance.services import conflict_declare, participant_add
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.standards.models import Framework

EVIDENCE = "Synthetic evidence: the policy was seen and staff described it consistently."
AUDIT_BASIS = "Synthetic: seen in case files and staff interviews."
TODAY = timezone.localdate()


def _saved_at_once(items: list[RequirementRecord], **fields: object) -> None:
    """What the services save on each record (`fields`, and a new version), for many at once.

    Judging or rating 60-82 records one service call at a time costs seconds a test; the
    builders take the plain records this way and the ones a test singles out through the
    services. test_builders.py checks that both paths leave the same records."""
    RequirementRecord.objects.filter(pk__in=[item.pk for item in items]).update(
        version=F("version") + 1, **fields
    )


def person(username: str, *roles: Role) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Synthetic", "last_name": username}
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def works_in(user: User, service: Service, side: str = "both") -> User:
    StaffMembership.objects.get_or_create(
        user=user, service=service, defaults={"side": side, "started_on": date(2024, 1, 1)}
    )
    return user


def other_agency(name: str = "Synthetic Other Agency (not real)") -> Service:
    organisation, _ = Organisation.objects.get_or_create(name=name)
    service, _ = Service.objects.get_or_create(
        organisation=organisation,
        name=f"{name} service",
        defaults={
            "jurisdiction": "england-and-wales",
            "delivery": "group",
            "iss_provision": "internal",
        },
    )
    return service


def record(assessment: Assessment, code: str) -> RequirementRecord:
    return RequirementRecord.objects.select_related("assessment__service", "requirement").get(
        assessment=assessment, requirement__code=code
    )


def records(assessment: Assessment) -> list[RequirementRecord]:
    return list(
        RequirementRecord.objects.select_related("assessment__service", "requirement")
        .filter(assessment=assessment)
        .order_by("position")
    )


def respect_accredited(service: Service, *, expires_on: date, by: User) -> Assessment:
    """A Respect accreditation on record (the Respect process itself is tested elsewhere)."""
    framework = Framework.objects.get(slug="respect-2022", is_current=True)
    return Assessment.objects.create(
        service=service,
        framework=framework,
        process=Process.RESPECT_ACCREDITATION,
        state=State.ACCREDITED,
        scope=["behaviour_change"],
        created_at=timezone.now(),
        created_by=by,
        decided_at=timezone.now(),
        expires_on=expires_on,
    )


# The 2008 audit


@dataclass(frozen=True)
class AuditCast:
    staff: ServiceStaff
    coordinator: User
    lead: User
    second: User

    @property
    def link(self) -> User:
        return self.staff.service_manager


def audit_cast(staff: ServiceStaff) -> AuditCast:
    return AuditCast(
        staff=staff,
        coordinator=person("respect-coordinator", Role.LEAD_ASSESSOR),
        lead=person("audit-lead", Role.LEAD_ASSESSOR),
        second=person("audit-second", Role.ASSESSOR),
    )


VISIT_ON = TODAY + timedelta(days=14)
SCHEDULE = [
    ScheduleItemDetails(ScheduleItemKind.CASE_FILE_REVIEW, time(9, 30), "Five synthetic files"),
    ScheduleItemDetails(ScheduleItemKind.STAFF_INTERVIEW, time(11, 0), "Service manager"),
    ScheduleItemDetails(ScheduleItemKind.GROUP_RECORDING, time(14, 0), "Session 7 recording"),
]


def join(assessment: Assessment, user: User, part: Part, *, by: User) -> None:
    participant = participant_add(assessment=assessment, user=user, part=part, actor=by)
    conflict_declare(participant=participant, actor=user, no_conflict=True)


def audit_opened(cast: AuditCast, *, staffed: bool = True) -> Assessment:
    assessment = audit_services.safeguarding_audit_open(
        service=cast.staff.service, actor=cast.coordinator
    )
    if staffed:
        audit_services.audit_link_person_name(
            assessment=assessment, user=cast.link, actor=cast.link
        )
        join(assessment, cast.lead, Part.LEAD_ASSESSOR, by=cast.coordinator)
        join(assessment, cast.second, Part.SECOND_ASSESSOR, by=cast.coordinator)
    return fresh(assessment)


def audit_scheduled(cast: AuditCast) -> Assessment:
    assessment = audit_opened(cast)
    assessment = audit_services.audit_schedule_set(
        assessment=assessment,
        actor=cast.lead,
        expected_version=assessment.version,
        visit_on=VISIT_ON,
        items=SCHEDULE,
    )
    return audit_services.audit_schedule_agree(
        assessment=assessment, actor=cast.link, expected_version=assessment.version
    )


def on_visit_day() -> datetime:
    return timezone.now() + timedelta(days=14)


def audit_visited(cast: AuditCast) -> Assessment:
    assessment = audit_scheduled(cast)
    return audit_services.audit_visit_record(
        assessment=assessment,
        actor=cast.lead,
        expected_version=assessment.version,
        now=on_visit_day(),
    )


def audit_judged(cast: AuditCast, *, not_met: str = "") -> Assessment:
    """Every indicator judged met, except `not_met` (a code), the two assessors taking turns."""
    assessment = audit_visited(cast)
    assert assessment.state == State.VISITED, assessment.state
    judged: defaultdict[tuple[User, Judgement], list[RequirementRecord]] = defaultdict(list)
    for item in records(assessment):
        assessor = cast.second if item.position % 2 else cast.lead
        judgement = Judgement.NOT_MET if item.requirement.code == not_met else Judgement.MET
        judged[assessor, judgement].append(item)
    for (assessor, judgement), items in judged.items():
        _saved_at_once(
            items,
            judgement=judgement,
            judgement_basis=AUDIT_BASIS,
            judged_at=timezone.now(),
            judged_by=assessor,
        )
    return fresh(assessment)


def audit_reported(cast: AuditCast, *, not_met: str = "") -> Assessment:
    assessment = audit_judged(cast, not_met=not_met)
    return audit_services.audit_report_submit(
        assessment=assessment,
        actor=cast.lead,
        expected_version=assessment.version,
        summary="Synthetic summary of the audit's findings.",
    )


# The Welsh checklist


def commissioner_of(service: Service, username: str = "commissioner") -> User:
    commissioner = person(username, Role.COMMISSIONER)
    CommissioningRelationship.objects.create(
        commissioner=commissioner,
        service=service,
        since=date(2024, 4, 1),
        created_at=timezone.now(),
        created_by=commissioner,
    )
    return commissioner


def welsh_started(
    service: Service, commissioner: User, *, accreditation: str = "none", weeks: int = 12
) -> Assessment:
    return welsh_services.welsh_checklist_start(
        service=service,
        actor=commissioner,
        accreditation=accreditation,
        accreditation_evidence="Synthetic certificate" if accreditation != "none" else "",
        review_within_weeks=weeks,
    )


def rate_welsh(
    assessment: Assessment,
    commissioner: User,
    *,
    red: str = "",
    amber: str = "",
    owner: User | None = None,
) -> Assessment:
    """Rate every question Green, except `red` and `amber` (codes)."""
    for item in records(assessment):
        rating = RagRating.GREEN
        improvement = None
        if item.requirement.code == red:
            rating = RagRating.RED
        elif item.requirement.code == amber:
            rating = RagRating.AMBER
            improvement = ratings.ActionDetails(
                description="Synthetic: publish the self-referral route",
                owner=owner or commissioner,
                due_on=TODAY + timedelta(weeks=4),
            )
        welsh_services.welsh_question_rate(
            record=item,
            actor=commissioner,
            expected_version=item.version,
            rating=rating,
            evidence=EVIDENCE,
            improvement=improvement,
        )
    return fresh(assessment)


# The West Midlands self-evaluation


def wm_rated(
    service: Service, manager: User, *, partly: str = "", owner: User | None = None
) -> Assessment:
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=service, actor=manager
    )
    plain = []
    for item in records(assessment):
        if item.requirement.code != partly:
            plain.append(item)
            continue
        west_midlands_services.west_midlands_record_rate(
            record=item,
            actor=manager,
            expected_version=item.version,
            rating=SelfRating.PARTLY,
            evidence=EVIDENCE,
            action=ratings.ActionDetails(
                description="Synthetic: review the policy with the safeguarding lead",
                owner=owner or manager,
                due_on=TODAY + timedelta(days=60),
            ),
        )
    # Just started, so no record has an action for a met rating to drop.
    _saved_at_once(
        plain,
        rating=SelfRating.MET,
        narrative=EVIDENCE,
        narrative_updated_at=timezone.now(),
        narrative_updated_by=manager,
    )
    return fresh(assessment)


def peer_reviewer(username: str = "peer") -> User:
    return works_in(person(username, Role.SERVICE_MANAGER), other_agency())


def wm_submitted(
    service: Service, manager: User, reviewer: User, *, partly: str = ""
) -> Assessment:
    assessment = wm_rated(service, manager, partly=partly)
    participant = west_midlands_services.peer_reviewer_add(
        assessment=assessment, user=reviewer, actor=manager
    )
    conflict_declare(participant=participant, actor=reviewer, no_conflict=True)
    assessment = fresh(assessment)
    return west_midlands_services.west_midlands_submit(
        assessment=assessment, actor=manager, expected_version=assessment.version
    )


def wm_reviewed(assessment: Assessment, reviewer: User, *, challenge: str = "") -> Assessment:
    assert assessment.state == State.PEER_REVIEW, assessment.state
    reviewed = set(
        PeerReviewFinding.objects.filter(record__assessment=assessment).values_list(
            "record_id", flat=True
        )
    )
    agreed = []
    for item in records(assessment):
        if item.requirement.code != challenge and item.pk not in reviewed:
            agreed.append(item)
            continue
        challenged = item.requirement.code == challenge
        west_midlands_services.peer_review_record(
            record=item,
            actor=reviewer,
            expected_version=item.version,
            agrees=not challenged,
            comment="Synthetic: no evidence of a review date" if challenged else "",
        )
    now = timezone.now()
    PeerReviewFinding.objects.bulk_create(
        PeerReviewFinding(
            record=item, agrees=True, comment="", reviewed_at=now, reviewed_by=reviewer
        )
        for item in agreed
    )
    _saved_at_once(agreed)
    assessment = fresh(assessment)
    return west_midlands_services.peer_review_complete(
        assessment=assessment,
        actor=reviewer,
        expected_version=assessment.version,
        actions_due_on=TODAY + timedelta(days=90) if challenge else None,
    )


def partnership_with(organisation: Organisation, member: User) -> LocalPartnership:
    partnership = LocalPartnership.objects.create(name="Synthetic Partnership (not real)")
    partnership.organisations.add(organisation)
    partnership.members.add(member)
    return partnership
