"""What visitors search the site for, as counts: per day, language and search term, how many
searches and how many results the last one found. No search is kept on its own (no time of day,
no address, nothing of the visitor), only these daily sums of terms already made impersonal by
``pages.search.search_term`` (folded, contact details masked, cut short).

What a patient searches for is health data all the same ("which condition did they look up"), so
the rows are kept ``ANALYTICS_RETENTION_MONTHS`` months and then deleted
(:func:`purge_search_terms`)."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.analytics import Counter, Key
from core.view_counts import months_before

# The counter's name, as ``core.analytics.count`` takes it.
COUNTER = "search"
TERM_LENGTH = 100
# Rows a statement upserts: 5 parameters each keeps a statement under SQLite's 32,766 (and old
# SQLite's 999 would be the only reason to go lower).
ROWS_PER_STATEMENT = 500


class SearchTermCount(models.Model):
    """The searches for one term in one language on one day."""

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=16)
    term = models.CharField(_("search term"), max_length=TERM_LENGTH)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(
        _("results"),
        default=0,
        help_text=_("Results found by the last search for the term that day."),
    )

    class Meta:
        verbose_name = _("search term count")
        verbose_name_plural = _("search term counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "term"], name="search_term_count_unique_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="search_term_count_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.language} {self.term}: {self.searches}"


def write_counts(batch: dict[Key, tuple[int, object]]) -> None:
    """Add a batch of ``{(day, language, term): (searches, results)}`` to the rows: one
    ``INSERT … ON CONFLICT DO UPDATE`` (SQLite and PostgreSQL both have it) that adds the
    searches to a row already there and replaces its results with the latest. Django's
    ``bulk_create(update_conflicts=True)`` can only overwrite a column, not add to it."""
    rows = [
        (day, language, term, number, int(latest or 0))
        for (day, language, term), (number, latest) in batch.items()
    ]
    with transaction.atomic():
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            upsert(rows[start : start + ROWS_PER_STATEMENT])


def upsert(rows: Iterable[tuple]) -> None:
    rows = list(rows)
    quote = connection.ops.quote_name
    table = quote(SearchTermCount._meta.db_table)
    columns = ", ".join(quote(name) for name in ("day", "language", "term", "searches", "results"))
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "
        f"ON CONFLICT ({quote('day')}, {quote('language')}, {quote('term')}) DO UPDATE SET "
        f"{quote('searches')} = {table}.{quote('searches')} + excluded.{quote('searches')}, "
        f"{quote('results')} = excluded.{quote('results')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


counter = Counter(COUNTER, write_counts)


def purge_search_terms(now: datetime.datetime) -> int:
    """Delete the counts of the days more than ``ANALYTICS_RETENTION_MONTHS`` months before
    ``now`` (in the site's time zone); returns the number of rows deleted."""
    local_day = timezone.localdate(now, ZoneInfo(settings.TIME_ZONE))
    cutoff = months_before(local_day, settings.ANALYTICS_RETENTION_MONTHS)
    deleted, _by_model = SearchTermCount.objects.filter(day__lt=cutoff).delete()
    return deleted
