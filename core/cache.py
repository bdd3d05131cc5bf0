"""Caching of the public site for anonymous visitors: three layers and a memo.

All of them share one *content generation*, a random token in the ``pages`` cache that changes
whenever what every page shows may have changed: a page unpublished, moved, reordered, renamed
or deleted, published for the first time or with a new title; the clinic settings, an image, a
document, a site, a locale or a privacy restriction saved (pages.signals lists each change and
the signal that reports it; a draft, an autosave or a workflow step is none of them). Every
entry carries the generation it was made in, so one write invalidates the whole site at once,
in every language: a menu, a list of treatments or a language switcher on one page depends on
many others.

The common change, a live page published again with new content, must not empty the cache
of a site of thousands of pages in ten languages on a day of editing. Each whole page is also
stored with the *stamp* of its address (:func:`stamp_key`), and a publish renews the stamps of
the pages that show the changed one only (:func:`invalidate_pages`,
:func:`core.dependents.pages_showing`), and the stamp of the site-wide lists of pages (the
sitemaps' dates, the search's results: :data:`PUBLICATIONS`). The stamp comes in the same
round trip as the page.

1. :class:`PageCacheMiddleware`, the full-page cache, keeps whole rendered pages
   (``X-Cache: hit`` or ``miss``), for most visitors' requests.
2. :class:`RoutingCacheMiddleware`, the routing cache, keeps which site answers a host name,
   the site roots every page URL is built from and which page a path leads to, so that Wagtail
   neither queries the sites nor walks down the page tree, one query per level.
3. :func:`cached_for_site`, the fragment cache, keeps what every page repeats: the clinic
   settings, the menu, the links in the header and footer, the breadcrumbs, the language
   switcher, and whether any page is private.
4. :data:`memo` keeps this process's copy of the routing and fragment entries of the current
   generation, so that a page reads the generation from Redis and nothing else.

Layers 2 to 4 hold the site's structure and settings, never a page's own content, which is read
and rendered anew when the page is not in the full-page cache. What each saves there, measured
with ``python -m bench.cache_layers`` on the English condition page of the demo clinic
(Django's test client in-process, 500 requests a row; 2026-12-04, 2 cores (AMD EPYC, shared
with other work), Python 3.11, Django 5.2, Wagtail 8.0, both caches in Redis on 127.0.0.1;
median times on SQLite 3.40 and on PostgreSQL 15):

=================================== =========== ============= ========= =============
a condition page                    SQL queries Redis round   SQLite    PostgreSQL
                                                trips
=================================== =========== ============= ========= =============
from the full-page cache            0           1             0.22 ms   0.27 ms
not in it: layers 2, 3 and 4        6           1             8.7 ms    9.9 ms
… without the memo (4)              6           13            9.9 ms    11.2 ms
… without the fragment cache (3)    14          1             12.1 ms   14.4 ms
… without the routing cache (2)     13          2             11.5 ms   13.5 ms
… without 2, 3 or 4                 21          2             14.8 ms   17.7 ms
=================================== =========== ============= ========= =============

So the routing cache saves 7 queries and about 3 ms a page, the fragment cache 8 queries and
3.5 to 4.5 ms, the memo 12 round trips and 1.2 ms (more where Redis is across a network).

What the layers need from Wagtail's private internals (the memos Wagtail keeps on the request,
the identity of its page view) goes through :mod:`core.framework_internals`, whose tests fail
when a Wagtail upgrade changes them.

The ``pages`` cache is Redis in production (shared by every worker, so one invalidation reaches
them all) and never a per-process memory cache there. If Redis goes away, every lookup misses at
once (:mod:`core.redis_cache` skips Redis for a while after a failure) and the site keeps serving,
uncached. Each process keeps the last content generation it read (:data:`known`), so that its
memo keeps serving the routes and fragments meanwhile; a change published while Redis is away
starts a new generation in that process, written to Redis when it answers again.

The full-page cache's keys are bounded, whatever clients send: the host is replaced by the site
that answers it (a host name no site has is answered by the default site, and shares its
entries), and the only query strings kept are those a page declares it shows
(:func:`shows_query`): a page number that a listing has, the physician directory's filters
that match what it offers; a page with any other query string is served, never stored."""

import hashlib
import pickle
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page, Site

from . import framework_internals as internals
from .redis_cache import unavailable

GENERATION_KEY = "content-generation"

# Cache-Control directives that mean a response is for one visitor only (never_cache sets them
# on the request forms, their confirmations and the rate-limit page).
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}

# ?page= values the full-page cache looks up: a page number as a listing's links write it.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")

# The other parameters the full-page cache looks up: the physician directory's filters
# (pages.directory), each a slug, a language code or a checkbox's "1". A page stores such an
# address only when it declares it applied exactly these values (shows_query), so a made-up
# one costs a lookup and never an entry.
FILTER_PARAMETERS = frozenset({"condition", "language", "location", "new_patients", "video"})
FILTER_VALUE = re.compile(r"[\w-]{1,100}")


def page_cache():
    return caches["pages"]


# The generation of the request being served, for code that has no request at hand (set by
# RoutingCacheMiddleware).
current_generation: ContextVar[str | None] = ContextVar("content_generation", default=None)


class KnownGeneration:
    """This process's last known content generation: the one it uses while the cache does not
    answer, rather than a new one per request that would make its memo useless. ``unwritten``
    when this process started it while the cache was away (a change was published then), so
    that it is written when the cache answers again and every process sees the change."""

    def __init__(self) -> None:
        self.value: str | None = None
        self.unwritten = False


known = KnownGeneration()


def content_generation(request: HttpRequest | None = None) -> str:
    """The current content generation, read once per request."""
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
    if request is None and (generation := current_generation.get()) is not None:
        return generation
    generation = settle_generation(page_cache().get(GENERATION_KEY))
    if request is not None:
        request._content_generation = generation  # type: ignore[attr-defined]
    return generation


def settle_generation(found: str | None) -> str:
    """The current content generation, given what the cache answered for it (``found``)."""
    cache = page_cache()
    if found is None and unavailable(cache):
        if known.value is None:  # this process started during the outage
            known.value = uuid.uuid4().hex
        return known.value
    if known.unwritten and known.value is not None:
        generation = known.value
        cache.set(GENERATION_KEY, generation, timeout=None)
        known.unwritten = unavailable(cache)
        return generation
    if found is None:
        # First use, or the cache lost it (evicted, restarted): start a new generation, which
        # makes every older entry unreachable. add() keeps a concurrent worker's token.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        found = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    known.value = found
    return found


def generation_key(key: str, key_prefix: str, version: int) -> str:
    """The KEY_FUNCTION of caches kept in each process's memory that hold what the site shows (the
    image renditions): their keys carry the current content generation, so that a change any
    process makes leaves the older entries of every process behind."""
    return f"{key_prefix}:{version}:{content_generation()}:{key}"


def invalidate_site_content(**kwargs: Any) -> None:
    """Forget every cached page and fragment (connected to the signals in pages.signals).

    Now, and again when the transaction commits: a page rendered between the two from data not
    yet committed is then never served."""
    new_generation()
    transaction.on_commit(new_generation)


# The stamp of everything that lists pages by their content across the site (the sitemaps'
# dates, the search's results): renewed by every change, targeted or not.
PUBLICATIONS = "stamp:publications"


def stamp_key(path: str) -> str:
    """The key of the stamp of the page at ``path``, its address without the host and query (a
    listing's later pages and the directory's filters share it)."""
    return f"stamp:{path}"


def invalidate_pages(pages: Iterable[Page]) -> None:
    """Forget the cached copies of these pages only, under every query string, and the
    site-wide lists of pages (:data:`PUBLICATIONS`): a new stamp for each page's address, now
    and again when the transaction commits (as :func:`invalidate_site_content`). The shared
    fragments and routes stay: the caller knows the change left what they show alone.

    ``pages`` need their locale (``select_related``), from which their address is worked out
    without a query (:func:`core.dependents.pages_showing` gives them so)."""
    keys = {PUBLICATIONS}
    for page in pages:
        parts = page.get_url_parts()
        if parts is not None:
            _site_id, _root_url, path = parts
            keys.add(stamp_key(path))
    renew_stamps(keys)
    transaction.on_commit(lambda: renew_stamps(keys))


def renew_stamps(keys: Iterable[str]) -> None:
    """One new token for all of ``keys``, in one round trip. Stamps never expire: a site has one
    per page address, and an evicted one only costs the entries made under it."""
    token = uuid.uuid4().hex
    page_cache().set_many(dict.fromkeys(keys, token), timeout=None)


def new_stamp(key: str) -> str | None:
    """A first stamp under ``key``, or None when there is one already (a publish or another
    worker made it since it was read) or the cache does not answer: what was made since may
    be older than it, so it is not stored under it."""
    token = uuid.uuid4().hex
    return token if page_cache().add(key, token, timeout=None) else None


def current_stamp(key: str) -> str | None:
    """The stamp under ``key``, a new one when there is none yet (``add`` keeps a concurrent
    worker's); None when the cache does not answer."""
    cache = page_cache()
    cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get(key)


def publications_stamp(request: HttpRequest) -> str:
    """The stamp of the site-wide lists of pages, read once per request; ``"-"`` when the
    cache does not answer (nothing is stored then)."""
    if not hasattr(request, "_clinic_publications"):
        request._clinic_publications = current_stamp(PUBLICATIONS) or "-"  # type: ignore[attr-defined]
    return request._clinic_publications  # type: ignore[attr-defined]


def new_generation() -> None:
    generation = uuid.uuid4().hex
    cache = page_cache()
    cache.set(GENERATION_KEY, generation, timeout=None)
    known.value, known.unwritten = generation, unavailable(cache)


class GenerationMemo:
    """This process's copy of cache entries made in one content generation, pickled so that no
    request ever shares an object with another. Meeting a new generation empties it; it never
    holds more than ``max_entries`` (a site has a handful of shared entries and one route per
    page)."""

    def __init__(self, max_entries: int = 5000):
        self.max_entries = max_entries
        self.generation: str | None = None
        self.entries: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def get(self, generation: str, key: str) -> bytes | None:
        if generation != self.generation:
            return None
        return self.entries.get(key)

    def set(self, generation: str, key: str, data: bytes) -> None:
        with self.lock:
            if generation != self.generation or len(self.entries) >= self.max_entries:
                self.generation = generation
                self.entries = {}
            self.entries[key] = data


memo = GenerationMemo()

# Marks "not in the cache", so that None can be cached.
MISSING = object()


def in_memo(generation: str, key: str) -> Any:
    """The value this process's memo keeps under ``key`` for ``generation``, or :data:`MISSING`."""
    data = memo.get(generation, key)
    return MISSING if data is None else pickle.loads(data)


def get_in_generation(request: HttpRequest | None, key: str, remember: bool = True) -> Any:
    """The value kept under ``key`` in the current generation, or :data:`MISSING`; also in this
    process's memo unless not ``remember``."""
    generation = content_generation(request)
    value = in_memo(generation, key) if remember else MISSING
    if value is not MISSING:
        return value
    entry = page_cache().get(key)
    if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != generation:
        return MISSING
    try:
        value = pickle.loads(entry[1])
    except Exception:  # written by another version of the code: build it again
        return MISSING
    if remember:
        memo.set(generation, key, entry[1])
    return value


def set_in_generation(
    request: HttpRequest | None, key: str, value: Any, remember: bool = True
) -> None:
    generation = content_generation(request)
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    if remember:
        memo.set(generation, key, data)
    page_cache().set(key, (generation, data), settings.PAGE_CACHE_SECONDS)


def cached_in_generation(
    request: HttpRequest | None, key: str, build: Callable[[], Any], remember: bool = True
) -> Any:
    """``build()``, kept in the cache under ``key`` for the current content generation, and in
    this process's memo unless not ``remember``: what every page reads belongs there, not what
    one request in thousands does (a sitemap file: a site of 2,000 pages in ten languages has
    250, which the memo would keep in every worker's memory)."""
    value = get_in_generation(request, key, remember)
    if value is MISSING:
        value = build()
        set_in_generation(request, key, value, remember)
    return value


def site_hostnames() -> frozenset[str]:
    return frozenset(Site.objects.values_list("hostname", flat=True))


def site_key(request: HttpRequest, hostnames: frozenset[str]) -> str:
    """What the site that answers ``request`` depends on: its host name and port when a site has
    that host name; otherwise nothing, as Wagtail then answers with the default site whatever
    the name and port. So a made-up Host header adds no entry to the cache."""
    hostname, port = internals.site_lookup_key(request)
    return f"{hostname}:{port}" if hostname in hostnames else "*"


def find_site(request: HttpRequest) -> Site | None:
    """The site that answers ``request``, from the cache, remembered on the request for
    Wagtail."""
    if "_clinic_site" not in request.__dict__:
        hostnames = cached_in_generation(request, "site-hostnames", site_hostnames)
        site = cached_in_generation(
            request,
            f"site-for:{site_key(request, hostnames)}",
            lambda: Site.find_for_request(request),
        )
        internals.remember_site(request, site)
        request._clinic_site = site  # type: ignore[attr-defined]
    return request._clinic_site  # type: ignore[attr-defined]


def site_in_memo(request: HttpRequest, generation: str) -> Any:
    """The site that answers ``request`` if this process's memo knows it for ``generation``,
    otherwise :data:`MISSING`; nothing is read from the cache or the database."""
    hostnames = in_memo(generation, "site-hostnames")
    if hostnames is MISSING:
        return MISSING
    return in_memo(generation, f"site-for:{site_key(request, hostnames)}")


def site_in_cache(request: HttpRequest) -> Any:
    """The site that answers ``request`` if the memo or the cache knows it in the current
    generation, otherwise :data:`MISSING`; the database is not asked."""
    hostnames = get_in_generation(request, "site-hostnames")
    if hostnames is MISSING:
        return MISSING
    return get_in_generation(request, f"site-for:{site_key(request, hostnames)}")


def shows_list_page(request: HttpRequest, number: int) -> None:
    """Tells the full-page cache that the response shows page ``number`` of a list: a request
    with ``?page=`` is stored only when its value is that number, not for a page the list does
    not have (the paginator then shows another) nor for any other spelling of it."""
    shows_query(request, {"page": str(number)})


def shows_query(request: HttpRequest, canonical: dict[str, str]) -> None:
    """Tells the full-page cache which query the response shows: the filters the view applied
    and the page number of its list. The response is stored only when the request's query is
    exactly that (a first page may leave its number out), never for a value the view ignored
    or corrected."""
    request._clinic_query = dict(canonical)  # type: ignore[attr-defined]


def cache_query(request: HttpRequest) -> dict[str, str]:
    """The query string as the full-page cache keys it: each parameter once (checked by
    ``cacheable_query``), a filter left empty (a form's “any”) left out."""
    return {
        name: str(value)
        for name, value in request.GET.items()
        if value or name not in FILTER_PARAMETERS
    }


def cached_for_site(request: HttpRequest, name: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept in the cache per site, language and content generation, and read from
    it once per request: the header, the footer and the page each ask for the same things."""
    site = Site.find_for_request(request)
    key = f"site:{site.pk if site else 0}:{get_language()}:{name}"
    read = request.__dict__.setdefault("_cached_for_site", {})
    if key not in read:
        read[key] = cached_in_generation(request, key, build)
    return read[key]


class RoutingCacheMiddleware:
    """Finds the site and the page a request is for from the cache, where Wagtail would query the
    sites and then walk down the page tree, two queries per level.

    A route is remembered once Wagtail has found it, as the page's type and id. The page itself
    is then read in one query, as its own type with its locale and its ``serve_related``
    foreign keys (its images), and asked to route what is left of the path (nothing, or a
    routable page's own sub-path such as a form's confirmation), which checks that it is still
    live; everything else about serving it (privacy restrictions, the hooks, the template) is
    Wagtail's as usual. Any change to pages, sites or locales starts a new generation, and with
    it a new set of routes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.page_view = internals.page_view()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        find_site(request)

        # Wagtail reads the sites' root paths (for every page URL) from the default cache once
        # per request; this request takes them from this process's memory instead.
        internals.remember_site_root_paths(
            request, cached_in_generation(request, "site-root-paths", internals.site_root_paths)
        )

        token = current_generation.set(content_generation(request))
        try:
            response = self.get_response(request)
        finally:
            current_generation.reset(token)

        key = getattr(request, "_clinic_route_key", None)
        route = internals.route_found(request) if key else None
        if key and route is not None:
            set_in_generation(request, key, (route.page.content_type_id, route.page.pk))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is not self.page_view:
            return None
        site = Site.find_for_request(request)  # remembered by __call__: no query
        if site is None:
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        key = f"route:{site.pk}:{get_language()}:{path}"
        found = get_in_generation(request, key)
        route = self.route(request, found, path, site) if found is not MISSING else None
        if route is None:
            # Remembered once Wagtail has found it (__call__).
            request._clinic_route_key = key  # type: ignore[attr-defined]
        else:
            internals.remember_route(request, route)
        return None

    @staticmethod
    def route(request: HttpRequest, found: tuple[int, int], path: str, site: Site):
        content_type_id, pk = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        # Unordered (a page manager orders by path): ordering costs Django more than the query.
        pages = (
            model._default_manager.filter(pk=pk)
            .select_related("locale", *getattr(model, "serve_related", ()))
            .order_by()
        )
        page: Page | None = next(iter(pages), None)
        if page is None:
            return None
        below = internals.path_below(page, site, path)
        if below is None:
            return None
        try:
            return page.route(request, below)
        except Http404:
            return None  # Wagtail's routing decides


def remember_page_served(request: HttpRequest, page_id: int, language: str) -> None:
    """Note which page, in which language, Wagtail serves for ``request`` (the page views are
    counted by it, core.view_counts)."""
    request._clinic_page_served = (page_id, language)  # type: ignore[attr-defined]


def page_served(request: HttpRequest, response: HttpResponse) -> tuple[int, str] | None:
    """The page and language a response shows, if Wagtail served a page: noted on the request
    when Wagtail served it (:func:`remember_page_served`), kept with the page in the full-page
    cache and put back on the response it serves from there. An attribute of the response,
    never a header: which page id a visitor read is the site's own business, not something to
    send to the browser or to a proxy's logs."""
    served = getattr(response, "clinic_page_served", None)
    if served is None:
        served = request.__dict__.get("_clinic_page_served")
    return served


class PageCacheMiddleware:
    """Serves anonymous visitors' page views from the cache, and stores the ones that are the
    same for everybody.

    Only GET requests for pages served by Wagtail are stored, and only when the response is
    public: no cookie set, no CSRF token used (so no visitor ever gets another's token), no
    Cache-Control directive that makes it private. Requests that carry a session (editors,
    intake staff) or pending messages are never answered from the cache, so people who are
    signed in always see the pages as they are.

    Each entry also keeps which page it is and in which language (:func:`page_served`), so that
    a view served from the cache is counted as one served by Wagtail is (core.view_counts)."""

    BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.applies_to(request):
            return self.get_response(request)
        # The key names the site, which is found in the current generation. Both are guessed
        # from this process's memory (the last generation it read and the site it found in
        # it), so that the generation and the page come in one round trip to the cache; a
        # wrong guess costs one or three more. The database is never asked here: a site not
        # in the cache is found by RoutingCacheMiddleware, after the language is chosen (an
        # error page is in the visitor's language), and the page stored under it.
        guess = known.value
        site = site_in_memo(request, guess) if guess is not None else MISSING
        key = self.key(request, site) if site is not MISSING else None
        stamp_name = self.stamp_key(request)
        wanted = [GENERATION_KEY, stamp_name, *([key] if key else [])]
        found = page_cache().get_many(wanted)
        generation = settle_generation(found.get(GENERATION_KEY))
        request._content_generation = generation  # type: ignore[attr-defined]
        if key is None or generation != guess:
            site = site_in_cache(request)
            key = self.key(request, site) if site is not MISSING else None
            found[key] = page_cache().get(key) if key else None
        # The stamp this response will be stored under, read before it is made: a publish
        # while it is made renews the stamp, and the copy made from the older page is never
        # served. None: no page was stored at this address yet (or the cache does not answer).
        stamp = found.get(stamp_name)
        entry = found.get(key) if key else None
        # An entry of seven: a shorter one was stored before entries had a stamp, and misses.
        if (
            isinstance(entry, tuple)
            and len(entry) == 7
            and entry[0] == generation
            and stamp is not None
            and entry[1] == stamp
        ):
            _generation, _stamp, status, headers, content, page_id, language = entry
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            if page_id is not None:
                response.clinic_page_served = (page_id, language)  # type: ignore[attr-defined]
            return response

        response = self.get_response(request)
        key = key or self.key(request, request.__dict__.get("_clinic_site"))
        if key and self.storable(request, response):
            if stamp is None:
                # The address's first stamp, made only for a page that is stored, so that
                # made-up addresses add no keys; none if a publish made one meanwhile.
                stamp = new_stamp(stamp_name)
            if stamp is not None:
                headers = dict(response.items())
                page_id, language = page_served(request, response) or (None, "")
                entry = (generation, stamp, response.status_code, headers, response.content)
                page_cache().set(key, (*entry, page_id, language), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    def applies_to(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and self.cacheable_query(request)
            and not internals.is_preview(request)
            and not any(name in request.COOKIES for name in self.BYPASS_COOKIES)
        )

    @staticmethod
    def cacheable_query(request: HttpRequest) -> bool:
        """No query string, or a page number and the directory's filters, each given once
        with a short value of the expected shape (a filter may be empty). Any other parameter
        (``utm_source``, a typo, junk) is served uncached: looking it up or storing it under a
        key of its own would only fill the cache, and mapping it to the page without it would
        be right only as long as no page reads it."""
        for name in request.GET:
            values = request.GET.getlist(name)
            if len(values) != 1:
                return False
            if name == "page":
                expected = PAGE_NUMBER.fullmatch(values[0]) is not None
            elif name in FILTER_PARAMETERS:
                expected = not values[0] or FILTER_VALUE.fullmatch(values[0]) is not None
            else:
                expected = False
            if not expected:
                return False
        return True

    @staticmethod
    def key(request: HttpRequest, site: Site | None) -> str | None:
        """The page's key: the site, not the Host header (a site answers to any host name no
        other site has, and its pages are the same whatever name was asked), the path, and the
        query (a listing's page number, the directory's filters), sorted."""
        if site is None:
            return None
        query = urlencode(sorted(cache_query(request).items()))
        url = f"{request.scheme}://{site.pk}{request.path}?{query}"
        return "page:" + hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def stamp_key(request: HttpRequest) -> str:
        """The key of the stamp of the page at this address (:func:`invalidate_pages`): by its
        path alone, known before the site is, so that it comes in the same round trip as the
        page. Two sites with a page at the same path share it, and a change to one refreshes
        both."""
        return stamp_key(request.path)

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or not internals.is_page_request(request):
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # The query is part of the page when the page shows exactly it: a page number the
        # listing has, filters the directory applied (the first page may leave "page" out).
        declared = dict(getattr(request, "_clinic_query", {}))
        query = cache_query(request)
        if "page" not in query and declared.get("page") == "1":
            del declared["page"]
        if query != declared:
            return False
        if internals.csrf_token_used(request):
            return False
        # A CSP nonce is for one response only.
        if internals.csp_nonce_used(request):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        directives = dict(
            [*directive.strip().lower().split("=", 1), ""][:2]
            for directive in response.get("Cache-Control", "").split(",")
            if directive.strip()
        )
        return not directives.keys() & PRIVATE_DIRECTIVES and directives.get("max-age") != "0"
