"""The private parts of Wagtail, Django and django-csp that the page cache relies on
(core/framework_internals.py), checked by what Wagtail and the others do with them, not by
reading their source: a Wagtail upgrade that renames one of these memos, or stops reading it,
fails here by name instead of quietly making every page slower or routing from a stale cache."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from core import framework_internals as internals

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Wagtail's memos on the request, which only core/framework_internals.py may touch.
WAGTAIL_MEMOS = re.compile(r"[.\"']_wagtail_(site|cached_site_root_paths|route_for_request)\b")


def request_for(path: str = "/", **extra):
    return RequestFactory().get(path, **extra)


def test_wagtail_takes_the_site_remembered_on_the_request_without_a_query(clinic_site):
    other = Site.objects.create(hostname="elsewhere.example", root_page=clinic_site.home)
    request = request_for()  # testserver, which is the default site

    internals.remember_site(request, other)

    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) == other
    assert len(queries) == 0


def test_requests_with_the_same_lookup_key_get_the_same_site_from_wagtail(clinic_site, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.USE_X_FORWARDED_HOST = True
    Site.objects.create(hostname="clinic.example", port=80, root_page=clinic_site.home)
    Site.objects.create(hostname="clinic.example", port=8080, root_page=clinic_site.home)
    variants = [
        {"HTTP_HOST": "clinic.example"},
        {"HTTP_HOST": "CLINIC.example"},
        {"HTTP_HOST": "clinic.example:8080", "SERVER_PORT": "8080"},
        {"HTTP_HOST": "clinic.example", "SERVER_PORT": "8080"},
        {"HTTP_HOST": "clinic.example.", "SERVER_PORT": "80"},
        {"HTTP_HOST": "proxy.internal", "HTTP_X_FORWARDED_HOST": "clinic.example"},
        {"HTTP_HOST": "unknown.example"},
        {"HTTP_HOST": "testserver"},
    ]
    sites_by_key: dict = {}
    for extra in variants:
        key = internals.site_lookup_key(request_for(**extra))
        site = Site.find_for_request(request_for(**extra))  # Wagtail's own lookup, uncached
        sites_by_key.setdefault(key, set()).add(site.pk)

    assert all(len(sites) == 1 for sites in sites_by_key.values()), sites_by_key
    assert len(set().union(*sites_by_key.values())) == 3, "each site is reached"


def test_page_urls_are_built_from_the_site_roots_remembered_on_the_request(clinic_site):
    page = Page.objects.get(pk=clinic_site.condition.pk)  # Wagtail's own URL code, not ours
    request = request_for()
    roots = internals.site_root_paths()
    assert roots, "Wagtail lists the site's roots"
    elsewhere = [root._replace(root_url="https://elsewhere.example") for root in roots]

    internals.remember_site_root_paths(request, elsewhere)

    with CaptureQueriesContext(connection) as queries:
        url = page.get_full_url(request)
    assert url.startswith("https://elsewhere.example/en/")
    assert not [query for query in queries if "wagtailcore_site" in query["sql"]]


def test_wagtail_routes_to_the_route_remembered_on_the_request(clinic_site):
    privacy_path = clinic_site.privacy.url.removeprefix("/en")
    request = request_for(clinic_site.privacy.url)
    internals.remember_site(request, clinic_site.site)
    condition = clinic_site.condition
    internals.remember_route(request, RouteResult(condition))

    with CaptureQueriesContext(connection) as queries:
        route = Page.route_for_request(request, privacy_path)
    assert route.page is condition
    assert len(queries) == 0


def test_the_page_view_serves_the_route_remembered_on_the_request(clinic_site, monkeypatch):
    condition = clinic_site.condition
    monkeypatch.setattr(
        condition, "serve", lambda request, *args, **kwargs: HttpResponse(condition.title)
    )
    request = request_for(clinic_site.privacy.url)
    internals.remember_site(request, clinic_site.site)
    internals.remember_route(request, RouteResult(condition))

    response = internals.page_view()(request, clinic_site.privacy.url.removeprefix("/en"))

    assert response.content == b"Synkinesis"


def test_the_route_wagtail_found_is_read_back_from_the_request(clinic_site):
    path = clinic_site.condition.url.removeprefix("/en")
    request = request_for(clinic_site.condition.url)
    assert internals.route_found(request) is None

    route = Page.route_for_request(request, path)

    assert route.page.pk == clinic_site.condition.pk
    assert internals.route_found(request) is route


def test_wagtail_takes_one_path_component_per_level_below_the_site_root(
    clinic_site, consultation_page
):
    site = clinic_site.site
    for page in [*clinic_site.all_pages(), consultation_page]:
        path = page.url.removeprefix("/en")
        route = Page.route_for_request(request_for(page.url), path)
        assert route.page.pk == page.pk
        assert internals.path_below(route.page, site, path) == [], page.url

    # A routable page's own sub-path is what is left below it, and it routes the same way.
    path = consultation_page.url.removeprefix("/en") + "confirmation/"
    wagtail_route = Page.route_for_request(request_for(path), path)
    below = internals.path_below(consultation_page, site, path)
    assert below == ["confirmation"]
    route = consultation_page.route(request_for(path), below)
    assert route.page.pk == wagtail_route.page.pk == consultation_page.pk
    (view, *rest), (wagtail_view, *wagtail_rest) = route.args, wagtail_route.args
    assert (view.__func__, rest) == (wagtail_view.__func__, wagtail_rest)
    assert internals.path_below(clinic_site.condition, site, "/conditions/") is None


def test_page_urls_resolve_to_the_view_and_url_name_the_cache_watches(clinic_site):
    match = resolve(clinic_site.condition.url)
    request = request_for(clinic_site.condition.url)
    request.resolver_match = match

    assert match.func is internals.page_view()
    assert internals.is_page_request(request)

    request.resolver_match = resolve("/en/search/")
    assert not internals.is_page_request(request)


def test_wagtail_previews_are_told_apart_from_visitors(clinic_site, monkeypatch):
    seen = []
    page = clinic_site.condition

    def serve_preview(request, mode_name):
        seen.append(request)
        return HttpResponse("preview")

    monkeypatch.setattr(page, "serve_preview", serve_preview)
    page.make_preview_request()

    assert internals.is_preview(seen[0])
    assert not internals.is_preview(request_for())


def test_a_csrf_token_handed_out_is_noticed():
    request = request_for()
    assert not internals.csrf_token_used(request)
    get_token(request)
    assert internals.csrf_token_used(request)


def test_a_csp_nonce_handed_out_is_noticed():
    from csp.middleware import CSPMiddleware

    request = request_for()
    CSPMiddleware(lambda request: HttpResponse()).process_request(request)
    assert not internals.csp_nonce_used(request)
    str(request.csp_nonce)
    assert internals.csp_nonce_used(request)


def test_only_the_adapter_touches_wagtails_memos_on_the_request():
    touching = [
        str(path.relative_to(ROOT))
        for package in ("clinic_site", "core", "pages", "appointments", "demo", "bench")
        for path in (ROOT / package).rglob("*.py")
        if WAGTAIL_MEMOS.search(path.read_text()) and path.name != "framework_internals.py"
    ]
    assert touching == [], "use core.framework_internals, which the tests above check"


def test_a_function_awaiting_the_commit_is_known_until_a_rollback_drops_it():
    from django.db import transaction

    def callback() -> None:
        pass

    class Abandoned(Exception):
        pass

    assert not internals.awaits_commit(callback)
    try:
        with transaction.atomic():
            transaction.on_commit(callback)
            assert internals.awaits_commit(callback)
            raise Abandoned
    except Abandoned:
        pass
    assert not internals.awaits_commit(callback)


def test_a_replaced_hook_is_called_in_its_place_and_the_original_no_more():
    from wagtail import hooks

    def first() -> None: ...
    def original() -> None: ...
    def last() -> None: ...
    def replacement() -> None: ...

    name = "test_replaced_hook"
    with hooks.register_temporarily([(name, first), (name, original), (name, last)]):
        internals.replace_hook(name, original, replacement)
        try:
            assert hooks.get_hooks(name) == [first, replacement, last]
        finally:
            internals.replace_hook(name, replacement, original)  # what the context removes


def test_replacing_a_hook_that_is_not_registered_fails_loudly():
    def unregistered() -> None: ...

    with pytest.raises(LookupError):
        internals.replace_hook("register_page_listing_more_buttons", unregistered, print)
