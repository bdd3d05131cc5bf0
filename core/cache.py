"""Caching of the public site for anonymous visitors.

Two layers share one *content generation*, a random token in the ``pages`` cache that changes
whenever anything a visitor sees may have changed (a page published, unpublished, moved, deleted
or translated; the clinic settings, an image, a site or a privacy restriction saved). Every entry
carries the generation it was made in, so one write invalidates the whole site at once: a
clinic's site changes a few times a day, and a menu, a list of treatments or a language switcher
on one page depends on many others.

- :class:`PageCacheMiddleware` keeps whole rendered pages (``X-Cache: hit`` or ``miss``).
- :func:`cached_for_site` keeps what every page repeats (the clinic settings, the menu, the links
  in the header and footer), so that a page that is not in the cache costs fewer queries.
- :class:`RoutingCacheMiddleware` keeps which site answers a host name and which page a path
  leads to, so that Wagtail does not walk the page tree, one query per level, on every request.

Entries of the current generation are also kept in each process's memory (:data:`memo`), so
that a page reads the generation from Redis once and the rest without a round trip. They hold
the site's structure and settings, never a page's content, which is read and rendered anew.

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
from django.http.request import split_domain_port
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language
from wagtail.models import Site

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
        request._content_generation = generation
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
    """``build()``, kept in the cache per site, language and content generation."""
    site = Site.find_for_request(request)
    return cached_in_generation(
        request, f"site:{site.pk if site else 0}:{get_language()}:{name}", build
    )


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
        from wagtail.views import serve  # not at import: it needs the models loaded

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hostname = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = cached_in_generation(
            request,
            f"site-for:{hostname}:{request.get_port()}",
            lambda: Site.find_for_request(request),
        )

        # Wagtail reads the sites' root paths (for every page URL) from the default cache once
        # per request; this request takes them from this process's memory instead.
        request._wagtail_cached_site_root_paths = cached_in_generation(
            request, "site-root-paths", Site.get_site_root_paths
        )

        token = current_generation.set(content_generation(request))
        try:
            response = self.get_response(request)
        finally:
            current_generation.reset(token)

        key = getattr(request, "_clinic_route_key", None)
        route = getattr(request, "_wagtail_route_for_request", None)
        if key and route is not None:
            set_in_generation(request, key, (route.page.content_type_id, route.page.pk))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        site = request._wagtail_site
        if view_func is not self.wagtail_serve or site is None:
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        key = f"route:{site.pk}:{get_language()}:{path}"
        found = get_in_generation(request, key)
        route = self.route(request, found, path, site) if found is not MISSING else None
        if route is None:
            request._clinic_route_key = key  # remembered once Wagtail has found it
        else:
            request._wagtail_route_for_request = route
        return None

    @staticmethod
    def route(request: HttpRequest, found: tuple[int, int], path: str, site: Site):
        content_type_id, pk = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        # Unordered (a page manager orders by path): ordering costs Django more than the query.
        pages = (
            model.objects.filter(pk=pk)
            .select_related("locale", *getattr(model, "serve_related", ()))
            .order_by()
        )
        page = next(iter(pages), None)
        # The path's components below the page: one per level of the tree from the site's root.
        components = [component for component in path.split("/") if component]
        depth = page.depth - site.root_page.depth if page is not None else -1
        if not 0 <= depth <= len(components):
            return None
        try:
            return page.route(request, components[depth:])
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
            request._content_generation = found[GENERATION_KEY]
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
            and not getattr(request, "is_dummy", False)  # Wagtail's previews
            and not any(name in request.COOKIES for name in self.BYPASS_COOKIES)
        )

    @staticmethod
    def key(request: HttpRequest) -> str:
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return "page:" + hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        match = request.resolver_match
        if request.method != "GET" or match is None or match.url_name != "wagtail_serve":
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # A listing's page number is part of the page; any other parameter is not, and storing
        # every variation a client makes up would only fill the cache.
        if set(request.GET) - {"page"}:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        # A CSP nonce is for one response only.
        if getattr(request, "_csp_nonce", None):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        directives = dict(
            [*directive.strip().lower().split("=", 1), ""][:2]
            for directive in cc_delim_re.split(response.get("Cache-Control", ""))
            if directive.strip()
        )
        return not directives.keys() & PRIVATE_DIRECTIVES and directives.get("max-age") != "0"
