"""Load benchmark of the public site: ``make bench`` or ``.venv/bin/python -m bench.run``.

What one run does, all of it on 127.0.0.1:

1. Creates the PostgreSQL database ``bench`` afresh, empties Redis database 3, migrates, collects
   the static files into a temporary folder and loads the demo clinic (bench/common.py).
2. Counts the SQL queries of each URL in-process with Django's test client (bench/probe.py),
   with the full-page cache on and off.
3. Writes a static file exactly as large as the English condition page's HTML next to the
   collected static files: serving it through the same gunicorn and WhiteNoise is the reference,
   the most a page could ever do on this machine.
4. Starts gunicorn (production settings, 2 sync workers by default) twice:
   - **cached**: ``PAGE_CACHE_ENABLED=true``. Anonymous visitors' pages come from the full-page
     cache in Redis after the first request (``X-Cache: hit``).
   - **uncached**: ``PAGE_CACHE_ENABLED=false``, which the page-cache middleware honours: every
     page is rendered from the database. The caches of what pages share (menu, settings, routes,
     image renditions) stay on, as they do in production when a page is not in the full-page
     cache; a page's content and the pages it links to are read on every request. The
     consultation form (GET and a valid
     POST) is measured here only: the cache never stores it, in either mode.
   Each measures the static reference and then each URL with ``wrk`` (a warm-up run, then the
   measured run), in English and Spanish.
5. Starts two more cached servers side by side, one counting page views (core.view_counts) and
   one not (``ANALYTICS_COUNT_VIEWS=false``), and measures the English home and condition pages on
   each in turn (``--counting-rounds``): what counting costs a page from the cache, as a ratio.
   ``--only-counting`` measures this alone.
6. Prints a Markdown table (throughput, median and 99th-percentile latency, throughput as a share
   of the static reference, SQL queries) and the targets with PASS or FAIL, and writes the same to
   bench/results.md.

Every loop is bounded: a fixed list of URLs, a fixed duration per URL, and time-outs on every
step. gunicorn is stopped at the end, also after an error. The exit status is 0 when every target
passes, 1 when one fails, 2 when the benchmark could not run."""

import argparse
import contextlib
import datetime
import http.client
import importlib.metadata
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import (
    PROJECT_DIR,
    PYTHON,
    BenchError,
    BenchSite,
    log,
    measured_commit,
    prepare_site,
    publish,
    require_tools,
    verdict,
)
from bench.probe import CONSULTATION_FORM

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
MODES = {"cached": "true", "uncached": "false"}
# The pages that anonymous visitors read and the full-page cache is for.
CONTENT_PAGES = ("home", "condition", "treatment", "physician")
STATIC_NAME = "bench-reference.html"

# The targets from the issue.
CACHED_SHARE_OF_STATIC = 0.5
UNCACHED_CONDITION_RPS = 150
UNCACHED_CONDITION_QUERIES = 15
POST_P99_MS = 150
# Counting page views (core.view_counts) costs cached pages at most this share of throughput.
COUNTING_MAX_COST = 0.05

# wrk sends no User-Agent of its own, which core.analytics takes for a robot and does not count:
# every request says it is a browser, so that each page view is counted as a patient's is.
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@dataclass
class Row:
    """One line of the table: a URL measured on one server."""

    page: str
    language: str
    mode: str
    path: str
    method: str = "GET"
    x_cache: str = ""
    queries: int | None = None
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    failed: int = 0
    ratio: float | None = None


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, headers: dict[str, str] | None = None):
    """One GET straight to the server (http.client ignores any proxy settings)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_until_ready(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode}):\n{tail(log_path)}")
        with contextlib.suppress(OSError):
            if fetch(port, "/robots.txt")[0] == 200:
                return
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer within 60 s:\n{tail(log_path)}")


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@contextlib.contextmanager
def gunicorn(site: BenchSite, mode: str, workers: int, name: str = "", **env: str) -> Iterator[int]:
    """gunicorn serving the site on a free loopback port; stopped on the way out, always.

    ``env`` is added to the site's environment (bench.load_test sets the mail server and the
    reCAPTCHA keys this way); ``name`` tells the log files of such servers apart. The site's own
    log lines (Django's warnings and tracebacks) go to ``gunicorn-NAME.out``."""
    port = free_port()
    name = name or mode
    log_path = site.workdir / f"gunicorn-{name}.log"
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "clinic_site.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=30",
        "--graceful-timeout=5",
        "--no-control-socket",
        "--log-level=warning",
        f"--error-logfile={log_path}",
    ]
    environment = site.env(PAGE_CACHE_ENABLED=MODES[mode], **env)
    with open(site.workdir / f"gunicorn-{name}.out", "wb") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(process, port, log_path)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- wrk -------------------------------------------------------------------------------------


@dataclass
class Load:
    """How hard and how long wrk pushes each URL."""

    threads: int
    connections: int
    duration: int
    warmup: int


RESULT_LINE = re.compile(r"^BENCH-RESULT (.*)$", re.MULTILINE)


def wrk(port: int, path: str, seconds: int, load: Load, script: str, *args: str) -> dict:
    command = [
        "wrk",
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--header=User-Agent: {BROWSER_AGENT}",
        f"--script={BENCH_DIR / script}",
        f"http://{HOST}:{port}{path}",
        "--",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    match = RESULT_LINE.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise BenchError(f"wrk failed on {path}:\n{result.stdout}{result.stderr}")
    return {key: int(value) for key, value in (pair.split("=") for pair in match[1].split())}


def measure(row: Row, port: int, load: Load, script: str = "latency.lua", *args: str) -> Row:
    """A warm-up run, then the measured run, of one URL."""
    log(f"  {row.mode:8} {row.method:4} {row.path}")
    wrk(port, row.path, load.warmup, load, script, *args, "warmup")
    result = wrk(port, row.path, load.duration, load, script, *args, "measured")
    row.requests_per_second = result["requests"] / (result["duration_us"] / 1_000_000)
    row.p50_ms = result["p50_us"] / 1000
    row.p99_ms = result["p99_us"] / 1000
    failed_answers = result.get("failed", result["status_errors"])
    row.failed = failed_answers + result["socket_errors"] + result["timeouts"]
    return row


# --- the consultation POST -------------------------------------------------------------------


def consultation_post_body(port: int, path: str, language: str, workdir: Path) -> tuple[Path, str]:
    """Fetch the form as a visitor would (CSRF cookie and token, time stamp) and write the
    urlencoded body for wrk, with BENCHSEQ where each request's own number goes."""
    status, headers, body = fetch(port, path)
    page = body.decode()
    cookie = re.search(r"csrftoken=([^;]+)", "\n".join(headers.get_all("Set-Cookie") or []))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    rendered_at = re.search(r'name="rendered_at"[^>]*value="([^"]+)"', page)
    if status != 200 or not (cookie and token and rendered_at):
        raise BenchError(f"Could not read the consultation form at {path} ({status}).")
    form = {
        **CONSULTATION_FORM,
        "preferred_language": language,
        "message": "Benchmark request BENCHSEQ",
        "csrfmiddlewaretoken": token[1],
        "rendered_at": rendered_at[1],
    }
    body_path = workdir / f"consultation-{language}.txt"
    body_path.write_text(urlencode(form))
    return body_path, f"csrftoken={cookie[1]}"


def measure_posts(rows: list[Row], port: int, load: Load, site: BenchSite) -> None:
    if not rows:
        return
    forms = {
        row.language: consultation_post_body(port, row.path, row.language, site.workdir)
        for row in rows
    }
    # A form sent back sooner than this is flagged as "sent unusually fast": wait, as a person
    # would, so that the benchmark measures an ordinary request.
    time.sleep(int(os.environ.get("CONSULTATION_MIN_SUBMIT_SECONDS", "3")) + 1)
    for row in rows:
        body_path, cookie = forms[row.language]
        measure(row, port, load, "consultation_post.lua", str(body_path), cookie)


# --- one server, all its URLs ----------------------------------------------------------------


def probe(site: BenchSite, mode: str) -> list[dict]:
    """SQL queries per URL, counted in-process (bench/probe.py) with the cache ``mode``."""
    out = site.workdir / f"probe-{mode}.json"
    env = site.env(PAGE_CACHE_ENABLED=MODES[mode])
    result = subprocess.run(
        [PYTHON, "-m", "bench.probe", str(out)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise BenchError(f"The query probe failed:\n{result.stdout}{result.stderr}")
    return json.loads(out.read_text())["rows"]


def write_static_reference(site: BenchSite, size: int) -> str:
    """A static file of ``size`` bytes, written before gunicorn starts (WhiteNoise lists the
    static files once, at start-up)."""
    line = b"<p>The physical-limit reference: a static file as large as a condition page.</p>\n"
    content = (line * (size // len(line) + 1))[:size]
    (site.static_root / STATIC_NAME).write_bytes(content)
    return f"/static/{STATIC_NAME}"


def rows_for(mode: str, probed: list[dict], static_path: str, static_size: int) -> list[Row]:
    rows = [Row(f"static file ({static_size:,} bytes)", "—", mode, static_path, queries=0)]
    for found in probed:
        # The consultation form is never cached: it is measured once, on the uncached server.
        if found["page"] == "consultation" and mode == "cached":
            continue
        rows.append(
            Row(
                found["page"],
                found["language"],
                mode,
                found["path"],
                method=found["method"],
                queries=found["queries"],
            )
        )
    return rows


def check_answers(rows: list[Row], port: int) -> None:
    """Each GET answers 200 (not a redirect that wrk would count as a success); the second
    answer's X-Cache header shows whether the page came from the cache."""
    for row in rows:
        if row.method != "GET":
            continue
        fetch(port, row.path)
        status, headers, _ = fetch(port, row.path)
        if status != 200:
            raise BenchError(f"{row.path} answered {status}, not 200.")
        row.x_cache = headers.get("X-Cache", "")


def run_server(site: BenchSite, mode: str, rows: list[Row], load: Load, workers: int) -> None:
    log(f"gunicorn, {mode} (PAGE_CACHE_ENABLED={MODES[mode]}):")
    with gunicorn(site, mode, workers) as port:
        check_answers(rows, port)
        for row in rows:
            if row.method == "GET":
                measure(row, port, load)
        measure_posts([row for row in rows if row.method == "POST"], port, load, site)
        static = rows[0].requests_per_second
        for row in rows:
            row.ratio = row.requests_per_second / static if static else None


# --- what counting page views costs ----------------------------------------------------------


@dataclass
class Counting:
    """One cached page's throughput on two servers of the same run, page views counted on one
    (``ANALYTICS_COUNT_VIEWS=true``, the default) and not on the other, one measurement on each
    in turn per round, so that whatever else the machine does falls on both alike."""

    page: str
    language: str
    path: str
    on: list[float] = field(default_factory=list)
    off: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return (sum(self.on) / len(self.on)) / (sum(self.off) / len(self.off))


@dataclass
class CountingRun:
    pages: list[Counting]
    # Requests each server answered while measured (warm-ups included), and the page views
    # written to the database meanwhile: as many as the counting server answered if it
    # counted each once and the other counted none.
    sent: dict[str, int] = field(default_factory=lambda: {"on": 0, "off": 0})
    written: int = 0
    # Requests the counting server may have answered, and counted, after wrk stopped counting
    # them: one per connection at the end of each wrk run.
    in_flight: int = 0


def views_written(site: BenchSite) -> int:
    """Every page view in the benchmark's database (core.view_counts' table)."""
    import psycopg

    with psycopg.connect(site.database_url) as connection:
        row = connection.execute("SELECT coalesce(sum(views), 0) FROM core_pageviewcount")
        return int(row.fetchone()[0])  # type: ignore[index]


def measure_counting(
    site: BenchSite,
    probed: list[dict],
    load: Load,
    workers: int,
    rounds: int,
    flush_seconds: float = 1,
) -> CountingRun:
    """The cached English condition and home pages, ``rounds`` times on each server in turn.
    Both flush their counts every second (production: every minute), so that the writes are
    part of what is measured."""
    run = CountingRun(
        [
            Counting(row["page"], row["language"], row["path"])
            for row in probed
            if row["page"] in ("condition", "home") and row["language"] == "en"
        ]
    )
    log("gunicorn, cached, page views counted and not (ANALYTICS_COUNT_VIEWS):")
    with contextlib.ExitStack() as stack:
        ports = {
            name: stack.enter_context(
                gunicorn(
                    site,
                    "cached",
                    workers,
                    name=f"counting-{name}",
                    ANALYTICS_COUNT_VIEWS=value,
                    ANALYTICS_FLUSH_SECONDS=str(flush_seconds),
                )
            )
            for name, value in (("on", "true"), ("off", "false"))
        }
        for page in run.pages:
            for port in ports.values():
                fetch(port, page.path)
                if fetch(port, page.path)[1].get("X-Cache") != "hit":
                    raise BenchError(f"{page.path} is not served from the cache.")
        time.sleep(3)  # the views above written (each worker flushes every second)
        before = views_written(site)
        for number in range(rounds):
            # Each round starts with the server the last one ended with, so that a machine
            # growing busier or quieter during the run favours neither.
            order = list(ports.items()) if number % 2 == 0 else list(ports.items())[::-1]
            for page in run.pages:
                for name, port in order:
                    log(f"  counting {name:3} GET  {page.path}")
                    warmup = wrk(port, page.path, load.warmup, load, "latency.lua", "warmup")
                    result = wrk(port, page.path, load.duration, load, "latency.lua", "measured")
                    getattr(page, name).append(
                        result["requests"] / (result["duration_us"] / 1_000_000)
                    )
                    run.sent[name] += warmup["requests"] + result["requests"]
                    run.in_flight += 2 * load.connections if name == "on" else 0
        time.sleep(3)  # the last views written
        run.written = views_written(site) - before
    return run


def counting_table(run: CountingRun) -> str:
    lines = [
        "| page | language | counted req/s | not counted req/s | ratio |",
        "|---|---|---|---|---|",
    ]
    for page in run.pages:
        on = ", ".join(f"{rps:.0f}" for rps in page.on)
        off = ", ".join(f"{rps:.0f}" for rps in page.off)
        lines.append(f"| {page.page} | {page.language} | {on} | {off} | {page.ratio:.3f} |")
    return "\n".join(lines) + (
        f"\n\nPage views written meanwhile: {run.written:,}; requests answered by the server "
        f"that counts: {run.sent['on']:,}, by the one that does not: {run.sent['off']:,}."
    )


# --- the report ------------------------------------------------------------------------------

HEADER = (
    "| page | language | cache | X-Cache | req/s | p50 ms | p99 ms | ratio to static "
    "| SQL queries | failed |"
)


def table(rows: list[Row]) -> str:
    lines = [HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    for row in rows:
        page = row.page if row.method == "GET" else f"{row.page} ({row.method})"
        lines.append(
            f"| {page} | {row.language} | {row.mode} | {row.x_cache or '—'} "
            f"| {row.requests_per_second:.0f} | {row.p50_ms:.1f} | {row.p99_ms:.1f} "
            f"| {row.ratio:.2f} | {row.queries if row.queries is not None else '—'} "
            f"| {row.failed} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row], counting: CountingRun | None = None) -> list[tuple[bool, str]]:
    cached = [r for r in rows if r.mode == "cached" and r.page in CONTENT_PAGES]
    condition = [r for r in rows if r.mode == "uncached" and r.page == "condition"]
    posts = [r for r in rows if r.method == "POST"]
    results = []

    if cached:  # not measured with --only-counting
        lowest = min(cached, key=lambda r: r.ratio or 0)
        not_hits = sorted({f"{r.page} ({r.language})" for r in cached if r.x_cache != "hit"})
        results.append(
            (
                all((r.ratio or 0) >= CACHED_SHARE_OF_STATIC for r in cached),
                f"cached anonymous pages ≥ {CACHED_SHARE_OF_STATIC:.0%} of the static file's "
                f"throughput: lowest {lowest.ratio:.0%} ({lowest.page}, {lowest.language})"
                + (f"; not served from the cache: {', '.join(not_hits)}" if not_hits else ""),
            )
        )
    for page in counting.pages if counting else []:
        results.append(
            (
                page.ratio >= 1 - COUNTING_MAX_COST,
                f"cached {page.page} page ({page.language}) with page views counted ≥ "
                f"{1 - COUNTING_MAX_COST:.0%} of its throughput without: {page.ratio:.1%}",
            )
        )
    if counting:
        in_flight = counting.in_flight
        results.append(
            (
                counting.sent["on"] <= counting.written <= counting.sent["on"] + in_flight,
                f"page views written ({counting.written:,}) are those of the server that counts "
                f"({counting.sent['on']:,} requests), none of the other's "
                f"({counting.sent['off']:,})",
            )
        )
    for row in condition:
        results.append(
            (
                row.requests_per_second >= UNCACHED_CONDITION_RPS
                and (row.queries or 0) <= UNCACHED_CONDITION_QUERIES,
                f"uncached condition page ({row.language}) ≥ {UNCACHED_CONDITION_RPS} req/s with "
                f"≤ {UNCACHED_CONDITION_QUERIES} SQL queries: {row.requests_per_second:.0f} req/s, "
                f"{row.queries} queries",
            )
        )
    for row in posts:
        results.append(
            (
                row.p99_ms < POST_P99_MS and row.failed == 0,
                f"consultation POST ({row.language}) p99 < {POST_P99_MS} ms, every answer a "
                f"redirect to the confirmation: p99 {row.p99_ms:.1f} ms, {row.failed} failed",
            )
        )
    return results


def describe_run(load: Load, workers: int) -> str:
    commit = measured_commit()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return (
        f"Run {datetime.date.today().isoformat()} on commit {commit}, "
        f"{os.cpu_count()} CPU cores, everything on 127.0.0.1: gunicorn "
        f"{importlib.metadata.version('gunicorn')} with {workers} sync workers (production "
        f"settings), PostgreSQL and Redis; {wrk_version.split(' [')[0].strip() or 'wrk'} with "
        f"{load.threads} threads and {load.connections} connections, {load.duration} s per URL "
        f"after a {load.warmup} s warm-up."
    )


NOTES = """\
- *cache*: the server the row was measured on, with the full-page cache on (`cached`) or off
  (`uncached`, `PAGE_CACHE_ENABLED=false`: each page's content, and the pages it links to, read
  and rendered on every request; what pages share, such as the menu and the routes, cached).
  *X-Cache*: the header on a second request before the run (`hit`: served from the cache; `—`:
  the cache does not store this URL).
- *ratio to static*: the row's throughput divided by that of the static file on the same server.
- *SQL queries*: counted in-process with Django's test client against the same database (the
  second request of each URL), so without the network.
- *failed*: answers that were not a success (GET: not 2xx or 3xx; POST: not a redirect to the
  confirmation) plus connection errors and time-outs.
- Every POST is a valid, different request (its own message), stored in the database.
- Every request sends a browser's User-Agent, so that page views are counted
  (core.view_counts; wrk sends none, which would be taken for a robot's)."""

COUNTING_NOTES = """\
*Counting page views*: two servers of the same run, both with the full-page cache (every request
a hit), page views counted on one (`ANALYTICS_COUNT_VIEWS=true`, the default) and not on the
other (`ANALYTICS_COUNT_VIEWS=false`), both writing their counts every second
(`ANALYTICS_FLUSH_SECONDS=1`; production: 60). Each round measures each page on both servers,
one after the other, in turns (the first server of a round is the last of the one before);
*counted* and *not counted* list each round's throughput and *ratio* is the mean throughput
counted divided by the mean not counted. The page views written are read from the database
after the last flush: as many as the requests the counting server answered (more than wrk
counted by at most one per connection per wrk run, the requests in flight when it stopped), and
none of the other server's, which would add thousands."""


def report(
    rows: list[Row], load: Load, workers: int, counting: CountingRun | None = None
) -> tuple[str, bool]:
    checked = targets(rows, counting)
    lines = [f"- {verdict(passed)}: {text}" for passed, text in checked]
    sections = ["# Load benchmark: latest results", describe_run(load, workers)]
    if rows:
        sections.append(table(rows))
    if counting:
        sections.append("## Counting page views on cached pages\n\n" + counting_table(counting))
    sections += ["## Targets\n\n" + "\n".join(lines), "## How to read it\n\n" + NOTES]
    if counting:
        sections.append(COUNTING_NOTES)
    text = "\n\n".join(sections)
    return text + "\n", all(passed for passed, _ in checked)


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds measured per URL")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--database", default="bench", help="PostgreSQL database, recreated")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3", help="flushed")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.md")
    parser.add_argument(
        "--counting-rounds",
        type=int,
        default=2,
        help="rounds of the cached pages with page views counted and not (1–10)",
    )
    parser.add_argument(
        "--flush-seconds",
        type=float,
        default=1,
        help="ANALYTICS_FLUSH_SECONDS of the counting servers (production: 60)",
    )
    parser.add_argument(
        "--only-counting",
        action="store_true",
        help="measure only what counting page views costs cached pages (about 1 minute)",
    )
    args = parser.parse_args(argv)
    if not (1 <= args.duration <= 60 and 0 <= args.warmup <= 30):
        parser.error("--duration must be 1–60 s and --warmup 0–30 s: the run stays bounded.")
    if not 1 <= args.counting_rounds <= 10:
        parser.error("--counting-rounds must be 1–10: the run stays bounded.")
    return args


def benchmark(args: argparse.Namespace) -> tuple[list[Row], CountingRun]:
    load = Load(args.threads, args.connections, args.duration, args.warmup)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as workdir:
        site = BenchSite(Path(workdir), database=args.database, redis_url=args.redis_url)
        log(f"Preparing the database {site.database!r} and Redis {site.redis_url}:")
        prepare_site(site, lambda message: log(message))
        log("Counting SQL queries in-process…")
        modes = ["cached"] if args.only_counting else list(MODES)
        probed = {mode: probe(site, mode) for mode in modes}
        condition = next(
            r for r in probed["cached"] if r["page"] == "condition" and r["language"] == "en"
        )
        static_path = write_static_reference(site, condition["bytes"])
        rows = []
        for mode in [] if args.only_counting else MODES:
            server_rows = rows_for(mode, probed[mode], static_path, condition["bytes"])
            run_server(site, mode, server_rows, load, args.workers)
            rows += server_rows
        counting = measure_counting(
            site, probed["cached"], load, args.workers, args.counting_rounds, args.flush_seconds
        )
    return rows, counting


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        require_tools("wrk")
        if importlib.util.find_spec("gunicorn") is None:
            raise BenchError(
                'gunicorn is not installed: .venv/bin/pip install -c requirements.lock ".[bench]"'
            )
        rows, counting = benchmark(args)
    except (BenchError, subprocess.TimeoutExpired) as error:
        log(f"The benchmark could not run: {error}")
        return 2
    load = Load(args.threads, args.connections, args.duration, args.warmup)
    text, passed = report(rows, load, args.workers, counting)
    publish(text, args.output, started)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
