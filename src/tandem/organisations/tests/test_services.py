"""Recording organisations, services and staff memberships: every refusal, naming its field (and
rule), with nothing saved; and the audit event each change writes."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.organisations.selectors import current_memberships
from tandem.organisations.services import (
    ServiceSettings,
    organisation_create,
    service_create,
    service_update,
    staff_membership_add,
    staff_membership_end,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)
INTERNAL = ServiceSettings(
    name="Synthetic New DAPP",
    jurisdiction="england-and-wales",
    intervention_types=frozenset({"behaviour_change"}),
    delivery="group",
    iss_provision="internal",
)


@pytest.fixture
def admin(user_with_role: Callable[[Role], User]) -> User:
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(name="Synthetic Perpetrator Programmes (not real)")


@pytest.fixture
def partner(db: None) -> Organisation:
    return Organisation.objects.create(name="Synthetic Women's Aid (not real)")


def external(partner: Organisation, **changes: object) -> ServiceSettings:
    settings = replace(
        INTERNAL,
        iss_provision="external",
        external_iss_organisation=partner,
        partnership_agreement_signed_on=date(2024, 4, 1),
        information_sharing_agreement_signed_on=date(2024, 4, 2),
    )
    return replace(settings, **changes)  # type: ignore[arg-type]


def person(username: str, *roles: Role, active: bool = True) -> User:
    user = User.objects.create_user(
        username=username, first_name="Synthetic", last_name=username, is_active=active
    )
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def refused(call: Callable[[], object]) -> ActionRefused:
    events = AuditEvent.objects.count()
    with pytest.raises(ActionRefused) as raised:
        call()
    assert AuditEvent.objects.count() == events, "a refused change records nothing"
    return raised.value


# Organisations


def test_it_records_an_organisation_with_an_audit_event(admin: User) -> None:
    organisation = organisation_create(name="  Synthetic Org (not real) ", actor=admin)

    assert organisation.name == "Synthetic Org (not real)"
    event = AuditEvent.objects.get(object_id=str(organisation.pk))
    assert (event.action, event.actor) == ("created", admin)


@pytest.mark.parametrize("name", ["", "   ", "synthetic perpetrator programmes (NOT REAL)"])
def test_it_refuses_an_organisation_without_a_new_name(
    admin: User, organisation: Organisation, name: str
) -> None:
    refusal = refused(lambda: organisation_create(name=name, actor=admin))

    assert refusal.field == "name"
    assert Organisation.objects.count() == 1


# Services


def test_it_records_a_service_with_the_types_it_offers(
    admin: User, organisation: Organisation
) -> None:
    settings = replace(INTERNAL, intervention_types=frozenset({"early_response", "icm"}))

    service = service_create(organisation=organisation, settings=settings, actor=admin)

    assert (
        service.offers_behaviour_change,
        service.offers_early_response,
        service.offers_icm,
    ) == (False, True, True)
    assert service.version == 1
    event = AuditEvent.objects.get(object_id=str(service.pk), content_type__model="service")
    assert event.action == "created"
    assert event.after is not None
    assert event.after["offers_icm"] is True


def test_it_records_a_service_with_an_external_iss_signed_today(
    admin: User, organisation: Organisation, partner: Organisation
) -> None:
    settings = external(
        partner,
        partnership_agreement_signed_on=TODAY,
        information_sharing_agreement_signed_on=TODAY,
    )

    service = service_create(organisation=organisation, settings=settings, actor=admin)

    assert service.external_iss_organisation == partner


SERVICE_REFUSALS = {
    "blank name": (lambda p: replace(INTERNAL, name=" "), "name", ""),
    "no jurisdiction": (lambda p: replace(INTERNAL, jurisdiction="wales"), "jurisdiction", ""),
    "no intervention type": (
        lambda p: replace(INTERNAL, intervention_types=frozenset()),
        "intervention_types",
        "",
    ),
    "unknown intervention type": (
        lambda p: replace(INTERNAL, intervention_types=frozenset({"anger_management"})),
        "intervention_types",
        "",
    ),
    "no delivery": (lambda p: replace(INTERNAL, delivery="online"), "delivery", ""),
    "no ISS (R22 scope)": (lambda p: replace(INTERNAL, iss_provision=""), "iss_provision", ""),
    "internal ISS naming a partner": (
        lambda p: replace(INTERNAL, external_iss_organisation=p),
        "external_iss_organisation",
        "",
    ),
    "internal ISS with a partnership agreement": (
        lambda p: replace(INTERNAL, partnership_agreement_signed_on=date(2024, 1, 1)),
        "partnership_agreement_signed_on",
        "",
    ),
    "internal ISS with an information sharing agreement": (
        lambda p: replace(INTERNAL, information_sharing_agreement_signed_on=date(2024, 1, 1)),
        "information_sharing_agreement_signed_on",
        "",
    ),
    "external ISS without a partner": (
        lambda p: external(p, external_iss_organisation=None),
        "external_iss_organisation",
        "",
    ),
    "external ISS without a partnership agreement": (
        lambda p: external(p, partnership_agreement_signed_on=None),
        "partnership_agreement_signed_on",
        "",
    ),
    "external ISS without an information sharing agreement": (
        lambda p: external(p, information_sharing_agreement_signed_on=None),
        "information_sharing_agreement_signed_on",
        "",
    ),
    "partnership agreement signed tomorrow": (
        lambda p: external(p, partnership_agreement_signed_on=TOMORROW),
        "partnership_agreement_signed_on",
        "",
    ),
    "information sharing agreement signed tomorrow": (
        lambda p: external(p, information_sharing_agreement_signed_on=TOMORROW),
        "information_sharing_agreement_signed_on",
        "",
    ),
    "DASH threshold 0": (
        lambda p: replace(INTERNAL, dash_high_risk_threshold=0),
        "dash_high_risk_threshold",
        "dash",
    ),
    "DASH threshold 25 of 24 questions": (
        lambda p: replace(INTERNAL, dash_high_risk_threshold=25),
        "dash_high_risk_threshold",
        "dash",
    ),
    "no MARAC incidents": (
        lambda p: replace(INTERNAL, marac_escalation_incidents=0),
        "marac_escalation_incidents",
        "",
    ),
    "no MARAC window": (
        lambda p: replace(INTERNAL, marac_escalation_window_days=0),
        "marac_escalation_window_days",
        "",
    ),
    "no referral response timeframe": (
        lambda p: replace(INTERNAL, referral_response_working_days=0),
        "referral_response_working_days",
        "",
    ),
}


@pytest.mark.parametrize("case", list(SERVICE_REFUSALS))
def test_it_refuses_a_service_whose_settings_break_a_rule(
    admin: User, organisation: Organisation, partner: Organisation, case: str
) -> None:
    make, field, rule = SERVICE_REFUSALS[case]

    refusal = refused(
        lambda: service_create(organisation=organisation, settings=make(partner), actor=admin)
    )

    assert (refusal.field, refusal.rule_id) == (field, rule)
    assert not Service.objects.exists()


def test_it_says_why_every_service_needs_an_iss(admin: User, organisation: Organisation) -> None:
    refusal = refused(
        lambda: service_create(
            organisation=organisation, settings=replace(INTERNAL, iss_provision=""), actor=admin
        )
    )

    assert "no perpetrator work without survivor support can be accredited" in refusal.message


def test_it_refuses_an_external_iss_run_by_the_services_own_organisation(
    admin: User, organisation: Organisation, partner: Organisation
) -> None:
    refusal = refused(
        lambda: service_create(
            organisation=organisation,
            settings=external(partner, external_iss_organisation=organisation),
            actor=admin,
        )
    )

    assert refusal.field == "external_iss_organisation"
    assert "another organisation" in refusal.message


@pytest.mark.parametrize("threshold", [1, 24])
def test_it_accepts_a_dash_threshold_at_either_end(
    admin: User, organisation: Organisation, threshold: int
) -> None:
    settings = replace(INTERNAL, dash_high_risk_threshold=threshold)

    service = service_create(organisation=organisation, settings=settings, actor=admin)

    assert service.dash_high_risk_threshold == threshold


def test_it_refuses_a_second_service_of_the_same_name_in_one_organisation(
    admin: User, organisation: Organisation, partner: Organisation
) -> None:
    service_create(organisation=organisation, settings=INTERNAL, actor=admin)

    refusal = refused(
        lambda: service_create(
            organisation=organisation,
            settings=replace(INTERNAL, name=INTERNAL.name.upper()),
            actor=admin,
        )
    )

    assert refusal.field == "name"
    assert service_create(organisation=partner, settings=INTERNAL, actor=admin).name == (
        INTERNAL.name
    )


def test_it_changes_a_services_settings_and_records_before_and_after(
    admin: User, organisation: Organisation, partner: Organisation
) -> None:
    service = service_create(organisation=organisation, settings=INTERNAL, actor=admin)

    changed = service_update(
        service=service,
        settings=external(partner, jurisdiction="scotland"),
        actor=admin,
        expected_version=1,
    )

    assert (changed.version, changed.jurisdiction) == (2, "scotland")
    assert changed.criminal_record_body == "Disclosure Scotland"
    assert changed.external_iss_organisation == partner
    event = AuditEvent.objects.filter(action="changed").get()
    assert event.before is not None
    assert event.after is not None
    assert (event.before["iss_provision"], event.after["iss_provision"]) == (
        "internal",
        "external",
    )


def test_it_refuses_a_change_based_on_a_stale_read(admin: User, organisation: Organisation) -> None:
    service = service_create(organisation=organisation, settings=INTERNAL, actor=admin)
    service_update(
        service=service,
        settings=replace(INTERNAL, delivery="both"),
        actor=admin,
        expected_version=1,
    )

    with pytest.raises(StaleRecord) as raised:
        service_update(
            service=service,
            settings=replace(INTERNAL, delivery="one_to_one"),
            actor=admin,
            expected_version=1,
        )

    assert raised.value.field == "version"
    assert Service.objects.get().delivery == "both"


def test_it_refuses_a_change_that_breaks_a_rule_and_keeps_the_settings(
    admin: User, organisation: Organisation
) -> None:
    service = service_create(organisation=organisation, settings=INTERNAL, actor=admin)

    refusal = refused(
        lambda: service_update(
            service=service,
            settings=replace(INTERNAL, intervention_types=frozenset()),
            actor=admin,
            expected_version=1,
        )
    )

    assert refusal.field == "intervention_types"
    assert Service.objects.get().version == 1


# Staff memberships


def test_it_adds_a_staff_member_with_an_audit_event(staffed_service: ServiceStaff) -> None:
    staff = staffed_service
    worker = person("new-pw", Role.PERPETRATOR_WORKER)

    membership = staff_membership_add(
        service=staff.service,
        user=worker,
        side="perpetrator",
        is_senior_manager=False,
        started_on=TODAY,
        actor=staff.service_manager,
    )

    assert list(current_memberships(user=worker)) == [membership]
    event = AuditEvent.objects.get(content_type__model="staffmembership")
    assert (event.action, event.actor) == ("created", staff.service_manager)
    assert "Perpetrator work" in event.summary


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER])
@pytest.mark.parametrize("side", ["both", "management", "perpetrator", "iss"])
def test_it_lets_a_manager_be_a_senior_manager_on_any_side(
    staffed_service: ServiceStaff, role: Role, side: str
) -> None:
    manager = person("new-manager", role)

    membership = staff_membership_add(
        service=staffed_service.service,
        user=manager,
        side=side,
        is_senior_manager=True,
        started_on=TODAY,
        actor=staffed_service.service_manager,
    )

    assert membership.is_senior_manager


@pytest.mark.parametrize("role", [Role.PERPETRATOR_WORKER, Role.ISS_WORKER])
def test_it_refuses_both_sides_to_anyone_but_a_manager(
    staffed_service: ServiceStaff, role: Role
) -> None:
    worker = person("new-worker", role)

    refusal = refused(
        lambda: staff_membership_add(
            service=staffed_service.service,
            user=worker,
            side="both",
            is_senior_manager=False,
            started_on=TODAY,
            actor=staffed_service.service_manager,
        )
    )

    assert (refusal.field, refusal.rule_id) == ("side", "not-same-staff")
    assert "service manager or practice manager" in refusal.message
    assert not StaffMembership.objects.filter(user=worker).exists()


@pytest.mark.parametrize(
    ("role", "side"),
    [
        (Role.ISS_WORKER, "perpetrator"),
        (Role.PERPETRATOR_WORKER, "iss"),
        (Role.PERPETRATOR_WORKER, "management"),
        (Role.ASSESSOR, "perpetrator"),
        (Role.COMMISSIONER, "management"),
    ],
)
def test_it_refuses_a_side_the_persons_roles_do_not_work_on(
    staffed_service: ServiceStaff, role: Role, side: str
) -> None:
    user = person("new-person", role)

    refusal = refused(
        lambda: staff_membership_add(
            service=staffed_service.service,
            user=user,
            side=side,
            is_senior_manager=False,
            started_on=TODAY,
            actor=staffed_service.service_manager,
        )
    )

    assert refusal.field == "side"


@pytest.mark.parametrize("role", [Role.PERPETRATOR_WORKER, Role.ISS_WORKER])
def test_it_refuses_a_senior_manager_without_a_managers_role(
    staffed_service: ServiceStaff, role: Role
) -> None:
    worker = person("new-worker", role)
    side = "perpetrator" if role == Role.PERPETRATOR_WORKER else "iss"

    refusal = refused(
        lambda: staff_membership_add(
            service=staffed_service.service,
            user=worker,
            side=side,
            is_senior_manager=True,
            started_on=TODAY,
            actor=staffed_service.service_manager,
        )
    )

    assert refusal.field == "is_senior_manager"
    assert "service manager or practice manager" in refusal.message


def test_it_refuses_an_unknown_side(staffed_service: ServiceStaff) -> None:
    refusal = refused(
        lambda: staff_membership_add(
            service=staffed_service.service,
            user=person("new-pw", Role.PERPETRATOR_WORKER),
            side="survivor",
            is_senior_manager=False,
            started_on=TODAY,
            actor=staffed_service.service_manager,
        )
    )

    assert refusal.field == "side"


def test_it_refuses_a_start_tomorrow_but_not_today(staffed_service: ServiceStaff) -> None:
    worker = person("new-pw", Role.PERPETRATOR_WORKER)

    def add(started_on: date) -> StaffMembership:
        return staff_membership_add(
            service=staffed_service.service,
            user=worker,
            side="perpetrator",
            is_senior_manager=False,
            started_on=started_on,
            actor=staffed_service.service_manager,
        )

    assert refused(lambda: add(TOMORROW)).field == "started_on"
    assert add(TODAY).started_on == TODAY


def test_it_refuses_a_deactivated_account(staffed_service: ServiceStaff) -> None:
    refusal = refused(
        lambda: staff_membership_add(
            service=staffed_service.service,
            user=person("gone", Role.PERPETRATOR_WORKER, active=False),
            side="perpetrator",
            is_senior_manager=False,
            started_on=TODAY,
            actor=staffed_service.service_manager,
        )
    )

    assert refusal.field == "user"


def test_it_refuses_to_add_someone_twice_while_they_work_there(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service

    refusal = refused(
        lambda: staff_membership_add(
            service=staff.service,
            user=staff.perpetrator_worker,
            side="perpetrator",
            is_senior_manager=False,
            started_on=TODAY,
            actor=staff.service_manager,
        )
    )

    assert refusal.field == "user"
    assert "already works in this service" in refusal.message
    assert StaffMembership.objects.filter(user=staff.perpetrator_worker).count() == 1


def test_it_refuses_a_new_membership_overlapping_an_ended_one_and_allows_one_after(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    last_day = TODAY - timedelta(days=10)
    membership = StaffMembership.objects.get(user=staff.perpetrator_worker)
    staff_membership_end(membership=membership, ended_on=last_day, actor=staff.service_manager)

    def rejoin(started_on: date) -> StaffMembership:
        return staff_membership_add(
            service=staff.service,
            user=staff.perpetrator_worker,
            side="perpetrator",
            is_senior_manager=False,
            started_on=started_on,
            actor=staff.service_manager,
        )

    assert refused(lambda: rejoin(last_day)).field == "started_on"
    assert rejoin(last_day + timedelta(days=1)).ended_on is None


def test_it_ends_a_membership_and_the_barrier_closes_after_the_last_day(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    membership = StaffMembership.objects.get(user=staff.iss_worker)

    ended = staff_membership_end(membership=membership, ended_on=TODAY, actor=staff.service_manager)

    assert ended.ended_on == TODAY
    assert current_memberships(user=staff.iss_worker).exists(), "still works here today"
    event = AuditEvent.objects.get(content_type__model="staffmembership")
    assert event.action == "changed"
    assert event.before is not None
    assert event.after is not None
    assert (event.before["ended_on"], event.after["ended_on"]) == (None, TODAY.isoformat())


def test_it_ends_a_membership_on_the_day_it_started_but_not_before(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    membership = StaffMembership.objects.get(user=staff.iss_worker)
    started = membership.started_on

    refusal = refused(
        lambda: staff_membership_end(
            membership=membership, ended_on=started - timedelta(days=1), actor=staff.service_manager
        )
    )

    assert refusal.field == "ended_on"
    ended = staff_membership_end(
        membership=membership, ended_on=started, actor=staff.service_manager
    )
    assert ended.ended_on == started
    assert not current_memberships(user=staff.iss_worker).exists()


def test_it_refuses_to_end_a_membership_twice(staffed_service: ServiceStaff) -> None:
    staff = staffed_service
    membership = StaffMembership.objects.get(user=staff.iss_worker)
    staff_membership_end(membership=membership, ended_on=TODAY, actor=staff.service_manager)

    refusal = refused(
        lambda: staff_membership_end(
            membership=membership, ended_on=TODAY, actor=staff.service_manager
        )
    )

    assert refusal.field == "ended_on"
    assert "already ended" in refusal.message
