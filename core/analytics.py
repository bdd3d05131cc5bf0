"""First-party counts that tell marketing staff what patients read and search for, and tell no
one who read it.

What is counted is an aggregate from the start: a tally of *(what, day, language, …)* → number,
kept in this process's memory and added to the database in batches by a background thread
(:class:`Tally`), never in a visitor's request. Nothing that tells one visitor from another is
ever in a tally: no address, no user agent, no cookie, no full referrer and no query string,
only the referrer's *category* (:func:`referrer_category`). A visitor whose browser asks not to
be tracked (``Sec-GPC: 1``) and obvious robots are not counted at all (:func:`counts_visitor`).

The tally lives in memory rather than in Redis so that counting costs a dictionary update and
depends on nothing that can hang: Redis going away costs no count, and the database going away
costs none either until the tally's bound (:data:`MAX_KEYS` distinct keys; counts for keys
beyond it are dropped and said once in the log). A worker that stops flushes what it holds
(``deploy/gunicorn.conf.py``'s ``worker_exit``); a worker that is killed loses at most one
interval's counts (``ANALYTICS_FLUSH_SECONDS``).

Each kind of count (page views, search terms) registers a :class:`Counter`, which says how its
keys become rows: the tally knows nothing of the models."""

import functools
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# Distinct keys a process holds before it drops counts (a day's pages × languages × referrer
# categories, and search terms, are far fewer; a flood of made-up search terms is not).
MAX_KEYS = 20000

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Counter:
    """One kind of count. ``write`` adds a batch ``{key: (number, latest)}`` to the database in
    one transaction; ``latest`` is the last value given with the key (a search's number of
    results), or None."""

    name: str
    write: Callable[[dict[Key, tuple[int, object]]], None]


class Tally:
    """Counts in memory, per kind and key, flushed to the database by a daemon thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, dict[Key, list]] = {}
        self.counters: dict[str, Counter] = {}
        self.dropped = False
        self.flusher: threading.Thread | None = None
        # A process forked from this one (gunicorn's workers, when the app is preloaded) has
        # no flush thread, whatever this one had: it starts its own with its first count.
        os.register_at_fork(after_in_child=self.forget_flusher)

    def forget_flusher(self) -> None:
        self.flusher = None

    def register(self, counter: Counter) -> None:
        self.counters[counter.name] = counter

    def add(self, kind: str, key: Key, number: int = 1, latest: object = None) -> None:
        """Count ``number`` for ``key``; never touches the database or the network. Every
        page view comes through here: it stays a dictionary update under a lock."""
        with self.lock:
            bucket = self.counts.setdefault(kind, {})
            entry = bucket.get(key)
            if entry is None:
                if sum(len(keys) for keys in self.counts.values()) >= MAX_KEYS:
                    if not self.dropped:
                        self.dropped = True
                        logger.warning("Counts dropped: %d keys waiting to be written", MAX_KEYS)
                    return
                bucket[key] = [number, latest]
            else:
                entry[0] += number
                if latest is not None:
                    entry[1] = latest
        if self.flusher is None:
            self.start_flusher()

    def take(self) -> dict[str, dict[Key, list]]:
        with self.lock:
            taken, self.counts = self.counts, {}
            self.dropped = False
        return taken

    def give_back(self, kind: str, batch: dict[Key, list]) -> None:
        """Return an unwritten batch, to be written with the next one."""
        for key, (number, latest) in batch.items():
            self.add(kind, key, number, latest)

    def flush(self) -> int:
        """Write everything counted so far; returns the number of keys written. A batch whose
        write fails stays in the tally for the next flush."""
        written = 0
        for kind, batch in self.take().items():
            counter = self.counters.get(kind)
            if counter is None or not batch:
                continue
            try:
                counter.write({key: (entry[0], entry[1]) for key, entry in batch.items()})
            except Exception:
                logger.exception("Counts of %s not written; kept for the next attempt", kind)
                self.give_back(kind, batch)
            else:
                written += len(batch)
        return written

    def start_flusher(self) -> None:
        seconds = settings.ANALYTICS_FLUSH_SECONDS
        if seconds <= 0:
            return
        with self.lock:
            if self.flusher is not None:
                return
            self.flusher = threading.Thread(
                target=self.flush_every, args=(seconds,), name="analytics-flush", daemon=True
            )
            self.flusher.start()

    def flush_every(self, seconds: float) -> None:
        while True:
            time.sleep(seconds)
            close_old_connections()
            try:
                self.flush()
            finally:
                close_old_connections()


tally = Tally()


# Robots say so in their user agent, most of them; those that do not are not told apart from
# people (nothing about a visitor is kept that could). Lower case, matched against the agent in
# lower case: re.IGNORECASE made this search 12 times slower (47 µs a page view, a fifth of a
# page from the full-page cache).
BOT_AGENT = re.compile(
    r"bot|crawl|spider|slurp|scrape|fetch|preview|monitor|check|curl|wget|python|httpx|"
    r"java/|go-http|okhttp|libwww|headless|lighthouse|pingdom|uptime|facebookexternalhit"
)
SEARCH_ENGINES = (
    "google.",
    "bing.com",
    "duckduckgo.com",
    "yahoo.",
    "ecosia.org",
    "qwant.com",
    "startpage.com",
    "search.brave.com",
    "yandex.",
    "baidu.com",
    "kagi.com",
)


class Referrer:
    """Where a visit came from, as the one word that is kept."""

    DIRECT = "direct"
    SITE = "site"  # a page of this site
    SEARCH = "search"
    OTHER = "other"  # another site
    CAMPAIGN = "campaign"

    CHOICES = (DIRECT, SITE, SEARCH, OTHER, CAMPAIGN)


def counts_visitor(request: HttpRequest) -> bool:
    """Whether this request may be counted at all: not when the browser sends the Global
    Privacy Control signal, nor when the user agent says it is a robot (or says nothing)."""
    # request.META, not request.headers: building the latter costs a page from the full-page
    # cache more than the rest of counting it.
    meta = request.META
    if meta.get("HTTP_SEC_GPC", "").strip() == "1":
        return False
    agent = meta.get("HTTP_USER_AGENT")
    return bool(agent) and not is_robot(agent)


@functools.lru_cache(maxsize=512)
def is_robot(agent: str) -> bool:
    """Whether a user agent says it is a robot. Remembered: most views come from a few dozen
    browsers' user agents, and looking one up costs a tenth of matching it."""
    return BOT_AGENT.search(agent.lower()) is not None


def referrer_category(request: HttpRequest, referrer: str | None = None) -> str:
    """The category of ``referrer`` (the request's ``Referer`` header by default): a campaign
    when the address has a ``utm_source`` listed in ``ANALYTICS_CAMPAIGN_SOURCES``, this site,
    a search engine, another site, or direct (none, or one that cannot be read)."""
    # The query string is parsed only when it may name a source (a page view costs less).
    source = ""
    if "utm_source" in request.META.get("QUERY_STRING", ""):
        source = request.GET.get("utm_source", "")
    if referrer is None:
        referrer = request.META.get("HTTP_REFERER", "")
    if not referrer and not source:
        return Referrer.DIRECT
    try:
        referrer_host = urlsplit(referrer).hostname or ""
    except ValueError:
        referrer_host = ""
    # The request's own host is read only when there is a referrer to compare it with.
    host = request.get_host() if referrer_host else ""
    return categorise(host, referrer_host, source)


def categorise(host: str, referrer_host: str, utm_source: str = "") -> str:
    """The category of a visit to ``host`` from a page on ``referrer_host`` ("" for none) with
    ``utm_source`` ("" for none) in its address: what :func:`referrer_category` gives for a
    request, from the three words alone, so that the views nginx answers from its own cache
    (:mod:`core.proxy_views`, which is told no more than these) fall in the same categories."""
    source = utm_source.strip().lower()
    if source and source in {name.lower() for name in settings.ANALYTICS_CAMPAIGN_SOURCES}:
        return Referrer.CAMPAIGN
    referrer_host = referrer_host.lower()
    if not referrer_host:
        return Referrer.DIRECT
    if referrer_host == host.split(":")[0].lower() or referrer_host in own_hosts():
        return Referrer.SITE
    if any(engine in referrer_host for engine in SEARCH_ENGINES):
        return Referrer.SEARCH
    return Referrer.OTHER


def own_hosts() -> set[str]:
    return {host.lower().lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"}


def register(counter: Counter) -> None:
    tally.register(counter)


def count(kind: str, key: Iterable[str | int], number: int = 1, latest: object = None) -> None:
    tally.add(kind, tuple(key), number, latest)


def flush() -> int:
    """Write what this process has counted (tests, ``worker_exit``, the flush thread)."""
    return tally.flush()
