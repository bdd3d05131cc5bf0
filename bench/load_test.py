"""Reliability load test of the consultation form: ``make bench-reliability`` or
``.venv/bin/python -m bench.load_test``.

The question it answers: when many visitors send consultation requests at once, and when a part
of the system fails while they do, is every visitor who was told "received" (the confirmation
with a reference number) in the database exactly once, and was every visitor who was not told so
shown an honest error page?

What one run does, all of it on 127.0.0.1:

1. Creates the PostgreSQL database ``bench_reliability`` afresh (not ``bench``, so that it never
   fights ``make bench``), empties Redis database 4, migrates, collects the static files into a
   temporary folder and loads the demo clinic.
2. ``--through-nginx`` (the default when nginx and its cache purge module are installed): starts
   the production topology (bench/topology.py, as tests/deploy/ runs it): the shipped nginx site
   over HTTPS, with a certificate from an authority made for the run, in front of two gunicorn
   instances (deploy/gunicorn.conf.py, one sync worker each, production settings with
   ``DJANGO_TRUSTED_PROXY_COUNT=1`` and the product's rate limit of 10 requests per hour per
   address). ``--direct``: one gunicorn with 2 sync workers over plain HTTP (bench/run.py), every
   visitor at 127.0.0.1 and the rate limit raised. Either way a ``db_worker`` sends the
   notification e-mails, as in production.
3. Sends virtual visitors. Each is a browser of its own: it fetches the form (English or
   Spanish, in turn), reads the CSRF cookie and token and the form's time stamp, posts a valid
   request whose message carries a unique marker (``load-RUN-PHASE-N``) under a unique name, and
   follows the redirect to the confirmation, where it reads the reference number. A visitor
   whose confirmation page fails reloads it a few times, as a person would. Through nginx each
   visitor comes from a loopback address of its own (127.0.0.2, 127.0.0.3 …: Linux routes all
   of 127.0.0.0/8 to the loopback interface), which nginx appends to X-Forwarded-For, over one
   keep-alive connection, and sends the Origin and Referer a browser sends with a form.
4. Reconciles each phase with the database by marker: **lost** (confirmed, not stored),
   **phantom** (stored, but the visitor never saw a confirmation), **duplicates** (a marker
   stored twice), a confirmation showing another request's reference, and **server errors**
   (a 500 or no answer at all, at any step). An *honest error* is the 503 page that asks a
   visitor who saw no reference number to send the request again, or the 429 "too many
   requests" page.

The scenarios (``--scenarios``, all but the PostgreSQL restart by default):

- ``rate-limit`` (through nginx only): one address sends 11 requests one after another; the
  first 10 must be confirmed, the 11th answered with the honest 429 page, and the next patient,
  from another address, confirmed: the limit counts per patient, not per proxy.
- ``baseline``: a steady 20 visitors per second (open loop: each starts on schedule whatever the
  others are doing) for the p99 target, then at least 2,000 visitors over 20 concurrent
  connections, as fast as they go, for the throughput target.
- ``mail-hang``: the mail server accepts connections and never answers (a socket server here);
  ``EMAIL_TIMEOUT`` must bound each attempt, and the form must not notice.
- ``mail-down``: nothing listens where the mail server should be. Afterwards
  ``retry_notifications`` queues again every notification and acknowledgement not sent, and a
  worker with a working mail server sends them: nothing was lost.
- ``verification-failing``: reCAPTCHA keys set, and the verification service (an HTTPS fake
  here, with a certificate authority made for the run) answers HTTP 500 to everything. Requests
  must be stored, confirmed and flagged "unverified".
- ``postgres-restart`` (only with ``--with-postgres-restart``): visitors arrive at the steady
  rate; PostgreSQL is stopped when a third of them have started and started again 3 s later,
  and every visitor who arrives once it accepts connections must be confirmed. It restarts the
  machine's shared PostgreSQL, so it first waits until no pytest process is running, checks
  again right before stopping, and skips the restart if one has started.
- ``verification-slow``: the verification service answers only after the site has stopped
  waiting (``RECAPTCHA_VERIFY_REQUEST_TIMEOUT``). Each request that waits holds a sync worker
  for the whole time-out, so the site must stop asking after a failure.

Everything is bounded: the number of visitors per phase, a time limit per phase after which no
new visitor starts, a time-out on every HTTP request and every subprocess. nginx, gunicorn, the
workers and the fakes are stopped at the end, also after an error, and PostgreSQL is always
started again. A scenario that needs other settings (the verification ones) restarts the app
servers with them; nginx keeps running.

Writes bench/reliability-results.md. Exit status: 0 when everything passes, 1 when a
reconciliation fails (a request lost, phantom or duplicated, a server error), 3 when every
reconciliation passes but a speed target is missed, 2 when the test could not run."""

import argparse
import contextlib
import datetime
import http.client
import importlib.util
import json
import math
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

from bench.common import (
    POSTGRES_PORT,
    PROJECT_DIR,
    PROTECTED_DATABASES,
    PYTHON,
    BenchError,
    BenchSite,
    log,
    prepare_site,
    publish,
    require_tools,
    verdict,
)
from bench.probe import CONSULTATION_FORM
from bench.run import free_port, git, gunicorn
from bench.topology import HOST_NAME, PURGE_MODULE, Topology, find_nginx, running_topology

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
DEFAULT_DATABASE = "bench_reliability"
# Not bench/run.py's database 3: the two can run on the same machine without emptying each
# other's cache mid-run.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
FORM_PATHS = {"en": "/en/consultation/", "es": "/es/consulta/"}

# The targets from the issue.
ACCEPTED_PER_SECOND = 40
STEADY_RATE = 20
STEADY_P99_MS = 300
CONCURRENCY = 20
MIN_VISITORS = 2000

# A visitor whose confirmation page fails reloads it this many times, this far apart.
CONFIRMATION_RELOADS = 4
RELOAD_PAUSE_SECONDS = 2.0
# Threads that start the steady phase's visitors: enough that a slow server delays answers,
# not departures, up to this many visitors in flight.
OPEN_LOOP_THREADS = 120
# Mail attempts in the mail scenarios give up after this long (EMAIL_TIMEOUT).
MAIL_TIMEOUT_SECONDS = 2
POSTGRES_DOWN_SECONDS = 3

ALL_SCENARIOS = (
    "rate-limit",
    "baseline",
    "mail-hang",
    "mail-down",
    "verification-failing",
    "postgres-restart",
    "verification-slow",
)
DEFAULT_SCENARIOS = (
    "rate-limit",
    "baseline",
    "mail-hang",
    "mail-down",
    "verification-failing",
    "verification-slow",
)

# How a visitor's journey ended.
CONFIRMED = "confirmed"
HONEST = "honest error"
SERVER_ERROR = "server error"
UNEXPECTED = "unexpected answer"

# The 503 page's promise, in the two languages the visitors use: it must tell a visitor who saw
# no reference number to send the request again, or it would not be an honest answer.
NOT_SAVED = (
    "have not seen a confirmation with a reference number",
    "no ha visto una confirmación con un número de referencia",
)
REFERENCE = re.compile(r'class="reference__number">([^<]+)<')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RENDERED_AT = re.compile(r'name="rendered_at"[^>]*value="([^"]+)"')
SET_COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")
# What a visitor whose browser got no (complete) answer sees: refused, reset, timed out, cut off.
NO_ANSWER = (OSError, http.client.HTTPException)
# Where django-tasks-db keeps the queued notification e-mails and how each run ended.
TASKS_TABLE = "django_tasks_database_dbtaskresult"


# --- one visitor -----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Addresses:
    """Loopback addresses for the visitors, each given out once per run: 127.0.0.2, 127.0.0.3 …
    (Linux routes all of 127.0.0.0/8 to the loopback interface). A host part of 0 or 255 is
    skipped; 127.0.0.1 is nginx's own, the address of the site's trusted proxy."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.number = 1
        self.given = 0

    def next(self) -> str:
        with self.lock:
            while True:
                self.number += 1
                parts = self.number.to_bytes(3, "big")
                if parts[-1] not in (0, 255):
                    self.given += 1
                    return "127." + ".".join(str(part) for part in parts)


@dataclass
class Target:
    """Where the visitors go. Direct: gunicorn over plain HTTP, every visitor at 127.0.0.1.
    Through nginx: www.example.org over HTTPS (a certificate from the run's own authority),
    each visitor from a loopback address of its own (``addresses``)."""

    port: int
    logs: list[Path]
    tls: ssl.SSLContext | None = None
    addresses: Addresses | None = None

    @property
    def origin(self) -> str:
        return f"https://{HOST_NAME}:{self.port}"

    def address(self) -> str | None:
        return self.addresses.next() if self.addresses else None


class Browser:
    """A visitor's browser: its own cookies. Direct, one connection per request (gunicorn's
    sync workers close every connection anyway); through nginx, one keep-alive connection for
    the whole visit, as a browser keeps it, from the visitor's own address, with the Origin and
    Referer a browser sends with a form. http.client ignores any proxy settings."""

    def __init__(self, target: Target, timeout: float, address: str | None = None) -> None:
        self.target = target
        self.timeout = timeout
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def connect(self) -> http.client.HTTPConnection:
        if self.target.tls is None:
            return http.client.HTTPConnection(HOST, self.target.port, timeout=self.timeout)
        if self.connection is None:
            connection = http.client.HTTPSConnection(
                HOST_NAME,
                self.target.port,
                timeout=self.timeout,
                source_address=(self.address or HOST, 0),
                context=self.target.tls,
            )

            # The name is www.example.org (Host header, TLS server name); the machine is this
            # one. http.client opens the connection again this way after the server closed it.
            def create_connection(address, timeout=None, source_address=None):
                return socket.create_connection((HOST, address[1]), timeout, source_address)

            connection._create_connection = create_connection  # type: ignore[attr-defined]
            self.connection = connection
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.target.tls is not None:
                # Django's CSRF check over HTTPS compares these with the site's own origin.
                headers["Origin"] = self.target.origin
                headers["Referer"] = self.target.origin + path
        connection = self.connect()
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except BaseException:
            self.close()
            raise
        finally:
            if self.target.tls is None:
                connection.close()
        seconds = time.monotonic() - started
        # The cookies are marked Secure (production settings); a browser on plain-HTTP loopback
        # would drop them, so this one keeps them itself (over HTTPS too, the same way).
        for header in response.headers.get_all("Set-Cookie") or []:
            match = SET_COOKIE.match(header)
            if match and match[2] and "max-age=0" not in header.lower():
                self.cookies[match[1]] = match[2]
            elif match:
                self.cookies.pop(match[1], None)
        return Answer(
            response.status, response.headers, content.decode("utf-8", "replace"), seconds
        )


@dataclass
class Journey:
    """One visitor: the form, one request with its own marker, the confirmation."""

    number: int
    marker: str
    language: str
    scheduled: float  # seconds after the phase began
    address: str | None = None  # the loopback address it comes from, through nginx
    started: float = 0.0
    finished: float = 0.0
    outcome: str = ""
    detail: str = ""
    post_sent: bool = False
    form_seconds: float | None = None
    post_seconds: float | None = None
    confirmation_seconds: float | None = None
    reference: str | None = None
    reloads: int = 0
    # Every 500, other 5xx or missing answer seen on the way, even if a reload then worked.
    errors: list[str] = field(default_factory=list)

    def end(self, outcome: str, detail: str = "") -> "Journey":
        self.outcome = outcome
        self.detail = detail
        return self


def judge(answer: Answer, step: str) -> tuple[str, str]:
    """What a visitor who got this (unsuccessful) answer was told."""
    if answer.status == 429:
        return HONEST, f"{step}: 429 too many requests"
    if answer.status == 503 and any(text in answer.body for text in NOT_SAVED):
        return HONEST, f"{step}: 503 not saved"
    if answer.status >= 500:
        return SERVER_ERROR, f"{step}: {answer.status}"
    return UNEXPECTED, f"{step}: {answer.status}"


def visitor_form(journey: Journey, page: str, captcha: str) -> dict[str, str] | None:
    csrf = CSRF_TOKEN.search(page)
    rendered_at = RENDERED_AT.search(page)
    if not (csrf and rendered_at):
        return None
    form = {
        **CONSULTATION_FORM,
        # Invented visitors (555-01xx numbers are fictional); the name and address are unique
        # so that no two visitors could ever be taken for the same person.
        "full_name": f"Load Visitor {journey.marker}",
        "email": f"{journey.marker}@example.org",
        "preferred_language": journey.language,
        "message": f"Reliability test request {journey.marker}.",
        "csrfmiddlewaretoken": csrf[1],
        "rendered_at": rendered_at[1],
    }
    if captcha:
        form["captcha"] = captcha
    return form


def visit(journey: Journey, target: Target, timeout: float, captcha: str, clock: float) -> Journey:
    """The whole visit; every step that fails ends it with what the visitor was told."""
    journey.started = time.monotonic() - clock
    browser = Browser(target, timeout, journey.address)
    try:
        return _visit(journey, browser, captcha)
    except Exception as error:  # a fault of this script: counted, never silently dropped
        return journey.end(UNEXPECTED, f"client error: {type(error).__name__}: {error}")
    finally:
        browser.close()
        journey.finished = time.monotonic() - clock


def _visit(journey: Journey, browser: Browser, captcha: str) -> Journey:
    path = FORM_PATHS[journey.language]
    try:
        form_page = browser.send("GET", path)
    except NO_ANSWER as error:
        journey.errors.append(f"form: no answer ({type(error).__name__})")
        return journey.end(SERVER_ERROR, journey.errors[-1])
    journey.form_seconds = form_page.seconds
    if form_page.status != 200:
        outcome, detail = judge(form_page, "form")
        if outcome == SERVER_ERROR:
            journey.errors.append(detail)
        return journey.end(outcome, detail)
    form = visitor_form(journey, form_page.body, captcha)
    if form is None:
        return journey.end(UNEXPECTED, "form: no CSRF token or time stamp")

    # Counted as sent before it is: a request whose answer never comes may still be stored.
    journey.post_sent = True
    try:
        answer = browser.send("POST", path, form)
    except NO_ANSWER as error:
        journey.errors.append(f"POST: no answer ({type(error).__name__})")
        return journey.end(SERVER_ERROR, journey.errors[-1])
    journey.post_seconds = answer.seconds
    if answer.status not in (302, 303) or "confirmation/" not in answer.location:
        outcome, detail = judge(answer, "POST")
        if outcome == SERVER_ERROR:
            journey.errors.append(detail)
        return journey.end(outcome, detail)

    confirmation = urlsplit(answer.location).path
    outcome, detail = UNEXPECTED, ""
    for attempt in range(1 + CONFIRMATION_RELOADS):
        if attempt:
            journey.reloads += 1
            time.sleep(RELOAD_PAUSE_SECONDS)
        try:
            page = browser.send("GET", confirmation)
        except NO_ANSWER as error:
            journey.errors.append(f"confirmation: no answer ({type(error).__name__})")
            outcome, detail = SERVER_ERROR, journey.errors[-1]
            continue
        journey.confirmation_seconds = page.seconds
        if page.status == 200:
            reference = REFERENCE.search(page.body)
            if reference:
                journey.reference = reference[1].strip()
                return journey.end(CONFIRMED)
            return journey.end(UNEXPECTED, "confirmation without a reference")
        outcome, detail = judge(page, "confirmation")
        if outcome == SERVER_ERROR:
            journey.errors.append(detail)
    return journey.end(outcome, detail + f" after {journey.reloads} reloads")


# --- a phase: many visitors ------------------------------------------------------------------


@dataclass
class Phase:
    """Visitors sent one way (steady rate or fixed concurrency) in one scenario."""

    key: str
    title: str
    prefix: str
    journeys: list[Journey] = field(default_factory=list)
    seconds: float = 0.0
    cut_short: bool = False  # the time limit ended it before every visitor had started
    events: list[str] = field(default_factory=list)
    clock: float = 0.0  # time.monotonic() when it began
    load_before: float = 0.0
    load_after: float = 0.0
    client_cpu: float = 0.0  # CPU seconds this script spent sending the visitors
    reconciliation: "Reconciliation | None" = None

    @property
    def confirmed(self) -> list[Journey]:
        return [j for j in self.journeys if j.outcome == CONFIRMED]

    def count(self, outcome: str) -> int:
        return sum(1 for j in self.journeys if j.outcome == outcome)

    @property
    def posts_sent(self) -> int:
        return sum(1 for j in self.journeys if j.post_sent)

    @property
    def server_errors(self) -> int:
        """Visitors who met a 500, another 5xx or no answer at some step."""
        return sum(1 for j in self.journeys if j.errors)

    @property
    def accepted_per_second(self) -> float:
        return len(self.confirmed) / self.seconds if self.seconds else 0.0

    def post_percentile(self, share: float) -> float | None:
        """POST answer time (ms) at this share, nearest rank, over every POST that was answered."""
        return self.percentile("post_seconds", share)

    def percentile(self, step: str, share: float) -> float | None:
        times = sorted(t for j in self.journeys if (t := getattr(j, step)) is not None)
        if not times:
            return None
        rank = max(1, min(len(times), math.ceil(share * len(times))))
        return times[rank - 1] * 1000


@dataclass
class Trigger:
    """Something done to the system while a phase runs, once this many visitors have started."""

    after_visitors: int
    action: Callable[[], str]


def run_phase(
    phase: Phase,
    target: Target,
    visitors: int,
    max_seconds: float,
    timeout: float,
    *,
    rate: float | None = None,
    concurrency: int = CONCURRENCY,
    captcha: str = "",
    trigger: Trigger | None = None,
) -> Phase:
    """Send ``visitors`` visitors, at ``rate`` per second (open loop) or over ``concurrency``
    connections as fast as they are answered (closed loop). No visitor starts after
    ``max_seconds``; the ones under way finish (each request has its own time-out)."""
    languages = list(FORM_PATHS)
    journeys = [
        Journey(n, f"{phase.prefix}-{n:05d}", languages[n % len(languages)], 0.0, target.address())
        for n in range(visitors)
    ]
    started: list[Journey] = []
    lock = threading.Lock()
    trigger_thread: list[threading.Thread] = []
    clock = phase.clock = time.monotonic()
    deadline = clock + max_seconds
    phase.load_before = os.getloadavg()[0]
    cpu = time.process_time()

    def on_start() -> None:
        # Runs with the lock held, once per visitor who starts.
        if trigger and len(started) == trigger.after_visitors:
            at = time.monotonic() - clock

            def act() -> None:
                phase.events.append(f"at {at:.1f} s: {trigger.action()}")

            # Not a daemon: if this script is interrupted while PostgreSQL is stopped, Python
            # still waits for the thread, which starts it again.
            thread = threading.Thread(target=act)
            thread.start()
            trigger_thread.append(thread)

    if rate is None:
        queue = iter(journeys)

        def connection() -> None:
            while time.monotonic() < deadline:
                with lock:
                    journey = next(queue, None)
                    if journey is None:
                        return
                    journey.scheduled = time.monotonic() - clock
                    started.append(journey)
                    on_start()
                visit(journey, target, timeout, captcha, clock)

        threads = [threading.Thread(target=connection) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        with ThreadPoolExecutor(max_workers=OPEN_LOOP_THREADS) as pool:
            for journey in journeys:
                journey.scheduled = len(started) / rate
                start_at = clock + journey.scheduled
                if start_at > deadline:
                    break
                time.sleep(max(0.0, start_at - time.monotonic()))
                with lock:
                    started.append(journey)
                    on_start()
                pool.submit(visit, journey, target, timeout, captcha, clock)
    for thread in trigger_thread:
        thread.join(timeout=120)
    phase.journeys = started
    phase.cut_short = len(started) < visitors
    phase.seconds = max((j.finished for j in started), default=0.0)
    phase.load_after = os.getloadavg()[0]
    phase.client_cpu = time.process_time() - cpu
    return phase


# --- the database ----------------------------------------------------------------------------


@dataclass
class Reconciliation:
    """The phase's visitors against the rows that carry its markers."""

    stored: int
    lost: list[str]
    phantom: list[str]
    duplicates: list[str]
    wrong_reference: list[str]
    flags: Counter
    notified: int

    @property
    def passed(self) -> bool:
        return not (self.lost or self.phantom or self.duplicates or self.wrong_reference)


def connect(site: BenchSite) -> psycopg.Connection:
    return psycopg.connect(site.database_url, connect_timeout=10, autocommit=True)


def stored_rows(site: BenchSite, prefix: str) -> list[tuple]:
    """(marker, id, reference, flags, notified) of every request whose message has a marker of
    this phase."""
    marker = re.compile(re.escape(prefix) + r"-\d+")
    with connect(site) as connection:
        rows = connection.execute(
            "SELECT message, id, reference, flags, notified_at IS NOT NULL "
            "FROM appointments_consultationrequest WHERE message LIKE %s",
            (f"%{prefix}-%",),
        ).fetchall()
    return [(marker.search(message)[0], *rest) for message, *rest in rows]


def reconcile(site: BenchSite, phase: Phase) -> Reconciliation:
    rows = stored_rows(site, phase.prefix)
    stored: dict[str, list[str]] = {}
    for marker, _id, reference, _flags, _notified in rows:
        stored.setdefault(marker, []).append(reference)
    confirmed = {j.marker: j.reference for j in phase.confirmed}
    flags = Counter(flag for row in rows for flag in (row[3].split(",") if row[3] else ["none"]))
    phase.reconciliation = Reconciliation(
        stored=len(rows),
        lost=sorted(m for m in confirmed if m not in stored),
        phantom=sorted(m for m in stored if m not in confirmed),
        duplicates=sorted(m for m, references in stored.items() if len(references) > 1),
        wrong_reference=sorted(
            m for m, reference in confirmed.items() if m in stored and reference not in stored[m]
        ),
        flags=flags,
        notified=sum(1 for row in rows if row[4]),
    )
    return phase.reconciliation


def task_summary(site: BenchSite, prefix: str) -> dict[str, Counter]:
    """For each notification task, how many of this phase's tasks ended how."""
    ids = [row[1] for row in stored_rows(site, prefix)]
    summary: dict[str, Counter] = {}
    with connect(site) as connection:
        for path, status, count in connection.execute(
            f"SELECT task_path, status, count(*) FROM {TASKS_TABLE} "
            "WHERE (args_kwargs->'args'->>0)::bigint = ANY(%s) GROUP BY 1, 2",
            (ids,),
        ):
            summary.setdefault(path.rsplit(".", 1)[-1], Counter())[status] = count
    return summary


def longest_failed_attempt(site: BenchSite, prefix: str) -> tuple[int, float]:
    """How many of this phase's tasks ran and failed, and the longest one took (seconds)."""
    ids = [row[1] for row in stored_rows(site, prefix)]
    with connect(site) as connection:
        count, longest = connection.execute(
            "SELECT count(*), coalesce(max(extract(epoch FROM finished_at - started_at)), 0) "
            f"FROM {TASKS_TABLE} WHERE status = 'FAILED' "
            "AND (args_kwargs->'args'->>0)::bigint = ANY(%s)",
            (ids,),
        ).fetchone()
    return count, float(longest)


def wait_for_queue(site: BenchSite, seconds: float) -> int:
    """Wait until the worker has taken every queued notification (or the time is up); return
    how many are still waiting."""
    deadline = time.monotonic() + seconds
    while True:
        with connect(site) as connection:
            (waiting,) = connection.execute(
                f"SELECT count(*) FROM {TASKS_TABLE} "
                "WHERE status IN ('READY', 'RUNNING') AND backend_name = 'notifications'"
            ).fetchone()
        if waiting == 0 or time.monotonic() >= deadline:
            return waiting
        time.sleep(1)


def unannounced(site: BenchSite, run_prefix: str) -> int:
    """The run's requests whose intake notification has not gone out."""
    return count_requests(site, run_prefix, "notified_at IS NULL")


def unacknowledged(site: BenchSite, run_prefix: str) -> int:
    """The run's requests with an e-mail address whose acknowledgement has not gone out."""
    return count_requests(site, run_prefix, "acknowledged_at IS NULL AND email <> ''")


def count_requests(site: BenchSite, run_prefix: str, condition: str) -> int:
    with connect(site) as connection:
        (count,) = connection.execute(
            # The condition is one of this module's constants, never input.
            "SELECT count(*) FROM appointments_consultationrequest "
            f"WHERE {condition} AND message LIKE %s",
            (f"%{run_prefix}-%",),
        ).fetchone()
    return count


# --- the other processes and fakes -----------------------------------------------------------


def stop(process: subprocess.Popen, seconds: float = 15) -> None:
    """Stop a process this script started (by its own handle, never by name)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def mail_env(port: int | None) -> dict[str, str]:
    """SMTP on loopback at ``port``, or (None) the console backend that prints the mail."""
    if port is None:
        return {}
    return {
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": str(MAIL_TIMEOUT_SECONDS),
    }


@contextlib.contextmanager
def task_worker(site: BenchSite, name: str, mail_port: int | None) -> Iterator[subprocess.Popen]:
    """``manage.py db_worker`` for the notification e-mails, as production runs it."""
    with open(site.workdir / f"worker-{name}.log", "wb") as output:
        process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--backend", "notifications", "--interval", "1"],
            cwd=PROJECT_DIR,
            env=site.env(**mail_env(mail_port)),
            stdout=subprocess.DEVNULL,  # the console backend prints every e-mail
            stderr=output,
        )
    try:
        yield process
    finally:
        # A worker waiting on a silent mail server finishes its attempt first.
        stop(process, seconds=MAIL_TIMEOUT_SECONDS + 15)


class SilentMailServer:
    """A mail server that accepts connections and never says a word (not even its greeting)."""

    def __init__(self) -> None:
        self.socket = socket.create_server((HOST, 0), backlog=256)
        self.socket.settimeout(0.5)
        self.port = self.socket.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.running = True
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self) -> None:
        while self.running:
            with contextlib.suppress(TimeoutError):
                connection, _ = self.socket.accept()
                self.connections.append(connection)

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        for connection in [*self.connections, self.socket]:
            connection.close()


class FakeVerifier:
    """A stand-in for the reCAPTCHA verification service over HTTPS on 127.0.0.1, with a
    certificate from a throwaway authority that only gunicorn's process trusts (SSL_CERT_FILE).
    ``mode``: "error" answers HTTP 500; "slow" answers after the site has stopped waiting."""

    def __init__(self, workdir: Path, mode: str, slow_seconds: float = 0) -> None:
        import trustme

        authority = trustme.CA()
        self.ca_file = workdir / "verifier-ca.pem"
        authority.cert_pem.write_to_path(str(self.ca_file))
        self.calls = 0
        lock = threading.Lock()
        verifier = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    verifier.calls += 1
                if mode == "slow":
                    time.sleep(slow_seconds)
                    body = json.dumps({"success": True, "score": 0.9, "action": "consultation"})
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    # The site has given up and closed the connection by now.
                    with contextlib.suppress(OSError):
                        self.wfile.write(body.encode())
                    return
                self.send_response(500)
                self.send_header("Content-Length", "21")
                self.end_headers()
                self.wfile.write(b"Internal Server Error")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        authority.issue_cert(HOST).configure_cert(context)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.domain = f"{HOST}:{self.server.server_address[1]}"

    def site_env(self, timeout: int = 3) -> dict[str, str]:
        return {
            "RECAPTCHA_PUBLIC_KEY": "bench-site-key",
            "RECAPTCHA_PRIVATE_KEY": "bench-secret-key",
            "RECAPTCHA_DOMAIN": self.domain,
            "RECAPTCHA_VERIFY_REQUEST_TIMEOUT": str(timeout),
            "SSL_CERT_FILE": str(self.ca_file),
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- PostgreSQL ------------------------------------------------------------------------------


def pytest_running() -> list[str]:
    """Command lines of pytest processes on this machine (another engineer's tests use the
    same PostgreSQL server: a restart would break them)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            argv = cmdline.read_bytes().decode(errors="replace").split("\0")
            # The program itself, not a word in its arguments (this script's own command line
            # says --pytest-wait): `pytest`, `python …/pytest` or `python -m pytest`.
            names = {Path(arg).name for arg in argv[:2]}
            if names & {"pytest", "py.test"} or argv[1:3] == ["-m", "pytest"]:
                found.append(" ".join(argv).strip())
    return found


def wait_for_no_pytest(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while pytest_running():
        if time.monotonic() >= deadline:
            return False
        log("  pytest is running on this machine: waiting before restarting PostgreSQL…")
        time.sleep(10)
    return True


def postgres_cluster() -> tuple[str, str]:
    """The Debian cluster (version, name) that listens on the benchmark's port."""
    require_tools("pg_lsclusters", "pg_ctlcluster")
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=10
    ).stdout
    for line in listing.splitlines():
        version, name, port, *_ = line.split()
        if port == POSTGRES_PORT:
            return version, name
    raise BenchError(f"No PostgreSQL cluster listens on port {POSTGRES_PORT}.")


def pg_ctl(cluster: tuple[str, str], *args: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


def postgres_ready(seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run(
            ["pg_isready", "-h", HOST, "-p", POSTGRES_PORT, "-t", "2"], capture_output=True
        )
        if ready.returncode == 0:
            return True
        time.sleep(0.5)
    return False


class PostgresRestart:
    """Stop PostgreSQL (fast: open connections are cut), wait, start it again; remembers when
    it accepted connections again. Never while pytest runs; always started again."""

    def __init__(self, cluster: tuple[str, str]) -> None:
        self.cluster = cluster
        self.back_at: float | None = None  # time.monotonic() when it accepted connections

    def __call__(self) -> str:
        others = pytest_running()
        if others:
            return f"restart skipped: pytest started meanwhile ({len(others)} processes)"
        started = time.monotonic()
        try:
            pg_ctl(self.cluster, "stop", "-m", "fast")
            time.sleep(POSTGRES_DOWN_SECONDS)
        finally:
            pg_ctl(self.cluster, "start")
        if postgres_ready():
            self.back_at = time.monotonic()
        return (
            f"PostgreSQL {'/'.join(self.cluster)} stopped (fast shutdown), started again "
            f"{POSTGRES_DOWN_SECONDS} s later, accepting connections "
            + (
                f"{self.back_at - started:.1f} s after the stop"
                if self.back_at
                else "NOT within 30 s"
            )
        )


# --- the scenarios ---------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    title: str
    setup: str
    phases: list[Phase] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Checks beyond the reconciliation (mail bounded, requests flagged …): (passed, text).
    checks: list[tuple[bool, str]] = field(default_factory=list)
    skipped: str = ""
    log_errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(
            p.reconciliation
            and p.reconciliation.passed
            and p.server_errors == 0
            and p.count(UNEXPECTED) == 0
            for p in self.phases
        ) and all(ok for ok, _ in self.checks)


@dataclass
class Run:
    args: argparse.Namespace
    site: BenchSite
    run_id: str
    scenarios: list[Scenario] = field(default_factory=list)
    # nginx and everything behind it (--through-nginx), or None (--direct).
    topology: Topology | None = None
    addresses: Addresses = field(default_factory=Addresses)

    @contextlib.contextmanager
    def serve(self, name: str, **env: str) -> Iterator[Target]:
        """The site, with ``env`` added to its environment, for as long as the block runs:
        gunicorn alone with ``--workers`` sync workers (--direct), or the two gunicorn
        instances behind the running nginx with half of them each."""
        if self.topology is None:
            with gunicorn(self.site, "cached", self.args.workers, name, **env) as port:
                yield Target(port, [self.site.workdir / f"gunicorn-{name}.out"])
            return
        topology = self.topology
        with topology.apps(workers=self.workers_per_instance, **env):
            yield Target(
                topology.ports.https,
                [topology.paths.logs / f"gunicorn-{number}.log" for number in (1, 2)],
                tls=topology.client_tls,
                addresses=self.addresses,
            )

    @property
    def workers_per_instance(self) -> int:
        return max(1, self.args.workers // 2)

    def phase(self, scenario: Scenario, key: str, title: str) -> Phase:
        phase = Phase(key, title, f"load-{self.run_id}-{key}")
        scenario.phases.append(phase)
        return phase

    def settle_and_reconcile(self, phase: Phase) -> None:
        # A request the client gave up on may still be finishing in a worker.
        time.sleep(1)
        postgres_ready()
        result = reconcile(self.site, phase)
        log(
            f"    {len(phase.journeys)} visitors, {len(phase.confirmed)} confirmed, "
            f"{phase.count(HONEST)} honest errors, {phase.server_errors} server errors; "
            f"stored {result.stored}, lost {len(result.lost)}, phantom {len(result.phantom)}, "
            f"duplicates {len(result.duplicates)}; {phase.accepted_per_second:.1f} accepted/s, "
            f"p99 {fmt_ms(phase.post_percentile(0.99))} ms"
        )


class LogWatch:
    """The site's log lines written during a scenario: exceptions and errors, for the report."""

    LINE = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) (\S+): (.*)$")

    def __init__(self, paths: list[Path]) -> None:
        self.offsets = {path: path.stat().st_size if path.exists() else 0 for path in paths}

    def errors(self) -> list[str]:
        text = ""
        for path, offset in self.offsets.items():
            if not path.exists():
                continue
            with path.open("rb") as handle:
                handle.seek(offset)
                new = handle.read()
            self.offsets[path] = offset + len(new)
            text += new.decode(errors="replace")
        found = Counter()
        exception = re.compile(r"^([a-zA-Z_][\w.]*(?:Error|Exception|Interrupted))\b")
        for line in text.splitlines():
            if match := self.LINE.match(line):
                found[f"{match[1]} {match[2]}: {match[3][:120]}"] += 1
            elif match := exception.match(line):
                found[f"exception {match[1]}"] += 1
        return [f"{text} (×{count})" for text, count in found.most_common(8)]


def rate_limit(run: Run, target: Target, scenario: Scenario) -> None:
    """One patient's address sends one request more than the limit, one after another; then the
    next patient, from another address, sends one. Through nginx the site must tell them apart
    by the address nginx appends to X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT=1)."""
    if target.addresses is None:
        scenario.skipped = (
            "not run: with --direct every visitor comes from 127.0.0.1, so the limit is raised "
            "for the whole run (CONSULTATION_RATE_LIMIT=1000000/h)"
        )
        return
    setting = run.site.env()["CONSULTATION_RATE_LIMIT"]
    limit = int(setting.split("/")[0])
    phase = run.phase(
        scenario, "rate-limit", f"{limit + 1} from one address, then the next patient"
    )
    log(f"  {phase.title}")
    shared = target.address()
    languages = list(FORM_PATHS)
    journeys = [
        Journey(n, f"{phase.prefix}-{n:05d}", languages[n % 2], 0.0, shared)
        for n in range(limit + 1)
    ]
    journeys.append(
        Journey(limit + 1, f"{phase.prefix}-{limit + 1:05d}", "en", 0.0, target.address())
    )
    phase.clock = time.monotonic()
    phase.load_before = os.getloadavg()[0]
    cpu = time.process_time()
    for journey in journeys:
        journey.scheduled = time.monotonic() - phase.clock
        visit(journey, target, run.args.timeout, "", phase.clock)
    phase.journeys = journeys
    phase.seconds = journeys[-1].finished
    phase.load_after = os.getloadavg()[0]
    phase.client_cpu = time.process_time() - cpu
    run.settle_and_reconcile(phase)

    *first, over, next_patient = journeys
    scenario.checks.append(
        (
            all(j.outcome == CONFIRMED for j in first),
            f"the first {limit} requests from {shared} (CONSULTATION_RATE_LIMIT={setting}) were "
            f"confirmed: {sum(1 for j in first if j.outcome == CONFIRMED)} of {len(first)}",
        )
    )
    scenario.checks.append(
        (
            over.outcome == HONEST and "429" in over.detail,
            f"request {limit + 1} from {shared} was answered with the honest "
            f"“too many requests” page: {over.detail or over.outcome}",
        )
    )
    scenario.checks.append(
        (
            next_patient.outcome == CONFIRMED,
            f"the next patient, from {next_patient.address}, right after it, was confirmed: "
            f"{next_patient.outcome}"
            + (f" ({next_patient.detail})" if next_patient.detail else "")
            + (f", reference {next_patient.reference}" if next_patient.reference else ""),
        )
    )


def baseline(run: Run, target: Target, scenario: Scenario) -> None:
    args = run.args
    steady = run.phase(scenario, "steady", f"steady {args.rate:g}/s for {args.steady_seconds} s")
    log(f"  {steady.title}")
    run_phase(
        steady,
        target,
        int(args.rate * args.steady_seconds),
        args.steady_seconds + 5,
        args.timeout,
        rate=args.rate,
    )
    run.settle_and_reconcile(steady)
    fast = run.phase(scenario, "max", f"{args.concurrency} concurrent, as fast as answered")
    log(f"  {fast.title}, {args.visitors} visitors")
    run_phase(
        fast, target, args.visitors, args.max_seconds, args.timeout, concurrency=args.concurrency
    )
    run.settle_and_reconcile(fast)


def fault_phase(
    run: Run, target: Target, scenario: Scenario, key: str, title: str, **options
) -> Phase:
    phase = run.phase(scenario, key, title)
    log(f"  {title}, {run.args.fault_visitors} visitors")
    run_phase(
        phase,
        target,
        run.args.fault_visitors,
        run.args.max_seconds,
        run.args.timeout,
        concurrency=run.args.concurrency,
        **options,
    )
    run.settle_and_reconcile(phase)
    return phase


def mail_hang(run: Run, target: Target, scenario: Scenario) -> None:
    server = SilentMailServer()
    try:
        with task_worker(run.site, "mail-hang", server.port) as worker:
            phase = fault_phase(
                run, target, scenario, "mail-hang", f"{run.args.concurrency} concurrent"
            )
            alive = worker.poll() is None
        count, longest = longest_failed_attempt(run.site, phase.prefix)
    finally:
        server.close()
    scenario.checks.append(
        (
            count > 0 and longest <= MAIL_TIMEOUT_SECONDS + 1.5,
            f"EMAIL_TIMEOUT bounds each attempt: {count} e-mails attempted during the phase, "
            f"each failed, the longest after {longest:.1f} s "
            f"(EMAIL_TIMEOUT={MAIL_TIMEOUT_SECONDS})",
        )
    )
    scenario.notes.append(
        f"The worker tries one e-mail every {MAIL_TIMEOUT_SECONDS} s while the mail server "
        f"hangs, so most of the phase's notifications were still queued when it ended (the "
        f"mail-down scenario, when it runs, sends them after it); the worker was "
        f"{'still running' if alive else 'no longer running'} at the end."
    )


def mail_down(run: Run, target: Target, scenario: Scenario) -> None:
    closed_port = free_port()  # nothing listens there
    with task_worker(run.site, "mail-down", closed_port):
        phase = fault_phase(
            run, target, scenario, "mail-down", f"{run.args.concurrency} concurrent"
        )
        waiting = wait_for_queue(run.site, 60)
    tasks = task_summary(run.site, phase.prefix)
    stored = phase.reconciliation.stored if phase.reconciliation else 0
    notify = tasks.get("notify_intake", Counter())
    acknowledge = tasks.get("acknowledge_visitor", Counter())
    scenario.checks.append(
        (
            notify["FAILED"] == stored and phase.reconciliation.notified == 0,
            f"every intake notification failed and its request stays unannounced (retryable): "
            f"{notify['FAILED']} of {stored} failed, {phase.reconciliation.notified} announced",
        )
    )
    output = run_manage(run.site, "retry_notifications", "--minutes", "0")
    pending = unannounced(run.site, f"load-{run.run_id}")
    pending_acknowledgements = unacknowledged(run.site, f"load-{run.run_id}")
    log(f"  mail server back: {output.strip()}; sending…")
    with contextlib.suppress(subprocess.TimeoutExpired):
        run_manage(
            run.site,
            "db_worker",
            "--backend",
            "notifications",
            "--batch",
            "--no-startup-delay",
            timeout=180,
        )
    left = unannounced(run.site, f"load-{run.run_id}")
    left_acknowledgements = unacknowledged(run.site, f"load-{run.run_id}")
    scenario.checks.append(
        (
            left == 0,
            f"after the mail server came back, `retry_notifications` ({output.strip()}) and the "
            f"worker announced every request of the run: {pending} waiting before, {left} after",
        )
    )
    scenario.checks.append(
        (
            acknowledge["FAILED"] > 0 and left_acknowledgements == 0,
            f"the visitors' acknowledgements that failed ({acknowledge['FAILED']} during the "
            f"phase) were sent by the same retry: {pending_acknowledgements} waiting before, "
            f"{left_acknowledgements} after",
        )
    )
    scenario.notes.append(f"E-mails still queued when the phase ended: {waiting}.")


def verification(run: Run, scenario: Scenario, mode: str) -> None:
    slow = mode == "slow"
    forget_service_failures(run.site)
    verifier = FakeVerifier(run.site.workdir, mode, slow_seconds=run.args.verify_timeout + 2)
    try:
        env = verifier.site_env(timeout=run.args.verify_timeout)
        with (
            task_worker(run.site, f"verification-{mode}", None),
            run.serve(f"verification-{mode}", **env) as target,
        ):
            watch = LogWatch(target.logs)
            if slow:
                visitors = run.args.slow_visitors
                phase = run.phase(scenario, "verify-slow", f"{run.args.concurrency} concurrent")
                log(f"  {phase.title}, {visitors} visitors")
                run_phase(
                    phase,
                    target,
                    visitors,
                    run.args.max_seconds,
                    run.args.timeout,
                    concurrency=run.args.concurrency,
                    captcha="bench-token",
                )
                run.settle_and_reconcile(phase)
            else:
                phase = fault_phase(
                    run,
                    target,
                    scenario,
                    "verify-500",
                    f"{run.args.concurrency} concurrent",
                    captcha="bench-token",
                )
            scenario.log_errors = watch.errors()
    finally:
        verifier.close()
    rec = phase.reconciliation
    scenario.checks.append(
        (
            rec.flags["unverified"] == rec.stored and verifier.calls >= 1,
            f"every stored request is flagged “unverified” for review: {rec.flags['unverified']} "
            f"of {rec.stored}; the service was asked {verifier.calls} "
            f"time{'' if verifier.calls == 1 else 's'} (after a failure it is not asked again "
            "for a while: appointments.spam.SERVICE_PAUSE_SECONDS)",
        )
    )
    if slow:
        scenario.notes.append(
            f"A request that asks the slow service waits RECAPTCHA_VERIFY_REQUEST_TIMEOUT="
            f"{run.args.verify_timeout} s, holding one of the {run.args.workers} sync workers. "
            f"If every request asked, the whole site could serve at most "
            f"{run.args.workers / run.args.verify_timeout:.1f} requests per second while the "
            f"service is slow; after a failure the site stops asking for a while "
            f"(appointments.spam.SERVICE_PAUSE_SECONDS), so only {verifier.calls} of these "
            f"requests waited; the requests queued behind those waited too (the p95 and p99)."
        )


def postgres_restart(run: Run, target: Target, scenario: Scenario) -> None:
    if not wait_for_no_pytest(run.args.pytest_wait):
        scenario.skipped = (
            f"not run: pytest was still running after {run.args.pytest_wait} s "
            "(the restart would break another engineer's tests)"
        )
        return
    restart = PostgresRestart(postgres_cluster())
    visitors = run.args.fault_visitors
    with task_worker(run.site, "postgres", None) as worker:
        # At a steady rate, not over a fixed number of connections: visitors keep arriving
        # during the outage and after it, as they would, so the table shows the recovery too
        # (20 connections answered "503" in milliseconds would use up every visitor in the
        # outage).
        phase = run.phase(scenario, "postgres", f"steady {run.args.rate:g}/s")
        log(f"  {phase.title}, {visitors} visitors")
        run_phase(
            phase,
            target,
            visitors,
            run.args.max_seconds,
            run.args.timeout,
            rate=run.args.rate,
            trigger=Trigger(visitors // 3, restart),
        )
        run.settle_and_reconcile(phase)
        worker_alive = worker.poll() is None
    scenario.notes.extend(phase.events)
    if restart.back_at is not None:
        back = restart.back_at - phase.clock
        after = [j for j in phase.journeys if j.started >= back]
        scenario.checks.append(
            (
                bool(after) and all(j.outcome == CONFIRMED for j in after),
                f"the site recovered by itself: of the {len(after)} visitors who arrived after "
                f"PostgreSQL accepted connections again, "
                f"{sum(1 for j in after if j.outcome == CONFIRMED)} were confirmed",
            )
        )
    scenario.notes.append(
        "The notification worker (`db_worker`) "
        + (
            "survived the restart."
            if worker_alive
            else "exited when the database went away: run it under a supervisor that restarts "
            "it (systemd `Restart=always`); what it had not sent stays queued."
        )
    )


def run_manage(site: BenchSite, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=site.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


SETUPS = {
    "rate-limit": (
        "Rate limit per patient",
        "Through nginx with the product's limit (CONSULTATION_RATE_LIMIT, 10 per hour per "
        "address): one address sends one request more than the limit, one after another, then "
        "another address sends one.",
    ),
    "baseline": (
        "Baseline",
        "Everything up; the notification worker sends to the console backend.",
    ),
    "mail-hang": (
        "Mail server hangs",
        "The worker's mail server accepts connections and never answers "
        f"(EMAIL_TIMEOUT={MAIL_TIMEOUT_SECONDS} s).",
    ),
    "mail-down": (
        "Mail server down",
        "Nothing listens on the worker's mail port (connection refused). Afterwards "
        "`retry_notifications --minutes 0` and a worker with a working mail server.",
    ),
    "verification-failing": (
        "Verification service failing",
        "reCAPTCHA keys set; the verification service (HTTPS on loopback) answers HTTP 500 to "
        "every check; each visitor posts a token.",
    ),
    "verification-slow": (
        "Verification service slow",
        "reCAPTCHA keys set; the verification service answers only after the site's time-out.",
    ),
    "postgres-restart": (
        "PostgreSQL restarted",
        f"Visitors arrive at a steady rate; PostgreSQL is stopped (fast shutdown) when a third "
        f"of them have started, and started again {POSTGRES_DOWN_SECONDS} s later. Nothing else "
        f"is restarted.",
    ),
}


def run_scenarios(run: Run) -> None:
    wanted = run.args.scenarios
    plain = [
        s
        for s in ("rate-limit", "baseline", "mail-hang", "mail-down", "postgres-restart")
        if s in wanted
    ]
    if plain:
        with run.serve("plain") as target:
            check_forms(target)
            watch = LogWatch(target.logs)
            for key in plain:
                scenario = Scenario(key, *SETUPS[key])
                run.scenarios.append(scenario)
                log(f"Scenario: {scenario.title}")
                if key in ("rate-limit", "baseline"):
                    with task_worker(run.site, key, None):
                        if key == "rate-limit":
                            rate_limit(run, target, scenario)
                        else:
                            baseline(run, target, scenario)
                        # The next scenario's worker must meet its own phase's e-mails, not
                        # this one's (the mail-hang check counts the attempts on its own).
                        waiting = wait_for_queue(run.site, 120)
                    if waiting:
                        scenario.notes.append(f"E-mails still queued when it ended: {waiting}.")
                elif key == "mail-hang":
                    mail_hang(run, target, scenario)
                elif key == "mail-down":
                    mail_down(run, target, scenario)
                else:
                    postgres_restart(run, target, scenario)
                scenario.log_errors = watch.errors()
    for key, mode in (("verification-failing", "error"), ("verification-slow", "slow")):
        if key in wanted:
            scenario = Scenario(key, *SETUPS[key])
            run.scenarios.append(scenario)
            log(f"Scenario: {scenario.title}")
            verification(run, scenario, mode)


def forget_service_failures(site) -> None:
    """Each verification scenario starts with a service that has not failed yet: the previous
    scenario's failure would otherwise still pause the checks (SERVICE_PAUSE_SECONDS) and the
    scenario would not reach the service at all."""
    import redis

    # appointments.spam.SERVICE_PAUSE_KEY in the default cache (django-redis: no key prefix,
    # version 1); the module itself needs Django's settings, which this process has not.
    redis.Redis.from_url(site.redis_url, socket_timeout=2).delete(":1:recaptcha:service-failed")


def check_forms(target: Target) -> None:
    """Both forms answer before any visitor is sent: a broken set-up is not a load result."""
    for path in FORM_PATHS.values():
        browser = Browser(target, 10, target.address())
        try:
            answer = browser.send("GET", path)
        finally:
            browser.close()
        if answer.status != 200 or not CSRF_TOKEN.search(answer.body):
            raise BenchError(f"{path} answered {answer.status} without the form.")


# --- the report ------------------------------------------------------------------------------

HEADER = (
    "| phase | visitors | POSTs sent | confirmed | honest errors | server errors | unexpected "
    "| stored | lost | phantom | duplicates | accepted/s | p50 ms | p95 ms | p99 ms |"
)


def fmt_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def table(scenario: Scenario) -> str:
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for p in scenario.phases:
        rec = p.reconciliation
        lines.append(
            f"| {p.title}{' (time limit)' if p.cut_short else ''} | {len(p.journeys)} "
            f"| {p.posts_sent} | {len(p.confirmed)} | {p.count(HONEST)} | {p.server_errors} "
            f"| {p.count(UNEXPECTED)} | {rec.stored} | {len(rec.lost)} | {len(rec.phantom)} "
            f"| {len(rec.duplicates)} | {p.accepted_per_second:.1f} "
            f"| {fmt_ms(p.post_percentile(0.50))} | {fmt_ms(p.post_percentile(0.95))} "
            f"| {fmt_ms(p.post_percentile(0.99))} |"
        )
    return "\n".join(lines)


def details(scenario: Scenario) -> list[str]:
    """What the reader needs to judge a failure: which markers, what the visitors saw."""
    lines = []
    for p in scenario.phases:
        rec = p.reconciliation
        for name, markers in (
            ("lost", rec.lost),
            ("phantom", rec.phantom),
            ("duplicated", rec.duplicates),
            ("shown another reference", rec.wrong_reference),
        ):
            if markers:
                seen = {j.marker: j.detail or j.outcome for j in p.journeys}
                sample = ", ".join(f"{m} ({seen.get(m, 'never sent')})" for m in markers[:5])
                lines.append(f"{p.title}: {len(markers)} {name}: {sample}")
        seen_details = Counter(j.detail for j in p.journeys if j.outcome != CONFIRMED)
        if seen_details:
            lines.append(
                f"{p.title}, what the unconfirmed visitors saw: "
                + "; ".join(f"{detail} ×{count}" for detail, count in seen_details.most_common(6))
            )
        errors = Counter(error for j in p.journeys for error in j.errors)
        if errors:
            lines.append(
                f"{p.title}, server errors met on the way: "
                + "; ".join(f"{error} ×{count}" for error, count in errors.most_common(6))
            )
        reloaded = sum(1 for j in p.journeys if j.outcome == CONFIRMED and j.reloads)
        if reloaded:
            lines.append(f"{p.title}: {reloaded} visitors saw their confirmation after reloading.")
        late = max((j.started - j.scheduled for j in p.journeys), default=0.0)
        if late > 1:
            lines.append(f"{p.title}: visitors started up to {late:.1f} s behind schedule.")
        lines.append(
            f"{p.title}: the form page answered in {fmt_ms(p.percentile('form_seconds', 0.5))} ms "
            f"(p50) / {fmt_ms(p.percentile('form_seconds', 0.99))} ms (p99), the confirmation "
            f"in {fmt_ms(p.percentile('confirmation_seconds', 0.5))} / "
            f"{fmt_ms(p.percentile('confirmation_seconds', 0.99))} ms."
        )
        flags = ", ".join(f"{flag} {count}" for flag, count in sorted(rec.flags.items()))
        lines.append(
            f"{p.title}: flags on the stored requests: {flags or '—'}; "
            f"machine load average {p.load_before:.1f} before, {p.load_after:.1f} after; "
            f"the client used {p.client_cpu / p.seconds if p.seconds else 0:.0%} of one core."
        )
    return lines


def targets(run: Run) -> list[tuple[bool, str]]:
    base = next((s for s in run.scenarios if s.key == "baseline"), None)
    if base is None:
        return []
    steady, fast = base.phases
    p99 = steady.post_percentile(0.99)
    return [
        (
            fast.accepted_per_second >= ACCEPTED_PER_SECOND and len(fast.journeys) >= MIN_VISITORS,
            f"at least {ACCEPTED_PER_SECOND} accepted per second at {run.args.concurrency} "
            f"concurrent, over at least {MIN_VISITORS:,} visitors: "
            f"{fast.accepted_per_second:.1f} per second over {len(fast.journeys):,}",
        ),
        (
            p99 is not None and p99 < STEADY_P99_MS,
            f"POST p99 under {STEADY_P99_MS} ms at a steady {run.args.rate:g} per second: "
            f"{fmt_ms(p99)} ms",
        ),
    ]


def describe(run: Run, started: datetime.datetime) -> str:
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    import importlib.metadata

    gunicorn_version = importlib.metadata.version("gunicorn")
    if run.topology is not None:
        served = (
            f"**through nginx**: the shipped `deploy/nginx/clinic.conf` over HTTPS (a certificate "
            f"from the run's own authority) in front of **two gunicorn {gunicorn_version} "
            f"instances** (`deploy/gunicorn.conf.py`, {run.workers_per_instance} sync worker"
            f"{'' if run.workers_per_instance == 1 else 's'} each, production settings with "
            f"DJANGO_TRUSTED_PROXY_COUNT=1), PostgreSQL, Redis and one `db_worker`, all on "
            f"loopback; the client is this script (Python threads), each visitor from a loopback "
            f"address of its own (127.0.0.2, 127.0.0.3 …; {run.addresses.given:,} in all) "
            f"over one keep-alive connection, with the product's rate limit "
            f"(CONSULTATION_RATE_LIMIT={run.site.env()['CONSULTATION_RATE_LIMIT']} per address)"
        )
    else:
        served = (
            f"**direct** (--direct): gunicorn {gunicorn_version} with {run.args.workers} sync "
            f"workers (production settings) over plain HTTP, PostgreSQL, Redis and one "
            f"`db_worker`, all on 127.0.0.1; the client is this script (Python threads, one "
            f"connection per request), every visitor at 127.0.0.1, so the rate limit is raised "
            f"to 1000000/h"
        )
    return (
        f"Run {started:%Y-%m-%d %H:%M} on commit {commit}, {os.cpu_count()} CPU cores, "
        f"{served}. Machine load average at the start: {os.getloadavg()[0]:.1f}"
        + (
            f"; {len(run.args.pytest_at_start)} pytest processes of other engineers were "
            "running at the start."
            if run.args.pytest_at_start
            else "."
        )
    )


NOTES = """\
- A *visitor* fetches the form, posts one request and opens its confirmation (three HTTP
  requests: through nginx over one keep-alive HTTPS connection, whose set-up the form's time
  includes; direct, each on a new connection). *accepted/s*: visitors who saw their confirmation,
  divided by the phase's duration. *p50/p95/p99*: time to the POST's answer (the redirect, or
  the error page), over every POST answered.
- *confirmed*: saw the confirmation page with a reference number (after up to 4 reloads, 2 s
  apart, if it failed). *honest errors*: ended on the 503 page that asks for the request again
  if no reference number was shown, or the 429 page. *server errors*: visitors who met a 500,
  another 5xx or no answer at some step. *unexpected*: any other answer (a 403, the form again).
- *stored*: rows carrying the phase's markers. *lost*: confirmed but not stored. *phantom*:
  stored but the visitor never saw a confirmation. *duplicates*: a marker stored twice. A
  confirmation showing another request's reference would be listed under the table.
- Every request is flagged “sent unusually fast” (`fast_submit`): virtual visitors post as soon
  as they have the form, and the product's settings are left as they are. The flag only marks
  a request for review; it is stored and confirmed the same way."""


def report(run: Run, started: datetime.datetime) -> tuple[str, bool, bool]:
    sections = ["# Reliability load test: latest results", describe(run, started)]
    for scenario in run.scenarios:
        title = f"## {scenario.title}\n\n{scenario.setup}"
        if scenario.skipped:
            sections.append(f"{title}\n\n{scenario.skipped}")
            continue
        body = [title, table(scenario)]
        lines = [f"- {verdict(ok)}: {text}" for ok, text in scenario.checks]
        reconciled = all(
            p.reconciliation.passed and not p.server_errors and not p.count(UNEXPECTED)
            for p in scenario.phases
        )
        lines.insert(
            0,
            f"- {verdict(reconciled)}: reconciliation (0 lost, 0 phantom, 0 duplicates, "
            "0 server errors, 0 unexpected answers)",
        )
        body.append("\n".join(lines))
        notes = [*scenario.notes, *details(scenario)]
        if scenario.log_errors:
            notes.append("errors the site logged: " + "; ".join(scenario.log_errors))
        body.append("\n".join(f"- {note}" for note in notes))
        sections.append("\n\n".join(body))
    checked = targets(run)
    if checked:
        sections.append(
            "## Speed targets\n\n" + "\n".join(f"- {verdict(ok)}: {text}" for ok, text in checked)
        )
    sections.append("## How to read it\n\n" + NOTES)
    reliable = all(s.passed for s in run.scenarios if not s.skipped)
    fast = all(ok for ok, _ in checked)
    return "\n\n".join(sections) + "\n", reliable, fast


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenarios",
        default=",".join(DEFAULT_SCENARIOS),
        help=f"comma-separated, from: {', '.join(ALL_SCENARIOS)}",
    )
    route = parser.add_mutually_exclusive_group()
    route.add_argument(
        "--through-nginx",
        dest="through_nginx",
        action="store_true",
        default=None,
        help="visitors over HTTPS through the shipped nginx site, in front of two gunicorn "
        "instances, each visitor from its own loopback address (the default when nginx and its "
        "cache purge module are installed)",
    )
    route.add_argument(
        "--direct",
        dest="through_nginx",
        action="store_false",
        help="visitors straight to one gunicorn over plain HTTP, all from 127.0.0.1 (the rate "
        "limit raised)",
    )
    parser.add_argument(
        "--with-postgres-restart",
        action="store_true",
        help="add the PostgreSQL restart (restarts the machine's shared PostgreSQL)",
    )
    parser.add_argument("--visitors", type=int, default=MIN_VISITORS, help="baseline, fast phase")
    parser.add_argument("--fault-visitors", type=int, default=500, help="per fault scenario")
    parser.add_argument("--slow-visitors", type=int, default=200, help="verification-slow")
    parser.add_argument("--rate", type=float, default=STEADY_RATE, help="steady visitors/s")
    parser.add_argument("--steady-seconds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--max-seconds", type=int, default=240, help="time limit per phase")
    parser.add_argument("--timeout", type=float, default=30, help="per HTTP request, seconds")
    parser.add_argument("--verify-timeout", type=int, default=3, help="RECAPTCHA_VERIFY_…")
    parser.add_argument("--pytest-wait", type=int, default=300, help="seconds, before a restart")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers (in all: half per instance)"
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL, recreated")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="emptied first")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "reliability-results.md")
    args = parser.parse_args(argv)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(ALL_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.with_postgres_restart and "postgres-restart" not in scenarios:
        scenarios.append("postgres-restart")
    if "postgres-restart" in scenarios and not args.with_postgres_restart:
        parser.error("the PostgreSQL restart needs --with-postgres-restart (it is shared)")
    args.scenarios = [s for s in ALL_SCENARIOS if s in scenarios]
    limits = (
        1 <= args.visitors <= 20_000
        and 1 <= args.fault_visitors <= 5_000
        and 1 <= args.slow_visitors <= 500
        and 0.5 <= args.rate <= 200
        and 1 <= args.steady_seconds <= 300
        and 1 <= args.concurrency <= 100
        and 10 <= args.max_seconds <= 600
        and 1 <= args.timeout <= 60
        and 0 <= args.pytest_wait <= 1800
    )
    if not limits:
        parser.error("a count or time is out of bounds (see --help): the run stays bounded.")
    if args.database in PROTECTED_DATABASES or not args.database.replace("_", "").isalnum():
        parser.error(f"refusing to drop the database {args.database!r}")
    if args.redis_url.rstrip("/").endswith(("/0", ":6379")):
        parser.error("the run empties its Redis database: give it one of its own, e.g. .../4")
    if args.through_nginx is None:
        args.through_nginx = find_nginx() is not None and PURGE_MODULE.exists()
        if not args.through_nginx:
            log("nginx or its cache purge module is not installed: sending visitors --direct.")
    return args


@contextlib.contextmanager
def behind_nginx(site: BenchSite) -> Iterator[Topology]:
    """nginx with the shipped site (bench/topology.py) over TLS, the database migrated and the
    demo clinic loaded; the app servers and the notification worker are the scenarios' own.
    The site runs as deploy/clinic.env.example sets it behind nginx, with the product's rate
    limit (10 per hour per address) and its minimum time to fill the form in."""
    nginx = find_nginx()
    if nginx is None or not PURGE_MODULE.exists():
        raise BenchError(
            "--through-nginx needs nginx and its cache purge module: "
            "apt-get install nginx libnginx-mod-http-cache-purge"
        )
    require_tools("createdb", "dropdb")
    started = time.monotonic()

    def demo_clinic(topology: Topology) -> None:
        # Every process of the run (workers, manage.py) from now on: the site behind nginx.
        site.base_env = topology.env
        log(f"  nginx, migrate, collectstatic: {time.monotonic() - started:.0f} s")
        run_manage(site, "load_demo_content", timeout=300)
        log(f"  demo content: {time.monotonic() - started:.0f} s")

    with running_topology(
        nginx,
        site.workdir / "topology",
        site.database_url,
        site.redis_url,
        demo_clinic,
        apps=False,
        worker=False,
        # The product's own: the topology test fills its form in faster than a person.
        settings={"CONSULTATION_MIN_SUBMIT_SECONDS": None},
    ) as topology:
        yield topology


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.datetime.now()
    clock = time.monotonic()
    args.pytest_at_start = pytest_running()
    try:
        if importlib.util.find_spec("gunicorn") is None:
            raise BenchError(
                'gunicorn is not installed: .venv/bin/pip install -c requirements.lock ".[bench]"'
            )
        verifying = {"verification-failing", "verification-slow"} & set(args.scenarios)
        if verifying and importlib.util.find_spec("trustme") is None:
            raise BenchError(
                "trustme (the dev extra) is needed for the verification scenarios: "
                '.venv/bin/pip install -c requirements.lock ".[dev]"'
            )
        with tempfile.TemporaryDirectory(prefix="clinic-reliability-") as workdir:
            site = BenchSite(Path(workdir), database=args.database, redis_url=args.redis_url)
            run = Run(args, site, run_id=f"{started:%H%M%S}")
            log(f"Preparing the database {site.database!r} and Redis {site.redis_url}:")
            if args.through_nginx:
                with behind_nginx(site) as topology:
                    run.topology = topology
                    run_scenarios(run)
            else:
                prepare_site(site, lambda message: log(message))
                run_scenarios(run)
    except (
        BenchError,
        OSError,
        psycopg.Error,
        subprocess.TimeoutExpired,
        subprocess.CalledProcessError,
    ) as error:
        log(f"The reliability test could not run: {error}")
        return 2
    text, reliable, fast = report(run, started)
    publish(text, args.output, clock)
    if not reliable:
        return 1
    return 0 if fast else 3


if __name__ == "__main__":
    sys.exit(main())
