"""The production topology on loopback for tests/deploy/test_topology.py (bench/topology.py, which
the benchmarks run too), filled with the small clinic of tests/deploy/small_clinic.py.

Visitors come from different loopback addresses (127.0.0.2, 127.0.0.3 …: Linux routes all of
127.0.0.0/8 to the loopback interface), so nginx sees a different peer for each, as it would on
the Internet, and appends that one to X-Forwarded-For."""

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from bench.topology import (
    HOST_NAME,
    LOOPBACK,
    PROJECT_DIR,
    PURGE_MODULE,
    PYTHON,
    REFERENCE,
    Topology,
    find_nginx,
    run,
)
from bench.topology import running_topology as running_production_topology

__all__ = [
    "HOST_NAME",
    "LOOPBACK",
    "PROJECT_DIR",
    "PURGE_MODULE",
    "REFERENCE",
    "Topology",
    "find_nginx",
    "running_topology",
]


def build_small_clinic(topology: Topology) -> None:
    """The small clinic, written by a process of the site; its pages' addresses for the test."""
    built = run([PYTHON, "-m", "tests.deploy.small_clinic", "build"], topology.env)
    topology.pages = json.loads(built.strip().splitlines()[-1])


@contextlib.contextmanager
def running_topology(
    nginx: str, root: Path, database_url: str, redis_url: str
) -> Iterator[Topology]:
    """Everything running (both app servers and the notification worker), with the small clinic."""
    # Page views are written every second, not every minute: the test reads them.
    with running_production_topology(
        nginx,
        root,
        database_url,
        redis_url,
        build_small_clinic,
        settings={"ANALYTICS_FLUSH_SECONDS": "1"},
    ) as topology:
        yield topology
