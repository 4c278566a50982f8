"""An API write sent twice under one `Idempotency-Key` is done once (issue 12): the repeat gets
the first answer; the key is one person's, for one route, for 24 hours."""

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tandem.cases.models import PerpetratorCase
from tandem.conftest import ServiceStaff
from tandem.idempotency.models import IdempotencyKey

pytestmark = pytest.mark.django_db

KEY = "3f1c0a9e-synthetic-key"


def referral(first_name: str = "Testperson") -> dict[str, Any]:
    return {
        "first_name": first_name,
        "last_name": "Synthetic",
        "date_of_birth": "1985-03-01",
        "received_at": "2026-11-20T10:14:00Z",
        "source": "self",
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, body: dict[str, Any], key: str | None = KEY) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        reverse("v1:case-list"), json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_same_key_sent_twice_records_one_referral_and_answers_the_same(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.perpetrator_worker)

    first = post(client, referral())
    repeat = post(client, referral())

    assert PerpetratorCase.objects.count() == 1
    assert (first.status_code, repeat.status_code) == (201, 201)
    assert repeat.json() == first.json()
    assert repeat["Idempotent-Replayed"] == "true"


def test_without_a_key_each_post_records_a_referral(staffed_service: ServiceStaff) -> None:
    client = signed_in(staffed_service.perpetrator_worker)
    post(client, referral(), key=None)
    post(client, referral(), key=None)
    assert PerpetratorCase.objects.count() == 2


def test_the_same_key_with_a_different_body_is_refused_with_422(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.perpetrator_worker)

    post(client, referral())
    different = post(client, referral(first_name="Otherperson"))

    assert different.status_code == 422
    assert "Idempotency-Key" in different.json()
    assert PerpetratorCase.objects.count() == 1


def test_another_persons_same_key_is_theirs_alone(staffed_service: ServiceStaff) -> None:
    mine = post(signed_in(staffed_service.perpetrator_worker), referral())
    theirs = post(signed_in(staffed_service.service_manager), referral())

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["reference"] != theirs.json()["reference"]
    assert PerpetratorCase.objects.count() == 2


def test_a_refused_request_keeps_nothing_so_it_may_be_corrected_and_sent_again(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.perpetrator_worker)

    refused = post(client, {**referral(), "first_name": ""})
    corrected = post(client, referral())

    assert (refused.status_code, corrected.status_code) == (400, 201)
    assert PerpetratorCase.objects.count() == 1


def test_a_key_is_kept_for_24_hours_then_forgotten(staffed_service: ServiceStaff) -> None:
    worker = staffed_service.perpetrator_worker
    assert post(signed_in(worker), referral()).status_code == 201

    # Signed in afresh each time: a session itself lasts at most 12 hours (tandem.accounts).
    with time_machine.travel(timedelta(hours=23, minutes=59)):
        assert post(signed_in(worker), referral()).status_code == 201
        assert PerpetratorCase.objects.count() == 1
    with time_machine.travel(timedelta(hours=24, minutes=1)):
        assert post(signed_in(worker), referral()).status_code == 201
        assert PerpetratorCase.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_an_anonymous_request_with_a_key_is_refused_as_without_one(db: None) -> None:
    response = post(Client(), referral())
    assert response.status_code in (401, 403)
    assert not IdempotencyKey.objects.exists()


def test_a_key_longer_than_255_characters_is_refused(staffed_service: ServiceStaff) -> None:
    response = post(signed_in(staffed_service.perpetrator_worker), referral(), key="k" * 256)
    assert response.status_code == 400
    assert not PerpetratorCase.objects.exists()


def test_the_schema_says_which_writes_honour_the_key(staffed_service: ServiceStaff) -> None:
    schema = signed_in(staffed_service.perpetrator_worker).get(
        reverse("api-schema"), {"format": "json"}
    )
    create = schema.json()["paths"]["/api/v1/cases/"]["post"]
    assert {"in": "header", "name": "Idempotency-Key"}.items() <= create["parameters"][0].items()
    assert "422" in create["responses"]


CSRF_TOKEN = "idempotencytestcsrftoken00000000"


def browser_session(user: Any) -> Client:
    """A session as a browser holds it: its CSRF check enforced, as the API enforces it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


def test_a_session_with_its_csrf_token_is_served_under_a_key(
    staffed_service: ServiceStaff,
) -> None:
    """Reading who sent it (the session, its CSRF check reading the body) leaves the request
    whole for the view."""
    client = browser_session(staffed_service.perpetrator_worker)
    csrf = {"X-CSRFToken": CSRF_TOKEN, "Idempotency-Key": KEY}
    url = reverse("v1:case-list")

    first = client.post(url, json.dumps(referral()), "application/json", headers=csrf)
    repeat = client.post(url, json.dumps(referral()), "application/json", headers=csrf)

    assert (first.status_code, repeat.status_code) == (201, 201)
    assert PerpetratorCase.objects.count() == 1


def test_under_a_key_a_missing_csrf_token_and_bad_json_are_answered_as_without_one(
    staffed_service: ServiceStaff,
) -> None:
    client = browser_session(staffed_service.perpetrator_worker)
    url = reverse("v1:case-list")
    key = {"Idempotency-Key": KEY}

    no_csrf = client.post(url, json.dumps(referral()), "application/json", headers=key)
    bad_json = client.post(
        url, b"{not json", "application/json", headers={**key, "X-CSRFToken": CSRF_TOKEN}
    )

    assert no_csrf.status_code == 403
    assert bad_json.status_code == 400
    assert not PerpetratorCase.objects.exists()
    assert not IdempotencyKey.objects.exists()
