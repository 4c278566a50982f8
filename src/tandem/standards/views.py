"""Pages of the standards library: browse, read a requirement, search, download."""

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify

from tandem.access.permissions import permission_required_or_403
from tandem.standards import selectors
from tandem.standards.downloads import framework_csv
from tandem.standards.rules import VIEW_LIBRARY
from tandem.standards.text import search_excerpt

SEARCH_PAGE_SIZE = 25


@permission_required_or_403(VIEW_LIBRARY)
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list_for_user(user=request.user)
    return render(request, "standards/framework_list.html", {"frameworks": frameworks})


@permission_required_or_403(VIEW_LIBRARY)
def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = selectors.framework_get_for_user(
        user=request.user, slug=slug, edition=request.GET.get("edition")
    )
    tree = selectors.requirement_tree_for_user(user=request.user, framework=framework)
    return render(
        request, "standards/framework_detail.html", {"framework": framework, "tree": tree}
    )


@permission_required_or_403(VIEW_LIBRARY)
def requirement_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    framework = selectors.framework_get_for_user(
        user=request.user, slug=slug, edition=request.GET.get("edition")
    )
    page = selectors.requirement_page_for_user(user=request.user, framework=framework, code=code)
    return render(
        request,
        "standards/requirement_detail.html",
        {"framework": framework, "page": page, "requirement": page.requirement},
    )


@permission_required_or_403(VIEW_LIBRARY)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    framework_slug = request.GET.get("framework") or None
    results = selectors.requirement_search_for_user(
        user=request.user, query=query, framework_slug=framework_slug
    )
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    terms = selectors.search_terms(query)
    hits = [(r, search_excerpt(r, terms)) for r in page.object_list]
    context = {
        "query": query,
        "framework_slug": framework_slug,
        "frameworks": selectors.framework_list_for_user(user=request.user).filter(is_current=True),
        "page": page,
        "hits": hits,
    }
    # HTMX swaps in just the results; restoring history after "Back" needs the whole page.
    fragment = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "standards/_search_results.html" if fragment else "standards/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@permission_required_or_403(VIEW_LIBRARY)
def framework_download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    framework = selectors.framework_get_for_user(
        user=request.user, slug=slug, edition=request.GET.get("edition")
    )
    filename = (
        framework.slug if framework.is_current else f"{framework.slug}-{slugify(framework.edition)}"
    )
    if file_format == "csv":
        response = HttpResponse(framework_csv(framework=framework), content_type="text/csv")
    else:
        frameworks = selectors.framework_list_for_user(user=request.user).filter(pk=framework.pk)
        document = selectors.library_export(frameworks=frameworks)
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
