"""A Redis that hangs or refuses connections costs no page view count and no page speed: the
views are tallied in the worker's memory (core.analytics), never in Redis, and counting goes on
when Redis answers again. With the fault harness of test_redis_outage.py (a listener relaying to
Redis database 9 until told to hang, and a port nothing listens on)."""

import socket
import time
from collections.abc import Iterator

import pytest
from django.test import Client

from core import analytics
from core.analytics import Referrer
from core.models import PageViewCount
from tests.core.conftest import redis_caches, redis_database
from tests.core.test_redis_outage import FAST_ENOUGH_SECONDS, RETRY_SECONDS, Listener

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener(upstream=("127.0.0.1", 6379))
    yield listening
    listening.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture
def redis_db_9(fresh_worker):
    with redis_database(9) as connection:
        yield connection


@pytest.fixture(autouse=True)
def empty_tally():
    analytics.tally.take()
    yield
    analytics.tally.take()


def views(pages) -> list[float]:
    """One view of each page by a new visitor; the seconds each took (each answered 200)."""
    seconds = []
    for page in pages:
        started = time.monotonic()
        response = Client(HTTP_USER_AGENT=BROWSER).get(page.url)
        seconds.append(time.monotonic() - started)
        assert response.status_code == 200, page.url
    return seconds


def counted() -> dict[int, int]:
    analytics.flush()
    return {
        row.page_id: row.views
        for row in PageViewCount.objects.filter(language="en", referrer=Referrer.DIRECT)
    }


def test_views_are_counted_while_redis_hangs_and_after_it_answers_again(
    clinic_site, listener, redis_db_9, settings
):
    settings.CACHES = {
        **settings.CACHES,
        **redis_caches(f"redis://127.0.0.1:{listener.port}/9", retry_seconds=RETRY_SECONDS),
    }
    pages = [clinic_site.condition, clinic_site.home]
    views(pages)
    assert Client(HTTP_USER_AGENT=BROWSER).get(clinic_site.condition.url)["X-Cache"] == "hit"

    listener.hang()
    started = time.monotonic()
    during = []
    # Long enough for the breaker to try Redis again, and find it still hanging.
    while time.monotonic() - started < 2.5 * RETRY_SECONDS:
        during += views(pages)
    assert max(during) < FAST_ENOUGH_SECONDS
    rounds = len(during) // len(pages)
    assert counted() == {clinic_site.condition.pk: 2 + rounds, clinic_site.home.pk: 1 + rounds}

    listener.answer()
    time.sleep(RETRY_SECONDS + 0.2)
    views(pages)  # Redis is tried again, answers, and the pages are stored again
    assert Client(HTTP_USER_AGENT=BROWSER).get(clinic_site.home.url)["X-Cache"] == "hit"
    assert counted() == {clinic_site.condition.pk: 3 + rounds, clinic_site.home.pk: 3 + rounds}


def test_views_are_counted_while_redis_refuses_connections(
    clinic_site, closed_port, fresh_worker, settings
):
    settings.CACHES = {
        **settings.CACHES,
        **redis_caches(f"redis://127.0.0.1:{closed_port}/9", retry_seconds=RETRY_SECONDS),
    }
    seconds = views([clinic_site.condition] * 5 + [clinic_site.treatment] * 3)
    assert max(seconds) < FAST_ENOUGH_SECONDS
    assert counted() == {clinic_site.condition.pk: 5, clinic_site.treatment.pk: 3}
