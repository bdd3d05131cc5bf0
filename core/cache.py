"""Caching of the public site for anonymous visitors: three layers and a memo.

All of them share one *content generation*, a random token in the ``pages`` cache that changes
whenever what visitors see may have changed: a page published, unpublished, moved, reordered,
renamed or deleted; the clinic settings, an image, a document, a site, a locale or a privacy
restriction saved (pages.signals lists each change and the signal that reports it; a draft,
an autosave or a workflow step is none of them). Every entry carries the generation it was
made in, so one write invalidates the whole site at once, in every language: a clinic's site
changes a few times a day, and a menu, a list of treatments or a language switcher on one page
depends on many others.

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
them all) and never a per-process memory cache there. If Redis goes away, every lookup misses and
the site keeps serving, uncached (django-redis ignores the errors)."""

import hashlib
import pickle
import threading
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page, Site

from . import framework_internals as internals

GENERATION_KEY = "content-generation"

# Cache-Control directives that mean a response is for one visitor only (never_cache sets them
# on the request forms, their confirmations and the rate-limit page).
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}


def page_cache():
    return caches["pages"]


# The generation of the request being served, for code that has no request at hand (set by
# RoutingCacheMiddleware).
current_generation: ContextVar[str | None] = ContextVar("content_generation", default=None)


def content_generation(request: HttpRequest | None = None) -> str:
    """The current content generation, read once per request."""
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
    if request is None and (generation := current_generation.get()) is not None:
        return generation
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the cache lost it (evicted, restarted): start a new generation, which
        # makes every older entry unreachable. add() keeps a concurrent worker's token.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    if request is not None:
        request._content_generation = generation  # type: ignore[attr-defined]
    return generation


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


def new_generation() -> None:
    page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


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


def get_in_generation(request: HttpRequest | None, key: str) -> Any:
    """The value kept under ``key`` in the current generation, or :data:`MISSING`."""
    generation = content_generation(request)
    data = memo.get(generation, key)
    if data is not None:
        return pickle.loads(data)
    entry = page_cache().get(key)
    if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != generation:
        return MISSING
    try:
        value = pickle.loads(entry[1])
    except Exception:  # written by another version of the code: build it again
        return MISSING
    memo.set(generation, key, entry[1])
    return value


def set_in_generation(request: HttpRequest | None, key: str, value: Any) -> None:
    generation = content_generation(request)
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    memo.set(generation, key, data)
    page_cache().set(key, (generation, data), settings.PAGE_CACHE_SECONDS)


def cached_in_generation(request: HttpRequest | None, key: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept in the cache under ``key`` for the current content generation."""
    value = get_in_generation(request, key)
    if value is MISSING:
        value = build()
        set_in_generation(request, key, value)
    return value


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
        hostname, port = internals.site_lookup_key(request)
        internals.remember_site(
            request,
            cached_in_generation(
                request, f"site-for:{hostname}:{port}", lambda: Site.find_for_request(request)
            ),
        )

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


class PageCacheMiddleware:
    """Serves anonymous visitors' page views from the cache, and stores the ones that are the
    same for everybody.

    Only GET requests for pages served by Wagtail are stored, and only when the response is
    public: no cookie set, no CSRF token used (so no visitor ever gets another's token), no
    Cache-Control directive that makes it private. Requests that carry a session (editors,
    intake staff) or pending messages are never answered from the cache, so people who are
    signed in always see the pages as they are."""

    BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.applies_to(request):
            return self.get_response(request)
        key = self.key(request)
        # The generation and the page in one round trip to the cache.
        found = page_cache().get_many([GENERATION_KEY, key])
        if GENERATION_KEY in found:
            request._content_generation = found[GENERATION_KEY]  # type: ignore[attr-defined]
        generation = content_generation(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _generation, status, headers, content = entry
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if self.storable(request, response):
            headers = dict(response.items())
            page_cache().set(
                key,
                (generation, response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Cache"] = "miss"
        return response

    def applies_to(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not internals.is_preview(request)
            and not any(name in request.COOKIES for name in self.BYPASS_COOKIES)
        )

    @staticmethod
    def key(request: HttpRequest) -> str:
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return "page:" + hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or not internals.is_page_request(request):
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # A listing's page number is part of the page; any other parameter is not, and storing
        # every variation a client makes up would only fill the cache.
        if set(request.GET) - {"page"}:
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
