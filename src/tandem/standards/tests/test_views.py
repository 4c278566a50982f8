"""The library's pages: who may open them, what they show, and what they cost in queries."""

import csv
import io
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.standards import downloads
from tandem.standards.models import Framework, Requirement, RequirementMapping

pytestmark = pytest.mark.django_db

SIX_FRAMEWORKS = [
    "home-office-2022",
    "respect-2022",
    "respect-audit-2008",
    "respect-ne-minimum",
    "wales-perpetrator",
    "west-midlands-dva",
]
# (URL name, arguments, query string): every page of the library, and a realistic request to it.
LIBRARY_PAGES = {
    "framework list": ("standards:framework_list", [], ""),
    "framework": ("standards:framework_detail", ["respect-2022"], ""),
    "requirement": ("standards:requirement_detail", ["respect-2022", "A1.1"], ""),
    "search": ("standards:search", [], "?q=24+hours"),
    "csv download": ("standards:framework_download", ["respect-2022", "csv"], ""),
    "json download": ("standards:framework_download", ["respect-2022", "json"], ""),
}
PAGES = {**LIBRARY_PAGES, "home": ("home", [], "")}
# A small fixed number: session, user, the second factor and roles, then the page's own few.
QUERY_BUDGET = 13


def page_url(page: str) -> str:
    name, args, query = PAGES[page]
    return reverse(name, args=args) + query


def requirement_url(slug: str, code: str) -> str:
    return reverse("standards:requirement_detail", args=[slug, code])


def results_found(content: str) -> int:
    found = re.search(r"(\d+) requirements? found for", content)
    assert found, "the page says how many requirements were found"
    return int(found.group(1))


def breadcrumbs(content: str) -> str:
    start = content.index('<nav class="govuk-breadcrumbs"')
    return content[start : content.index("</nav>", start)]


@pytest.fixture
def worker(client_as: Callable[[Role], Client], library: None) -> Client:
    return client_as(Role.PERPETRATOR_WORKER)


# Who may open the pages


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_it_opens_every_page_for_every_role(
    client_as: Callable[[Role], Client], library: None, role: Role, page_name: str
) -> None:
    response = client_as(role).get(page_url(page_name))

    assert response.status_code == 200


@pytest.mark.parametrize("page_name", PAGES)
def test_it_sends_an_anonymous_visitor_to_sign_in_from_every_page(
    client: Client, library: None, page_name: str
) -> None:
    url = page_url(page_name)

    response = client.get(url)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login") == "/sign-in/"
    assert parse_qs(location.query)["next"] == [url]


@pytest.mark.parametrize("page_name", LIBRARY_PAGES)
def test_it_refuses_every_library_page_to_a_user_without_a_role(
    client: Client, user_without_role: User, library: None, page_name: str
) -> None:
    client.force_login(user_without_role)

    response = client.get(page_url(page_name))

    assert response.status_code == 403
    assert "You cannot open this page" in response.text
    assert "24 hours" not in response.text


def test_it_tells_a_user_without_a_role_on_the_home_page_that_there_is_nothing_to_open(
    client: Client, user_without_role: User, library: None
) -> None:
    client.force_login(user_without_role)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Your account has no role yet" in response.text
    assert reverse("standards:framework_list") not in response.text.split("<main", 1)[1]


def test_it_shows_a_user_their_roles_and_the_way_into_the_library_on_the_home_page(
    client_as: Callable[[Role], Client], library: None
) -> None:
    response = client_as(Role.ISS_WORKER).get(reverse("home"))

    assert "(ISS worker or IDVA)" in response.text
    assert "no role yet" not in response.text
    main = response.text.split("<main", 1)[1]
    assert f'href="{reverse("standards:framework_list")}"' in main
    assert f'href="{reverse("standards:search")}"' in main


# Browsing


def test_it_names_all_six_frameworks_on_the_library_page(worker: Client) -> None:
    response = worker.get(reverse("standards:framework_list"))

    for framework in Framework.objects.all():
        assert escape(framework.title) in response.text
        assert f'href="{framework.get_absolute_url()}"' in response.text
    assert sorted(Framework.objects.values_list("slug", flat=True)) == SIX_FRAMEWORKS
    assert "79 indicators" in response.text, "Respect 2022's contents are counted by level"


def test_it_lists_every_requirement_of_a_framework_in_its_contents(worker: Client) -> None:
    response = worker.get(reverse("standards:framework_detail", args=["respect-2022"]))

    assert "The Respect Standard" in response.text
    for code in ("A1.1", "S-B3.3", "I-B3.3", "C1.3", "D"):
        assert f'href="{requirement_url("respect-2022", code)}"' in response.text
    assert '<span class="tandem-ref">C1.3</span>' in response.text
    links = re.findall(r'href="/standards/respect-2022/requirements/[^"/]+/"', response.text)
    assert len(links) == Requirement.objects.filter(framework__slug="respect-2022").count() == 103


def test_it_offers_a_framework_for_download_from_its_page(worker: Client) -> None:
    response = worker.get(reverse("standards:framework_detail", args=["home-office-2022"]))

    assert 'href="/standards/home-office-2022/download.csv"' in response.text
    assert 'href="/standards/home-office-2022/download.json"' in response.text


def test_it_shows_a_requirement_with_its_guidance_evidence_methods_and_mappings(
    worker: Client,
) -> None:
    response = worker.get(requirement_url("respect-2022", "A1.1"))

    page = response.text
    assert "The organisation has written policies, procedures, and strategies" in page
    assert "<code>respect-2022:A1.1</code>" in page
    assert '<strong class="govuk-tag govuk-tag--red">Must</strong>' in page
    assert "Health and safety policy" in page
    assert "How to evidence" in page
    assert "Submit the policies and procedures listed above." in page
    assert "How it is assessed" in page
    assert "<li>Written submission</li>" in page
    assert "Every intervention" in page
    for welsh_standard in ("16", "17", "18", "20", "21"):
        assert f'href="{requirement_url("wales-perpetrator", welsh_standard)}"' in page
    mapped = RequirementMapping.objects.filter(
        Q(source__framework__slug="respect-2022", source__code="A1.1")
        | Q(target__framework__slug="respect-2022", target__code="A1.1")
    ).select_related("source__framework", "target__framework")
    assert mapped.count() == 11
    for mapping in mapped:
        in_respect = mapping.target.framework.slug == "respect-2022"
        other = mapping.source if in_respect else mapping.target
        assert f'href="{other.get_absolute_url()}"' in page
    assert "No requirement in another framework is mapped to this one" not in page


def test_it_says_in_a_sentence_how_a_mapped_requirement_relates(worker: Client) -> None:
    response = worker.get(requirement_url("respect-2022", "A1.1"))

    # Welsh standard 21 is a subset of A1.1, so read from A1.1: "A1.1… covers Wales 21".
    row = re.search(
        r'<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell">'
        r'<a class="govuk-link" href="' + re.escape(requirement_url("wales-perpetrator", "21")),
        response.text,
    )
    assert row is not None
    assert row.group(1) == "covers"
    assert "A1.1…" in response.text


def test_it_says_when_no_other_framework_is_mapped_to_a_requirement(worker: Client) -> None:
    unmapped = (
        Requirement.objects.filter(framework__slug="respect-2022")
        .filter(mappings_in__isnull=True, mappings_out__isnull=True)
        .first()
    )
    assert unmapped is not None

    response = worker.get(requirement_url("respect-2022", unmapped.code))

    assert "No requirement in another framework is mapped to this one" in response.text


def test_it_shows_breadcrumbs_from_the_library_down_to_a_requirements_parent(
    worker: Client,
) -> None:
    response = worker.get(requirement_url("respect-2022", "S-B3.3"))

    trail = re.findall(r'href="([^"]+)"', breadcrumbs(response.text))
    assert trail == [
        reverse("standards:framework_list"),
        reverse("standards:framework_detail", args=["respect-2022"]),
        requirement_url("respect-2022", "B-S"),
        requirement_url("respect-2022", "S-B3"),
    ]


def test_it_lists_the_requirements_within_a_standard(worker: Client) -> None:
    response = worker.get(requirement_url("respect-2022", "A"))

    assert "Within Section A" in response.text
    for child in ("A1", "A2", "A3"):
        assert f'href="{requirement_url("respect-2022", child)}"' in response.text
    trail = re.findall(r'href="([^"]+)"', breadcrumbs(response.text))
    assert len(trail) == 2, "a section has only the library and its framework above it"


@pytest.fixture
def earlier_edition(library: None) -> Framework:
    framework = Framework.objects.create(
        slug="respect-2022",
        edition="3rd edition",
        title="The Respect Standard",
        publisher="Respect",
        published=2017,
        source="respect-standard-2017.txt",
        content_sha256="0" * 64,
        is_current=False,
    )
    Requirement.objects.create(
        framework=framework,
        code="A1.1",
        ref="A1.1",
        level="indicator",
        position=1,
        depth=0,
        text="An earlier wording of the policies indicator.",
        search_text="an earlier wording of the policies indicator.",
    )
    return framework


def test_it_keeps_an_earlier_edition_readable_beside_the_current_one(
    worker: Client, earlier_edition: Framework
) -> None:
    listing = worker.get(reverse("standards:framework_list"))
    framework = worker.get(
        reverse("standards:framework_detail", args=["respect-2022"]), {"edition": "3rd edition"}
    )
    requirement = worker.get(requirement_url("respect-2022", "A1.1"), {"edition": "3rd edition"})

    assert "Earlier edition" in listing.text
    assert f'href="{earlier_edition.get_absolute_url()}"' in listing.text
    assert framework.status_code == 200
    assert "This is an earlier edition" in framework.text
    assert 'href="/standards/respect-2022/requirements/A1.1/?edition=3rd+edition"' in framework.text
    assert "An earlier wording of the policies indicator." in requirement.text
    assert "The organisation has written policies" not in requirement.text


@pytest.mark.parametrize(
    "url",
    [
        "/standards/no-such-framework/",
        "/standards/no-such-framework/requirements/A1.1/",
        "/standards/no-such-framework/download.csv",
        "/standards/respect-2022/requirements/Z9.9/",
        "/standards/respect-2022/requirements/HO1/",
        "/standards/respect-2022/?edition=1st+edition",
        "/standards/respect-2022/requirements/A1.1/?edition=1st+edition",
        "/standards/respect-2022/download.csv?edition=1st+edition",
        "/standards/respect-2022/download.json?edition=1st+edition",
        "/standards/respect-2022/download.xlsx",
        "/standards/respect-2022/download.xml",
        "/standards/respect-2022/download.",
    ],
)
def test_it_answers_not_found_for_what_the_library_does_not_hold(worker: Client, url: str) -> None:
    response = worker.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.text


# Search


def test_it_finds_every_requirement_containing_all_the_words(worker: Client) -> None:
    response = worker.get(reverse("standards:search"), {"q": "24 hours"})

    assert response.status_code == 200
    for code in ("C1.3", "S-B3.3", "C1.7"):
        assert f'href="{requirement_url("respect-2022", code)}"' in response.text
    assert f'href="{requirement_url("respect-audit-2008", "B3.5")}"' in response.text
    containing = Requirement.objects.filter(
        search_text__contains="24", framework__is_current=True
    ).filter(search_text__contains="hours")
    assert results_found(response.text) == containing.count()


def test_it_keeps_a_quoted_phrase_whole(worker: Client) -> None:
    phrase = worker.get(reverse("standards:search"), {"q": '"clinical supervision"'})
    reversed_phrase = worker.get(reverse("standards:search"), {"q": '"hours 24"'})
    reversed_words = worker.get(reverse("standards:search"), {"q": "hours 24"})

    assert f'href="{requirement_url("respect-2022", "S-B6.5")}"' in phrase.text
    assert results_found(reversed_phrase.text) == 0
    assert "No requirement contains every one of those words" in reversed_phrase.text
    assert results_found(reversed_words.text) > 0


def test_it_marks_each_match_in_the_results(worker: Client) -> None:
    words = worker.get(reverse("standards:search"), {"q": "24 hours"})
    phrase = worker.get(reverse("standards:search"), {"q": '"clinical supervision"'})

    assert "<mark>24</mark> <mark>hours</mark>" in words.text
    assert re.search(r"<mark>clinical supervision</mark>", phrase.text, re.IGNORECASE)


def test_it_shows_the_search_form_and_no_results_for_an_empty_query(worker: Client) -> None:
    for query in ({}, {"q": ""}, {"q": "   "}):
        response = worker.get(reverse("standards:search"), query)

        assert response.status_code == 200
        assert 'id="search-q"' in response.text
        assert "found for" not in response.text
        assert "No requirement contains" not in response.text


@pytest.mark.parametrize(
    "query", ["%", "_", "%%", "100%", "a_b", "!!!", "?", '"', '""', '"  "', "'", "\\", "--", "%_"]
)
def test_it_never_fails_on_punctuation_or_sql_wildcards(worker: Client, query: str) -> None:
    response = worker.get(reverse("standards:search"), {"q": query})

    assert response.status_code == 200


@pytest.mark.parametrize("term", ["%", "_", "100%", "%_"])
def test_it_treats_sql_wildcards_as_the_characters_themselves(worker: Client, term: str) -> None:
    response = worker.get(reverse("standards:search"), {"q": term})

    literally_containing = [
        r for r in Requirement.objects.filter(framework__is_current=True) if term in r.search_text
    ]
    assert results_found(response.text) == len(literally_containing)
    assert len(literally_containing) < 10, "a wildcard does not match everything"


def test_it_searches_one_framework_when_asked(worker: Client) -> None:
    response = worker.get(
        reverse("standards:search"), {"q": "24 hours", "framework": "respect-audit-2008"}
    )

    assert f'href="{requirement_url("respect-audit-2008", "B3.5")}"' in response.text
    assert "/standards/respect-2022/requirements/" not in response.text
    assert results_found(response.text) == 1
    assert '<option value="respect-audit-2008" selected>' in response.text


def test_it_finds_nothing_in_a_framework_it_does_not_hold(worker: Client) -> None:
    response = worker.get(reverse("standards:search"), {"q": "24 hours", "framework": "nope"})

    assert response.status_code == 200
    assert results_found(response.text) == 0


def test_it_pages_long_result_lists(worker: Client) -> None:
    first = worker.get(reverse("standards:search"), {"q": "the"})
    second = worker.get(reverse("standards:search"), {"q": "the", "page": "2"})
    beyond = worker.get(reverse("standards:search"), {"q": "the", "page": "9999"})

    assert results_found(first.text) > 50
    assert 'start="1"' in first.text
    assert 'start="26"' in second.text
    assert "Page 2 of" in second.text
    assert 'rel="next"' in first.text
    assert 'rel="prev"' in second.text
    assert beyond.status_code == 200


def test_it_answers_an_htmx_request_with_the_results_alone(worker: Client) -> None:
    fragment = worker.get(reverse("standards:search"), {"q": "24 hours"}, HTTP_HX_REQUEST="true")
    whole = worker.get(reverse("standards:search"), {"q": "24 hours"})

    assert "<html" not in fragment.text
    assert 'id="search-q"' not in fragment.text
    assert f'href="{requirement_url("respect-2022", "C1.3")}"' in fragment.text
    assert "<html" in whole.text
    assert results_found(fragment.text) == results_found(whole.text)


def test_it_tells_caches_that_the_search_page_depends_on_hx_request(worker: Client) -> None:
    response = worker.get(reverse("standards:search"), {"q": "24 hours"})

    assert "HX-Request" in response.get("Vary", "")


def test_it_answers_an_htmx_history_restore_with_the_whole_page(worker: Client) -> None:
    response = worker.get(
        reverse("standards:search"),
        {"q": "24 hours"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert 'id="search-q"' in response.text


def test_it_shows_a_search_for_markup_as_text(worker: Client) -> None:
    baseline = worker.get(reverse("standards:search"))
    whole = worker.get(reverse("standards:search"), {"q": "<script>alert(1)</script>"})
    fragment = worker.get(
        reverse("standards:search"), {"q": "<script>alert(1)</script>"}, HTTP_HX_REQUEST="true"
    )

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in whole.text
    assert whole.text.count("<script") == baseline.text.count("<script")
    assert "alert(1)</script>" not in whole.text
    assert "&lt;script&gt;" in fragment.text
    assert "<script" not in fragment.text


def test_it_keeps_the_library_text_escaped_around_marked_matches(worker: Client) -> None:
    response = worker.get(
        reverse("standards:search"), {"q": "abuse", "framework": "west-midlands-dva"}
    )

    assert "domestic violence &amp; <mark>abuse</mark>" in response.text


def test_it_never_marks_a_match_inside_an_escaped_character(worker: Client) -> None:
    response = worker.get(reverse("standards:search"), {"q": "a", "framework": "west-midlands-dva"})

    assert results_found(response.text) > 0
    assert not re.search(r"&[#\w]*<mark>", response.text)


# Downloads


def test_it_downloads_a_framework_as_a_csv_table_with_one_row_per_requirement(
    worker: Client,
) -> None:
    response = worker.get(reverse("standards:framework_download", args=["respect-2022", "csv"]))

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="respect-2022.csv"'
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == downloads.CSV_COLUMNS
    ids = list(
        Requirement.objects.filter(framework__slug="respect-2022")
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert [row[header.index("id")] for row in rows] == ids
    assert len(rows) == 103
    assert all(len(row) == len(header) for row in rows)
    by_id = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id["A1.1"]["parent"] == "A1"
    assert by_id["A1.1"]["assessment_methods"] == "written_submission"
    assert by_id["A1.1"]["guidance"].startswith("[must] 1. The service must have")


def test_it_lists_in_the_csv_what_each_requirement_maps_to(worker: Client) -> None:
    response = worker.get(
        reverse("standards:framework_download", args=["wales-perpetrator", "csv"])
    )

    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_id = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in rows}
    assert "respect-2022:A1.1 (intersect)" in by_id["16"]["mapped_to"]
    assert "respect-2022:A1.1 (subset)" in by_id["21"]["mapped_to"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("- a bullet point", "'- a bullet point"),
        ("@import", "'@import"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("A1.1", "A1.1"),
        ("Staff are trained = supported", "Staff are trained = supported"),
        ("", ""),
    ],
)
def test_it_keeps_spreadsheets_from_running_a_cell_as_a_formula(value: str, written: str) -> None:
    assert downloads._cell(value) == written


def test_it_writes_no_cell_of_the_library_that_a_spreadsheet_would_run(worker: Client) -> None:
    response = worker.get(
        reverse("standards:framework_download", args=["respect-ne-minimum", "csv"])
    )

    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_id = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in rows}
    assert Requirement.objects.get(framework__slug="respect-ne-minimum", code="4.9").text[0] == "-"
    assert by_id["4.9"]["text"].startswith("'- All groups")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_it_downloads_a_framework_as_json_with_the_mappings_that_touch_it(
    worker: Client,
) -> None:
    response = worker.get(reverse("standards:framework_download", args=["respect-2022", "json"]))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="respect-2022.json"'
    document = json.loads(response.content)
    assert [f["id"] for f in document["frameworks"]] == ["respect-2022"]
    framework = document["frameworks"][0]
    assert framework["title"] == "The Respect Standard"
    assert len(framework["requirements"]) == 103
    a11 = next(r for r in framework["requirements"] if r["id"] == "A1.1")
    assert (a11["parent"], a11["level"]) == ("A1", "indicator")
    assert a11["guidance"][0]["force"] == "must"
    touching = RequirementMapping.objects.filter(
        Q(source__framework__slug="respect-2022") | Q(target__framework__slug="respect-2022")
    ).select_related("source__framework", "target__framework")
    assert {(m["source"], m["target"]) for m in document["mappings"]} == {
        (str(m.source), str(m.target)) for m in touching
    }
    assert len(document["mappings"]) == touching.count() > 0
    assert {
        "source": "wales-perpetrator:21",
        "target": "respect-2022:A1.1",
        "relation": "subset",
        "rationale": RequirementMapping.objects.get(
            source__framework__slug="wales-perpetrator", source__code="21", target__code="A1.1"
        ).rationale,
    } in document["mappings"]


def test_it_downloads_the_edition_asked_for(worker: Client, earlier_edition: Framework) -> None:
    response = worker.get(
        reverse("standards:framework_download", args=["respect-2022", "csv"]),
        {"edition": "3rd edition"},
    )

    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [(row[header.index("edition")], row[header.index("id")]) for row in rows] == [
        ("3rd edition", "A1.1")
    ]


# Cost: the number of queries does not grow with the number of rows shown


def test_it_shows_a_framework_of_103_requirements_in_as_few_queries_as_one_of_7(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    assert Requirement.objects.filter(framework__slug="home-office-2022").count() == 7
    with django_assert_max_num_queries(QUERY_BUDGET) as small:
        worker.get(reverse("standards:framework_detail", args=["home-office-2022"]))

    with django_assert_max_num_queries(len(small.captured_queries)):
        worker.get(reverse("standards:framework_detail", args=["respect-2022"]))


def test_it_shows_a_requirement_with_many_children_in_as_few_queries_as_one_with_one(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    assert Requirement.objects.get(framework__slug="respect-2022", code="A1").children.count() == 1
    with django_assert_max_num_queries(QUERY_BUDGET) as small:
        worker.get(requirement_url("respect-2022", "A1"))

    assert Requirement.objects.get(framework__slug="respect-2022", code="S-B3").children.count() > 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        worker.get(requirement_url("respect-2022", "S-B3"))


def test_it_shows_a_broad_search_in_as_few_queries_as_a_narrow_one(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(QUERY_BUDGET) as narrow:
        response = worker.get(reverse("standards:search"), {"q": '"within 24 hours from being"'})
    assert results_found(response.text) == 1

    with django_assert_max_num_queries(len(narrow.captured_queries)):
        response = worker.get(reverse("standards:search"), {"q": "the"})
    assert results_found(response.text) > 25


def test_it_lists_the_library_in_a_fixed_number_of_queries(
    worker: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(QUERY_BUDGET):
        worker.get(reverse("standards:framework_list"))
