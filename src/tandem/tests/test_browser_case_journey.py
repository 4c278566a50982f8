"""A referral walked in a real browser from intake through ISS contact to the intervention start,
by the perpetrator worker and the ISS worker in turn, with an axe-core WCAG 2.1 AA check on every
page they see. Only the staff and their service are set up in the database; everything else is
typed and clicked as a person would."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.conftest import ServiceStaff
from tandem.support.models import IssCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-1"

HIS_FIRST_NAME = "Synthetic"
HIS_LAST_NAME = "Exampleman"
HIS_PHONE = "07700 900456"
SURVIVOR_FIRST_NAME = "Examplia"
SURVIVOR_LAST_NAME = "Syntheticwood"
SURVIVOR_NAME = f"{SURVIVOR_FIRST_NAME} {SURVIVOR_LAST_NAME}"
SURVIVOR_PHONE = "07700 900123"


@pytest.fixture
def staff(staffed_service: ServiceStaff) -> ServiceStaff:
    for user in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        user.set_password(PASSWORD)
        user.save()
    return staffed_service


def _go_to(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=section).click()
    expect(page.get_by_role("heading", name=section, level=1)).to_be_visible()


def _expect_done(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _assert_nothing_of_her(page: Page) -> None:
    """The perpetrator side never learns her name or how to reach her (the information
    barrier): not in the text, not in the markup."""
    html = page.content()
    for detail in (SURVIVOR_FIRST_NAME, SURVIVOR_LAST_NAME, SURVIVOR_PHONE, "900123"):
        assert detail not in html, f"{detail!r} shown to the perpetrator side on {page.url}"


def _fill_referral(page: Page, *, his_last_name: str) -> None:
    """Everything an agency referral carries: his details, the referrer, one survivor with a
    phone number and one child."""
    received = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("His first name", exact=True).fill(HIS_FIRST_NAME)
    page.get_by_label("His last name", exact=True).fill(his_last_name)
    page.get_by_label("His date of birth", exact=True).fill("1985-03-14")
    page.get_by_label("His phone number", exact=True).fill(HIS_PHONE)
    page.get_by_role("group", name="Who made the referral?").get_by_label("Agency referral").check()
    page.get_by_label("Referrer's name", exact=True).fill("Example Referrer")
    page.get_by_label("Referrer's organisation", exact=True).fill("Synthetic Probation Example")
    page.get_by_label("Referrer's phone or email", exact=True).fill("referrer@example.invalid")
    page.get_by_label("Date and time the referral was received", exact=True).fill(
        received.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Survivor 1: first name", exact=True).fill(SURVIVOR_FIRST_NAME)
    page.get_by_label("Survivor 1: last name", exact=True).fill(SURVIVOR_LAST_NAME)
    page.get_by_label("Survivor 1: relationship to him", exact=True).select_option(
        label="Current partner"
    )
    page.get_by_label("Survivor 1: phone", exact=True).fill(SURVIVOR_PHONE)
    page.get_by_label("Child 1: first name", exact=True).fill("Exampleton")
    page.get_by_label("Child 1: last name", exact=True).fill(HIS_LAST_NAME)
    page.get_by_label("Child 1: date of birth", exact=True).fill("2016-06-01")
    page.get_by_label("Child 1: relationship to him", exact=True).fill("Son")


def _record_referral(page: Page) -> str:
    """Records the referral in one go and returns the new case's reference."""
    _go_to(page, "Perpetrator cases")
    page.get_by_role("button", name="Record a referral").click()
    _fill_referral(page, his_last_name=HIS_LAST_NAME)
    page.get_by_role("button", name="Record the referral").click()
    return _reference_from_success(page)


def _reference_from_success(page: Page) -> str:
    banner = page.get_by_text(re.compile(r"^Referral recorded as case "))
    expect(banner).to_be_visible()
    return banner.inner_text().removeprefix("Referral recorded as case ").strip()


def _survivor_row(page: Page) -> Locator:
    return page.get_by_role("row", name=re.compile(r"^Survivor 1 "))


def _task_rows(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile(r"open tasks?$")).locator("tbody tr")


def _record_attempt(page: Page, *, outcome: str) -> None:
    """Records a phone call at the time the form offers (now), as a worker who has just called
    her would."""
    page.get_by_role("group", name="How did you try to contact her?").get_by_label(
        "Phone call", exact=True
    ).check()
    page.get_by_label("Outcome", exact=True).select_option(label=outcome)
    page.get_by_role("group", name="Number, email or address used").get_by_label(
        f"Phone: {SURVIVOR_PHONE}"
    ).check()
    page.get_by_role("button", name="Record the attempt").click()
    _expect_done(page, "Contact attempt recorded")


def test_it_walks_a_referral_through_iss_contact_to_the_intervention_start(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staff: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    # The perpetrator worker records the referral.
    sign_in(staff.perpetrator_worker.username, PASSWORD)
    _go_to(page, "My work")
    expect(page.get_by_role("table", name="0 open tasks")).to_contain_text("Nothing is due")
    assert_accessible(page)

    _go_to(page, "Perpetrator cases")
    expect(page.get_by_text("There are no cases in your services yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record a referral").click()
    expect(page.get_by_role("heading", name="Record a referral")).to_be_visible()
    assert_accessible(page)

    _fill_referral(page, his_last_name="")
    page.get_by_role("button", name="Record the referral").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a referral"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link", name="His last name: Enter his last name")).to_be_visible()
    # What was typed is kept, so only the missing field needs typing again.
    expect(page.get_by_label("Survivor 1: phone", exact=True)).to_have_value(SURVIVOR_PHONE)
    assert_accessible(page)

    page.get_by_label("His last name", exact=True).fill(HIS_LAST_NAME)
    page.get_by_role("button", name="Record the referral").click()
    reference = _reference_from_success(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{HIS_FIRST_NAME} {HIS_LAST_NAME}"
    )
    survivor = _survivor_row(page)
    expect(survivor).to_contain_text("Current partner")
    expect(survivor).to_contain_text("Not yet")
    expect(survivor).to_contain_text("details not yet passed to the ISS")
    expect(survivor).to_contain_text("None yet")
    expect(page.get_by_role("main")).to_contain_text(f"Exampleton {HIS_LAST_NAME}")
    _assert_nothing_of_her(page)
    assert_accessible(page)

    # Screening, assessment and consent.
    page.get_by_role("button", name="Record screening").click()
    expect(page.get_by_role("heading", name="Screening")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Criminal justice involvement").get_by_label(
        "None known"
    ).check()
    page.get_by_role(
        "group", name="Private law family proceedings about his children"
    ).get_by_label("None", exact=True).check()
    page.get_by_role("group", name="Are social services involved?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Record screening").click()
    _expect_done(page, "Screening recorded")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Screened")
    assert_accessible(page)

    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("heading", name="Assessment and decision")).to_be_visible()
    assert_accessible(page)
    for label in ("Risk", "Need", "Responsivity", "Motivation"):
        page.get_by_label(label, exact=True).fill(f"Synthetic {label.lower()} summary.")
    page.get_by_role("group", name="Decision").get_by_label(
        "Eligible and suitable: accepted"
    ).check()
    page.get_by_role("group", name="Intervention he is accepted for").get_by_label(
        "Behaviour-change (structured)"
    ).check()
    page.get_by_label("Factual statement of the decision").fill(
        "Synthetic example: accepted for the behaviour-change programme."
    )
    page.get_by_role("button", name="Record the assessment").click()
    _expect_done(page, "Assessment recorded")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessed: accepted")
    assert_accessible(page)

    page.get_by_role("button", name="Record consent").click()
    expect(
        page.get_by_role("heading", name="Confidentiality and information-sharing agreement")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date he signed the agreement").fill(timezone.localdate().isoformat())
    page.get_by_label("reviewing his case file").check()
    page.get_by_label("seeing recordings of his sessions").check()
    page.get_by_role("button", name="Record consent").click()
    _expect_done(page, "Consent recorded")
    before_start = page.locator(".govuk-inset-text").filter(
        has=page.get_by_role("heading", name="Before the intervention can start")
    )
    expect(before_start).to_contain_text("her details have not yet been passed to the ISS")
    assert_accessible(page)

    # His start is refused: survivor 1 has had no contact and the ISS has no referral yet.
    page.get_by_role("button", name="Start the intervention").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "cannot start intervention: no survivor contact established yet for survivor 1 "
        "(her details have not yet been passed to the ISS) (rule iss-before-start)"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessed: accepted")
    _assert_nothing_of_her(page)
    assert_accessible(page)

    # His worker's tasks: telling him and the referrer the outcome; nothing that names her.
    _go_to(page, "My work")
    tasks = _task_rows(page)
    for who in ("him (if safe)", "the referrer"):
        outcome_task = tasks.filter(has_text=f"Tell {who} the assessment outcome for {reference}")
        expect(outcome_task).to_have_count(1)
    expect(tasks).to_have_count(2)
    _assert_nothing_of_her(page)
    assert_accessible(page)
    _sign_out(page)

    # The ISS worker finds her, with the 24-hour ISS referral due.
    sign_in(staff.iss_worker.username, PASSWORD)
    _go_to(page, "My work")
    handover = _task_rows(page).filter(has_text=f"Pass {SURVIVOR_NAME}'s details to the ISS")
    expect(handover).to_have_count(1)
    expect(handover).to_contain_text("iss-handover")
    tell_her = _task_rows(page).filter(
        has_text=f"Tell {SURVIVOR_NAME} the outcome of the assessment of {reference}"
    )
    expect(tell_her).to_have_count(1)
    assert_accessible(page)

    _go_to(page, "Survivor support")
    her_row = page.get_by_role("row", name=re.compile(SURVIVOR_NAME))
    expect(her_row).to_contain_text(reference)
    expect(her_row).to_contain_text("Not made yet")
    assert_accessible(page)

    her_row.get_by_role("link", name=SURVIVOR_NAME).click()
    expect(page.get_by_role("heading", name=SURVIVOR_NAME, level=1)).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="Phone")).to_be_visible()
    expect(page.get_by_text(SURVIVOR_PHONE)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the ISS referral").click()
    _expect_done(page, "ISS referral made")
    # She is kept safe by reading her safe-contact panel before anyone tries to reach her.
    safe_contact = page.get_by_role("heading", name="Safe contact: read this before you contact")
    attempt_form = page.get_by_role("group", name="How did you try to contact her?")
    safe_box, attempt_box = safe_contact.bounding_box(), attempt_form.bounding_box()
    assert safe_box is not None
    assert attempt_box is not None
    assert safe_box["y"] + safe_box["height"] <= attempt_box["y"]
    assert_accessible(page)

    # She is called straight away: no answer.
    _record_attempt(page, outcome="No answer")
    attempts = page.get_by_role("table", name="Every contact attempt, newest first")
    expect(attempts).to_contain_text("No answer")
    assert_accessible(page)

    _go_to(page, "My work")
    expect(_task_rows(page).filter(has_text="details to the ISS")).to_have_count(0)
    expect(
        _task_rows(page).filter(has_text=f"Make initial contact with {SURVIVOR_NAME}")
    ).to_have_count(1)
    assert_accessible(page)
    _sign_out(page)

    # With the referral made but no contact yet, the refusal says since when it is pending.
    sign_in(staff.perpetrator_worker.username, PASSWORD)
    _go_to(page, "Perpetrator cases")
    page.get_by_role("link", name=reference).click()
    expect(_survivor_row(page)).to_contain_text("ISS referral made")
    page.get_by_role("button", name="Start the intervention").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        re.compile(
            r"cannot start intervention: no survivor contact established yet for survivor 1 "
            r"\(ISS referral pending since \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\) "
            r"\(rule iss-before-start\)"
        )
    )
    _assert_nothing_of_her(page)
    assert_accessible(page)
    _sign_out(page)

    # The ISS worker reaches her: support accepted.
    sign_in(staff.iss_worker.username, PASSWORD)
    _go_to(page, "Survivor support")
    page.get_by_role("link", name=SURVIVOR_NAME).click()
    _record_attempt(page, outcome="Spoke: support accepted")
    initial_contact = page.get_by_role("definition").filter(has_text="Complete")
    expect(initial_contact).to_contain_text("Spoke: support accepted")
    assert_accessible(page)
    _go_to(page, "My work")
    expect(_task_rows(page).filter(has_text="Make initial contact")).to_have_count(0)
    assert_accessible(page)
    _sign_out(page)

    # Back on his side, contact with survivor 1 is complete and the intervention starts.
    sign_in(staff.perpetrator_worker.username, PASSWORD)
    _go_to(page, "Perpetrator cases")
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text(
        "Assessed: accepted"
    )
    _assert_nothing_of_her(page)
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    survivor = _survivor_row(page)
    expect(survivor).to_contain_text("Complete")
    expect(survivor).to_contain_text("Spoke: support accepted")
    expect(page.get_by_text(re.compile(r"^Every gate passes"))).to_be_visible()
    _assert_nothing_of_her(page)
    assert_accessible(page)

    page.get_by_role("button", name="Start the intervention").click()
    _expect_done(page, "Intervention started")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In intervention")
    expect(page.get_by_role("button", name="Start the intervention")).to_have_count(0)
    _assert_nothing_of_her(page)
    assert_accessible(page)


def test_it_hides_the_survivor_from_the_perpetrator_worker(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staff: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    sign_in(staff.perpetrator_worker.username, PASSWORD)
    reference = _record_referral(page)

    _go_to(page, "Perpetrator cases")
    for words in (SURVIVOR_NAME, SURVIVOR_LAST_NAME, SURVIVOR_PHONE):
        page.get_by_label("Search by case reference or his name").fill(words)
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_title(re.compile(f"^{re.escape(words)} \\W Perpetrator cases"))
        expect(page.get_by_text("No case has that reference or name.")).to_be_visible()
        expect(page.get_by_role("link", name=reference)).to_have_count(0)
    assert_accessible(page)

    her_case = IssCase.objects.get(survivor__last_name=SURVIVOR_LAST_NAME)
    response = page.goto(f"{live_server.url}/support/{her_case.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    _assert_nothing_of_her(page)
    assert_accessible(page)
