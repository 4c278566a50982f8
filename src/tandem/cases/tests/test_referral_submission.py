"""Submitting the referral form (issue 12): what it says on success stays on the server, never
in a cookie; and a second submission of the same form records nothing twice."""

import re

import pytest
from django.urls import reverse

from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.test_views import referral_post, signed_in
from tandem.conftest import ServiceStaff
from tandem.support.models import Survivor

pytestmark = pytest.mark.django_db


def test_the_message_after_a_referral_is_kept_on_the_server_not_in_a_cookie(
    staffed_service: ServiceStaff,
) -> None:
    """Flash messages in the `messages` cookie carried what they said (a survivor's address,
    a case reference) to the browser, base64-encoded; session storage keeps them server-side."""
    client = signed_in(staffed_service.perpetrator_worker)

    recorded = client.post(reverse("cases:referral_new"), referral_post(staffed_service.service.pk))
    case_page = client.get(recorded["Location"])

    case = PerpetratorCase.objects.get()
    assert recorded.status_code == 302
    assert "messages" not in recorded.cookies
    assert "messages" not in client.cookies
    assert f"Referral recorded as case {case.reference}" in case_page.content.decode()
    # Shown once, and gone.
    again = client.get(recorded["Location"]).content.decode()
    assert f"Referral recorded as case {case.reference}" not in again


def form_token(page: str) -> str:
    found = re.search(r'name="idempotency_token" value="([0-9a-f]+)"', page)
    assert found, "the form carries no idempotency token"
    return found.group(1)


def test_the_same_referral_form_sent_twice_records_one_referral(
    staffed_service: ServiceStaff,
) -> None:
    """A double click, or a resend after a slow answer: the repeat goes to the first's case."""
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("cases:referral_new")
    sent = {
        **referral_post(staffed_service.service.pk),
        "idempotency_token": form_token(client.get(url).content.decode()),
    }

    first = client.post(url, sent)
    repeat = client.post(url, sent)

    case = PerpetratorCase.objects.get()
    assert Survivor.objects.count() == 1
    assert first.status_code == repeat.status_code == 302
    assert (
        first["Location"]
        == repeat["Location"]
        == reverse("cases:case_detail", args=[case.reference])
    )
    assert "sent twice: it was recorded once" in client.get(repeat["Location"]).content.decode()


def test_each_new_referral_form_has_its_own_token(staffed_service: ServiceStaff) -> None:
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("cases:referral_new")
    for name in ("Firstperson", "Secondperson"):
        token = form_token(client.get(url).content.decode())
        sent = referral_post(staffed_service.service.pk, first_name=name, idempotency_token=token)
        assert client.post(url, sent).status_code == 302
    assert PerpetratorCase.objects.count() == 2


def test_a_form_shown_again_with_errors_keeps_its_token_and_records_once(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("cases:referral_new")
    token = form_token(client.get(url).content.decode())
    corrected = referral_post(staffed_service.service.pk, idempotency_token=token)

    with_errors = client.post(url, {**corrected, "last_name": ""})
    client.post(url, corrected)
    client.post(url, corrected)

    assert form_token(with_errors.content.decode()) == token
    assert PerpetratorCase.objects.count() == 1
