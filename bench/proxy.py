"""The proxy's cache under load: ``.venv/bin/python -m bench.proxy``.

How fast nginx serves the public pages it keeps (deploy/nginx/clinic.conf), against nginx
serving a static file of the same size from disk: the most it could do on this machine.

What one run does, all of it on 127.0.0.1:

1. Starts the production topology that the topology test also runs (bench/topology.py): the
   shipped nginx site over TLS in front of two gunicorn instances (deploy/gunicorn.conf.py, one
   sync worker each), the notification worker, a PostgreSQL database of its own
   (``bench_proxy``, created, migrated and dropped) and Redis database 5 (emptied first), with
   the demo clinic.
2. Requests each public page twice, so that the second is a HIT of the proxy's cache, and
   writes a static file exactly as large as the page into the static folder nginx serves.
3. For each page, ``wrk`` (2 threads, 8 connections, keep-alive, over TLS): a 1 s warm-up, then
   5 s measured, of the static file and then of the page; and checks that the page is still a
   HIT afterwards (a MISS would mean gunicorn answered, not nginx).
4. Prints a Markdown table and writes it to bench/proxy-results.md. Target: each page at least
   50 % of its static file's throughput, as bench/run.py asks of the site's own page cache.
   Exit status: 0 when it passes, 1 when it does not, 2 when the benchmark could not run."""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PROTECTED_DATABASES, BenchError, log, publish, require_tools, run, verdict
from bench.run import BENCH_DIR, RESULT_LINE, Load, git
from bench.topology import HOST_NAME, PYTHON, Topology, find_nginx, running_topology

# As for the site's own page cache behind gunicorn (bench/run.py): a cached page costs a lookup
# and a file read more than a static file, not a multiple of it.
SHARE_OF_STATIC = 0.5
# Pages of the demo clinic that nginx keeps: the home page, a treatment and a long condition page.
PAGES = {
    "home": "/en/",
    "treatment": "/en/treatments/facial-retraining-therapy/",
    "condition": "/en/conditions/synkinesis/",
}


def demo_clinic(topology: Topology) -> None:
    run([PYTHON, "manage.py", "load_demo_content"], topology.env, timeout=300)


def wrk(url: str, seconds: int, load: Load, host: str) -> dict:
    """wrk over TLS to 127.0.0.1, for the site's host name (latency.lua prints the numbers)."""
    command = [
        "wrk",
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--header=Host: {host}",
        f"--script={BENCH_DIR / 'latency.lua'}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    match = RESULT_LINE.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise BenchError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    return {key: int(value) for key, value in (pair.split("=") for pair in match[1].split())}


def measure(url: str, load: Load, host: str) -> dict:
    """A warm-up run, then the measured run."""
    wrk(url, load.warmup, load, host)
    return wrk(url, load.duration, load, host)


def benchmark(args: argparse.Namespace) -> tuple[str, bool]:
    nginx = find_nginx()
    if nginx is None:
        raise BenchError("nginx not found: apt-get install nginx libnginx-mod-http-cache-purge")
    require_tools("wrk", "createdb", "dropdb")
    load = Load(threads=2, connections=8, duration=args.seconds, warmup=1)
    rows = []
    with tempfile.TemporaryDirectory(prefix="clinic-proxy-") as workdir:
        database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
        log(f"Starting the topology ({args.database}, {args.redis_url}):")
        started = time.monotonic()
        with running_topology(
            nginx, Path(workdir), database_url, args.redis_url, demo_clinic
        ) as topology:
            log(f"  up in {time.monotonic() - started:.0f} s")
            base = f"https://127.0.0.1:{topology.ports.https}"
            visitor = topology.visitor()
            for name, path in PAGES.items():
                visitor.get(path)
                page = visitor.get(path)
                if page.headers["X-Proxy-Cache"] != "HIT":
                    raise BenchError(f"{path} is not served from the proxy's cache: {page.status}")
                reference = topology.paths.static / f"proxy-reference-{name}.html"
                reference.write_bytes(page.body)
                log(f"  {name} {path} ({len(page.body)} bytes)")
                static = measure(f"{base}/static/{reference.name}", load, HOST_NAME)
                cached = measure(f"{base}{path}", load, HOST_NAME)
                still = visitor.get(path).headers["X-Proxy-Cache"]
                rows.append((name, path, len(page.body), static, cached, still))
    passed = all(share(static, cached) >= SHARE_OF_STATIC for _, _, _, static, cached, _ in rows)
    return report(rows, load), passed


def per_second(result: dict) -> float:
    return result["requests"] / (result["duration_us"] / 1_000_000)


def share(static: dict, cached: dict) -> float:
    return per_second(cached) / per_second(static)


def report(rows: list, load: Load) -> str:
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    lines = [
        "# Proxy cache benchmark",
        "",
        f"Run {datetime.datetime.now():%Y-%m-%d %H:%M} on commit {commit}, {os.cpu_count()} CPU "
        f"cores, load average {os.getloadavg()[0]:.1f} at the end: `python -m bench.proxy`. "
        "nginx 1.22 with deploy/nginx/clinic.conf over TLS (keep-alive), in front of two "
        "gunicorn instances; wrk with "
        f"{load.threads} threads and {load.connections} connections, {load.duration} s per URL "
        f"after a {load.warmup} s warm-up, no compression asked. The reference is nginx serving "
        "a static file exactly as large as the page from disk. For comparison, the site's own "
        "page cache behind gunicorn (2 sync workers, plain HTTP) served 3,610 to 3,976 req/s "
        "against 5,915 for a static file through WhiteNoise (bench/results.md, 2026-11-21).",
        "",
        "| page | bytes | static file req/s | cached page req/s | share | p50 ms | p99 ms | "
        "failed | X-Proxy-Cache after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, path, size, static, cached, still in rows:
        failed = cached["socket_errors"] + cached["status_errors"] + cached["timeouts"]
        lines.append(
            f"| {name} `{path}` | {size} | {per_second(static):.0f} | {per_second(cached):.0f} "
            f"| {share(static, cached):.0%} | {cached['p50_us'] / 1000:.2f} "
            f"| {cached['p99_us'] / 1000:.2f} | {failed} | {still} |"
        )
    lowest = min(share(static, cached) for _, _, _, static, cached, _ in rows)
    lines += [
        "",
        f"Target: every cached page at least {SHARE_OF_STATIC:.0%} of its static file's "
        f"throughput: {verdict(lowest >= SHARE_OF_STATIC)} (lowest {lowest:.0%}).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_proxy", help="PostgreSQL, recreated")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="emptied first")
    parser.add_argument("--seconds", type=int, default=5, help="measured, per URL")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "proxy-results.md")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 60:
        parser.error("--seconds: 1 to 60")
    if args.database in PROTECTED_DATABASES or not args.database.replace("_", "").isalnum():
        parser.error(f"refusing to drop the database {args.database!r}")
    clock = time.monotonic()
    try:
        text, passed = benchmark(args)
    except (BenchError, OSError, RuntimeError, subprocess.SubprocessError) as error:
        log(f"The proxy benchmark could not run: {error}")
        return 2
    publish(text, args.output, clock)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
