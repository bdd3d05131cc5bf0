"""The topology test's set-up: nginx, two gunicorn instances, the notification worker, and a
PostgreSQL database and Redis database of its own (tests/deploy/topology.py).

Without nginx, its cache purge module, PostgreSQL (DATABASE_URL) or Redis on a developer's machine
these tests skip with the reason; in CI (CI=true) a missing one is a failure, never a skip."""

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.deploy.topology import PURGE_MODULE, Topology, find_nginx, running_topology

# Redis database 7 unless told otherwise; each pytest-xdist worker that runs these tests takes
# the next one (gw1: 8), and empties it first.
REDIS_URL = os.environ.get("TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/7")


def missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def worker_number() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def topology_database_url() -> str:
    """The server of DATABASE_URL, with a database of the test's own: its name and
    "_topology" (and the pytest-xdist worker), created afresh and dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        missing("The topology test needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/") + "_topology"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        name += "_" + os.environ["PYTEST_XDIST_WORKER"]
    return urlunsplit(parts._replace(path="/" + name))


def topology_redis_url() -> str:
    parts = urlsplit(REDIS_URL)
    number = int(parts.path.lstrip("/") or 0) + worker_number()
    if number == 0:
        pytest.fail("The topology test empties its Redis database: give it one other than 0.")
    url = urlunsplit(parts._replace(path=f"/{number}"))
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as error:
        missing(f"Redis does not answer at {url} ({error}): apt-get install redis-server")
    return url


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[Topology]:
    nginx = find_nginx()
    if nginx is None:
        missing("nginx not found (apt-get install nginx libnginx-mod-http-cache-purge)")
    if not PURGE_MODULE.exists():
        missing(f"{PURGE_MODULE} not found (apt-get install libnginx-mod-http-cache-purge)")
    database_url = topology_database_url()
    redis_url = topology_redis_url()
    with running_topology(
        nginx, tmp_path_factory.mktemp("topology"), database_url, redis_url
    ) as running:
        yield running
