"""Respect accreditation after the panel (rule respect-accreditation): appeals heard by panel
members who did not decide, expiry reminders at their boundaries, reaccreditation offering last
cycle's evidence, and evidence given once through the library's mappings."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.models import (
    AppealOutcome,
    Assessment,
    DecisionOutcome,
    EvidenceCitation,
    EvidenceOfferDecision,
    Part,
    Process,
    RagRating,
    RequirementRecord,
    State,
)
from tandem.assurance.respect import deadlines as respect_deadlines
from tandem.assurance.respect import selectors as respect_selectors
from tandem.assurance.respect.services import application as respect_application
from tandem.assurance.respect.services import lifecycle as respect_lifecycle
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, join, person, record_of
from tandem.assurance.tests import builders as files
from tandem.assurance.tests.builders import fresh
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.standards.models import Framework, RequirementMapping
from tandem.work.selectors import due_tasks_for_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

LONDON = ZoneInfo("Europe/London")
RULE = "respect-accreditation"


def not_accredited(cast: Cast, *, now: datetime | None = None) -> Assessment:
    assessment = builders.at_panel(cast, not_met="C1.1")
    return respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.NOT_ACCREDITED,
        reasons="Synthetic: C1.1 not met.",
        now=now,
    )


def lodged(cast: Cast, assessment: Assessment, *, now: datetime | None = None) -> Assessment:
    respect_lifecycle.appeal_lodge(
        assessment=assessment,
        actor=cast.manager,
        expected_version=assessment.version,
        grounds="Synthetic grounds: the C1.1 evidence was in the appendix.",
        now=now,
    )
    return fresh(assessment)


def hear(assessment: Assessment, actor: User, outcome: AppealOutcome) -> Assessment:
    appeal = respect_selectors.open_appeal_of(assessment=assessment)
    assert appeal is not None
    respect_lifecycle.appeal_hear(
        appeal=appeal,
        actor=actor,
        expected_version=assessment.version,
        outcome=outcome,
        reasons="Synthetic reasons of the appeal panel.",
    )
    return fresh(assessment)


# Appeals


def test_it_refuses_an_appeal_heard_by_the_panel_member_who_decided(cast: Cast) -> None:
    assessment = lodged(cast, not_accredited(cast))
    assert assessment.state == State.APPEAL

    with pytest.raises(ActionRefused) as refused:
        hear(assessment, cast.panel, AppealOutcome.OVERTURNED)

    assert refused.value.rule_id == RULE
    assert "did not decide it" in refused.value.message
    assert fresh(assessment).state == State.APPEAL


def test_it_refuses_a_panel_member_who_took_part_without_recording_the_decision(
    cast: Cast,
) -> None:
    assessment = builders.at_panel(cast, not_met="C1.1")
    second = person("panel-two", Role.PANEL_MEMBER)
    join(assessment, second, Part.PANEL_MEMBER, by=cast.coordinator)
    assessment = respect_panel.panel_decision_record(
        assessment=fresh(assessment),
        actor=cast.panel,
        expected_version=fresh(assessment).version,
        outcome=DecisionOutcome.NOT_ACCREDITED,
        reasons="Synthetic: C1.1 not met.",
    )
    assessment = lodged(cast, assessment)

    with pytest.raises(ActionRefused) as refused:
        hear(assessment, second, AppealOutcome.UPHELD)

    assert refused.value.rule_id == RULE


def test_it_lets_another_panel_member_hear_and_overturn_then_decide_again(cast: Cast) -> None:
    assessment = lodged(cast, not_accredited(cast))
    appeal_panel = person("appeal-panel", Role.PANEL_MEMBER)
    join(assessment, appeal_panel, Part.PANEL_MEMBER, by=cast.coordinator)

    assessment = hear(fresh(assessment), appeal_panel, AppealOutcome.OVERTURNED)

    assert assessment.state == State.PANEL
    appeal = assessment.appeals.get()
    assert (appeal.outcome, appeal.heard_by, appeal.lodged_by) == (
        AppealOutcome.OVERTURNED,
        appeal_panel,
        cast.manager,
    )
    assert appeal.heard_at is not None
    # The new decision is the appeal panel's: the original decider is refused.
    with pytest.raises(ActionRefused):
        respect_panel.panel_decision_record(
            assessment=assessment,
            actor=cast.panel,
            expected_version=assessment.version,
            outcome=DecisionOutcome.NOT_ACCREDITED,
            reasons="Synthetic.",
        )
    decided = respect_panel.panel_decision_record(
        assessment=assessment,
        actor=appeal_panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.DEFERRED,
        reasons="Synthetic: C1.1 can be met with an update.",
        conditions=[
            respect_panel.ConditionDetails("Synthetic update", timezone.localdate() + timedelta(30))
        ],
    )
    assert decided.state == State.DEFERRED


def test_it_returns_an_upheld_appeal_to_the_decision_appealed(cast: Cast) -> None:
    assessment = lodged(cast, not_accredited(cast))
    appeal_panel = person("appeal-panel", Role.PANEL_MEMBER)
    join(assessment, appeal_panel, Part.PANEL_MEMBER, by=cast.coordinator)

    assert hear(fresh(assessment), appeal_panel, AppealOutcome.UPHELD).state == (
        State.NOT_ACCREDITED
    )


def test_it_refuses_an_appeal_of_an_accredited_decision(cast: Cast) -> None:
    assessment = builders.accredited(cast)

    with pytest.raises(ActionRefused) as refused:
        lodged(cast, assessment)

    assert refused.value.rule_id == RULE
    assert fresh(assessment).state == State.ACCREDITED


def test_it_refuses_an_appeal_by_someone_not_a_senior_manager(cast: Cast) -> None:
    assessment = not_accredited(cast)

    with pytest.raises(ActionRefused) as refused:
        respect_lifecycle.appeal_lodge(
            assessment=assessment,
            actor=cast.staff.perpetrator_worker,
            expected_version=assessment.version,
            grounds="Synthetic.",
        )

    assert refused.value.field == "actor"


def test_it_accepts_an_appeal_on_the_window_last_day_and_refuses_the_day_after(
    cast: Cast,
) -> None:
    decided_at = datetime(2026, 1, 5, 10, tzinfo=LONDON)
    assessment = not_accredited(cast, now=decided_at)
    # 28 days after 5 January: 2 February, late in the evening.
    last_day = datetime(2026, 2, 2, 23, 30, tzinfo=LONDON)
    assert respect_deadlines.appeal_closes_on(date(2026, 1, 5)) == last_day.date()

    with pytest.raises(ActionRefused) as refused:
        lodged(cast, assessment, now=last_day + timedelta(days=1))
    assert refused.value.rule_id == RULE
    assert "within 28 days" in refused.value.message

    assert lodged(cast, assessment, now=last_day).state == State.APPEAL


# Expiry reminders


def test_it_places_reminders_six_months_and_one_month_before_expiry() -> None:
    assert deadlines.accreditation_expiry_reminders_on(expires_on=date(2028, 3, 10)) == (
        date(2027, 9, 10),
        date(2028, 2, 10),
    )
    # The month's last day when the day does not exist six months before.
    assert deadlines.accreditation_expiry_reminders_on(expires_on=date(2028, 8, 31)) == (
        date(2028, 2, 29),
        date(2028, 7, 31),
    )


def test_it_sends_each_reminder_on_its_day_to_the_senior_managers(cast: Cast) -> None:
    assessment = builders.accredited(cast, now=datetime(2025, 3, 10, 12, tzinfo=LONDON))
    assert assessment.expires_on == date(2028, 3, 10)
    send = respect_lifecycle.accreditation_expiry_reminders_send

    assert send(today=date(2027, 9, 9)) == 0
    assert send(today=date(2027, 9, 10)) == 1
    assert send(today=date(2027, 9, 10)) == 0
    assert send(today=date(2028, 2, 9)) == 0
    assert send(today=date(2028, 2, 10)) == 1

    tasks = DueTask.objects.filter(service=cast.staff.service, rule_id=RULE)
    assert [task.assigned_to for task in tasks] == [cast.manager, cast.manager]
    task = tasks.first()
    assert task is not None
    assert task.due_at == datetime(2028, 3, 10, tzinfo=LONDON)
    assert "expires on 10 March 2028" in task.title
    now = datetime(2028, 2, 10, 9, tzinfo=LONDON)
    assert due_tasks_for_user(user=cast.manager, now=now).count() == 2
    assert due_tasks_for_user(user=cast.staff.perpetrator_worker, now=now).count() == 0


def test_it_sends_no_reminder_once_expired(cast: Cast) -> None:
    builders.accredited(cast, now=datetime(2025, 3, 10, 12, tzinfo=LONDON))

    assert respect_lifecycle.accreditation_expiry_reminders_send(today=date(2028, 3, 10)) == 0


# Reaccreditation and evidence given once


def reaccreditation(cast: Cast, *, reminded: bool = False) -> tuple[Assessment, Assessment]:
    """An accreditation whose C1.1 record cites a document (reminded of its expiry, or not),
    and its reaccreditation."""
    earlier = builders.accredited(cast, now=timezone.now() - timedelta(days=3 * 365 - 30))
    if reminded:
        assert earlier.expires_on is not None
        sent = respect_lifecycle.accreditation_expiry_reminders_send(
            today=earlier.expires_on - timedelta(days=1)
        )
        assert sent == 1
    document, _ = respect_application.evidence_document_upload(
        service=cast.staff.service,
        actor=cast.manager,
        title="Synthetic safeguarding policy",
        upload=files.upload("policy.pdf", files.PDF),
    )
    EvidenceCitation.objects.create(
        record=record_of(earlier, "C1.1"),
        document=document,
        location="Section 4",
        added_at=timezone.now(),
        added_by=cast.manager,
    )
    later = respect_lifecycle.respect_accreditation_start(
        service=cast.staff.service, actor=cast.manager, scope=["behaviour_change"]
    )
    return earlier, later


def test_it_starts_a_reaccreditation_against_all_standards_with_previous(cast: Cast) -> None:
    earlier, later = reaccreditation(cast, reminded=True)

    assert later.previous == earlier
    assert later.records.count() == earlier.records.count()
    assert not later.records.exclude(narrative="").exists()
    # Applying is what the reminders asked for.
    assert not DueTask.objects.filter(rule_id=RULE, completed_at__isnull=True).exists()


def test_it_offers_last_cycle_evidence_and_copies_it_with_provenance(cast: Cast) -> None:
    earlier, later = reaccreditation(cast)
    record = record_of(later, "C1.1")
    source = record_of(earlier, "C1.1")

    offers = respect_selectors.evidence_offers_for(record=record)
    assert [(offer.source, offer.last_cycle, offer.mapping) for offer in offers] == [
        (source, True, None)
    ]

    copied = respect_lifecycle.evidence_offer_accept(
        record=record, source=source, actor=cast.manager, expected_version=record.version
    )

    assert copied.carried_from == source
    assert copied.narrative == source.narrative
    assert [(c.document.title, c.location) for c in copied.citations.all()] == [
        ("Synthetic safeguarding policy", "Section 4")
    ]
    decision = EvidenceOfferDecision.objects.get(record=record)
    assert (decision.accepted, decision.decided_by) == (True, cast.manager)
    assert respect_selectors.evidence_offers_for(record=copied) == []


def test_it_declines_an_offer_and_does_not_offer_it_again(cast: Cast) -> None:
    earlier, later = reaccreditation(cast)
    record = record_of(later, "C1.1")

    respect_lifecycle.evidence_offer_decline(
        record=record, source=record_of(earlier, "C1.1"), actor=cast.manager
    )

    record = RequirementRecord.objects.get(pk=record.pk)
    assert (record.narrative, record.carried_from) == ("", None)
    assert respect_selectors.evidence_offers_for(record=record) == []
    with pytest.raises(ActionRefused):
        respect_lifecycle.evidence_offer_accept(
            record=record,
            source=record_of(earlier, "C1.1"),
            actor=cast.manager,
            expected_version=record.version,
        )


def test_it_refuses_accepting_an_offer_for_someone_not_managing_the_service(cast: Cast) -> None:
    earlier, later = reaccreditation(cast)
    record = record_of(later, "C1.1")

    with pytest.raises(ActionRefused):
        respect_lifecycle.evidence_offer_accept(
            record=record,
            source=record_of(earlier, "C1.1"),
            actor=cast.assessor,
            expected_version=record.version,
        )


def welsh_record(
    *, service: Service, requirement_id: int, rating: str, created_by: User
) -> RequirementRecord:
    """An earlier Welsh checklist's record, rated, with its evidence."""
    framework = Framework.objects.get(slug="wales-perpetrator", is_current=True)
    assessment = Assessment.objects.create(
        service=service,
        framework=framework,
        process=Process.WELSH_COMMISSIONING,
        state=State.MEETS_STANDARDS,
        created_at=timezone.now() - timedelta(days=90),
        created_by=created_by,
    )
    return RequirementRecord.objects.create(
        assessment=assessment,
        requirement_id=requirement_id,
        position=1,
        narrative="Synthetic evidence given to the commissioner.",
        rating=rating,
    )


def test_it_offers_mapped_evidence_only_when_accepted_and_of_the_same_service(
    cast: Cast,
) -> None:
    assessment = builders.applied(cast, ["behaviour_change", "icm"])
    respect_ids = set(assessment.records.values_list("requirement_id", flat=True))
    mapping = RequirementMapping.objects.filter(
        target_id__in=respect_ids, source__framework__slug="wales-perpetrator"
    ).first()
    assert mapping is not None, "the library maps Welsh questions to Respect indicators"
    record = RequirementRecord.objects.select_related("assessment", "requirement").get(
        assessment=assessment, requirement_id=mapping.target_id
    )
    other_service = Service.objects.exclude(pk=cast.staff.service.pk).get()
    green = welsh_record(
        service=cast.staff.service,
        requirement_id=mapping.source_id,
        rating=RagRating.GREEN,
        created_by=cast.manager,
    )
    welsh_record(
        service=cast.staff.service,
        requirement_id=mapping.source_id,
        rating=RagRating.AMBER,
        created_by=cast.manager,
    )
    welsh_record(
        service=other_service,
        requirement_id=mapping.source_id,
        rating=RagRating.GREEN,
        created_by=cast.manager,
    )

    offers = respect_selectors.evidence_offers_for(record=record)

    assert [(offer.source, offer.last_cycle, offer.mapping) for offer in offers] == [
        (green, False, mapping)
    ]
    copied = respect_lifecycle.evidence_offer_accept(
        record=record, source=green, actor=cast.manager, expected_version=record.version
    )
    assert (copied.carried_from, copied.narrative) == (green, green.narrative)
