"""Caches in a real Redis, for the tests of what a Redis outage and hostile requests cost.

Each test that uses Redis gets a database of its own on the Redis at 127.0.0.1:6379 (5 for the
outage tests, 6 for the cache keys), emptied before and after, and this process's breakers,
content generation and memo as a freshly started worker has them."""

import contextlib
import fcntl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from core import cache as core_cache
from core import redis_cache

REDIS = "redis://127.0.0.1:6379"


def redis_caches(location: str, socket_timeout: float = 0.25, retry_seconds: float = 1) -> dict:
    """Every alias production keeps in Redis, at ``location``, as the settings configure them."""
    backend = {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": socket_timeout,
            "SOCKET_TIMEOUT": socket_timeout,
            "RETRY_SECONDS": retry_seconds,
        },
    }
    return {
        "default": backend,
        "pages": {**backend, "KEY_PREFIX": "pages"},
        "ratelimit": {**backend, "KEY_PREFIX": "ratelimit"},
    }


def empty_redis_database(number: int) -> redis.Redis:
    connection = redis.Redis.from_url(f"{REDIS}/{number}", socket_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.fail(f"These tests need Redis at {REDIS}: {error}")
    connection.flushdb()
    return connection


@pytest.fixture
def fresh_worker(monkeypatch):
    """This process as a worker that has just started: no breaker open, no generation known,
    nothing in the memo."""
    monkeypatch.setattr(redis_cache, "breakers", {})
    monkeypatch.setattr(core_cache, "known", core_cache.KnownGeneration())
    monkeypatch.setattr(core_cache, "memo", core_cache.GenerationMemo())


@contextlib.contextmanager
def redis_database(number: int) -> Iterator[redis.Redis]:
    """Redis database ``number``, emptied before and after, for this test alone: the suite runs
    in several processes (pytest-xdist), and two tests of one database at once would empty and
    count each other's keys. A lock file per database makes the second wait."""
    with open(Path(tempfile.gettempdir()) / f"clinic-tests-redis-{number}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection = empty_redis_database(number)
        try:
            yield connection
        finally:
            connection.flushdb()


@pytest.fixture
def redis_db_5(fresh_worker):
    with redis_database(5) as connection:
        yield connection


@pytest.fixture
def redis_db_6(fresh_worker):
    with redis_database(6) as connection:
        yield connection
