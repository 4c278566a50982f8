"""The workforce pages: who may open each (403 for the roles refused, 404 for records of another
organisation), what each person sees of supervision and disclosures, and the forms."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.workforce.matrix import REQUIREMENTS
from tandem.workforce.models import CriminalRecordCheck, Supervision
from tandem.workforce.services import disclosure_record, supervision_record
from tandem.workforce.tests.builders import Workforce, client_for, person, worker_with_current_check

pytestmark = pytest.mark.django_db
REFUSED_ROLES = [
    Role.PERPETRATOR_WORKER,
    Role.ISS_WORKER,
    Role.ASSESSOR,
    Role.COMMISSIONER,
    None,
]


def _service_urls(workforce: Workforce) -> list[str]:
    pk = workforce.service.pk
    return [
        reverse("workforce:staff_list", args=[pk]),
        reverse("workforce:matrix", args=[pk]),
        reverse("workforce:worker_new", args=[pk]),
    ]


def _worker_urls(workforce: Workforce) -> list[str]:
    pk = workforce.worker.pk
    return [
        reverse(f"workforce:{name}", args=[pk])
        for name in (
            "worker_detail",
            "worker_edit",
            "check_new",
            "training_new",
            "supervision_new",
            "disclosure_new",
            "mentoring_new",
        )
    ]


@pytest.fixture
def refused_client(
    client_as: Callable[[Role], Client], user_without_role: User
) -> Callable[[Role | None], Client]:
    def make(role: Role | None) -> Client:
        return client_as(role) if role is not None else client_for(user_without_role)

    return make


@pytest.mark.parametrize("role", REFUSED_ROLES, ids=lambda r: r.value if r else "no-role")
def test_it_refuses_every_page_to_roles_that_manage_no_staff(
    workforce: Workforce, refused_client: Callable[[Role | None], Client], role: Role | None
) -> None:
    client = refused_client(role)
    urls = [reverse("workforce:index"), *_service_urls(workforce), *_worker_urls(workforce)]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(_worker_urls(workforce)[2], {}).status_code == 403


def test_it_hides_another_organisations_records_from_its_manager(workforce: Workforce) -> None:
    client = client_for(workforce.other_manager)
    for url in [*_service_urls(workforce), *_worker_urls(workforce)]:
        assert client.get(url).status_code == 404, url


def test_it_lets_the_manager_open_every_page(workforce: Workforce) -> None:
    client = client_for(workforce.manager)
    for url in [reverse("workforce:index"), *_service_urls(workforce), *_worker_urls(workforce)]:
        assert client.get(url).status_code == 200, url


def test_it_shows_a_worker_their_own_record_and_no_one_elses(workforce: Workforce) -> None:
    client = client_for(workforce.staff.perpetrator_worker)
    assert (
        client.get(reverse("workforce:worker_detail", args=[workforce.worker.pk])).status_code
        == 200
    )
    assert client.get(reverse("workforce:index")).status_code == 200
    assert (
        client.get(reverse("workforce:worker_detail", args=[workforce.other_worker.pk])).status_code
        == 404
    )
    assert client.get(reverse("workforce:check_new", args=[workforce.worker.pk])).status_code == 403
    assert client.get(reverse("workforce:matrix", args=[workforce.service.pk])).status_code == 403


def _supervised(workforce: Workforce) -> Supervision:
    return supervision_record(
        actor=workforce.practice_manager,
        supervisee=workforce.worker,
        supervisor=workforce.practice_manager,
        kind="clinical",
        held_on=timezone.localdate(),
        minutes=90,
        today=timezone.localdate(),
        notes="Synthetic words said in supervision",
    )


def test_it_shows_supervision_content_only_to_supervisee_supervisor_and_service_manager(
    workforce: Workforce,
) -> None:
    _supervised(workforce)
    url = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    for user in (workforce.staff.perpetrator_worker, workforce.manager):
        page = client_for(user).get(url).content.decode()
        assert "Synthetic words said in supervision" in page, user
    hr_page = client_for(workforce.hr).get(url).content.decode()
    assert "Clinical supervision" in hr_page  # that it happened
    assert "Synthetic words said in supervision" not in hr_page
    assert "Seen only by the supervisee, the supervisor and the service manager" in hr_page
    assert workforce.practice_manager.has_perm(
        "workforce.view_supervision_content", Supervision.objects.get()
    )
    other_pm = person("pm2", Role.PRACTICE_MANAGER, workforce.service, "perpetrator")
    assert not other_pm.has_perm("workforce.view_supervision_content", Supervision.objects.get())


def test_it_shows_disclosures_only_to_the_service_manager_and_hr(workforce: Workforce) -> None:
    disclosure_record(
        actor=workforce.hr,
        worker=workforce.worker,
        experience="victim",
        disclosed_on=timezone.localdate(),
        agreed_support="Synthetic agreed support plan",
        decision="",
        today=timezone.localdate(),
    )
    url = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    for user in (workforce.manager, workforce.hr):
        assert "Synthetic agreed support plan" in client_for(user).get(url).content.decode()
    own = client_for(workforce.staff.perpetrator_worker).get(url).content.decode()
    assert "Synthetic agreed support plan" not in own
    assert "Restricted" not in own
    disclosure_url = reverse("workforce:disclosure_new", args=[workforce.worker.pk])
    assert client_for(workforce.staff.perpetrator_worker).get(disclosure_url).status_code == 403
    assert client_for(workforce.practice_manager).get(disclosure_url).status_code == 403


def test_it_lets_a_practice_manager_record_supervision_but_not_open_the_record(
    workforce: Workforce,
) -> None:
    client = client_for(workforce.practice_manager)
    url = reverse("workforce:supervision_new", args=[workforce.worker.pk])
    response = client.post(
        url,
        {
            "kind": "clinical",
            "supervisor": workforce.practice_manager.pk,
            "held_on": timezone.localdate().isoformat(),
            "minutes": "90",
            "notes": "Synthetic",
        },
    )
    assert response.status_code == 302
    assert Supervision.objects.filter(supervisor=workforce.practice_manager).count() == 1
    detail = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    assert client.get(detail).status_code == 403


def test_it_names_the_field_and_saves_nothing_on_a_bad_check(workforce: Workforce) -> None:
    before = CriminalRecordCheck.objects.count()
    url = reverse("workforce:check_new", args=[workforce.worker.pk])
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(workforce.manager).post(
        url,
        {"scheme": "dbs", "level": "enhanced", "certificate_number": "X1", "issued_on": future},
    )
    assert response.status_code == 200
    assert "the issue date cannot be in the future" in response.content.decode()
    garbage = client_for(workforce.manager).post(
        url, {"scheme": "nope", "level": "", "issued_on": "31/02/2026"}
    )
    assert garbage.status_code == 200
    assert "There is a problem" in garbage.content.decode()
    assert CriminalRecordCheck.objects.count() == before


def test_it_records_a_check_through_the_form(workforce: Workforce) -> None:
    url = reverse("workforce:check_new", args=[workforce.worker.pk])
    response = client_for(workforce.manager).post(
        url,
        {
            "scheme": "dbs",
            "level": "enhanced-barred",
            "certificate_number": "001122334455",
            "issued_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert CriminalRecordCheck.objects.filter(worker=workforce.worker).count() == 2


def test_it_refuses_a_stale_edit_of_the_worker_record(workforce: Workforce) -> None:
    url = reverse("workforce:worker_edit", args=[workforce.worker.pk])
    data = {
        "employment_type": "staff",
        "job_title": "Synthetic group facilitator",
        "started_on": "2024-01-01",
        "gender": "female",
        "expected_version": "1",
    }
    client = client_for(workforce.manager)
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "gender": "male"})
    assert "changed by someone else" in stale.content.decode()


def test_it_shows_the_matrix_in_queries_independent_of_the_number_of_workers(
    workforce: Workforce, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(workforce.manager)
    url = reverse("workforce:matrix", args=[workforce.service.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for number in range(8):
        user = person(f"extra{number}", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
        worker_with_current_check(user=user, service=workforce.service)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-status="') == 12 * len(REQUIREMENTS)  # 12 rows


def test_it_shows_the_worker_page_in_queries_independent_of_the_records(
    workforce: Workforce, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    _supervised(workforce)
    client = client_for(workforce.hr)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        _supervised(workforce)
        worker_with_current_check(
            user=workforce.staff.perpetrator_worker, service=workforce.service
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Seen only by the supervisee") == 6
