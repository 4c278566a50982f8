"""The perpetrator case pages: who may open each, what they show (and never show), bad input,
the start refusal, stale versions, the audit of views, and what the list costs in queries."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase, ReferralSource, Stage
from tandem.cases.services.intake import ReferralDetails, perpetrator_referral_receive
from tandem.cases.tests.builders import FRIDAY, assessed, consented, iss_case_of, received, screened
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.support.models import IssCase, SharedRiskNote, Survivor
from tandem.support.services.contact import iss_contact_unsafe_record, iss_referral_make

pytestmark = pytest.mark.django_db

# Distinctive synthetic survivor details, so their absence from a page is a real test.
SURVIVOR_FIRST = "Zerelda"
SURVIVOR_LAST = "Quillfeather"
SURVIVOR_PHONE = "07700 900123"
SURVIVOR_EMAIL = "zerelda.q@example.invalid"
# Session, user, second factor, roles, memberships, then the page's own few queries, whatever the
# row count, and the read's one audit event (with the chain head it moves).
LIST_QUERY_BUDGET = 15

# The actions on a case: (URL name, method).
ACTIONS = {
    "screen": ("cases:case_screen", "get"),
    "assess": ("cases:case_assess", "get"),
    "consent": ("cases:case_consent", "get"),
    "close": ("cases:case_close", "get"),
    "propose suspension": ("cases:case_suspension_propose", "get"),
    "start": ("cases:case_start", "post"),
    "re-engage": ("cases:case_reengage", "post"),
}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_url(case: PerpetratorCase, name: str = "cases:case_detail") -> str:
    return reverse(name, args=[case.reference])


def error_summary(html: str) -> str:
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def referral_post(service_pk: int, **overrides: str) -> dict[str, str]:
    data = {
        "service": str(service_pk),
        "first_name": "Testperson",
        "last_name": "Synthetic",
        "date_of_birth": "1985-03-01",
        "phone": "07700 900456",
        "source": "agency",
        "referrer_name": "A. Referrer (synthetic)",
        "referrer_organisation": "Example Probation (synthetic)",
        "referrer_contact": "referrer@example.invalid",
        "received_at": "2026-11-20T10:14",
        "survivor_1_first_name": SURVIVOR_FIRST,
        "survivor_1_last_name": SURVIVOR_LAST,
        "survivor_1_relationship": "current_partner",
        "survivor_1_phone": SURVIVOR_PHONE,
        "survivor_1_email": SURVIVOR_EMAIL,
        "survivor_1_date_of_birth": "1987-06-05",
        "child_1_first_name": "Kit",
        "child_1_last_name": "Synthetic",
        "child_1_date_of_birth": "2019-09-09",
        "child_1_relationship": "son",
        "child_1_lives_with_him": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(staffed_service: ServiceStaff) -> ServiceStaff:
    return staffed_service


@pytest.fixture
def case(staff: ServiceStaff) -> PerpetratorCase:
    return received(staff)


# Who may open the pages


def test_it_sends_an_anonymous_visitor_to_sign_in_from_every_page(case: PerpetratorCase) -> None:
    urls = [reverse("cases:case_list"), reverse("cases:referral_new"), case_url(case)]
    urls += [case_url(case, name) for name, _ in ACTIONS.values()]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path == reverse("login")


def test_it_refuses_the_list_and_the_referral_form_to_someone_with_no_role(
    user_without_role: User, case: PerpetratorCase
) -> None:
    client = signed_in(user_without_role)
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("cases:referral_new")).status_code == 403
    assert client.post(reverse("cases:referral_new")).status_code == 403
    # A case is not even admitted to exist.
    assert client.get(case_url(case)).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_nothing_of_a_service_to_any_role_without_a_membership(
    client_as: Callable[[Role], Client], case: PerpetratorCase, role: Role
) -> None:
    client = client_as(role)

    listed = client.get(reverse("cases:case_list"))
    if role in (
        Role.SERVICE_MANAGER,
        Role.PRACTICE_MANAGER,
        Role.PERPETRATOR_WORKER,
        Role.ISS_WORKER,
    ):
        assert listed.status_code == 200
        assert case.reference not in listed.content.decode()
    else:
        assert listed.status_code == 403
    assert client.get(reverse("cases:referral_new")).status_code == 403
    assert client.get(case_url(case)).status_code == 404
    for name, method in ACTIONS.values():
        assert getattr(client, method)(case_url(case, name)).status_code == 404, name


@pytest.mark.parametrize("seat", ["perpetrator_worker", "service_manager"])
def test_it_opens_every_page_for_the_perpetrator_side_of_the_service(
    staff: ServiceStaff, case: PerpetratorCase, seat: str
) -> None:
    client = signed_in(getattr(staff, seat))

    listed = client.get(reverse("cases:case_list"))
    assert listed.status_code == 200
    assert case.reference in listed.content.decode()
    assert "Record a referral" in listed.content.decode()
    assert client.get(reverse("cases:referral_new")).status_code == 200
    page = client.get(case_url(case))
    assert page.status_code == 200
    assert "Record screening" in page.content.decode()
    for name, method in ACTIONS.values():
        if method == "get":
            assert client.get(case_url(case, name)).status_code == 200, name


def test_it_hides_the_case_from_a_perpetrator_worker_of_another_service(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.other_service_worker)

    assert case.reference not in client.get(reverse("cases:case_list")).content.decode()
    assert client.get(case_url(case)).status_code == 404
    for name, method in ACTIONS.values():
        assert getattr(client, method)(case_url(case, name)).status_code == 404, name


def test_it_shows_the_iss_worker_the_case_but_no_actions_or_perpetrator_side_tasks(
    staff: ServiceStaff,
) -> None:
    case = assessed(staff)
    client = signed_in(staff.iss_worker)

    assert case.reference in client.get(reverse("cases:case_list")).content.decode()
    assert client.get(reverse("cases:referral_new")).status_code == 403
    page = client.get(case_url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Synthetic risk summary" in html, "ISS staff see his risk-relevant information"
    for button in ("Record consent", "Start the intervention", "Close the case", "Due tasks"):
        assert button not in html
    assert DueTask.objects.filter(perpetrator_case=case, side="perpetrator").exists()
    assert "Tell him (if safe) the assessment outcome" not in html
    for name, method in ACTIONS.values():
        assert getattr(client, method)(case_url(case, name)).status_code == 403, name
    assert client.post(case_url(case, "cases:case_close"), {"reason": "moved"}).status_code == 403
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.ASSESSED


# The list


def test_it_lists_newest_first_with_stage_name_date_and_worker(staff: ServiceStaff) -> None:
    older = received(staff, first_name="Older", received_at=FRIDAY - timedelta(days=3))
    newer = received(staff, first_name="Newer")
    PerpetratorCase.objects.filter(pk=newer.pk).update(allocated_worker=staff.perpetrator_worker)

    html = signed_in(staff.perpetrator_worker).get(reverse("cases:case_list")).content.decode()

    assert html.index(newer.reference) < html.index(older.reference)
    assert "Newer Synthetic" in html
    assert "Referred" in html
    assert "20 Nov 2026" in html
    assert "Test Perpetrator worker" in html


def test_it_paginates_the_list_by_25(staff: ServiceStaff) -> None:
    for number in range(26):
        self_referral(staff, first_name=f"Person{number}")
    client = signed_in(staff.perpetrator_worker)

    first = client.get(reverse("cases:case_list")).content.decode()
    second = client.get(reverse("cases:case_list") + "?page=2").content.decode()

    assert first.count('href="/cases/P') == 25
    assert second.count('href="/cases/P') == 1
    assert "Page 1 of 2" in first


def test_it_finds_him_by_name_and_a_survivor_by_name_finds_nothing(staff: ServiceStaff) -> None:
    signed_in(staff.perpetrator_worker).post(
        reverse("cases:referral_new"), referral_post(staff.service.pk)
    )
    client = signed_in(staff.perpetrator_worker)

    found = client.get(reverse("cases:case_list") + "?q=Testperson").content.decode()
    by_survivor = client.get(reverse("cases:case_list") + f"?q={SURVIVOR_LAST}").content.decode()

    assert "1 case found" in found
    assert "No case has that reference or name" in by_survivor
    assert 'href="/cases/P' not in by_survivor


def test_it_offers_a_referral_only_to_perpetrator_side_roles(staff: ServiceStaff) -> None:
    response = signed_in(staff.iss_worker).get(reverse("cases:case_list"))
    html = response.content.decode()
    perpetrator_side = (
        signed_in(staff.perpetrator_worker).get(reverse("cases:case_list")).content.decode()
    )

    # The ISS worker is shown the list itself, only without the button.
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Perpetrator cases</h1>' in html
    assert "Record a referral" not in html
    assert "Record a referral" in perpetrator_side
    assert f'href="{reverse("cases:referral_new")}"' in perpetrator_side


def test_it_lists_3_or_30_cases_in_the_same_number_of_queries(
    staff: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = signed_in(staff.perpetrator_worker)

    def list_queries() -> int:
        PerpetratorCase.objects.update(allocated_worker=staff.perpetrator_worker)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:case_list")).status_code == 200
        return len(queries)

    for number in range(3):
        self_referral(staff, first_name=f"Few{number}")
    few = list_queries()
    for number in range(27):
        self_referral(staff, first_name=f"Many{number}")
    many = list_queries()

    assert many == few
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        client.get(reverse("cases:case_list"))


def self_referral(staff: ServiceStaff, *, first_name: str) -> PerpetratorCase:
    return perpetrator_referral_receive(
        service=staff.service,
        actor=staff.perpetrator_worker,
        details=ReferralDetails(
            first_name=first_name,
            last_name="Synthetic",
            date_of_birth=date(1980, 1, 1),
            received_at=FRIDAY,
            source=ReferralSource.SELF,
        ),
        now=FRIDAY,
    )


# Recording a referral


def test_it_records_a_referral_and_opens_the_case(staff: ServiceStaff) -> None:
    client = signed_in(staff.perpetrator_worker)

    response = client.post(reverse("cases:referral_new"), referral_post(staff.service.pk))

    case = PerpetratorCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert (case.first_name, case.referral_source) == ("Testperson", "agency")
    assert case.referral_received_at == FRIDAY
    assert [c.first_name for c in case.children.all()] == ["Kit"]
    assert case.children.get().lives_with_perpetrator
    survivor = Survivor.objects.get()
    assert (survivor.first_name, survivor.phone) == (SURVIVOR_FIRST, SURVIVOR_PHONE)
    assert IssCase.objects.filter(survivor=survivor).exists()


def test_it_preselects_the_only_service_and_offers_only_perpetrator_side_services(
    staff: ServiceStaff,
) -> None:
    html = signed_in(staff.perpetrator_worker).get(reverse("cases:referral_new")).content.decode()

    assert f'value="{staff.service.pk}" checked' in html
    assert "Another service" not in html


def test_it_ignores_blank_survivor_and_child_rows(staff: ServiceStaff) -> None:
    data = referral_post(staff.service.pk)
    data.update({"child_1_first_name": "", "child_1_last_name": "", "child_1_date_of_birth": ""})
    data.update({"child_1_relationship": "", "child_1_lives_with_him": ""})
    data.update({"survivor_2_first_name": "", "survivor_3_relationship": ""})

    response = signed_in(staff.perpetrator_worker).post(reverse("cases:referral_new"), data)

    assert response.status_code == 302
    assert Survivor.objects.count() == 1
    assert not PerpetratorCase.objects.get().children.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"first_name": ""}, "first_name", "Enter his first name", id="missing name"),
        pytest.param(
            {"child_1_date_of_birth": "1980-01-01"},
            "child_1_date_of_birth",
            "born on or before",
            id="child born before him",
        ),
        pytest.param(
            {"received_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
            "received_at",
            "received at cannot be in the future",
            id="future received date",
        ),
        pytest.param(
            {"survivor_1_phone": "", "survivor_1_email": ""},
            "survivor_1_phone",
            "an agency referral must give a phone number or email (rule iss-handover)",
            id="agency referral without survivor contact",
        ),
        pytest.param(
            {
                "survivor_1_first_name": "",
                "survivor_1_last_name": "",
                "survivor_1_relationship": "",
                "survivor_1_phone": "",
                "survivor_1_email": "",
                "survivor_1_date_of_birth": "",
            },
            "survivor_1_first_name",
            "must give the survivors' and others at risk's contact details (rule iss-handover)",
            id="agency referral without any survivor",
        ),
        pytest.param(
            {"survivor_1_relationship": ""},
            "survivor_1_relationship",
            "Enter survivor 1's relationship to him",
            id="survivor without relationship",
        ),
        pytest.param(
            {"date_of_birth": "1985-02-30"},
            "date_of_birth",
            "Enter his date of birth as a real date",
            id="impossible date",
        ),
    ],
)
def test_it_refuses_bad_referral_input_naming_the_field_and_saves_nothing(
    staff: ServiceStaff, overrides: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:referral_new"), referral_post(staff.service.pk, **overrides)
    )

    html = response.content.decode()
    summary = error_summary(html)
    assert response.status_code == 200
    assert "There is a problem" in summary
    assert f'href="#id_{field}"' in summary
    assert message.replace("'", "&#x27;") in summary
    assert "<title>Error: " in html
    assert not PerpetratorCase.objects.exists()
    assert not Survivor.objects.exists()


def test_it_refuses_a_referral_for_a_service_outside_the_perpetrator_side(
    staff: ServiceStaff,
) -> None:
    elsewhere = StaffMembership.objects.get(user=staff.other_service_worker).service
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:referral_new"), referral_post(elsewhere.pk)
    )

    assert 'href="#id_service_0"' in error_summary(response.content.decode())
    assert not PerpetratorCase.objects.exists()


# The case page


def test_it_never_shows_a_survivors_name_or_contact_details_on_the_case_page(
    staff: ServiceStaff,
) -> None:
    signed_in(staff.perpetrator_worker).post(
        reverse("cases:referral_new"), referral_post(staff.service.pk)
    )
    case = PerpetratorCase.objects.get()

    for user in (staff.perpetrator_worker, staff.service_manager, staff.iss_worker):
        html = signed_in(user).get(case_url(case)).content.decode()
        assert "Survivor 1" in html
        assert "Current partner" in html
        for secret in (SURVIVOR_FIRST, SURVIVOR_LAST, SURVIVOR_PHONE, SURVIVOR_EMAIL, "1987"):
            assert secret not in html, f"{secret} shown to {user}"


def test_it_shows_his_details_children_history_and_perpetrator_side_tasks(
    staff: ServiceStaff,
) -> None:
    case = assessed(staff)

    html = signed_in(staff.perpetrator_worker).get(case_url(case)).content.decode()

    assert "Testperson Synthetic" in html
    assert "A. Referrer (synthetic)" in html
    assert "Eligible and suitable for the group programme." in html
    assert "Referred → Screened" in html
    assert "Screened → Assessed: accepted" in html
    assert "Tell him (if safe) the assessment outcome" in html
    assert "assessment-outcome" in html
    assert "the outcome of the assessment" not in html, "ISS tasks name the survivor"


def test_it_lists_what_stops_the_intervention_starting_with_rule_ids(
    staff: ServiceStaff,
) -> None:
    case = assessed(staff)

    html = signed_in(staff.perpetrator_worker).get(case_url(case)).content.decode()

    assert "Before the intervention can start" in html
    assert "the confidentiality agreement has not been signed" in html
    assert "rule consent" in html
    assert "no survivor contact established yet for survivor 1" in html
    assert "rule iss-before-start" in html


def test_it_shows_released_risk_notes_without_their_source(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    """Risk information reaches the perpetrator side only once released, and without its source."""
    for text, released in (("Synthetic released note", FRIDAY), ("Synthetic draft note", None)):
        SharedRiskNote.objects.create(
            perpetrator_case=case,
            source_iss_case=iss_case_of(case),
            note=text,
            written_by=staff.iss_worker,
            written_at=FRIDAY,
            released_at=released,
        )

    html = signed_in(staff.perpetrator_worker).get(case_url(case)).content.decode()

    assert "Synthetic released note" in html
    assert "Synthetic draft note" not in html
    assert staff.iss_worker.get_full_name() not in html
    assert f"/support/{iss_case_of(case).pk}" not in html


def test_it_asks_the_browser_not_to_remember_survivors_details(staff: ServiceStaff) -> None:
    html = signed_in(staff.perpetrator_worker).get(reverse("cases:referral_new")).content.decode()
    for field in ("first_name", "last_name", "phone", "email", "date_of_birth"):
        tag = re.search(rf'<input[^>]*id="id_survivor_1_{field}"[^>]*>', html)
        assert tag, field
        assert 'autocomplete="off"' in tag.group(0), field


def test_it_flags_possible_duplicates_with_links(staff: ServiceStaff) -> None:
    first = received(staff)
    second = received(staff)

    html = signed_in(staff.perpetrator_worker).get(case_url(second)).content.decode()

    assert "Possibly the same man as" in html
    assert f'href="{case_url(first)}"' in html


def test_it_records_each_view_of_the_case_page_in_the_audit_trail(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    signed_in(staff.iss_worker).get(case_url(case))

    viewed = AuditEvent.objects.filter(action="viewed", object_id=str(case.pk))
    assert [event.actor for event in viewed] == [staff.iss_worker]
    assert viewed.get().path == case_url(case)


def test_it_records_no_view_when_the_case_is_refused(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    refused = signed_in(staff.other_service_worker).get(case_url(case))

    assert refused.status_code == 404
    assert not AuditEvent.objects.filter(action="viewed").exists()
    # The same page opened by someone who may see the case is recorded.
    assert signed_in(staff.perpetrator_worker).get(case_url(case)).status_code == 200
    viewed = AuditEvent.objects.filter(action="viewed", object_id=str(case.pk))
    assert [event.actor for event in viewed] == [staff.perpetrator_worker]


# Actions


def test_it_walks_a_case_from_screening_to_the_intervention_through_the_pages(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.perpetrator_worker)

    def version() -> str:
        return str(PerpetratorCase.objects.get(pk=case.pk).version)

    screen = client.post(
        case_url(case, "cases:case_screen"),
        {
            "expected_version": version(),
            "criminal_justice": "none",
            "family_proceedings": "none",
            "social_services_involved": "no",
        },
    )
    assess = client.post(
        case_url(case, "cases:case_assess"),
        {
            "expected_version": version(),
            "risk_summary": "Synthetic risk",
            "need_summary": "Synthetic need",
            "responsivity_summary": "Synthetic responsivity",
            "motivation_summary": "Synthetic motivation",
            "decision": "accepted",
            "intervention_type": "behaviour_change",
            "decision_statement": "Eligible and suitable.",
        },
    )
    consent = client.post(
        case_url(case, "cases:case_consent"),
        {
            "expected_version": version(),
            "signed_on": "2026-11-20",
            "covers_case_file_review": "on",
            "covers_recorded_sessions": "on",
        },
    )
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, reason="Unsafe"
    )
    start = client.post(case_url(case, "cases:case_start"), {"expected_version": version()})

    for response in (screen, assess, consent, start):
        assert response.status_code == 302
        assert response["Location"] == case_url(case)
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.IN_INTERVENTION
    assert "Intervention started" in client.get(case_url(case)).content.decode()


def test_it_shows_the_full_start_refusal_on_the_case_page(staff: ServiceStaff) -> None:
    """Rule iss-before-start: the refusal names the survivor and since when."""
    case = consented(staff, assessed(staff))
    iss_referral_make(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, now=FRIDAY
    )

    response = signed_in(staff.perpetrator_worker).post(
        case_url(case, "cases:case_start"), {"expected_version": case.version}
    )

    summary = error_summary(response.content.decode())
    assert response.status_code == 200
    assert (
        "cannot start intervention: no survivor contact established yet for survivor 1 "
        "(ISS referral pending since 20 Nov 2026 10:14) (rule iss-before-start)"
    ) in summary
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.ASSESSED


def test_it_refuses_the_start_page_without_a_post(staff: ServiceStaff) -> None:
    case = consented(staff, assessed(staff))
    response = signed_in(staff.perpetrator_worker).get(case_url(case, "cases:case_start"))
    assert response.status_code == 405


def test_it_refuses_a_change_made_from_a_stale_page(staff: ServiceStaff) -> None:
    """Two people editing the same case do not silently overwrite each other."""
    case = screened(staff)
    client = signed_in(staff.perpetrator_worker)

    response = client.post(
        case_url(case, "cases:case_close"),
        {"expected_version": case.version - 1, "reason": "moved"},
    )

    summary = error_summary(response.content.decode())
    assert "was changed by someone else since you opened it: reload it" in summary
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.SCREENED


def test_it_refuses_a_stale_start_on_the_case_page(staff: ServiceStaff) -> None:
    case = consented(staff, assessed(staff))
    response = signed_in(staff.perpetrator_worker).post(
        case_url(case, "cases:case_start"), {"expected_version": case.version - 1}
    )
    assert "changed by someone else" in error_summary(response.content.decode())


def test_it_closes_with_a_listed_reason_and_other_needs_detail(staff: ServiceStaff) -> None:
    case = screened(staff)
    client = signed_in(staff.perpetrator_worker)

    other = client.post(
        case_url(case, "cases:case_close"), {"expected_version": case.version, "reason": "other"}
    )
    assert 'href="#id_detail"' in error_summary(other.content.decode())
    closed = client.post(
        case_url(case, "cases:case_close"),
        {"expected_version": case.version, "reason": "other", "detail": "Synthetic reason"},
    )

    assert closed.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.closure_detail) == (Stage.CLOSED, "Synthetic reason")


def test_it_shows_a_screening_refusal_on_the_field_with_its_rule(staff: ServiceStaff) -> None:
    case = received(staff)
    response = signed_in(staff.perpetrator_worker).post(
        case_url(case, "cases:case_screen"),
        {
            "expected_version": case.version,
            "criminal_justice": "none",
            "family_proceedings": "none",
            "social_services_involved": "yes",
        },
    )

    summary = error_summary(response.content.decode())
    assert 'href="#id_social_worker_details"' in summary
    assert "(rule routine-enquiry)" in summary
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.REFERRED


def test_it_offers_only_the_actions_valid_for_the_stage(staff: ServiceStaff) -> None:
    client = signed_in(staff.perpetrator_worker)

    referred = client.get(case_url(received(staff))).content.decode()
    ready = client.get(case_url(consented(staff, assessed(staff)))).content.decode()

    assert "Record screening" in referred
    assert "Start the intervention" not in referred
    assert "Start the intervention" in ready
    assert "Record screening" not in ready
    assert "Propose a suspension or removal" not in ready
