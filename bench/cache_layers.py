"""What each layer of the page cache (core/cache.py) saves on a condition page that is not in
the full-page cache: ``.venv/bin/python -m bench.cache_layers``.

In-process, with Django's test client against the demo clinic in a throwaway test database
(SQLite in memory by default; with ``DATABASE_URL=postgres://…/NAME``, PostgreSQL's
``test_NAME``, created and dropped here), so the figures are the site's own work without the
network or a web server. The English condition page is requested with each layer switched off
in turn:

- **full-page cache hit**: the page as most visitors get it, for reference;
- **all layers** (the full-page cache off): the routing cache, the fragment cache and the memo,
  as a page that is not in the full-page cache is served in production;
- **no memo**: every entry read from the ``pages`` cache rather than this process's memory;
- **no fragment cache**: the menu, the settings, the breadcrumbs, the language switcher built
  on every request (``cached_for_site`` and the private-pages check);
- **no routing cache**: Wagtail finds the site and walks the page tree itself;
- **none**: no routing cache, fragment cache or memo.

Each row gives the SQL queries of one request, the round trips to the ``pages`` and ``default``
caches (Redis in production) per request, and the median and 90th-percentile time of
``--requests`` requests, split in ``--rounds`` that each take every configuration in turn from
an empty cache and ``--warmup`` untimed requests. With ``--redis-url`` both caches are that
Redis database, emptied before and after (never database 0); otherwise they are this process's
memory, where a round trip costs no network time. The layers are switched off by patching
core.cache from here: the site's only switch is the full-page cache's ``PAGE_CACHE_ENABLED``.
The figures are quoted in core/cache.py's docstring; run this again when a layer changes."""

import argparse
import contextlib
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import django

from bench.common import PROTECTED_DATABASES, BenchError, log, reset_redis

# Keys core.cache keeps per layer (RoutingCacheMiddleware; cached_for_site and
# pages.models.base.has_view_restrictions).
ROUTING_KEYS = ("site-for:", "site-root-paths", "route:")
FRAGMENT_KEYS = ("site:", "any-view-restriction")
# The caches that are Redis in production: a call is a round trip.
COUNTED_CACHES = ("pages", "default")
COUNTED_METHODS = ("get", "get_many", "set", "set_many", "add", "delete")


@dataclass(frozen=True)
class Layers:
    name: str
    page_cache: bool = False
    routing: bool = True
    fragments: bool = True
    memo: bool = True


CONFIGURATIONS = [
    Layers("full-page cache hit", page_cache=True),
    Layers("all layers"),
    Layers("no memo", memo=False),
    Layers("no fragment cache", fragments=False),
    Layers("no routing cache", routing=False),
    Layers("none", routing=False, fragments=False, memo=False),
]


@dataclass
class Row:
    layers: Layers
    queries: int
    round_trips: float
    x_cache: str
    timings: list[float]

    def merge(self, other: "Row") -> "Row":
        return Row(
            self.layers,
            other.queries,
            other.round_trips,
            other.x_cache,
            self.timings + other.timings,
        )

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings)

    @property
    def p90_ms(self) -> float:
        return statistics.quantiles(self.timings, n=10)[-1]


class NoMemo:
    """A memo that keeps nothing: every entry comes from the ``pages`` cache."""

    def get(self, generation: str, key: str) -> None:
        return None

    def set(self, generation: str, key: str, data: bytes) -> None:
        pass


@contextlib.contextmanager
def switched(layers: Layers) -> Iterator[None]:
    """core.cache with the layers ``layers`` turns off, for the length of the block."""
    from django.test.utils import override_settings

    from core import cache

    off = () if layers.routing else ROUTING_KEYS
    off += () if layers.fragments else FRAGMENT_KEYS
    get_in_generation, set_in_generation, memo = (
        cache.get_in_generation,
        cache.set_in_generation,
        cache.memo,
    )

    def get_unless_off(request, key):
        return cache.MISSING if key.startswith(off) else get_in_generation(request, key)

    def set_unless_off(request, key, value):
        if not key.startswith(off):
            set_in_generation(request, key, value)

    cache.get_in_generation, cache.set_in_generation = get_unless_off, set_unless_off
    cache.memo = memo if layers.memo else NoMemo()
    try:
        with override_settings(PAGE_CACHE_ENABLED=layers.page_cache):
            yield
    finally:
        cache.get_in_generation, cache.set_in_generation, cache.memo = (
            get_in_generation,
            set_in_generation,
            memo,
        )


@contextlib.contextmanager
def counted_round_trips() -> Iterator[Counter]:
    """Counts the calls to the caches that are Redis in production, once per outermost call
    (the memory cache's ``get_many`` calls its own ``get``)."""
    from django.core.cache import caches

    counts: Counter = Counter()
    inside: set[str] = set()
    patched = []
    for alias in COUNTED_CACHES:
        backend = caches[alias]
        for method in COUNTED_METHODS:
            original = getattr(backend, method)

            def counting(*args, _original=original, _alias=alias, **kwargs):
                if _alias in inside:
                    return _original(*args, **kwargs)
                counts[_alias] += 1
                inside.add(_alias)
                try:
                    return _original(*args, **kwargs)
                finally:
                    inside.discard(_alias)

            setattr(backend, method, counting)
            patched.append((backend, method))
    try:
        yield counts
    finally:
        for backend, method in patched:
            delattr(backend, method)


def measure(layers: Layers, path: str, requests: int, warmup: int) -> Row:
    """One round of one configuration: a fresh cache, ``warmup`` requests, one request whose
    queries are counted, then ``requests`` timed ones."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import cache

    for alias in COUNTED_CACHES:
        caches[alias].clear()
    cache.memo.generation, cache.memo.entries = None, {}
    client = Client()
    with switched(layers):
        for _request in range(warmup):
            response = client.get(path)
            if response.status_code != 200:
                raise BenchError(f"GET {path} answered {response.status_code}.")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # now: the next request empties the log
        timings = []
        with counted_round_trips() as counts:
            for _request in range(requests):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
    return Row(
        layers=layers,
        queries=query_count,
        round_trips=sum(counts.values()) / requests,
        x_cache=response.get("X-Cache", "-"),
        timings=timings,
    )


def condition_path() -> str:
    from pages.models import ConditionPage

    page = ConditionPage.objects.live().filter(locale__language_code="en").order_by("path")[0]
    return page.get_url_parts()[2]


def describe_machine(redis_url: str | None) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        version = cursor.fetchone()[0]
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        cpu = names[0] if names else cpu
    caches = f"Redis {redis_url}" if redis_url else "this process's memory"
    return (
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"{connection.vendor} {version}, caches in {caches}, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| layers | X-Cache | SQL queries | cache round trips | median ms | p90 ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {row.layers.name} | {row.x_cache} | {row.queries} | {row.round_trips:.0f} "
        f"| {row.median_ms:.2f} | {row.p90_ms:.2f} |"
        for row in rows
    ]
    return "\n".join(lines)


def run(requests: int, rounds: int, warmup: int, redis_url: str | None) -> str:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_databases, teardown_databases

    database = connection.settings_dict
    name = database["TEST"]["NAME"] or f"test_{database['NAME']}"
    if connection.vendor != "sqlite" and name in PROTECTED_DATABASES:
        raise BenchError(f"Refusing to use the database {name!r}: the test suite's.")
    caches = {}
    if redis_url:
        reset_redis(redis_url)
        redis = {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": redis_url}
        caches = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(
            MEDIA_ROOT=media,
            CACHES={**settings.CACHES, **caches},
            ALLOWED_HOSTS=["testserver"],
        ),
    ):
        started = time.monotonic()
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            log(f"  database: {time.monotonic() - started:.0f} s")
            started = time.monotonic()
            call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
            log(f"  demo content: {time.monotonic() - started:.0f} s")
            path = condition_path()
            # Rounds, each configuration in turn: a load that comes and goes on the machine
            # falls on all of them alike.
            rows: dict[Layers, Row] = {}
            for round_number in range(rounds):
                for layers in CONFIGURATIONS:
                    row = measure(layers, path, requests // rounds, warmup)
                    rows[layers] = rows[layers].merge(row) if layers in rows else row
                log(f"  round {round_number + 1} of {rounds}")
            machine = describe_machine(redis_url)
        finally:
            teardown_databases(databases, verbosity=0)
            if redis_url:
                reset_redis(redis_url)
    return (
        f"GET {path}, {requests} timed requests per row in {rounds} rounds, each after "
        f"{warmup} untimed; {machine}.\n\n{table(list(rows.values()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per row")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the requests are split in")
    parser.add_argument("--warmup", type=int, default=20, help="requests before timing, per round")
    parser.add_argument(
        "--redis-url", help="Redis database for both caches, e.g. redis://127.0.0.1:6379/5"
    )
    args = parser.parse_args()
    if not 1 <= args.rounds <= 100 or not args.rounds * 2 <= args.requests <= 10000:
        parser.error("--rounds must be 1 to 100, --requests twice that to 10000")
    if not 1 <= args.warmup <= 1000:
        parser.error("--warmup must be 1 to 1000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings.test")
    django.setup()
    try:
        print(run(args.requests, args.rounds, args.warmup, args.redis_url))
    except BenchError as error:
        log(str(error))
        sys.exit(2)


if __name__ == "__main__":
    main()
