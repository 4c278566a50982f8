"""Request limits (issue 12): a body over its size limit and JSON nested deeper than its depth
limit are refused with 400 and a message saying so, on pages and in the API, never a 500."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tandem.cases.models import PerpetratorCase
from tandem.conftest import ServiceStaff

pytestmark = pytest.mark.django_db

LIMIT = settings.TANDEM_REQUEST_MAX_BYTES
DEPTH = settings.TANDEM_JSON_MAX_DEPTH


def signed_in(staff: ServiceStaff) -> Client:
    client = Client()
    client.force_login(staff.perpetrator_worker)
    return client


def referral_json(*, size: int | None = None, **extra: Any) -> bytes:
    """A self-referral as JSON, padded with spaces to exactly `size` bytes when asked."""
    body = {
        "first_name": "Testperson",
        "last_name": "Synthetic",
        "date_of_birth": "1985-03-01",
        "received_at": "2026-11-20T10:14:00Z",
        "source": "self",
        **extra,
    }
    encoded = json.dumps(body).encode()
    if size is not None:
        assert len(encoded) <= size
        encoded += b" " * (size - len(encoded))
    return encoded


def nested(depth: int) -> Any:
    """A JSON value `depth` arrays deep."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def deeply_nested_referral(depth: int) -> bytes:
    """A referral with a field `depth - 1` arrays deep, written out as text: too deep for
    Python's own encoder to write."""
    body = referral_json(notes="NOTES")
    return body.replace(b'"NOTES"', b"[" * (depth - 1) + b"]" * (depth - 1))


def post_referral(client: Client, body: bytes) -> Any:
    return client.post(reverse("v1:case-list"), body, content_type="application/json")


def test_an_api_body_exactly_at_the_limit_is_accepted(staffed_service: ServiceStaff) -> None:
    response = post_referral(signed_in(staffed_service), referral_json(size=LIMIT))
    assert response.status_code == 201, response.content[:500]


def test_an_api_body_one_byte_over_the_limit_is_refused_with_400(
    staffed_service: ServiceStaff,
) -> None:
    response = post_referral(signed_in(staffed_service), referral_json(size=LIMIT + 1))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["What was sent is too large: at most 1 MB can be sent at once."]
    }
    assert not PerpetratorCase.objects.exists()


def test_a_form_exactly_at_the_limit_is_read_and_one_byte_over_is_refused(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service)
    url = reverse("cases:referral_new")
    prefix = b"first_name=Testperson&padding="
    at_limit = prefix + b"x" * (LIMIT - len(prefix))
    form_type = "application/x-www-form-urlencoded"

    read = client.post(url, at_limit, content_type=form_type)
    refused = client.post(url, at_limit + b"x", content_type=form_type)

    # Read: the form comes back with what is missing (his last name, and so on).
    assert read.status_code == 200
    assert "Testperson" in read.content.decode()
    assert refused.status_code == 400
    assert "at most 1 MB can be sent at once" in refused.content.decode()


@override_settings(TANDEM_UPLOAD_REQUEST_MAX_BYTES=2 * LIMIT)
def test_an_upload_has_its_own_larger_limit(staffed_service: ServiceStaff) -> None:
    """An upload over the limit of other requests still reaches its page; over its own, 400."""
    client = signed_in(staffed_service)
    boundary = "limits"
    multipart = f"multipart/form-data; boundary={boundary}"

    def upload(size: int) -> Any:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        body = head + b"x" * (size - len(head) - len(tail)) + tail
        return client.post(reverse("cases:referral_new"), body, content_type=multipart)

    assert upload(LIMIT + 1).status_code == 200
    assert upload(2 * LIMIT).status_code == 200
    refused = upload(2 * LIMIT + 1)
    assert refused.status_code == 400
    assert "at most 2 MB with the files attached" in refused.content.decode()


def test_json_nested_exactly_to_the_depth_limit_is_accepted(
    staffed_service: ServiceStaff,
) -> None:
    # The body itself is one level; an unknown field nested one less brings it to the limit.
    body = referral_json(notes=nested(DEPTH - 1))
    response = post_referral(signed_in(staffed_service), body)
    assert response.status_code == 201, response.content[:500]


@pytest.mark.parametrize("depth", [DEPTH + 1, 100_000], ids=["one-over", "far-over"])
def test_json_nested_deeper_than_the_limit_is_refused_with_400(
    staffed_service: ServiceStaff, depth: int
) -> None:
    """Far over, Python's parser runs out of stack (a RecursionError, a 500 before)."""
    response = post_referral(signed_in(staffed_service), deeply_nested_referral(depth))
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON nested more than {DEPTH} levels deep is not accepted."
    }
    assert not PerpetratorCase.objects.exists()
