from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page, Site

from core.text import strip_control_characters
from pages.search import count_search, find, promotions, searchable_pages, suggestion_for

RESULTS_PER_PAGE = 10


def search(request: HttpRequest) -> HttpResponse:
    """Search conditions, treatments and physicians in the visitor's language, forgiving
    accents and typos, with a suggestion when nothing is found and the results editors
    promoted above the first page; the term is counted, not kept (pages.search)."""
    # Control characters cannot be searched for (PostgreSQL refuses NUL in text), nor double
    # quotes (SQLite's full-text search reads them as its own syntax and fails).
    query = strip_control_characters(request.GET.get("q", "")).strip()[:200]
    terms = query.replace('"', " ").strip()
    results = Page.objects.none()
    suggestion = None
    promoted = []
    if terms:
        locale = Locale.get_active()
        pages = searchable_pages(locale)
        results = find(pages, terms)

    paginator = Paginator(results, RESULTS_PER_PAGE)
    page_of_results = paginator.get_page(request.GET.get("page"))
    if terms:
        count_search(request, terms, paginator.count)
        if page_of_results.number == 1:
            promoted = promotions(terms, locale, request)
    if terms and not paginator.count:
        suggestion = suggestion_for(request, pages, terms)

    return TemplateResponse(
        request,
        "pages/search_results.html",
        {
            "search_query": query,
            "results": page_of_results,
            "paginator": paginator,
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
