"""Nobody can fill the cache: made-up page numbers, query strings and Host headers add no
entries to the full-page cache, host names answered by the same site share its entries, and
the rate-limit counts live apart from the pages. Counted in a real Redis (database 6)."""

import random

import pytest
from django.core.cache import caches
from django.test import Client

from pages import models
from tests.appointments.helpers import consultation_data
from tests.core.conftest import redis_caches
from tests.factories.pages import ConditionPageFactory

pytestmark = pytest.mark.django_db

JUNK_PAGE_NUMBERS = ["abc", "0", "-1", "01", "1e3", "2 ", " 2", "1.0", "", "%00", "<b>", "9" * 40]


@pytest.fixture
def redis_pages(redis_db_6, settings):
    """The caches in Redis database 6; the page entries are counted there."""
    settings.CACHES = {**settings.CACHES, **redis_caches("redis://127.0.0.1:6379/6")}

    def page_entries() -> int:
        return len(redis_db_6.keys("pages:1:page:*"))

    return page_entries


def x_cache(response) -> str | None:
    return response.headers.get("X-Cache")


def test_random_page_numbers_and_host_ports_add_no_cache_entries(clinic_site, redis_pages):
    urls = [clinic_site.home.url, clinic_site.conditions.url, clinic_site.condition.url]
    for url in urls:
        Client().get(url)
    canonical = redis_pages()
    assert canonical == len(urls)

    chance = random.Random(16)
    for _request in range(300):
        number = chance.choice(
            [str(chance.randint(2, 10**6)), chance.choice(JUNK_PAGE_NUMBERS), "1", None]
        )
        port = chance.randint(1024, 65535)
        host = chance.choice([f"127.0.0.1:{port}", f"localhost:{port}", "testserver"])
        url = chance.choice(urls)
        response = Client().get(url, {"page": number} if number is not None else {}, HTTP_HOST=host)
        assert response.status_code == 200, (url, number, host)

    # At most the listing's first page asked for by number ("?page=1"), a page it has.
    assert redis_pages() <= canonical + 1


def test_host_names_answered_by_the_same_site_share_its_cached_pages(clinic_site, redis_pages):
    url = clinic_site.conditions.url
    assert x_cache(Client().get(url)) == "miss"
    # The first request for a host name no site has learns which site answers it (the
    # default one), and renders the page once more into the same entry.
    Client().get(url, HTTP_HOST="localhost:8123")
    for host in ("localhost:8123", "127.0.0.1", "localhost:9999", "testserver"):
        assert x_cache(Client().get(url, HTTP_HOST=host)) == "hit", host
    assert redis_pages() == 1


def test_a_page_number_the_listing_does_not_have_is_served_but_never_stored(
    clinic_site, redis_pages
):
    url = clinic_site.conditions.url
    for number in ("999999", "abc", "2", "01"):
        response = Client().get(url, {"page": number})
        assert response.status_code == 200
        assert b"Synkinesis" in response.content, "the page the listing has"
        assert x_cache(response) is None, number
    assert redis_pages() == 0


def test_each_page_of_a_listing_is_cached_under_its_own_number(
    clinic_site, redis_pages, monkeypatch
):
    monkeypatch.setattr(models.ConditionIndexPage, "children_per_page", 1)
    ConditionPageFactory(parent=clinic_site.conditions, title="Bell's palsy")
    url = clinic_site.conditions.url

    first = Client().get(url)
    assert x_cache(Client().get(url, {"page": "2"})) == "miss"
    second = Client().get(url, {"page": "2"})
    assert x_cache(second) == "hit"
    assert second.content != first.content
    assert x_cache(Client().get(url, {"page": "3"})) is None, "the listing has no page 3"
    assert redis_pages() == 2


def test_tracking_parameters_are_served_uncached_and_add_no_entry(clinic_site, redis_pages):
    url = clinic_site.condition.url
    Client().get(url)
    for query in ({"utm_source": "newsletter"}, {"page": "1", "utm_medium": "email"}, {"x": "1"}):
        response = Client().get(url, query)
        assert response.status_code == 200
        assert x_cache(response) is None, query
    assert redis_pages() == 1


def test_emptying_the_page_cache_keeps_the_rate_limit_counts(
    clinic_site, consultation_page, redis_pages, redis_db_6, settings
):
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    assert Client().post(consultation_page.url, consultation_data()).status_code == 302
    Client().get(clinic_site.home.url)
    counters = redis_db_6.keys("ratelimit:*")
    assert counters
    assert redis_pages() == 1

    caches["pages"].clear()
    caches["default"].clear()

    assert redis_pages() == 0
    assert redis_db_6.keys("ratelimit:*") == counters


def test_made_up_addresses_add_no_stamps(clinic_site, redis_pages, redis_db_6):
    """Each stored page's address has a stamp (a publish renews those of the pages that show
    it): made only when a page is stored, so that addresses nobody has add no keys."""
    urls = [clinic_site.home.url, clinic_site.condition.url]
    for url in urls:
        Client().get(url)
        assert x_cache(Client().get(url)) == "hit"
    stamps = set(redis_db_6.keys("pages:1:stamp:/*"))
    assert len(stamps) == len(urls)

    chance = random.Random(22)
    for _request in range(100):
        path = f"/en/{chance.randint(1, 10**9)}/"
        assert Client().get(path).status_code == 404
    assert set(redis_db_6.keys("pages:1:stamp:/*")) == stamps
