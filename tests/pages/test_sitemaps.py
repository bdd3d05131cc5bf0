"""The sitemaps as search engines read them: an index at /sitemap.xml naming one sitemap per
language (split into sections past SITEMAP_SECTION_SIZE addresses), which together list every
live public page in every language exactly once with its alternates, follow the sitemaps
protocol, are built once per content change and served from the cache, and cost the same
queries to build however many pages there are."""

import socket
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from core import cache as core_cache
from core import redis_cache
from pages import models
from pages.sitemaps import section_size
from tests.factories.pages import ConditionPageFactory
from tests.pages.sitemap_protocol import (
    sitemap_entries,
    sitemap_locations,
    validate_index,
    validate_urlset,
)
from tests.pages.test_scale import bulk_add_children

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def translate(page: Page, language: str) -> Page:
    translation = page.copy_for_translation(Locale.objects.get(language_code=language))
    translation.save_revision().publish()
    return translation


@pytest.fixture
def three_languages(clinic_site):
    """The home page, the conditions' index and the condition in Spanish and French; the
    treatments' index in Spanish only as an alias of the English one (a locale synchronised
    before its translation), and the privacy page private."""
    for language in ("es", "fr"):
        for page in (clinic_site.home, clinic_site.conditions, clinic_site.condition):
            translate(page, language)
    clinic_site.treatments.copy_for_translation(Locale.objects.get(language_code="es"), alias=True)
    PageViewRestriction.objects.create(
        page=clinic_site.privacy, restriction_type=PageViewRestriction.LOGIN
    )
    return clinic_site


def expected_locations(clinic_site) -> set[str]:
    """Every live public page of the site in every language, aliases left out."""
    pages = Page.objects.live().filter(depth__gt=1, alias_of__isnull=True)
    return {page.full_url for page in pages} - {clinic_site.privacy.full_url}


def test_the_index_lists_every_live_public_page_in_every_language_once_with_alternates(
    client, three_languages
):
    clinic_site = three_languages
    draft = ConditionPageFactory(parent=clinic_site.conditions, title="Draft", live=False)
    alias = Page.objects.get(alias_of=clinic_site.treatments)

    assert validate_index(client, "testserver") == [
        f"{SITE}/sitemap-en.xml",
        f"{SITE}/sitemap-es.xml",
        f"{SITE}/sitemap-fr.xml",
    ]
    entries = sitemap_entries(client)
    locations = Counter(entry.location for entry in entries)
    assert set(locations.values()) == {1}
    assert set(locations) == expected_locations(clinic_site)
    for gone in (draft, alias, clinic_site.privacy):
        assert gone.full_url not in locations

    # Each language's file holds that language's pages.
    for entry in entries:
        language = entry.file.rsplit("sitemap-", 1)[1][:2]
        assert entry.location.startswith(f"{SITE}/{language}/"), entry

    condition = {
        page.locale.language_code: page.full_url
        for page in Page.objects.filter(translation_key=clinic_site.condition.translation_key)
    }
    alternates = {**condition, "x-default": condition["en"]}
    by_location = {entry.location: entry.alternates for entry in entries}
    for location in condition.values():
        assert by_location[location] == alternates
    # An English page with no live translation but an alias has no alternates.
    assert by_location[clinic_site.treatments.full_url] == {}


def test_the_index_names_the_sites_own_host_whatever_host_built_it(client, clinic_site):
    index = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    assert f"<loc>{SITE}/sitemap-en.xml</loc>" in index
    assert "localhost" not in index
    assert "localhost" not in client.get("/sitemap-en.xml").content.decode()


def test_a_second_request_costs_no_query_and_a_publish_changes_the_answer(
    client, clinic_site, django_assert_num_queries
):
    addresses = ("/sitemap.xml", "/sitemap-en.xml")
    first = {address: client.get(address) for address in addresses}
    with django_assert_num_queries(0):
        again = {address: client.get(address) for address in addresses}
    for address in addresses:
        assert again[address].content == first[address].content
        assert again[address]["Content-Type"] == first[address]["Content-Type"]
        assert again[address]["X-Robots-Tag"] == "noindex, noodp, noarchive"

    new = ConditionPageFactory(parent=clinic_site.conditions, title="Hemifacial spasm")
    new.save_revision().publish()
    assert new.full_url in sitemap_locations(client)
    assert client.get("/sitemap.xml").content != first["/sitemap.xml"].content  # its lastmod


def test_a_language_with_more_addresses_than_a_section_is_split_and_each_section_listed(
    client, clinic_site, settings
):
    # One language: each page writes its address, its alternate and x-default, three in all.
    settings.SITEMAP_SECTION_SIZE = 12
    for number in range(6):
        ConditionPageFactory(parent=clinic_site.conditions, title=f"Condition {number}")
    # 10 pages and 6 conditions: four sections of at most 4.
    sections = validate_index(client, "testserver")
    assert sections == [
        f"{SITE}/sitemap-en.xml",
        f"{SITE}/sitemap-en.xml?p=2",
        f"{SITE}/sitemap-en.xml?p=3",
        f"{SITE}/sitemap-en.xml?p=4",
    ]
    sizes = [len(list(validate_urlset(client, section, "testserver"))) for section in sections]
    assert sizes == [4, 4, 4, 4]
    locations = sitemap_locations(client)
    assert len(locations) == len(set(locations)) == 16
    assert set(locations) == {page.full_url for page in Page.objects.live().filter(depth__gt=1)}

    for missing in ("?p=5", "?p=0", "?p=02", "?p=two"):
        assert client.get(f"/sitemap-en.xml{missing}").status_code == 404, missing
    assert client.get("/sitemap-de.xml").status_code == 404
    assert client.get("/sitemap-es.xml").status_code == 404  # no Spanish pages yet


ADDRESSES = ("/sitemap.xml", "/sitemap-en.xml", "/sitemap-es.xml")


def building_queries(client, address: str) -> int:
    """The queries of building a sitemap anew, as after a publish (a new content generation),
    once the routing cache has the site again."""
    core_cache.new_generation()
    client.get("/robots.txt")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_building_a_languages_sitemap_costs_the_same_queries_with_5_or_40_pages(
    client, clinic_site
):
    translate(clinic_site.home, "es")
    indexes = (clinic_site.conditions, translate(clinic_site.conditions, "es"))
    for index in indexes:
        bulk_add_children(index, models.ConditionPage, 5, summary="A condition.")
    few = {address: building_queries(client, address) for address in ADDRESSES}

    for index in indexes:
        index.refresh_from_db()
        bulk_add_children(index, models.ConditionPage, 35, summary="A condition.")
    assert models.ConditionPage.objects.filter(locale__language_code="es").count() == 40
    many = {address: building_queries(client, address) for address in ADDRESSES}
    assert many == few
    assert len(set(sitemap_locations(client))) == 10 + 40 + 2 + 40


@pytest.fixture
def redis_refusing(settings, monkeypatch):
    """The ``pages`` cache in a Redis that refuses connections, in a freshly started worker."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
    monkeypatch.setattr(redis_cache, "breakers", {})
    monkeypatch.setattr(core_cache, "known", core_cache.KnownGeneration())
    monkeypatch.setattr(core_cache, "memo", core_cache.GenerationMemo())
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/9",
            "KEY_PREFIX": "pages",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        },
    }


def test_without_the_cache_the_sitemaps_are_built_for_each_request(
    client, clinic_site, redis_refusing
):
    for _attempt in range(2):
        assert set(sitemap_locations(client)) == {page.full_url for page in clinic_site.all_pages()}


@pytest.mark.parametrize(
    ("languages", "pages"), [(1, 333), (3, 200), (10, 83), (15, 58), (1000, 1)]
)
def test_a_section_holds_fewer_pages_when_each_has_more_alternates(settings, languages, pages):
    """A file stays the same size (at most SITEMAP_SECTION_SIZE addresses) whatever the number
    of languages: a crawler's request for it costs the same at ten languages as at three."""
    settings.SITEMAP_SECTION_SIZE = 1000
    assert section_size(languages) == pages


def test_sitemap_files_stay_out_of_each_workers_memory(client, clinic_site):
    """The memo of each process keeps what every page reads; a site with hundreds of sitemap
    files would otherwise hold them all in every worker (the bench's memory bound)."""
    assert client.get("/sitemap-en.xml").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert core_cache.memo.entries, "the page's routes and fragments are there"
    assert not [key for key in core_cache.memo.entries if key.startswith("sitemap:")]
