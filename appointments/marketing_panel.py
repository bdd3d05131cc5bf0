"""The Marketing editors' dashboard panel "This week on the site": the pages read most, the pages
whose button visitors followed to send a request, the searches that found nothing and the pages
readers found least helpful, in the last 7 days (today included: the "Page views" report's
default period, so that its numbers and the panel's agree). Each list is a link away from its
full report.

Here, in ``appointments``, because it is the lowest layer that sees all four kinds of counts
(``core.models.PageViewCount``, ``pages.models.SearchTermCount``, and this app's requests and
page feedback). Four queries, one a list, however many counts there are. Shown to Marketing
editors and superusers (``pages.view_reports.reads_marketing_reports``)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from wagtail.admin.ui.components import Component

from core.models import PageViewCount
from pages.models import SearchTermCount
from pages.view_reports import default_period, language_names, reads_marketing_reports

from .models import ConsultationRequest, PageFeedback

ROWS = 5
# Fewer answers than this say little about a page: one "no" would make it the least helpful.
MIN_ANSWERS = 3

# The full reports, by URL name. The page views report is in pages.view_reports; a report not
# (yet) installed has no link, rather than breaking the dashboard.
VIEWS_REPORT = "page_views"
SOURCES_REPORT = "request_sources"
SEARCH_TERMS_REPORT = "site_searches"
FEEDBACK_REPORT = "page_feedback_report"


def report_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@dataclass
class Line:
    """A line of one of the panel's lists: what (a page, or a search term), in which language,
    how many, and the page's edit view if it is one."""

    label: str
    language: str
    number: Any
    url: str | None = None


def edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def top_pages(start: datetime.date, end: datetime.date) -> QuerySet:
    return (
        PageViewCount.objects.filter(day__gte=start, day__lte=end)
        .values("page", "page__title", "language")
        .annotate(number=Sum("views"))
        .order_by("-number", "page__title", "language")[:ROWS]
    )


def top_sources(start: datetime.date, end: datetime.date) -> QuerySet:
    """The pages whose button led to the most requests (spam left out)."""
    return (
        ConsultationRequest.objects.exclude(status=ConsultationRequest.Status.SPAM)
        .filter(
            source_page__isnull=False,
            created_at__gte=start_of(start),
            created_at__lt=start_of(end + datetime.timedelta(days=1)),
        )
        .values("source_page", "source_page__title", "source_language")
        .annotate(number=Count("pk"))
        .order_by("-number", "source_page__title", "source_language")[:ROWS]
    )


def zero_result_searches(start: datetime.date, end: datetime.date) -> QuerySet:
    return (
        SearchTermCount.objects.filter(day__gte=start, day__lte=end, results=0)
        .values("term", "language")
        .annotate(number=Sum("searches"))
        .order_by("-number", "term", "language")[:ROWS]
    )


def least_helpful(start: datetime.date, end: datetime.date) -> QuerySet:
    """Pages (per language) with at least ``MIN_ANSWERS`` answers, the lowest share of "yes"
    first, then the most answered."""
    return (
        PageFeedback.objects.filter(day__gte=start, day__lte=end)
        .values("page", "page__title", "language")
        .annotate(answers=Count("pk"), yes=Count("pk", filter=Q(helpful=True)))
        .filter(answers__gte=MIN_ANSWERS)
        .annotate(share=Cast("yes", FloatField()) / Cast(F("answers"), FloatField()))
        .order_by("share", "-answers", "page__title", "language")[:ROWS]
    )


def percent(yes: int, answers: int) -> str:
    return gettext("%(percent)s%%") % {"percent": number_format(round(100 * yes / answers))}


class MarketingPanel(Component):
    name = "marketing_this_week"
    template_name = "appointments/admin/marketing_panel.html"
    order = 95  # above Wagtail's own panels, below what waits for the reader's action

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        start, end = default_period()
        names = language_names()

        def name_of(code: str) -> str:
            return names.get(code, code)

        return {
            "start": start,
            "end": end,
            "top_pages": [
                Line(
                    row["page__title"],
                    name_of(row["language"]),
                    row["number"],
                    edit_url(row["page"]),
                )
                for row in top_pages(start, end)
            ],
            "sources": [
                Line(
                    row["source_page__title"],
                    name_of(row["source_language"]),
                    row["number"],
                    edit_url(row["source_page"]),
                )
                for row in top_sources(start, end)
            ],
            "searches": [
                Line(row["term"], name_of(row["language"]), row["number"])
                for row in zero_result_searches(start, end)
            ],
            "least_helpful": [
                Line(
                    row["page__title"],
                    name_of(row["language"]),
                    (percent(row["yes"], row["answers"]), row["answers"]),
                    edit_url(row["page"]),
                )
                for row in least_helpful(start, end)
            ],
            "views_report": report_url(VIEWS_REPORT),
            "sources_report": report_url(SOURCES_REPORT),
            "search_terms_report": report_url(SEARCH_TERMS_REPORT),
            "feedback_report": report_url(FEEDBACK_REPORT),
            "min_answers": MIN_ANSWERS,
        }

    class Media:
        css = {"all": ["admin/page_views.css"]}


def add_marketing_panel(request: Any, panels: list) -> None:
    if reads_marketing_reports(request.user):
        panels.append(MarketingPanel())
