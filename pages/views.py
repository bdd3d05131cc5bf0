from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Locale, Site

from core.text import strip_control_characters
from pages.search import (
    RESULTS_PER_PAGE,
    SHOWN,
    count_search,
    promotions,
    ranked,
    result_pages,
    searchable_pages,
    suggestion_for,
)


def search(request: HttpRequest) -> HttpResponse:
    """Search conditions, treatments and physicians in the visitor's language, forgiving
    accents and typos, with a suggestion when nothing is found and the results editors
    promoted above the first page; the term is counted, not kept (pages.search).

    At most a hundred results are offered, ten pages of ten, read once per search and content
    generation (``pages.search.ranked``); a search that finds more says so ("More than 100
    results") rather than counting them all, so that its cost stays the same however large the
    site grows. A page of results then reads its ten pages in one query."""
    # Control characters cannot be searched for (PostgreSQL refuses NUL in text), nor double
    # quotes (SQLite's full-text search reads them as its own syntax and fails).
    query = strip_control_characters(request.GET.get("q", "")).strip()[:200]
    terms = query.replace('"', " ").strip()
    found: list[int] = []
    suggestion = None
    promoted = []
    if terms:
        locale = Locale.get_active()
        pages = searchable_pages(locale)
        found = ranked(request, locale, pages, terms)

    paginator = Paginator(found[:SHOWN], RESULTS_PER_PAGE)
    page_of_results = paginator.get_page(request.GET.get("page"))
    page_of_results.object_list = result_pages(list(page_of_results.object_list))
    if terms:
        count_search(request, terms, len(found))
        if page_of_results.number == 1:
            promoted = promotions(terms, locale, request)
    if terms and not found:
        suggestion = suggestion_for(request, pages, terms)

    return TemplateResponse(
        request,
        "pages/search_results.html",
        {
            "search_query": query,
            "results": page_of_results,
            "paginator": paginator,
            "more_results": len(found) > SHOWN,
            "suggestion": suggestion,
            "promotions": promoted,
        },
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt, whose sitemap address is the Site's, like every other full URL the site
    writes, whatever ``Host`` the request came with."""
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    root_url = site.root_url if site else f"{request.scheme}://{request.get_host()}"
    return TemplateResponse(
        request, "robots.txt", {"sitemap_url": f"{root_url}/sitemap.xml"}, content_type="text/plain"
    )
