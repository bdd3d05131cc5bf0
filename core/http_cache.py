"""What a proxy or CDN in front of the site may keep, said in ``Cache-Control``.

A page an anonymous visitor is shown, the same for everybody, carries
``Cache-Control: public, max-age=0, s-maxage=<PUBLIC_CACHE_SECONDS>``: a shared cache may keep
it that long (and is told to forget it sooner when it changes, :mod:`core.frontend_cache`);
a browser asks again each time, since no one can tell a browser that a page changed.

Public is exactly what the full-page cache (:class:`core.cache.PageCacheMiddleware`) stores or
serves, as its ``X-Cache`` header says (with that cache switched off, by the same test), so the
two never disagree: a page served by Wagtail, to a GET without a session or messages cookie,
answered 200 without setting a cookie, using no CSRF token or CSP nonce, to nobody signed in,
with no ``Cache-Control`` of its own (the request forms, their confirmations and the rate-limit
page are ``never_cache``), and no query string but a listing's page number. Private pages
(Wagtail's privacy restrictions) never qualify: a visitor who gave the password or signed in to
see one has a session. Besides pages, the sitemap index, each language's sitemap (and its
sections, ``?p=2``) and robots.txt are public: the same for every visitor and every language.

Everything else a GET or HEAD is answered with, and that says nothing of its own, is
``private``: the admin (already ``no-store``), whatever signed-in staff see, the redirect from
``/`` to the visitor's language (it depends on ``Accept-Language`` and the language cookie),
redirects, "not found" pages. A redirect or a "not found" page cached in the proxy would stay
wrong after an editor publishes a page at its address or removes a redirect, and only pages
are purged. Search results are ``no-store``: each is a visitor's question about their health,
in the URL, which no shared cache and no browser's disk should keep, and no purge could reach
every query a page appears in.

A public response loses ``Vary: Cookie``: it is the same whatever cookies come with the
request, and a cache that honours the header keeps one copy per visitor's cookies, which a
purge does not reach. Signed-in staff are kept from the public copies by the proxy itself
(docs/deploy.md: it passes requests with the session cookie through).

``PUBLIC_CACHE_SECONDS = 0`` adds nothing to any response."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import framework_internals as internals
from .cache import PAGE_NUMBER, PageCacheMiddleware

# URL names (clinic_site.urls) of what is public besides pages, and does not depend on the
# visitor's language (so not on Accept-Language either, which Django's LocaleMiddleware adds to
# every address outside the language prefixes).
PUBLIC_URL_NAMES = {"sitemap", "sitemap_language", "robots_txt"}
# ... and those of them that have sections, each at its own ?p= (pages.sitemaps).
SECTIONED_URL_NAMES = {"sitemap_language"}
# ... and of what must never be kept.
NEVER_STORED_URL_NAMES = {"search"}


class PublicCacheMiddleware:
    """Says in ``Cache-Control`` what a shared cache may keep (the module's docstring).

    Outside the full-page cache, so that it sees the pages that cache serves as well as those it
    stores, and outside the session, CSRF and authentication middleware, so that it sees every
    cookie a response sets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        seconds = settings.PUBLIC_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD"):
            return response
        if response.has_header("Cache-Control"):
            return response  # the view said what it is, or the admin's middleware did
        url_name = self.url_name(request)
        if self.is_public(request, response, url_name):
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            independent_of = {"cookie"}
            if url_name in PUBLIC_URL_NAMES:
                independent_of.add("accept-language")
            drop_vary(response, independent_of)
        elif url_name in NEVER_STORED_URL_NAMES:
            add_never_cache_headers(response)
        else:
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def url_name(request: HttpRequest) -> str | None:
        match = request.resolver_match
        return match.url_name if match is not None else None

    @staticmethod
    def public_query(request: HttpRequest, url_name: str) -> bool:
        """No query string, or a section's number as the sitemap index writes it."""
        if not request.GET:
            return True
        return (
            url_name in SECTIONED_URL_NAMES
            and list(request.GET) == ["p"]
            and PAGE_NUMBER.fullmatch(request.GET["p"]) is not None
        )

    @staticmethod
    def is_public(request: HttpRequest, response: HttpResponse, url_name: str | None) -> bool:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or internals.is_preview(request)
            or any(name in request.COOKIES for name in PageCacheMiddleware.BYPASS_COOKIES)
            or "*" in vary(response)
        ):
            return False
        if url_name in PUBLIC_URL_NAMES:
            user = getattr(request, "user", None)
            return (
                PublicCacheMiddleware.public_query(request, url_name)
                and not (user is not None and user.is_authenticated)
                and not internals.csrf_token_used(request)
                and not internals.csp_nonce_used(request)
            )
        # A page in a language of its own (/en/…): Accept-Language would mean it was chosen by
        # the browser's language, and the proxy would have to tell visitors apart by it.
        if "accept-language" in vary(response):
            return False
        # Stored (miss) or served (hit) by the full-page cache: its test passed. Declined by it:
        # its test failed, or did not apply (a cookie, a query string).
        if response.get("X-Cache") in ("hit", "miss"):
            return True
        if settings.PAGE_CACHE_ENABLED:
            return False
        # Switched off: the test it would apply.
        return PageCacheMiddleware.cacheable_query(request) and PageCacheMiddleware.storable(
            request, response
        )


def vary(response: HttpResponse) -> set[str]:
    """The request headers the response varies on, in lower case."""
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def drop_vary(response: HttpResponse, names: set[str]) -> None:
    kept = [
        name.strip()
        for name in response.get("Vary", "").split(",")
        if name.strip() and name.strip().lower() not in names
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]
