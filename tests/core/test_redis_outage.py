"""A Redis that hangs or refuses connections costs visitors almost nothing: every page answers
quickly and without an error, the log says once that Redis is away and once that it is back,
the content generation stays what it was, and pages are cached again once Redis answers.

With real sockets: a listener on 127.0.0.1 that relays to the Redis at 127.0.0.1:6379 (database
5) until it is told to hang (it then accepts and never answers), and a port nothing listens on."""

import contextlib
import itertools
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import Client

from appointments.models import ConsultationRequest
from core import cache as core_cache
from tests.appointments.helpers import consultation_data
from tests.core.conftest import redis_caches

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 1
# Longer than any page takes here with Redis answering, far shorter than the 30 s a hanging
# Redis cost before.
FAST_ENOUGH_SECONDS = 2


class Listener:
    """A TCP listener in a thread that relays each connection to the real Redis, or, once told
    to hang, accepts connections and reads what they send without ever answering (the
    connections it was relaying stop being answered too)."""

    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 6379)):
        self.upstream = upstream
        self.hanging = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = [self.server]
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def keep(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)

    def accept(self) -> None:
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return  # closed
            self.keep(client)
            if self.hanging.is_set():
                threading.Thread(target=self.swallow, args=(client,), daemon=True).start()
                continue
            upstream = socket.create_connection(self.upstream)
            self.keep(upstream)
            threading.Thread(target=self.relay, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self.relay, args=(upstream, client), daemon=True).start()

    def relay(self, source: socket.socket, destination: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.hanging.is_set():
                continue  # read and never answered
            try:
                destination.sendall(data)
            except OSError:
                return

    def swallow(self, client: socket.socket) -> None:
        while True:
            try:
                if not client.recv(65536):
                    return
            except OSError:
                return

    def hang(self) -> None:
        self.hanging.set()

    def answer(self) -> None:
        self.hanging.clear()

    def close(self) -> None:
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture
def every_page(clinic_site, consultation_page, settings):
    """(method, URL, data) of every kind of request a visitor makes."""
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    patients = itertools.count()

    def a_new_request() -> dict[str, str]:
        number = next(patients)
        return consultation_data(full_name=f"Patient {number}", email=f"p{number}@example.org")

    return [
        ("get", clinic_site.home.url, None),
        ("get", clinic_site.condition.url, None),
        ("get", clinic_site.conditions.url, None),
        ("get", consultation_page.url, None),
        ("post", consultation_page.url, a_new_request),
        ("get", clinic_site.accessibility.url, None),
        ("get", "/healthz", None),
        ("get", "/en/search/?q=synkinesis", None),
    ]


def visit(every_page, rounds: int) -> list:
    """Each request ``rounds`` times by a new visitor: [(URL, status, seconds, generation)]."""
    answers = []
    for _round in range(rounds):
        for method, url, data in every_page:
            started = time.monotonic()
            visitor = Client()
            response = visitor.post(url, data()) if method == "post" else visitor.get(url)
            seconds = time.monotonic() - started
            generation = getattr(response.wsgi_request, "_content_generation", None)
            answers.append((url, response.status_code, seconds, generation))
    return answers


def redis_warnings(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def assert_served_quickly(answers) -> None:
    for url, status, seconds, _generation in answers:
        assert status < 500, url
        assert seconds < FAST_ENOUGH_SECONDS, (url, seconds)


def test_a_hanging_redis_slows_no_page_and_keeps_the_content_generation(
    clinic_site, every_page, listener, redis_db_5, settings, caplog
):
    settings.CACHES = {
        **settings.CACHES,
        **redis_caches(f"redis://127.0.0.1:{listener.port}/5", retry_seconds=RETRY_SECONDS),
    }
    before = visit(every_page, rounds=1)
    assert_served_quickly(before)
    generation = core_cache.content_generation()
    assert {answer[3] for answer in before} - {None} == {generation}
    assert Client().get(every_page[1][1])["X-Cache"] == "hit"
    requests_before = ConsultationRequest.objects.count()

    listener.hang()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        during = visit(every_page, rounds=4)
        # Long enough for the breaker to try Redis again, and find it still hanging.
        while time.monotonic() - started < 2.5 * RETRY_SECONDS:
            during += visit(every_page, rounds=1)

    assert len(during) >= 30
    assert_served_quickly(during)
    assert {answer[3] for answer in during} - {None} == {generation}, "no new generation"
    posts = sum(1 for answer in during if answer[1] == 302)
    assert posts == len(during) // len(every_page), "every consultation request kept"
    assert ConsultationRequest.objects.count() == requests_before + posts
    warnings = redis_warnings(caplog)
    assert 1 <= len(warnings) < 10, [record.getMessage() for record in warnings]
    assert not any(record.exc_info for record in warnings), "no tracebacks"
    assert "failed" in warnings[0].getMessage()

    listener.answer()
    time.sleep(RETRY_SECONDS + 0.2)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert Client().get(every_page[1][1]).status_code == 200  # tries Redis: it answers
    assert any("answers again" in record.getMessage() for record in caplog.records)
    assert caches["pages"].get(core_cache.GENERATION_KEY) == generation
    for url in (clinic_site.treatment.url, clinic_site.privacy.url):  # never cached before
        assert Client().get(url)["X-Cache"] == "miss"
        assert Client().get(url)["X-Cache"] == "hit", "cached again"


def test_a_redis_that_refuses_connections_slows_no_page_and_logs_once(
    every_page, closed_port, fresh_worker, settings, caplog
):
    settings.CACHES = {
        **settings.CACHES,
        **redis_caches(f"redis://127.0.0.1:{closed_port}/5", retry_seconds=RETRY_SECONDS),
    }
    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        answers = visit(every_page, rounds=4)
        while time.monotonic() - started < 2.5 * RETRY_SECONDS:
            answers += visit(every_page, rounds=1)

    assert len(answers) >= 30
    assert_served_quickly(answers)
    generations = {answer[3] for answer in answers} - {None}
    assert len(generations) == 1, "one generation for the whole outage"
    warnings = redis_warnings(caplog)
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert not warnings[0].exc_info
    assert f"127.0.0.1:{closed_port}" in warnings[0].getMessage()


def test_during_an_outage_pages_are_built_from_the_memo_with_as_few_queries_as_before(
    clinic_site, closed_port, fresh_worker, settings
):
    """The routes and fragments this worker read before stay in its memory: a page costs the
    queries of a page not in the full-page cache, not those of a site without any cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = clinic_site.condition.url
    Client().get(url)
    settings.PAGE_CACHE_ENABLED = False
    with CaptureQueriesContext(connection) as cached:
        Client().get(url)

    settings.CACHES = {**settings.CACHES, **redis_caches(f"redis://127.0.0.1:{closed_port}/5")}
    Client().get(url)  # the breaker opens
    with CaptureQueriesContext(connection) as during_outage:
        assert Client().get(url).status_code == 200
    assert len(during_outage) <= len(cached)
