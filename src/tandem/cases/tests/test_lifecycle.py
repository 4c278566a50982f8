"""A perpetrator case from referral to intervention, with the standards' gates (rules.md 1-3)."""

from datetime import date, datetime

import pytest

from tandem.cases.models import ClosureReason, PerpetratorCase, ReferralSource, Stage
from tandem.cases.services.intake import ChildDetails, SurvivorDetails
from tandem.cases.services.lifecycle import (
    ScreeningDetails,
    perpetrator_case_close,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    assessed,
    consented,
    iss_case_of,
    received,
    screened,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.support.models import Relationship
from tandem.support.services.contact import (
    contact_attempt_record,
    iss_contact_unsafe_record,
    iss_referral_make,
)
from tandem.support.services.iss_cases import iss_case_allocate

pytestmark = pytest.mark.django_db


# Referral


def test_it_makes_the_iss_referral_due_24_hours_after_details_arrive(
    staffed_service: ServiceStaff,
) -> None:
    """Rule iss-handover: 24 calendar hours, across the weekend."""
    case = received(staffed_service)

    task = DueTask.objects.get(rule_id="iss-handover", perpetrator_case=case)
    assert task.due_at == datetime(2026, 11, 21, 10, 14, tzinfo=LONDON)
    assert task.side == "iss"
    assert case.stage == Stage.REFERRED
    assert case.reference.startswith("P")


def test_it_refuses_an_agency_referral_without_survivor_contact_details(
    staffed_service: ServiceStaff,
) -> None:
    """Rule iss-handover: agency referrals must carry the survivors' contact details."""
    with pytest.raises(ActionRefused) as refused:
        received(
            staffed_service,
            survivors=[SurvivorDetails("Alice", "Example", Relationship.EX_PARTNER)],
        )

    assert refused.value.field == "survivors"
    assert refused.value.rule_id == "iss-handover"
    assert not PerpetratorCase.objects.exists(), "nothing half-saved"


def test_it_accepts_a_self_referral_without_survivor_details(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service, source=ReferralSource.SELF, survivors=[])
    assert case.stage == Stage.REFERRED


def test_it_refuses_a_child_older_than_the_parent_and_a_date_in_the_future(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as older:
        received(
            staffed_service, children=[ChildDetails("Kid", "son", date_of_birth=date(1980, 1, 1))]
        )
    with pytest.raises(ActionRefused) as future:
        received(staffed_service, received_at=datetime(2026, 11, 21, 9, 0, tzinfo=LONDON))

    assert older.value.field == "child_date_of_birth"
    assert future.value.field == "received_at"
    assert not PerpetratorCase.objects.exists()


def test_it_flags_possible_duplicates_without_merging_them(staffed_service: ServiceStaff) -> None:
    first = received(staffed_service, phone="07700 900999")
    by_name = received(staffed_service)
    by_phone = received(
        staffed_service, first_name="Other", date_of_birth=date(1990, 1, 1), phone="07700 900999"
    )

    assert list(by_name.possible_duplicate_of.all()) == [first]
    assert set(by_phone.possible_duplicate_of.all()) == {first}
    assert PerpetratorCase.objects.count() == 3


# Screening


def test_it_does_not_accept_a_referral_pre_sentence(staffed_service: ServiceStaff) -> None:
    """Rule cj-pending: not accepted; he must be re-referred later."""
    case = screened(staffed_service, criminal_justice="pre_sentence")

    assert case.stage == Stage.CLOSED
    assert case.closure_reason == ClosureReason.NOT_ACCEPTED
    assert "re-referred once proceedings conclude" in case.closure_detail
    assert "cj-pending" in case.closure_detail


def test_it_refuses_under_18s_without_youth_provision_and_flags_18_to_21(
    staffed_service: ServiceStaff,
) -> None:
    """Rule min-age: 17 years old on the day refused; 21 flagged for extra care; 22 not."""
    case17 = received(staffed_service, date_of_birth=date(2008, 11, 21))
    case21 = received(staffed_service, first_name="B", date_of_birth=date(2005, 11, 21))
    case22 = received(staffed_service, first_name="C", date_of_birth=date(2004, 11, 20))
    results = [
        perpetrator_case_screen(
            case=c,
            actor=staffed_service.perpetrator_worker,
            expected_version=c.version,
            screening=ScreeningDetails(criminal_justice="none", family_proceedings="none"),
            now=FRIDAY,
        )
        for c in (case17, case21, case22)
    ]

    assert results[0].stage == Stage.CLOSED
    assert "under 18" in results[0].closure_detail
    assert (results[1].stage, results[1].needs_extra_care_young_adult) == (Stage.SCREENED, True)
    assert (results[2].stage, results[2].needs_extra_care_young_adult) == (Stage.SCREENED, False)


def test_it_needs_social_worker_details_when_social_services_are_involved(
    staffed_service: ServiceStaff,
) -> None:
    """Rule routine-enquiry: social services involvement records the social worker."""
    with pytest.raises(ActionRefused) as refused:
        screened(staffed_service, social_services_involved=True)
    assert (refused.value.field, refused.value.rule_id) == (
        "social_worker_details",
        "routine-enquiry",
    )


def test_it_needs_a_judgement_for_family_proceedings_over_12_months_ago(
    staffed_service: ServiceStaff,
) -> None:
    """Rule family-court: over 12 months, professional judgement recorded."""
    with pytest.raises(ActionRefused) as refused:
        screened(staffed_service, family_proceedings="older")
    assert refused.value.rule_id == "family-court"

    case = screened(
        staffed_service,
        family_proceedings="older",
        family_proceedings_judgement="Suitable: reasons",
    )
    assert case.stage == Stage.SCREENED


# Assessment


def test_it_does_not_offer_behaviour_change_with_recent_family_proceedings(
    staffed_service: ServiceStaff,
) -> None:
    """Rule family-court: within 12 months no behaviour-change; another intervention may go on."""
    case = screened(staffed_service, family_proceedings="within_12_months")
    with pytest.raises(ActionRefused) as refused:
        assessed(staffed_service, case)
    assert (refused.value.rule_id, refused.value.field) == ("family-court", "intervention_type")

    icm = assessed(
        staffed_service, PerpetratorCase.objects.get(pk=case.pk), intervention_type="icm"
    )
    assert icm.stage == Stage.ASSESSED


def test_it_makes_the_outcome_due_within_one_working_day(staffed_service: ServiceStaff) -> None:
    """Rule assessment-outcome: decided on Friday, told by Monday at the same time; one task each
    for him, the referrer, and (on the ISS side) every survivor."""
    case = assessed(staffed_service)

    tasks = DueTask.objects.filter(rule_id="assessment-outcome", perpetrator_case=case)
    assert {t.due_at for t in tasks} == {datetime(2026, 11, 23, 10, 14, tzinfo=LONDON)}
    assert sorted(t.side for t in tasks) == ["iss", "perpetrator", "perpetrator"]


def test_it_refuses_an_intervention_the_service_does_not_offer(
    staffed_service: ServiceStaff,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        assessed(staffed_service, intervention_type="early_response")
    assert refused.value.field == "intervention_type"


# Consent and the start of the intervention


def test_it_refuses_to_start_before_survivor_contact_naming_what_is_missing(
    staffed_service: ServiceStaff,
) -> None:
    """Rule iss-before-start: the refusal says which survivor and since when."""
    case = consented(staffed_service, assessed(staffed_service))
    iss_referral_make(
        iss_case=iss_case_of(case), actor=staffed_service.iss_worker, expected_version=1, now=FRIDAY
    )

    with pytest.raises(ActionRefused) as refused:
        perpetrator_case_start_intervention(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            now=FRIDAY,
        )

    assert refused.value.message == (
        "cannot start intervention: no survivor contact established yet for survivor 1 "
        "(ISS referral pending since 20 Nov 2026 10:14)"
    )
    assert refused.value.rule_id == "iss-before-start"
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.ASSESSED


def test_it_starts_once_contact_is_established(staffed_service: ServiceStaff) -> None:
    """Rules iss-contact and iss-before-start: a no-answer attempt is recorded but is not contact;
    speaking with her (support declined) is."""
    case = consented(staffed_service, assessed(staffed_service))
    iss_case = iss_referral_make(
        iss_case=iss_case_of(case), actor=staffed_service.iss_worker, expected_version=1, now=FRIDAY
    )
    contact_task = DueTask.objects.get(rule_id="iss-contact", iss_case=iss_case)
    assert contact_task.due_at == datetime(2026, 11, 27, 10, 14, tzinfo=LONDON)

    contact_attempt_record(
        iss_case=iss_case,
        actor=staffed_service.iss_worker,
        expected_version=iss_case.version,
        attempted_at=FRIDAY,
        method="phone",
        outcome="no_answer",
        destination="07700 900001",
        now=FRIDAY,
    )
    iss_case.refresh_from_db()
    assert iss_case.contact_established_at is None
    contact_attempt_record(
        iss_case=iss_case,
        actor=staffed_service.iss_worker,
        expected_version=iss_case.version,
        attempted_at=FRIDAY,
        method="phone",
        outcome="support_declined",
        destination="07700 900001",
        now=FRIDAY,
    )

    started = perpetrator_case_start_intervention(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        now=FRIDAY,
    )

    assert started.stage == Stage.IN_INTERVENTION
    assert DueTask.objects.get(pk=contact_task.pk).completed_at == FRIDAY
    assert iss_case.attempts.count() == 2


def test_it_starts_when_contact_is_recorded_as_unsafe(staffed_service: ServiceStaff) -> None:
    """Rule iss-before-start: or the reason contact is unsafe or impossible is recorded."""
    case = consented(staffed_service, assessed(staffed_service))
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case),
        actor=staffed_service.iss_worker,
        expected_version=1,
        reason="She has moved abroad; no safe number",
    )

    started = perpetrator_case_start_intervention(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        now=FRIDAY,
    )
    assert started.stage == Stage.IN_INTERVENTION


def test_it_refuses_to_start_without_consent_to_recorded_sessions(
    staffed_service: ServiceStaff,
) -> None:
    """Rule consent: the agreement covers case-file review and recorded sessions."""
    case = consented(staffed_service, assessed(staffed_service), covers_recorded_sessions=False)
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case),
        actor=staffed_service.iss_worker,
        expected_version=1,
        reason="Unsafe",
    )

    with pytest.raises(ActionRefused) as refused:
        perpetrator_case_start_intervention(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            now=FRIDAY,
        )
    assert "does not cover recorded sessions being seen" in refused.value.message
    assert refused.value.rule_id == "consent"


def test_it_closes_the_case_when_he_refuses_the_agreement(staffed_service: ServiceStaff) -> None:
    """Rule consent: a man who refuses is not offered a place."""
    case = consented(staffed_service, assessed(staffed_service), signed_on=None, refused=True)
    assert (case.stage, case.closure_reason) == (Stage.CLOSED, ClosureReason.NOT_ACCEPTED)


def test_it_refuses_an_edit_based_on_a_stale_read(staffed_service: ServiceStaff) -> None:
    """Concurrent edits of the same case do not silently overwrite each other."""
    case = screened(staffed_service)
    stale_version = case.version - 1

    with pytest.raises(StaleRecord) as refused:
        perpetrator_case_close(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=stale_version,
            reason="moved",
            now=FRIDAY,
        )
    assert refused.value.field == "version"


def test_it_closes_only_with_a_listed_reason_and_other_needs_detail(
    staffed_service: ServiceStaff,
) -> None:
    case = screened(staffed_service)
    with pytest.raises(ActionRefused) as no_detail:
        perpetrator_case_close(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            reason="other",
            now=FRIDAY,
        )
    assert no_detail.value.field == "detail"

    closed = perpetrator_case_close(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        reason="moved",
        now=FRIDAY,
    )
    assert closed.stage == Stage.CLOSED
    assert [t.kind for t in closed.transitions.all()] == ["screened", "closed"]


# ISS allocation


def test_it_gives_two_survivors_of_one_perpetrator_different_workers(
    staffed_service: ServiceStaff,
) -> None:
    """Rule separate-workers."""
    case = received(
        staffed_service,
        survivors=[
            SurvivorDetails("Alice", "Example", Relationship.CURRENT_PARTNER, phone="07700 900001"),
            SurvivorDetails(
                "Beth", "Example", Relationship.EX_PARTNER, email="beth@example.invalid"
            ),
        ],
    )
    iss_case_allocate(
        iss_case=iss_case_of(case, 1),
        actor=staffed_service.service_manager,
        expected_version=1,
        worker=staffed_service.iss_worker,
    )

    with pytest.raises(ActionRefused) as refused:
        iss_case_allocate(
            iss_case=iss_case_of(case, 2),
            actor=staffed_service.service_manager,
            expected_version=1,
            worker=staffed_service.iss_worker,
        )
    assert refused.value.rule_id == "separate-workers"
    allocated = iss_case_allocate(
        iss_case=iss_case_of(case, 2),
        actor=staffed_service.service_manager,
        expected_version=1,
        worker=staffed_service.second_iss_worker,
    )
    assert allocated.allocated_worker == staffed_service.second_iss_worker


def test_it_never_allocates_a_survivor_to_perpetrator_side_staff(
    staffed_service: ServiceStaff,
) -> None:
    """Rule not-same-staff: the ISS is not delivered by staff who deliver the intervention."""
    case = received(staffed_service)
    for worker in (staffed_service.perpetrator_worker, staffed_service.service_manager):
        with pytest.raises(ActionRefused) as refused:
            iss_case_allocate(
                iss_case=iss_case_of(case),
                actor=staffed_service.service_manager,
                expected_version=1,
                worker=worker,
            )
        assert refused.value.field == "worker"
