"""Writes to workforce records: the rules refuse with a named field and rule, nothing
half-saved, and an audit event for each."""

from datetime import date
from decimal import Decimal

import pytest

from tandem.audit.models import AuditEvent
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.workforce.models import (
    AbuseExperienceDisclosure,
    CriminalRecordCheck,
    Mentoring,
    Supervision,
    TrainingRecord,
)
from tandem.workforce.services import (
    criminal_record_check_record,
    disclosure_record,
    mentoring_start,
    supervision_record,
    training_record,
    worker_create,
    worker_update,
)
from tandem.workforce.tests.builders import TODAY, Workforce, person

pytestmark = pytest.mark.django_db


def test_it_records_a_check_with_the_number_encrypted_and_audited(workforce: Workforce) -> None:
    """Rule dbs: the certificate number is on file, encrypted, and never in the audit trail."""
    check = criminal_record_check_record(
        actor=workforce.manager,
        worker=workforce.worker,
        scheme="dbs",
        level="enhanced",
        certificate_number=" 001234567890 ",
        issued_on=TODAY,
        today=TODAY,
    )
    assert CriminalRecordCheck.objects.get(pk=check.pk).certificate_number == "001234567890"
    event = AuditEvent.objects.filter(object_id=str(check.pk), action="created").latest("pk")
    assert "certificate_number" not in (event.after or {})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"certificate_number": "  "}, "certificate_number"),
        ({"scheme": "interpol"}, "scheme"),
        ({"level": "super"}, "level"),
        ({"issued_on": date(2026, 11, 24)}, "issued_on"),
    ],
)
def test_it_refuses_a_bad_check_naming_the_field(
    workforce: Workforce, changes: dict[str, object], field: str
) -> None:
    before = CriminalRecordCheck.objects.count()
    arguments: dict[str, object] = {
        "scheme": "dbs",
        "level": "enhanced",
        "certificate_number": "1",
        "issued_on": TODAY,
        **changes,
    }
    with pytest.raises(ActionRefused) as refused:
        criminal_record_check_record(
            actor=workforce.manager,
            worker=workforce.worker,
            today=TODAY,
            **arguments,  # type: ignore[arg-type]
        )
    assert refused.value.field == field
    assert CriminalRecordCheck.objects.count() == before


def test_it_refuses_training_without_hours_under_rule_cpd(workforce: Workforce) -> None:
    with pytest.raises(ActionRefused) as refused:
        training_record(
            actor=workforce.manager,
            worker=workforce.worker,
            kind="safeguarding",
            title="Synthetic safeguarding",
            completed_on=TODAY,
            hours=Decimal(0),
            today=TODAY,
        )
    assert (refused.value.field, refused.value.rule_id) == ("hours", "cpd")
    assert not TrainingRecord.objects.exists()


def test_it_minutes_competency_and_training_needs_in_line_management(
    workforce: Workforce,
) -> None:
    """Rule line-management (R22 A3.5)."""
    with pytest.raises(ActionRefused) as refused:
        supervision_record(
            actor=workforce.manager,
            supervisee=workforce.worker,
            supervisor=workforce.manager,
            kind="line-management",
            held_on=TODAY,
            minutes=60,
            today=TODAY,
            competency="Synthetic competency",
        )
    assert (refused.value.field, refused.value.rule_id) == ("training_needs", "line-management")
    assert not Supervision.objects.exists()


def test_it_keeps_clinical_supervision_separate_from_line_management(
    workforce: Workforce,
) -> None:
    """Rule clinical-supervision: separate from line management."""
    with pytest.raises(ActionRefused) as refused:
        supervision_record(
            actor=workforce.manager,
            supervisee=workforce.worker,
            supervisor=workforce.manager,
            kind="clinical",
            held_on=TODAY,
            minutes=90,
            today=TODAY,
            competency="Synthetic",
        )
    assert refused.value.rule_id == "clinical-supervision"


def test_it_lets_a_practice_manager_record_only_supervision_they_give(
    workforce: Workforce,
) -> None:
    common = {"supervisee": workforce.worker, "kind": "clinical", "held_on": TODAY, "minutes": 90}
    with pytest.raises(ActionRefused) as refused:
        supervision_record(
            actor=workforce.practice_manager,
            supervisor=workforce.manager,
            today=TODAY,
            **common,  # type: ignore[arg-type]
        )
    assert refused.value.field == "supervisor"
    supervision_record(
        actor=workforce.practice_manager,
        supervisor=workforce.practice_manager,
        today=TODAY,
        **common,  # type: ignore[arg-type]
    )
    assert Supervision.objects.count() == 1


def test_it_refuses_self_supervision(workforce: Workforce) -> None:
    with pytest.raises(ActionRefused, match="cannot supervise themselves"):
        supervision_record(
            actor=workforce.manager,
            supervisee=workforce.worker,
            supervisor=workforce.staff.perpetrator_worker,
            kind="clinical",
            held_on=TODAY,
            minutes=90,
            today=TODAY,
        )


def test_it_records_a_disclosure_without_its_content_in_the_audit_trail(
    workforce: Workforce,
) -> None:
    disclosure = disclosure_record(
        actor=workforce.hr,
        worker=workforce.worker,
        experience="victim",
        disclosed_on=TODAY,
        agreed_support="Synthetic agreed support",
        decision="",
        today=TODAY,
    )
    event = AuditEvent.objects.get(object_id=str(disclosure.pk), action="created")
    assert "Synthetic agreed support" not in str(event.after)
    assert event.summary == "restricted disclosure recorded"
    assert AbuseExperienceDisclosure.objects.get().agreed_support == "Synthetic agreed support"


def test_it_refuses_a_disclosure_without_agreed_support(workforce: Workforce) -> None:
    with pytest.raises(ActionRefused) as refused:
        disclosure_record(
            actor=workforce.hr,
            worker=workforce.worker,
            experience="victim",
            disclosed_on=TODAY,
            agreed_support=" ",
            decision="",
            today=TODAY,
        )
    assert refused.value.field == "agreed_support"


def test_it_refuses_a_mentor_from_outside_the_organisation(workforce: Workforce) -> None:
    with pytest.raises(ActionRefused) as refused:
        mentoring_start(
            actor=workforce.manager,
            mentee=workforce.worker,
            mentor=workforce.other_manager,
            started_on=TODAY,
            today=TODAY,
        )
    assert (refused.value.field, refused.value.rule_id) == ("mentor", "mentoring")
    assert not Mentoring.objects.exists()


def test_it_opens_one_worker_record_per_person_and_organisation(workforce: Workforce) -> None:
    newcomer = person("newcomer", None, workforce.service, "perpetrator")
    common = {
        "actor": workforce.manager,
        "organisation": workforce.service.organisation,
        "employment_type": "sessional",
        "job_title": "Synthetic sessional facilitator",
        "started_on": date(2026, 1, 5),
        "today": TODAY,
    }
    worker = worker_create(user=newcomer, **common)  # type: ignore[arg-type]
    with pytest.raises(ActionRefused) as refused:
        worker_create(user=newcomer, **common)  # type: ignore[arg-type]
    assert refused.value.field == "user"
    assert worker.version == 1


def test_it_refuses_a_stale_worker_edit(workforce: Workforce) -> None:
    worker = worker_update(
        worker=workforce.worker,
        actor=workforce.manager,
        expected_version=1,
        today=TODAY,
        gender="female",
    )
    assert worker.version == 2
    with pytest.raises(StaleRecord):
        worker_update(
            worker=workforce.worker,
            actor=workforce.manager,
            expected_version=1,
            today=TODAY,
            gender="male",
        )


def test_it_refuses_probation_ending_before_the_start(workforce: Workforce) -> None:
    with pytest.raises(ActionRefused) as refused:
        worker_update(
            worker=workforce.worker,
            actor=workforce.manager,
            expected_version=1,
            today=TODAY,
            probation_ends_on=date(2023, 1, 1),
        )
    assert refused.value.field == "probation_ends_on"
