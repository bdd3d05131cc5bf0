"""The sitemaps: ``/sitemap.xml`` is a sitemap index naming one sitemap per language
(``/sitemap-en.xml``, ``/sitemap-es.xml``, …), each listing that language's live public pages
with ``xhtml:link`` alternates for their live translations (and ``x-default`` for the English
page), as search engines expect.

One sitemap of every page in every language grew with the site: about 5 s and 3 MB per request
at 1,000 pages in 3 languages, built anew for every crawler. So each file holds one language,
split into sections of at most ``SITEMAP_SECTION_SIZE`` addresses (1,000: each page's own and
its alternates, so a file holds fewer pages when the site has more languages, and stays the same
size), and every response is built once per content change (:mod:`core.cache`) and served from
the ``pages`` cache after that.

The sections are the pages of Django's sitemap paginator (``/sitemap-en.xml?p=2``), which the
index lists: Django's own sitemap view serves them, and the first section keeps the plain
address, so a language's address never changes as it grows.

The index is built here rather than by Django's ``index`` view, which writes the request's
``Host`` into every address: a cached index must name the Wagtail site's own root URL (as every
other full address the site writes does, :mod:`pages.views` ``robots_txt``), whatever host name
the request that built it came with."""

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.models import Page, PageQuerySet, Site

from core.cache import PAGE_NUMBER, cached_in_generation, publications_stamp
from pages.models.base import public

# The response headers kept with a sitemap's body in the cache.
KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def section_size(languages: int) -> int:
    """The most pages one sitemap file lists, on a site of ``languages`` languages: each page
    writes its own address, one alternate per language and ``x-default``, and a file holds at
    most ``SITEMAP_SECTION_SIZE`` addresses in all. A file's size (and the time to send it)
    then stays the same from three languages to fifteen."""
    return max(1, settings.SITEMAP_SECTION_SIZE // (languages + 2))


def sitemap_site(request: HttpRequest) -> Site:
    """The Wagtail site the request is for, or the default site (as Wagtail's sitemap does)."""
    site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.select_related("root_page").get(is_default_site=True)
    return site


def listed_pages(home: Page) -> PageQuerySet:
    """The pages a language's sitemap lists: live, public, below (and including) its home page,
    never an alias (a copy of another page's content, which names that page as canonical)."""
    return (
        public(Page.objects.live())
        .filter(path__startswith=home.path, alias_of__isnull=True)
        .order_by("path")
        # No page type changes its sitemap entry, so the plain pages will do: one query
        # however many page types there are.
        .defer_streamfields()
    )


class LanguageSitemap(Sitemap):
    """One language's pages of the site, each with its alternates; :func:`section_size` to a
    section (Django's paginator)."""

    def __init__(self, request: HttpRequest, home: Page, languages: int):
        super().__init__(request)
        self.home = home
        self.languages = languages

    @property
    def limit(self) -> int:  # type: ignore[override]
        return section_size(self.languages)

    def items(self) -> PageQuerySet:
        return listed_pages(self.home)

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = self.alternates_for(pages)
        urls = []
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = alternates.get(item.translation_key, [])
                urls.append(url_info)
        last_modified = [url_info.get("lastmod") for url_info in urls]
        if last_modified and None not in last_modified:
            # Django's sitemap view makes it the Last-Modified header.
            self.latest_lastmod = max(last_modified)
        return urls

    def alternates_for(self, pages: list[Page]) -> dict:
        """Live translations of these pages, grouped by translation key: one query."""
        translations = (
            public(Page.objects.live())
            .filter(
                translation_key__in={page.translation_key for page in pages},
                alias_of__isnull=True,
            )
            .select_related("locale")
            .order_by("locale__language_code")
        )
        grouped = defaultdict(list)
        for translation in translations:
            location = translation.get_full_url(self.request)
            code = translation.locale.language_code
            grouped[translation.translation_key].append({"lang_code": code, "location": location})
            if code == settings.LANGUAGE_CODE:
                grouped[translation.translation_key].append(
                    {"lang_code": "x-default", "location": location}
                )
        # A page with no other language needs no alternates.
        return {
            key: links
            for key, links in grouped.items()
            if len({link["lang_code"] for link in links} - {"x-default"}) > 1
        }


def language_homes(site: Site) -> list[Page]:
    """The site's home page in each of its languages (the root page and its translations), for
    the languages the site serves."""
    return list(
        site.root_page.get_translations(inclusive=True)
        .filter(locale__language_code__in=dict(settings.LANGUAGES))
        .select_related("locale")
        .order_by("locale__language_code")
    )


def cached_sitemap(request: HttpRequest, name: str, build) -> HttpResponse:
    """The response ``build()`` makes, kept per site in the ``pages`` cache for the current
    content generation and the last publish (:data:`core.cache.PUBLICATIONS`: a page
    published again has a new date): a crawler's request is two cache reads. A 404 is never
    kept. Without the cache (an outage), it is built for each request, as
    :func:`cached_in_generation` does."""
    site = sitemap_site(request)

    def render() -> tuple[bytes, dict[str, str]]:
        response = build(site)
        response.render()
        headers = {header: response[header] for header in KEPT_HEADERS if header in response}
        return response.content, headers

    key = f"sitemap:{site.pk}:{name}:{publications_stamp(request)}"
    # Not in each process's memo: a crawler reads each file once in a while, and a site of
    # thousands of pages in ten languages has hundreds of them.
    content, headers = cached_in_generation(request, key, render, remember=False)
    return HttpResponse(content, headers=headers)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the sitemap of each language the site has pages in, and of each of its
    sections."""

    def build(site: Site) -> TemplateResponse:
        entries = []
        homes = language_homes(site)
        for home in homes:
            found = listed_pages(home).aggregate(
                count=Count("pk"), last_modified=Max("last_published_at")
            )
            if not found["count"]:  # a sitemap must list at least one URL
                continue
            path = reverse("sitemap_language", kwargs={"language": home.locale.language_code})
            location = f"{site.root_url}{path}"
            sections = -(-found["count"] // section_size(len(homes)))
            entries.append(SitemapIndexItem(location, found["last_modified"]))
            entries.extend(
                SitemapIndexItem(f"{location}?p={number}", found["last_modified"])
                for number in range(2, sections + 1)
            )
        response = TemplateResponse(
            request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
        )
        response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's index says
        return response

    return cached_sitemap(request, "index", build)


def language_sitemap(request: HttpRequest, language: str) -> HttpResponse:
    """``/sitemap-<language>.xml`` (``?p=2`` for its second section): Django's sitemap view of
    one language's pages. Only a language the site has and a section number as the index
    writes it are kept in the cache, so made-up addresses add no entries."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("No sitemap for this language.")
    section = request.GET.get("p", "1")
    if not PAGE_NUMBER.fullmatch(section):
        raise Http404("No such section.")

    def build(site: Site) -> Any:
        homes = language_homes(site)
        home = next((home for home in homes if home.locale.language_code == language), None)
        if home is None:
            raise Http404("The site has no pages in this language.")
        return wagtail_sitemap_views.sitemap(
            request, {language: LanguageSitemap(request, home, len(homes))}, section=language
        )

    return cached_sitemap(request, f"{language}:{section}", build)
