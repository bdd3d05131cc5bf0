"""Page views per page, language, day and referrer category, counted on the server: what marketing
staff learn about what patients read, without a tracker.

Why on the server and not with a script or pixel in the page: a third-party tag tells its owner
which condition page a person read, which is health data (the HHS OCR bulletin on tracking
technologies, Washington's My Health My Data Act) and what clinics are sued over. Counting here
tells the clinic how often a page is read, and no one who read it:

- no cookie is set or read, so nothing ties one view to the next;
- nothing about the visitor is kept: not the address, the user agent, the full referrer or the
  query string (a ``utm_source`` only as the word *campaign*, when it is on the allowlist), nor
  the time of day; a view becomes ``(day, page, language, referrer category) + 1`` at once;
- a browser that sends ``Sec-GPC: 1``, obvious robots and people who are signed in (staff) are
  not counted (:func:`core.analytics.counts_visitor`);
- the counts go to the database in batches from memory (:mod:`core.analytics`), never in the
  visitor's request, and depend on nothing that can hang, so counting never slows a page;
- daily counts are deleted after ``ANALYTICS_RETENTION_MONTHS`` (:func:`purge_view_counts`).

A view is counted once, whether the page came from the full-page cache or was rendered: Wagtail
tells which page it serves (a ``before_serve_page`` hook), the full-page cache keeps that with
the page (:func:`core.cache.page_served`), and :class:`ViewCountMiddleware`, just outside the
cache, counts the response. Pages that nginx answers from its own cache never reach Django:
nginx reports those views, and only those, over syslog to ``manage.py count_proxy_views``
(:mod:`core.proxy_views`), which counts them as this module does, with the same key into the
same table; nginx does not report the views Django answers, so no view is counted twice."""

import calendar
import datetime
import functools
import json
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.models import Page

from . import analytics
from . import framework_internals as internals
from .cache import page_served, remember_page_served
from .models import PageViewCount

KIND = "views"


class Today:
    """Today in the clinic's time zone (a day is the clinic's day, whoever reads the report),
    worked out once a day: converting the time to the zone on every view cost a page from the
    full-page cache a third of what counting it costs. ``clock`` gives the time in seconds
    since the epoch (``time.time``; another in tests)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        # (time zone, the day's first and last instants as clock times, the day)
        self.known: tuple[str, float, float, datetime.date] | None = None

    def __call__(self) -> datetime.date:
        now, zone = self.clock(), settings.TIME_ZONE
        known = self.known
        if known is not None and known[0] == zone and known[1] <= now < known[2]:
            return known[3]
        tzinfo = ZoneInfo(zone)
        day = datetime.datetime.fromtimestamp(now, tzinfo).date()
        start, end = (
            datetime.datetime.combine(date, datetime.time(), tzinfo).timestamp()
            for date in (day, day + datetime.timedelta(days=1))
        )
        self.known = (zone, start, end, day)
        return day


today = Today()


@functools.lru_cache(maxsize=4)
def iso_day(day: datetime.date) -> str:
    """A day as the tally keeps it, written out once a day rather than once a view."""
    return day.isoformat()


def count_page_view(request: HttpRequest, page_id: int, language: str) -> None:
    """Count one view of a page in ``language``, unless the visitor is not to be counted.

    Only the day, the page, the language and the referrer's category are counted; nothing of
    the request is kept beyond them."""
    if not analytics.counts_visitor(request):
        return
    referrer = analytics.referrer_category(request)
    analytics.tally.add(KIND, (iso_day(today()), page_id, language, referrer))


@hooks.register("before_serve_page", order=1000)
def note_page_served(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """Note the page Wagtail is about to serve, after every other hook (one that answers
    instead, a method not allowed, a login asked for, stops it before it gets here)."""
    remember_page_served(request, page.pk, translation.get_language() or settings.LANGUAGE_CODE)


class ViewCountMiddleware:
    """Counts each view of a page by a visitor who is not signed in: a GET answered 200 with a
    page that Wagtail served, now or when the full-page cache stored it.

    It sits just outside :class:`core.cache.PageCacheMiddleware`, so that it sees the views
    that cache answers as well as those it does not. Previews, the admin, search results, forms
    sent, errors and redirects are not a page read, and are not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.ANALYTICS_COUNT_VIEWS and self.is_a_view(request, response):
            served = page_served(request, response)
            if served is not None:
                try:
                    count_page_view(request, *served)
                except DisallowedHost:
                    # A Host header the site does not answer to is no visitor of it (and a
                    # try costs a page view less than contextlib.suppress).
                    return response
        return response

    @staticmethod
    def is_a_view(request: HttpRequest, response: HttpResponse) -> bool:
        """A page read by a visitor who is not signed in (a session cookie means staff)."""
        return (
            request.method == "GET"
            and response.status_code == 200
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not internals.is_preview(request)
        )


def write_views(batch: dict[analytics.Key, tuple[int, object]]) -> None:
    """Add a batch of counts to the table in one statement, whatever its size: each key's
    number is added to its row, made if there is none (``ON CONFLICT … DO UPDATE``, in SQLite
    and PostgreSQL alike), so that no count is read, and none lost, when several processes
    write at once. The batch goes as one JSON parameter (no limit on the number of parameters
    to hit), and the join with the pages skips the counts of a page deleted meanwhile."""
    rows = [
        {"day": day, "page": page_id, "language": language, "referrer": referrer, "views": number}
        for (day, page_id, language, referrer), (number, _latest) in batch.items()
    ]
    if not rows:
        return
    connection = connections[router.db_for_write(PageViewCount)]
    with connection.cursor() as cursor:
        cursor.execute(upsert_statement(connection), [json.dumps(rows)])


def upsert_statement(connection) -> str:
    quote = connection.ops.quote_name
    table, pages = quote(PageViewCount._meta.db_table), quote(Page._meta.db_table)
    if connection.vendor == "postgresql":
        batch = (
            "jsonb_to_recordset(%s::jsonb) AS batch"
            "(day date, page integer, language text, referrer text, views integer)"
        )
        columns = "batch.day, batch.page, batch.language, batch.referrer, batch.views"
        page = "batch.page"
    else:  # SQLite's JSON functions
        batch = "json_each(%s) AS batch"
        columns = ", ".join(
            f"json_extract(batch.value, '$.{name}')"
            for name in ("day", "page", "language", "referrer", "views")
        )
        page = "json_extract(batch.value, '$.page')"
    # "WHERE true": SQLite reads an ON CONFLICT right after a join as the join's constraint.
    return (
        f"INSERT INTO {table} (day, page_id, language, referrer, views) "
        f"SELECT {columns} FROM {batch} JOIN {pages} AS page ON page.id = {page} "
        "WHERE true "
        "ON CONFLICT (day, page_id, language, referrer) "
        f"DO UPDATE SET views = {table}.views + excluded.views"
    )


analytics.register(analytics.Counter(KIND, write_views))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day if it has fewer days)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def purge_view_counts(now: datetime.datetime) -> int:
    """Delete the daily counts older than ``ANALYTICS_RETENTION_MONTHS``; returns how many.

    Counts hold nothing about a person, but a page's views day by day are kept no longer than
    the reports need them (25 months by default: enough to compare a month with the same
    month two years before), as the privacy notice says."""
    local_day = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE)).date()
    cutoff = months_before(local_day, settings.ANALYTICS_RETENTION_MONTHS)
    deleted, _by_model = PageViewCount.objects.filter(day__lt=cutoff).delete()
    return deleted
