"""The cache backend of every cache alias kept in Redis: django-redis's, made cheap to lose.

A cache is an optimisation, so a Redis that is down must cost the site as little as possible.
django-redis alone, with its errors ignored, still makes every call wait for its own time-out
and logs every failure with a traceback: measured with production settings, a Redis that
accepts connections and never answers made a condition page take 30 s (and gunicorn killed the
worker), and a Redis that refuses connections made pages five times slower and wrote 147 MB of
tracebacks for 1,500 requests. So this backend adds:

- short socket time-outs, for connecting and for each answer (``REDIS_SOCKET_TIMEOUT``, 0.5 s
  by default, set in the settings' OPTIONS as usual);
- a circuit breaker, one per Redis server for the whole process (every alias and thread that
  uses that server shares it): after a call fails (cannot connect, times out, or Redis answers
  with an error), every call to that server returns at once, as a miss, for ``RETRY_SECONDS``
  (``REDIS_RETRY_SECONDS``, 30 s); then one call is let through to try again, and the breaker
  closes if it succeeds or stays open another ``RETRY_SECONDS`` if it fails;
- one WARNING when an outage starts and one when Redis answers again, not one per call.

A cache backend of our own, rather than a django-redis client class (``CLIENT_CLASS``): the
backend is where django-redis decides what a failure returns (``omit_exception``: ``None``, the
default of ``get``, ``{}`` for ``get_many``), and that stays django-redis's; this class only puts
a guard in front of the client it delegates to, so that a skipped call fails the way a failed
one does. The client has some sixty methods and subclasses of its own (sharded, sentinel); the
backend delegates to it in one place, ``client``.

What callers see: ``get`` returns its default, ``get_many`` ``{}``, ``add``, ``set`` and ``incr``
``None``. django-ratelimit reads that as "cannot count" and, with ``RATELIMIT_FAIL_OPEN``, lets
the request through. django-axes keeps its records in the database, not in the cache.
:mod:`core.cache` keeps this process's last known content generation in memory and asks
:func:`unavailable` whether a miss means "not there" or "Redis is not answering"."""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import BaseCache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The calls django-redis's backend delegates to its client, each a round trip to Redis (the
# backend's own public methods are named as the client's). ``close`` only closes sockets here.
GUARDED_CALLS = frozenset(
    name
    for name, value in vars(DjangoRedisCache).items()
    if callable(value) and not name.startswith("_")
) - {"close"}


class CacheSkipped(Exception):
    """Why a call did not reach Redis: the breaker is open."""


class CircuitBreaker:
    """Whether a Redis server is worth calling, for every thread of this process."""

    def __init__(self, server: str):
        self.server = server
        self.lock = threading.Lock()
        # While open: when it opened, and when the next call may try again.
        self.opened_at: float | None = None
        self.retry_at = 0.0
        self.trying = False

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def admit(self) -> float | None:
        """When the call starts (for :meth:`succeeded`), or None if it must not be made."""
        now = time.monotonic()
        if self.opened_at is None:  # the usual case, without taking the lock
            return now
        with self.lock:
            if self.opened_at is None:
                return now
            if self.trying or now < self.retry_at:
                return None
            self.trying = True  # this call tries again; the others keep skipping
            return now

    def succeeded(self, started: float) -> None:
        # Only a call that started after the breaker opened shows that Redis answers again.
        if self.opened_at is None or started < self.opened_at:
            return
        with self.lock:
            if self.opened_at is None or started < self.opened_at:
                return
            down_for = time.monotonic() - self.opened_at
            self.opened_at, self.trying = None, False
        logger.warning(
            "Redis at %s answers again after %.0f s: the caches are used again.",
            self.server,
            down_for,
        )

    def failed(self, error: BaseException | None, retry_seconds: float) -> None:
        now = time.monotonic()
        with self.lock:
            starting = self.opened_at is None
            if starting:
                self.opened_at = now
            self.retry_at = now + retry_seconds
            self.trying = False
        if starting:
            logger.warning(
                "Redis at %s failed (%s: %s): the caches are skipped, and pages served without "
                "them, trying again every %g s.",
                self.server,
                type(error).__name__,
                error,
                retry_seconds,
            )

    def gave_up(self) -> None:
        """The call let through to try again ended in an error that says nothing about Redis:
        let the next one try."""
        with self.lock:
            self.trying = False


breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(server: str) -> CircuitBreaker:
    with _breakers_lock:
        return breakers.setdefault(server, CircuitBreaker(server))


def unavailable(cache: BaseCache) -> bool:
    """Whether ``cache`` is a Redis cache that is not answering now, so that a miss means
    nothing about what Redis holds."""
    return isinstance(cache, RedisCache) and cache.breaker.is_open


class GuardedClient:
    """A django-redis client whose round trips go through the breaker."""

    def __init__(self, client: Any, breaker: CircuitBreaker, retry_seconds: float):
        self._client = client
        self._breaker = breaker
        self._retry_seconds = retry_seconds

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if name not in GUARDED_CALLS:
            return value
        return lambda *args, **kwargs: self._call(value, args, kwargs)

    def _call(self, method: Callable, args: tuple, kwargs: dict) -> Any:
        started = self._breaker.admit()
        if started is None:
            raise ConnectionInterrupted(connection=None) from CacheSkipped(self._breaker.server)
        try:
            result = method(*args, **kwargs)
        except ConnectionInterrupted as error:
            self._breaker.failed(error.__cause__, self._retry_seconds)
            raise
        except (RedisError, OSError) as error:
            # The calls django-redis's client does not wrap itself (ttl, expire, lock…).
            self._breaker.failed(error, self._retry_seconds)
            raise ConnectionInterrupted(connection=None) from error
        except BaseException:
            # Redis answered; the caller's error (an increment of a missing key) is its own.
            self._breaker.succeeded(started)
            self._breaker.gave_up()
            raise
        self._breaker.succeeded(started)
        return result


class RedisCache(DjangoRedisCache):
    """django-redis's cache, with its client behind this process's breaker for its server.

    Errors are always ignored (a call that fails returns what a miss returns) and never logged
    one by one: the breaker logs an outage once. ``OPTIONS["RETRY_SECONDS"]`` says how long
    calls are skipped after a failure."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self.retry_seconds = float(options.get("RETRY_SECONDS", 30))
        self.breaker = breaker_for(server if isinstance(server, str) else ",".join(server))
        self._ignore_exceptions = True
        self._log_ignored_exceptions = False
        self._guarded: GuardedClient | None = None

    @property
    def client(self) -> Any:
        if self._guarded is None:
            self._guarded = GuardedClient(super().client, self.breaker, self.retry_seconds)
        return self._guarded

    def clear(self) -> None:
        """Delete this alias's keys only, where django-redis empties the whole database
        (FLUSHDB): the aliases share one, and emptying the page cache must not reset the
        rate-limit counters."""
        self.delete_pattern("*")
