"""Submitting the referral form (issue 12): what it says on success stays on the server, never
in a cookie; and a second submission of the same form records nothing twice."""

import pytest
from django.urls import reverse

from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.test_views import referral_post, signed_in
from tandem.conftest import ServiceStaff

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
