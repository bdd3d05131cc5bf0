"""Counting the page views that nginx answers from its own cache, which never reach the site.

nginx (``deploy/nginx/clinic.conf``) sends one syslog line over UDP to this process for each view
it answered itself (HIT, UPDATING) of a page, to a visitor the site would count; the views the
site answered it counts itself (:mod:`core.view_counts`), so no view is counted twice. (Not
STALE: the expired copy nginx sends to the visitor whose request starts the background update,
which reaches the site as that visitor's request and is counted there; when the site is down
that view is not counted at all.)
A line holds only what the count needs: the host, the path without its query string, the
referrer's host name (not its address) and ``utm_source``::

    <190>Dec  5 13:40:00 clinic_views: {"host":"www.example.org","path":"/es/sinquinesia/",
    "referrer":"www.google.com","utm_source":""}

:class:`ViewReader` turns it into ``(day, page, language, referrer category) + 1`` in the same
in-memory tally as the site's own counts (:mod:`core.analytics`), whose flush thread writes them
in batches; the line itself is never stored nor logged. Over UDP, so that nginx never waits on
this process: a datagram lost (this process stopped, its buffer full) is a view not counted,
never a page slower.

A path becomes a page as Wagtail routes it (the site for the host, the default site for any
other; the page at the path, when it is live), and the answer is kept in memory for the
current content generation (:func:`core.cache.content_generation`, which changes when a page is
published, moved or deleted), for a bounded number of paths."""

import json
import logging
import socketserver
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import close_old_connections, connections
from django.http import Http404, HttpRequest
from django.http.request import validate_host
from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail.models import Page

from . import analytics
from . import framework_internals as internals
from .cache import content_generation
from .view_counts import KIND, today

logger = logging.getLogger(__name__)

# A line of nginx's holds a page's path and two host names: a few hundred bytes. A longer
# datagram is no view of a page (or an attempt to fill this process's memory), and is ignored.
MAX_LINE = 4096
# Paths whose page this process remembers per content generation (a site has a few hundred
# pages in a few languages; only those nginx has cached come here).
MAX_PATHS = 5000
# How often the content generation is read again (one Redis read): a page published meanwhile
# is counted under its old path for at most this long.
GENERATION_SECONDS = 2.0

View = tuple[str, str, str, str]  # host, path, referrer host, utm_source


def parse_line(data: bytes) -> View | None:
    """The host, path, referrer host and utm_source of one of nginx's lines, or None when it is
    not one (anything else sent to the port is ignored)."""
    if len(data) > MAX_LINE:
        return None
    text = data.decode("utf-8", "replace")
    start = text.find("{")
    if start < 0:
        return None
    try:
        fields = json.loads(text[start:])
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    values = [fields.get(name, "") for name in ("host", "path", "referrer", "utm_source")]
    if not all(isinstance(value, str) for value in values):
        return None
    host, path, referrer, source = values
    if not host or not path.startswith("/"):
        return None
    # nginx's $arg_utm_source is as the address had it, %-encoded.
    return host.lower(), path, referrer.strip("[]").lower(), unquote_plus(source)


def find_page(host: str, path: str) -> tuple[int, str] | None:
    """The live page (its id and language) that the site serves at ``host`` and ``path``, as
    the site would route a GET of it, or None."""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return None
    language = translation.get_language_from_path(path)
    if language is None:
        return None
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.func is not internals.page_view():
            return None
        request = HttpRequest()
        request.method = "GET"
        request.path = request.path_info = path
        # nginx answers visitors over HTTPS only.
        request.META = {"HTTP_HOST": host, "SERVER_NAME": host, "SERVER_PORT": "443"}
        try:
            page_path = match.kwargs.get("path", match.args[0] if match.args else "")
            route = Page.route_for_request(request, page_path)
        except (Http404, DisallowedHost):
            return None
    if route is None:
        return None
    return route[0].pk, language


class PageFinder:
    """:func:`find_page`, remembered per content generation for at most ``max_paths`` paths
    (the least recently asked for forgotten first)."""

    def __init__(
        self,
        find: Callable[[str, str], tuple[int, str] | None] = find_page,
        max_paths: int = MAX_PATHS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.find = find
        self.max_paths = max_paths
        self.clock = clock
        self.generation: str | None = None
        self.checked = float("-inf")
        self.found: OrderedDict[tuple[str, str], tuple[int, str] | None] = OrderedDict()

    def __call__(self, host: str, path: str) -> tuple[int, str] | None:
        self.check_generation()
        key = (host, path)
        if key in self.found:
            self.found.move_to_end(key)
            return self.found[key]
        page = self.find(host, path)
        self.found[key] = page
        if len(self.found) > self.max_paths:
            self.found.popitem(last=False)
        return page

    def check_generation(self) -> None:
        now = self.clock()
        if now - self.checked < GENERATION_SECONDS:
            return
        self.checked = now
        generation = content_generation()
        if generation != self.generation:
            self.generation = generation
            self.found.clear()


class ViewReader:
    """Counts the view one of nginx's lines reports, if it is one of a live page."""

    def __init__(self, finder: PageFinder | None = None) -> None:
        self.finder = finder or PageFinder()

    def __call__(self, data: bytes) -> bool:
        """Count the view in ``data``; whether one was counted."""
        view = parse_line(data)
        if view is None:
            return False
        host, path, referrer_host, source = view
        page = self.finder(host, path)
        if page is None:
            return False
        page_id, language = page
        category = analytics.categorise(host, referrer_host, source)
        analytics.count(KIND, (today().isoformat(), page_id, language, category))
        return True


class ViewListener(socketserver.UDPServer):
    """The UDP syslog listener: each datagram is one line, read by a :class:`ViewReader`, one
    at a time. ``serve_forever()`` until ``shutdown()``."""

    # One byte more than a line may have, to tell an over-long datagram from one that fits.
    max_packet_size = MAX_LINE + 1
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], reader: ViewReader | None = None) -> None:
        self.reader = reader or ViewReader()
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:
        # Not socketserver's default, which prints the datagram, nor the traceback, whose
        # message may quote the path: the line is never logged, only that a view was lost.
        error = sys.exc_info()[1]
        logger.error("A page view reported by nginx was not counted (%s)", type(error).__name__)


class Handler(socketserver.BaseRequestHandler):
    server: ViewListener

    def handle(self) -> None:
        data, _socket = self.request
        # A connection the database dropped, or one older than CONN_MAX_AGE, is opened anew.
        close_old_connections()
        self.server.reader(data)


def serve(listener: ViewListener, stop: threading.Event) -> None:
    """Count what ``listener`` hears until ``stop`` is set, then write what was counted."""

    def listen() -> None:
        try:
            listener.serve_forever()
        finally:
            connections.close_all()

    thread = threading.Thread(target=listen, name="proxy-views", daemon=True)
    thread.start()
    try:
        stop.wait()
    finally:
        listener.shutdown()
        thread.join()
        listener.server_close()
        try:
            analytics.flush()
        finally:
            connections.close_all()
