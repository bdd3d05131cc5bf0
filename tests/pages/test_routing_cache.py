"""Routing from the cache (core.cache.RoutingCacheMiddleware): once Wagtail has found the
page a URL leads to, the next visit reads that page in one query instead of walking the page
tree, and still never serves a page that is no longer there, no longer live or private. Measured
with the full-page cache off, where routing is what is left of the cost of finding a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from tests.factories.pages import StandardPageFactory

pytestmark = pytest.mark.django_db

# What Wagtail's own routing queries: the sites, then each level's children by depth.
SITE_QUERY = 'FROM "wagtailcore_site"'
TREE_WALK = '"wagtailcore_page"."depth" = '


@pytest.fixture(autouse=True)
def without_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def queries_for(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [query["sql"] for query in queries]


def test_the_second_visit_finds_the_site_and_the_page_without_walking_the_tree(client, clinic_site):
    url = clinic_site.condition.url
    status, first = queries_for(client, url)
    assert status == 200
    assert any(TREE_WALK in sql for sql in first), "the first visit is routed by Wagtail"

    status, second = queries_for(client, url)
    assert status == 200
    assert not [sql for sql in second if SITE_QUERY in sql or TREE_WALK in sql]
    page_reads = [sql for sql in second if 'FROM "pages_conditionpage"' in sql]
    assert len(page_reads) == 1, "the page is read once, as its own type"


def test_a_page_unpublished_without_a_signal_is_not_served(client, clinic_site):
    url = clinic_site.privacy.url
    assert client.get(url).status_code == 200
    # A bulk update sends no signal, so the content generation (and the route) stays.
    Page.objects.filter(pk=clinic_site.privacy.pk).update(live=False)
    assert client.get(url).status_code == 404


def test_a_renamed_page_moves_to_its_new_address(client, clinic_site):
    page = StandardPageFactory(parent=clinic_site.home, title="Visiting us", slug="visiting")
    assert client.get("/en/visiting/").status_code == 200
    assert client.get("/en/visiting/").status_code == 200

    page.slug = "visit-us"
    page.save_revision().publish()
    assert client.get("/en/visit-us/").status_code == 200
    assert client.get("/en/visiting/").status_code in (301, 404)


def test_a_page_made_private_asks_for_a_sign_in_on_the_next_visit(client, clinic_site):
    url = clinic_site.condition.url
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(
        page=clinic_site.conditions, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_routing_keeps_working_when_the_cache_is_down(client, clinic_site, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    url = clinic_site.condition.url
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
