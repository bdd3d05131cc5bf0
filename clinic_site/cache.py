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

The ``pages`` cache is Redis in production (shared by every worker, so one invalidation reaches
them all) and never a per-process memory cache there. If Redis goes away, every lookup misses and
the site keeps serving, uncached (django-redis ignores the errors)."""

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language
from wagtail.models import Site

GENERATION_KEY = "content-generation"

# Cache-Control directives that mean a response is for one visitor only (never_cache sets them
# on the request forms, their confirmations and the rate-limit page).
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}


def page_cache():
    return caches["pages"]


def content_generation(request: HttpRequest | None = None) -> str:
    """The current content generation, read once per request."""
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
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


def invalidate_site_content(**kwargs: Any) -> None:
    """Forget every cached page and fragment (connected to the signals in pages.signals).

    Now, and again when the transaction commits: a page rendered between the two from data not
    yet committed is then never served."""
    new_generation()
    transaction.on_commit(new_generation)


def new_generation() -> None:
    page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def cached_for_site(request: HttpRequest, name: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept in the cache per site, language and content generation."""
    site = Site.find_for_request(request)
    generation = content_generation(request)
    key = f"site:{site.pk if site else 0}:{get_language()}:{name}"
    cache = page_cache()
    entry = cache.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    cache.set(key, (generation, value), settings.PAGE_CACHE_SECONDS)
    return value


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
