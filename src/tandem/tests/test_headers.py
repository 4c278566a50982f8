"""Response headers (issue 12): a Content-Security-Policy without 'unsafe-inline', a
Permissions-Policy denying the devices Tandem never uses, Referrer-Policy same-origin, and
`Cache-Control: no-store` on every page for a signed-in user, every API response and every
download; HTTPS settings only when TANDEM_HTTPS is on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tandem.conftest import ServiceStaff
from tandem.governance.tests.builders import policy_with_document

pytestmark = pytest.mark.django_db


def directives(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_private_headers(response: object) -> None:
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]  # type: ignore[index]
    permissions = response["Permissions-Policy"]  # type: ignore[index]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"  # type: ignore[index]
    assert "no-store" in response["Cache-Control"]  # type: ignore[index]


def test_a_page_for_a_signed_in_user_is_never_stored(staffed_service: ServiceStaff) -> None:
    client = Client()
    client.force_login(staffed_service.service_manager)
    response = client.get(reverse("cases:case_list"))
    assert response.status_code == 200
    assert_private_headers(response)


def test_a_page_has_no_inline_script_or_style_for_the_policy_to_refuse(
    staffed_service: ServiceStaff,
) -> None:
    client = Client()
    client.force_login(staffed_service.service_manager)
    page = client.get(reverse("cases:case_list")).text
    assert "<script>" not in page
    assert '<script type="module">' not in page
    assert "<style" not in page
    assert " style=" not in page


def test_the_sign_in_page_has_the_policies_too() -> None:
    response = Client().get(reverse("login"))
    assert directives(response)["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("signed_in", [True, False])
def test_every_api_response_is_never_stored(staffed_service: ServiceStaff, signed_in: bool) -> None:
    client = APIClient()
    if signed_in:
        client.force_authenticate(staffed_service.service_manager)
    response = client.get(reverse("v1:governance-calendar", args=[staffed_service.service.pk]))
    assert response.status_code == (200 if signed_in else 401)
    assert_private_headers(response)


def test_a_download_is_never_stored(
    staffed_service: ServiceStaff, settings: LazySettings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    manager = staffed_service.service_manager
    policy = policy_with_document(staffed_service)
    client = Client()
    client.force_login(manager)
    response = client.get(
        reverse("governance:policy_document", args=[staffed_service.service.pk, policy.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_private_headers(response)


HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
]


def settings_under(environment: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """The HTTPS settings as a fresh process reads them from this environment."""
    script = (
        "import json, django.conf.global_settings as g, tandem.settings as s;"
        f"print(json.dumps({{n: getattr(s, n, getattr(g, n)) for n in {HTTPS_SETTINGS!r}}}))"
    )
    env = {**os.environ, "TANDEM_VAR_DIR": str(tmp_path), **environment}
    for name in ("TANDEM_HTTPS", "TANDEM_TRUSTED_PROXY_COUNT", "DEBUG"):
        if name not in environment:
            env.pop(name, None)
    # Our own interpreter and a fixed script: nothing from outside reaches the command.
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    read: dict[str, object] = json.loads(done.stdout)
    return read


def test_https_settings_are_off_unless_tandem_https_is_on(tmp_path: Path) -> None:
    """With DEBUG on and no HTTPS, nothing asks for HTTPS (with DEBUG off the cookies are still
    sent over HTTPS only)."""
    assert settings_under({"DEBUG": "on"}, tmp_path) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }
    assert settings_under({}, tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_tandem_https_redirects_sends_hsts_and_secures_the_cookies(tmp_path: Path) -> None:
    read = settings_under({"TANDEM_HTTPS": "on", "DEBUG": "on"}, tmp_path)
    assert read["SECURE_SSL_REDIRECT"] is True
    assert read["SECURE_HSTS_SECONDS"] == 31_536_000
    assert read["SESSION_COOKIE_SECURE"] is read["CSRF_COOKIE_SECURE"] is True
    assert read["SECURE_PROXY_SSL_HEADER"] is None


def test_the_proxy_https_header_is_believed_only_behind_trusted_proxies(tmp_path: Path) -> None:
    read = settings_under({"TANDEM_HTTPS": "on", "TANDEM_TRUSTED_PROXY_COUNT": "1"}, tmp_path)
    assert read["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
