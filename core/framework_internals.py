"""The private parts of Wagtail (and the few of Django and django-csp) that the cache in
:mod:`core.cache` relies on, each behind one function that says what it touches and why.

Wagtail memoises what it finds for a request on private attributes of the request: the site,
the site roots that page URLs are built from and the route to the page. The routing cache sets
them before Wagtail looks, so that Wagtail takes the cached answer instead of querying, and reads
the route Wagtail found so as to remember it. None of this is documented API: a Wagtail upgrade
may rename or drop any of it, and the site would then only be slower (Wagtail queries again) or,
for the route, still correct (Wagtail routes again). tests/core/test_framework_internals.py
checks each of these by Wagtail's behaviour, so that an upgrade that changes one fails there,
by name, rather than as a slow site in production.

The admin also replaces one of wagtail-localize's hooks (:func:`replace_hook`), which only
Wagtail's private hook registry allows.

Nothing else in the project may touch these attributes: add a function here instead."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site

# The name Wagtail's URLconf gives the view that serves every page (wagtail/urls.py).
PAGE_URL_NAME = "wagtail_serve"


def page_view() -> Callable[..., Any]:
    """The view function that serves every page: ``wagtail.views.serve``, which routes the
    request with :meth:`Page.route_for_request` (so a route remembered on the request is used).

    Imported on call, not with this module: it needs the models loaded."""
    from wagtail.views import serve

    return serve


def is_page_request(request: HttpRequest) -> bool:
    """Whether the URL resolved to Wagtail's page view, by the URL name it has in Wagtail's
    URLconf (``wagtail_serve``): the only responses the full-page cache may store."""
    match = request.resolver_match
    return match is not None and match.url_name == PAGE_URL_NAME


def site_lookup_key(request: HttpRequest) -> tuple[str, int | str]:
    """What Wagtail tells the sites apart by: the host name as the client sent it, unchecked
    against ALLOWED_HOSTS (Django's private ``_get_raw_host()``), and the port, as
    ``Site._find_for_request`` reads them. Requests with the same key get the same site, so the
    site found can be kept in the cache under it."""
    return split_domain_port(request._get_raw_host())[0], request.get_port()  # type: ignore[attr-defined]


def remember_site(request: HttpRequest, site: Site | None) -> None:
    """Make ``Site.find_for_request(request)`` answer ``site`` without querying: Wagtail
    memoises the site on ``request._wagtail_site`` and returns it when it is set."""
    request._wagtail_site = site  # type: ignore[attr-defined]


def site_root_paths() -> list[Any]:
    """The roots of every site and language (``Site.get_site_root_paths()``), which Wagtail
    needs to build any page's URL and keeps in Django's default cache (Redis in production),
    cleared when a site or a site's root page is saved."""
    return Site.get_site_root_paths()


def remember_site_root_paths(request: HttpRequest, root_paths: list[Any]) -> None:
    """Make every page URL built for this request use ``root_paths``: Wagtail's
    ``Page._get_site_root_paths(cache_object=request)`` returns
    ``request._wagtail_cached_site_root_paths`` when it is set, and otherwise reads
    :func:`site_root_paths` from the default cache, one round trip to Redis per request."""
    request._wagtail_cached_site_root_paths = root_paths  # type: ignore[attr-defined]


def remember_route(request: HttpRequest, route: Any) -> None:
    """Make ``Page.route_for_request(request, path)``, and with it Wagtail's page view, serve
    ``route`` (a ``RouteResult``) without walking the page tree: Wagtail memoises the route on
    ``request._wagtail_route_for_request`` and returns it when it is set."""
    request._wagtail_route_for_request = route  # type: ignore[attr-defined]


def route_found(request: HttpRequest) -> Any:
    """The route (a ``RouteResult``) Wagtail's page view found for this request, from the
    memo ``Page.route_for_request`` leaves on ``request._wagtail_route_for_request``; None if
    Wagtail did not route the request or found no page."""
    return getattr(request, "_wagtail_route_for_request", None)


def path_below(page: Page, site: Site, path: str) -> list[str] | None:
    """The components of ``path`` left for ``page.route()`` when Wagtail's walk down the tree
    ends at ``page``: ``Page.route`` takes one component per level below the site's root page
    (or its translation, at the same depth), so the first ``page.depth - root.depth`` are the
    way to the page and the rest (none, or a routable page's own sub-path) are the page's.
    None if the path is too short to lead to the page."""
    components = [component for component in path.split("/") if component]
    depth = page.depth - site.root_page.depth
    if not 0 <= depth <= len(components):
        return None
    return components[depth:]


def is_preview(request: HttpRequest) -> bool:
    """Whether the request is one Wagtail makes up to render a preview
    (``PreviewableMixin.make_preview_request`` flags it ``is_dummy``): never a visitor's."""
    return getattr(request, "is_dummy", False)


def csrf_token_used(request: HttpRequest) -> bool:
    """Whether the response carries this visitor's CSRF token: ``get_token()`` flags
    ``request.META["CSRF_COOKIE_NEEDS_UPDATE"]`` (Django's private key).

    CsrfViewMiddleware clears the flag once it has set the cookie, so a middleware outside it
    sees the cookie on the response instead; this check is for one inside it."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def csp_nonce_used(request: HttpRequest) -> bool:
    """Whether the response used this request's CSP nonce: django-csp makes it on first use of
    ``request.csp_nonce`` and keeps it on ``request._csp_nonce``."""
    return bool(getattr(request, "_csp_nonce", None))


def awaits_commit(callback: Callable[[], Any], using: str | None = None) -> bool:
    """Whether ``callback`` is among the functions the current transaction will run when it
    commits (``transaction.on_commit``), from Django's private ``connection.run_on_commit``, a
    list of ``(savepoint ids, function, robust)``: Django empties it when the transaction, or
    the savepoint the function was registered in, rolls back, and as it runs them on commit.
    So what :mod:`core.frontend_cache` collects for one transaction is never carried into the
    next."""
    from django.db import transaction

    connection = transaction.get_connection(using)
    return any(registered == callback for _ids, registered, _robust in connection.run_on_commit)


def replace_hook(
    hook_name: str, registered: Callable[..., Any], replacement: Callable[..., Any]
) -> None:
    """Make Wagtail call ``replacement`` where it called ``registered``, a function another app
    registered for ``hook_name`` (in the same place, with the same order).

    Wagtail has no way to unregister a hook: its registry is the private ``wagtail.hooks._hooks``,
    ``{hook name: [(function, order), …]}``, read by ``hooks.get_hooks`` on every call. Raises
    LookupError when ``registered`` is not there (an upgrade renamed or moved it), so that the
    admin fails at start-up rather than showing both functions' buttons."""
    from wagtail import hooks

    registrations = hooks._hooks.get(hook_name, [])
    for position, (function, order) in enumerate(registrations):
        if function is registered:
            registrations[position] = (replacement, order)
            return
    raise LookupError(f"{registered.__qualname__} is not registered for {hook_name}")
