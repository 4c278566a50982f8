"""The library's API under /api/v1/: who may call it, what it answers, and its OpenAPI schema."""

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.accounts.api_tokens_services import api_token_create
from tandem.api import NOT_SIGNED_IN
from tandem.standards.models import Framework, Requirement, RequirementMapping
from tandem.standards.services import library_load
from tandem.standards.tests.builders import GOOD, write

pytestmark = pytest.mark.django_db

# (URL name, arguments, query string): every route of the library's API.
ROUTES = {
    "frameworks": ("v1:framework-list", [], ""),
    "framework": ("v1:framework-detail", ["respect-2022"], ""),
    "framework requirements": ("v1:framework-requirements", ["respect-2022"], ""),
    "requirement": ("v1:requirement-detail", ["respect-2022", "A1.1"], ""),
    "search": ("v1:requirement-search", [], "?q=24+hours"),
    "mappings": ("v1:mapping-list", [], "?framework=wales-perpetrator"),
}
PASSWORD = "synthetic-test-password-1"


def route_url(route: str) -> str:
    name, args, query = ROUTES[route]
    return reverse(name, args=args) + query


def every_result(client: Client, url: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, following its `next` links."""
    results: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = client.get(next_url).json()
        results.extend(page["results"])
        next_url = page["next"]
    return results


@pytest.fixture
def worker(client_as: Callable[[Role], Client], library: None) -> Client:
    return client_as(Role.PERPETRATOR_WORKER)


# Who may call it


def test_the_routes_are_where_clients_expect_them() -> None:
    assert route_url("frameworks") == "/api/v1/frameworks/"
    assert route_url("requirement") == "/api/v1/frameworks/respect-2022/requirements/A1.1/"
    assert route_url("search") == "/api/v1/requirements/?q=24+hours"
    assert route_url("mappings") == "/api/v1/mappings/?framework=wales-perpetrator"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_it_answers_every_role_on_every_route(
    client_as: Callable[[Role], Client], library: None, role: Role, route: str
) -> None:
    response = client_as(role).get(route_url(route))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("route", ROUTES)
def test_it_refuses_an_anonymous_client_with_a_status_not_a_sign_in_redirect(
    client: Client, library: None, route: str
) -> None:
    response = client.get(route_url(route))

    # Token authentication comes first, so the client is challenged (401) rather than refused,
    # and told how to sign in.
    assert response.status_code == 401
    assert "Location" not in response
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": NOT_SIGNED_IN}


@pytest.mark.parametrize("route", ROUTES)
def test_it_refuses_a_user_without_a_role_on_every_route(
    client: Client, user_without_role: User, library: None, route: str
) -> None:
    client.force_login(user_without_role)

    response = client.get(route_url(route))

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


def test_it_accepts_an_api_token_from_a_user_with_a_role_and_refuses_a_wrong_one(
    client: Client, user_with_role: Callable[[Role], User], library: None
) -> None:
    user = user_with_role(Role.COMMISSIONER)
    _, token = api_token_create(user=user)

    response = client.get(route_url("frameworks"), HTTP_AUTHORIZATION=f"Token {token}")
    other_last = "1" if token.endswith("0") else "0"
    wrong = client.get(
        route_url("frameworks"), HTTP_AUTHORIZATION=f"Token {token[:-1]}{other_last}"
    )

    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Invalid token."}


def test_it_refuses_an_api_token_of_a_user_without_a_role(
    client: Client, user_without_role: User, library: None
) -> None:
    _, token = api_token_create(user=user_without_role)

    response = client.get(route_url("frameworks"), HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 403


def test_it_no_longer_accepts_http_basic_authentication(
    client: Client, user_with_role: Callable[[Role], User], library: None
) -> None:
    """Basic authentication hashed a password on every request, even an anonymous one."""
    user = user_with_role(Role.COMMISSIONER)
    user.set_password(PASSWORD)
    user.save()
    basic = "Basic " + base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()

    response = client.get(route_url("frameworks"), HTTP_AUTHORIZATION=basic)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# What it answers


def test_it_lists_every_framework_with_its_id(worker: Client) -> None:
    response = worker.get(reverse("v1:framework-list"))

    body = response.json()
    assert body["count"] == 6
    by_id = {f["id"]: f for f in body["results"]}
    assert sorted(by_id) == sorted(Framework.objects.values_list("slug", flat=True))
    assert by_id["respect-2022"] == {
        "id": "respect-2022",
        "title": "The Respect Standard",
        "publisher": "Respect",
        "edition": "4th edition",
        "published": 2022,
        "source": "respect-standard-2022.txt",
        "is_current": True,
    }


def test_it_shows_one_framework(worker: Client) -> None:
    response = worker.get(reverse("v1:framework-detail", args=["wales-perpetrator"]))

    assert response.json()["id"] == "wales-perpetrator"
    assert response.json()["publisher"] == "Welsh Government"


def test_it_pages_a_frameworks_requirements_by_limit_and_offset(worker: Client) -> None:
    url = reverse("v1:framework-requirements", args=["respect-2022"])

    first = worker.get(url, {"limit": 10}).json()
    last = worker.get(url, {"limit": 10, "offset": 100}).json()

    assert first["count"] == last["count"] == 103
    assert [r["id"] for r in first["results"]] == [
        "A",
        "A1",
        "A1.1",
        "A2",
        "A2.1",
        "A2.2",
        "A3",
        "A3.1",
        "A3.2",
        "A3.3",
    ]
    assert first["previous"] is None
    assert "limit=10" in first["next"]
    assert "offset=10" in first["next"]
    assert len(last["results"]) == 3
    assert last["next"] is None


def test_it_gives_every_requirement_in_document_order_with_its_parents_id(
    worker: Client,
) -> None:
    requirements = every_result(worker, reverse("v1:framework-requirements", args=["respect-2022"]))

    expected = Requirement.objects.filter(framework__slug="respect-2022").order_by("position")
    assert [r["id"] for r in requirements] == [r.code for r in expected]
    by_id = {r["id"]: r for r in requirements}
    assert by_id["A"]["parent"] is None
    assert by_id["A1"]["parent"] == "A"
    assert by_id["A1.1"]["parent"] == "A1"
    assert by_id["S-B3.3"]["parent"] == "S-B3"
    assert all(r["framework"] == "respect-2022" for r in requirements)
    assert all(r["parent"] is None or r["parent"] in by_id for r in requirements)


def test_it_shows_a_requirement_with_its_guidance_and_every_mapping(worker: Client) -> None:
    response = worker.get(reverse("v1:requirement-detail", args=["respect-2022", "A1.1"]))

    requirement = response.json()
    assert requirement["id"] == "A1.1"
    assert requirement["framework"] == "respect-2022"
    assert requirement["parent"] == "A1"
    assert requirement["level"] == "indicator"
    assert [g["force"] for g in requirement["guidance"]] == ["must", "must"]
    assert requirement["guidance"][0]["text"].startswith("1. The service must have")
    assert requirement["evidence"][0].startswith("Submit the policies and procedures")
    assert requirement["assessment_methods"] == ["written_submission"]
    assert requirement["applies_to"] == []
    mapped = RequirementMapping.objects.filter(
        Q(source__framework__slug="respect-2022", source__code="A1.1")
        | Q(target__framework__slug="respect-2022", target__code="A1.1")
    ).select_related("source__framework", "target__framework")
    assert {(m["source"], m["target"]) for m in requirement["mappings"]} == {
        (str(m.source), str(m.target)) for m in mapped
    }
    assert len(requirement["mappings"]) == 11
    welsh = [m for m in requirement["mappings"] if m["source"].startswith("wales-perpetrator:")]
    assert {m["source"] for m in welsh} == {
        f"wales-perpetrator:{n}" for n in ("16", "17", "18", "20", "21")
    }
    assert {"source": "wales-perpetrator:21", "target": "respect-2022:A1.1"}.items() <= next(
        m for m in welsh if m["source"] == "wales-perpetrator:21"
    ).items()
    assert all(m["relation"] and m["rationale"] for m in requirement["mappings"])


def test_it_searches_requirements_of_every_framework(worker: Client) -> None:
    response = worker.get(reverse("v1:requirement-search"), {"q": "24 hours"})

    found = {(r["framework"], r["id"]) for r in response.json()["results"]}
    assert {
        ("respect-2022", "C1.3"),
        ("respect-2022", "S-B3.3"),
        ("respect-audit-2008", "B3.5"),
    } <= found
    assert response.json()["count"] == len(found)
    c13 = next(r for r in response.json()["results"] if r["id"] == "C1.3")
    assert c13["parent"] == "C1"


def test_it_keeps_a_quoted_phrase_whole_and_searches_one_framework_when_asked(
    worker: Client,
) -> None:
    phrase = worker.get(reverse("v1:requirement-search"), {"q": '"clinical supervision"'}).json()
    in_wales = worker.get(
        reverse("v1:requirement-search"),
        {"q": '"clinical supervision"', "framework": "wales-perpetrator"},
    ).json()
    reversed_phrase = worker.get(reverse("v1:requirement-search"), {"q": '"hours 24"'}).json()

    assert ("respect-2022", "S-B6.5") in {(r["framework"], r["id"]) for r in phrase["results"]}
    assert in_wales["count"] > 0
    assert {r["framework"] for r in in_wales["results"]} == {"wales-perpetrator"}
    assert in_wales["count"] < phrase["count"]
    assert reversed_phrase["count"] == 0


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": '""'}])
def test_it_asks_for_words_when_a_search_has_none(worker: Client, query: dict[str, str]) -> None:
    response = worker.get(reverse("v1:requirement-search"), query)

    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    assert response.json()["q"] == ["Enter at least one word to search for."]


@pytest.mark.parametrize("query", ["%", "_", "100%", "!!!", "'", "\\", "<script>"])
def test_it_never_fails_on_punctuation_or_sql_wildcards(worker: Client, query: str) -> None:
    response = worker.get(reverse("v1:requirement-search"), {"q": query})

    assert response.status_code == 200
    assert response.json()["count"] == sum(
        query in r.search_text for r in Requirement.objects.filter(framework__is_current=True)
    )


def test_it_lists_the_mappings_touching_a_framework(worker: Client) -> None:
    mappings = every_result(worker, reverse("v1:mapping-list") + "?framework=wales-perpetrator")

    assert all(
        "wales-perpetrator:" in (m["source"] + m["target"]) and m["relation"] for m in mappings
    )
    sources = {m["source"] for m in mappings if m["source"].startswith("wales-perpetrator:")}
    assert sources == {f"wales-perpetrator:{n}" for n in range(1, 24)}
    assert len(mappings) == (
        RequirementMapping.objects.filter(
            Q(source__framework__slug="wales-perpetrator")
            | Q(target__framework__slug="wales-perpetrator")
        ).count()
    )


def test_it_lists_every_mapping_when_no_framework_is_named(worker: Client) -> None:
    mappings = every_result(worker, reverse("v1:mapping-list"))

    assert len(mappings) == RequirementMapping.objects.count() > 100
    assert {m["source"].split(":")[0] for m in mappings} >= {
        "wales-perpetrator",
        "west-midlands-dva",
        "respect-audit-2008",
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/frameworks/no-such-framework/",
        "/api/v1/frameworks/no-such-framework/requirements/",
        "/api/v1/frameworks/no-such-framework/requirements/A1.1/",
        "/api/v1/frameworks/respect-2022/requirements/Z9.9/",
        "/api/v1/frameworks/respect-2022/requirements/HO1/",
        "/api/v1/frameworks/respect-2022/?edition=1st+edition",
        "/api/v1/frameworks/respect-2022/requirements/?edition=1st+edition",
        "/api/v1/frameworks/respect-2022/requirements/A1.1/?edition=1st+edition",
    ],
)
def test_it_answers_not_found_in_json(worker: Client, url: str) -> None:
    response = worker.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("No such")


def test_it_lists_a_frameworks_requirements_in_a_fixed_number_of_queries(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("v1:framework-requirements", args=["respect-2022"])
    with django_assert_max_num_queries(10) as few:
        worker.get(url, {"limit": 3})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = worker.get(url, {"limit": 103})
    assert len(response.json()["results"]) == 103


def test_it_lists_mappings_in_a_fixed_number_of_queries(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(10) as few:
        worker.get(reverse("v1:mapping-list"), {"limit": 3})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = worker.get(reverse("v1:mapping-list"), {"limit": 200})
    assert len(response.json()["results"]) == 200


# The OpenAPI schema


def test_it_describes_itself_in_an_openapi_3_document(worker: Client) -> None:
    as_yaml = worker.get(reverse("api-schema"))
    as_json = worker.get(reverse("api-schema"), {"format": "json"})

    assert as_yaml.status_code == as_json.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    document = yaml.safe_load(as_yaml.content)
    assert document == json.loads(as_json.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tandem API"
    assert {
        "/api/v1/frameworks/",
        "/api/v1/frameworks/{slug}/",
        "/api/v1/frameworks/{slug}/requirements/",
        "/api/v1/frameworks/{slug}/requirements/{code}/",
        "/api/v1/requirements/",
        "/api/v1/mappings/",
    } <= set(document["paths"])
    search = document["paths"]["/api/v1/requirements/"]["get"]
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q["required"] is True
    validate_schema(document)


def test_it_generates_its_schema_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--api-version", "v1", "--file", str(path)
    )

    assert (
        "/api/v1/frameworks/{slug}/requirements/{code}/"
        in yaml.safe_load(path.read_text())["paths"]
    )


def test_it_serves_the_schema_only_to_a_signed_in_user(client: Client) -> None:
    response = client.get(reverse("api-schema"))

    assert response.status_code == 401
    assert "Location" not in response


def test_it_names_an_earlier_editions_download_after_its_edition(
    client_as: Callable[[Role], Client], tmp_path: Path
) -> None:
    write(
        tmp_path,
        "old.yaml",
        GOOD.replace("edition: first", "edition: Draft 1").replace(
            "published: 2024", "published: 2020"
        ),
    )
    write(tmp_path, "new.yaml", GOOD)
    library_load(data_dir=tmp_path)

    response = client_as(Role.ASSESSOR).get(
        reverse("standards:framework_download", args=["test-framework", "csv"]),
        {"edition": "Draft 1"},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="test-framework-draft-1.csv"'
