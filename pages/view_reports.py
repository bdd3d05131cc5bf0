"""The "Page views" report (Reports menu, exportable as CSV and XLSX), for Marketing editors and
superusers: how many times each page was read in each language over a period, and where its
readers came from, from the first-party counts of ``core.analytics`` (``core.models.
PageViewCount``: a number per day, page, language and referrer category, nothing about anyone).

A row is a page in a language: its views, then the same views by referrer category (search
engines, other sites, direct, this site, campaigns), which add up to the views. Rows are sorted
by views, most first. Above them, a chart of the views per day per language
(``pages.view_chart``) with its figures as a table.

The filters: the days counted (the last 7 by default, today included, the dashboard panel's
"this week"), the language read, and the page type (condition, treatment, physician, location,
or any other page). The rows are two aggregate queries (the rows and the chart) and one for the
pages' titles and addresses, however many days are counted. Exports hold counts only, no
personal data."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from core.analytics import Referrer
from core.languages import language_choices
from core.models import PageViewCount

from .models import ConditionPage, LocationPage, PhysicianPage, TreatmentPage
from .report_filters import RowFilterSet, with_default_period
from .view_chart import Chart, views_chart

MARKETING_GROUP = "Marketing editors"
DEFAULT_DAYS = 7
ONE_DAY = datetime.timedelta(days=1)

OTHER_TYPE = "other"
PAGE_TYPES = {
    "condition": ConditionPage,
    "treatment": TreatmentPage,
    "physician": PhysicianPage,
    "location": LocationPage,
}
PAGE_TYPE_CHOICES = [
    ("condition", _("Condition pages")),
    ("treatment", _("Treatment pages")),
    ("physician", _("Physician pages")),
    ("location", _("Location pages")),
    (OTHER_TYPE, _("Other pages")),
]
# The referrer categories in the order of the report's columns.
CATEGORIES = (Referrer.SEARCH, Referrer.OTHER, Referrer.DIRECT, Referrer.SITE, Referrer.CAMPAIGN)


def reads_marketing_reports(user: Any) -> bool:
    """Marketing editors and superusers read the marketing reports and the dashboard panel;
    nobody else (translators, physicians, intake staff) does."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MARKETING_GROUP).exists()


def category_headings() -> dict[str, str]:
    """The referrer categories' column names, translated now, in the reader's language."""
    return {
        Referrer.SEARCH: gettext("From search engines"),
        Referrer.OTHER: gettext("From other sites"),
        Referrer.DIRECT: gettext("Direct"),
        Referrer.SITE: gettext("From this site"),
        Referrer.CAMPAIGN: gettext("From campaigns"),
    }


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 7 days, today included."""
    today = today or timezone.localdate()
    return today - (DEFAULT_DAYS - 1) * ONE_DAY, today


def days_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + n * ONE_DAY for n in range((end - start).days + 1)]


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in language_choices()}


@dataclass
class PageViewsRow:
    """A page in a language: its views in the period, in all and by referrer category."""

    page: Page
    language: str  # its code
    views: int
    by_category: dict[str, int]
    live_url: str | None = None
    # Text, not lazy: a CSV export writes its rows after the reader's language is switched off.
    title: str = field(init=False)
    page_type: str = field(init=False)
    language_name: str = field(init=False)

    def __post_init__(self) -> None:
        self.title = self.page.title
        model = ContentType.objects.get_for_id(self.page.content_type_id).model_class()
        self.page_type = str(model._meta.verbose_name).capitalize() if model else ""
        self.language_name = language_names().get(self.language, self.language)

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    # The referrer categories' columns (CATEGORIES), by name for the table and the export.
    @property
    def from_search(self) -> int:
        return self.by_category.get(Referrer.SEARCH, 0)

    @property
    def from_other(self) -> int:
        return self.by_category.get(Referrer.OTHER, 0)

    @property
    def from_direct(self) -> int:
        return self.by_category.get(Referrer.DIRECT, 0)

    @property
    def from_site(self) -> int:
        return self.by_category.get(Referrer.SITE, 0)

    @property
    def from_campaign(self) -> int:
        return self.by_category.get(Referrer.CAMPAIGN, 0)


def counted_views(
    start: datetime.date,
    end: datetime.date,
    language: str | None = None,
    page_type: str | None = None,
) -> QuerySet:
    """The counts of the days from ``start`` to ``end`` (both included), of one language and
    page type if given."""
    counts = PageViewCount.objects.filter(day__gte=start, day__lte=end)
    if language:
        counts = counts.filter(language=language)
    if page_type:
        types = ContentType.objects.get_for_models(*PAGE_TYPES.values()).values()
        if page_type == OTHER_TYPE:
            counts = counts.exclude(page__content_type__in=types)
        elif page_type in PAGE_TYPES:
            model = PAGE_TYPES[page_type]
            counts = counts.filter(page__content_type=ContentType.objects.get_for_model(model))
    return counts.order_by()


def page_view_rows(counts: QuerySet, request: Any = None) -> list[PageViewsRow]:
    """A row per page and language of ``counts``, most views first (then by title): one
    aggregate query and one for the pages."""
    sums = {category: Sum("views", filter=Q(referrer=category)) for category in CATEGORIES}
    totals = list(
        counts.values("page", "language")
        .annotate(total=Sum("views"), **sums)
        .order_by("-total", "page", "language")
    )
    pages = Page.objects.in_bulk({total["page"] for total in totals})
    rows = []
    for total in totals:
        page = pages.get(total["page"])
        if page is None:  # deleted since: its counts go with it (CASCADE)
            continue
        rows.append(
            PageViewsRow(
                page=page,
                language=total["language"],
                views=total["total"],
                by_category={category: total[category] or 0 for category in CATEGORIES},
                live_url=page.get_full_url(request) if page.live else None,
            )
        )
    rows.sort(key=lambda row: (-row.views, row.title.lower(), row.language))
    return rows


def daily_views(counts: QuerySet) -> dict[tuple[datetime.date, str], int]:
    """The views per (day, language) of ``counts``: one query."""
    return {
        (row["day"], row["language"]): row["total"]
        for row in counts.values("day", "language").annotate(total=Sum("views"))
    }


def chart_languages(
    views: dict[tuple[datetime.date, str], int], language: str | None
) -> tuple[list[tuple[str, str]], list[int]]:
    """The chart's lines and the style of each: the chosen language, or every language of the
    settings, then any other language that has views (a language no longer offered keeps its
    counts). A language's style is its place among all of them, whichever are shown."""
    names = language_names()
    seen = {code for _day, code in views}
    every = list(names.items()) + [(code, code) for code in sorted(seen - set(names))]
    shown = [
        (index, (code, name))
        for index, (code, name) in enumerate(every)
        if language in (None, "", code)
    ]
    return [line for _index, line in shown], [index for index, _line in shown]


class PageViewsFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the view reads their values."""

    day = django_filters.DateFromToRangeFilter(
        label=_("Days"), widget=DateRangePickerWidget, method="unfiltered"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=_("Every language"),
        method="unfiltered",
    )
    page_type = django_filters.ChoiceFilter(
        label=_("Page type"),
        choices=PAGE_TYPE_CHOICES,
        empty_label=_("Every page type"),
        method="unfiltered",
    )

    class Meta:
        model = PageViewCount
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_default_period(data, "day", default_period), *args, **kwargs)
        # The default days are no filter the reader chose: no "active filter" to remove.
        self.form.fields["day"].initial = list(default_period())


class PageTitleColumn(TitleColumn):
    """The page's title, a link to edit it, and a link to the page as visitors see it."""

    cell_template_name = "pages/admin/page_views_title_cell.html"


class PageViewsView(ReportView):
    """Each page's views per language in a period, and where they came from."""

    page_title = _("Page views")
    header_icon = "view"
    index_url_name = "page_views"
    index_results_url_name = "page_views_results"
    results_template_name = "pages/admin/page_views_results.html"
    filterset_class = PageViewsFilterSet
    export_filename = "page-views"
    list_export = [
        "title",
        "live_url",
        "page_type",
        "language_name",
        "views",
        *(f"from_{category}" for category in CATEGORIES),
    ]

    @cached_property
    def export_headings(self) -> dict[str, str]:
        categories = category_headings()
        return {
            "title": gettext("Page"),
            "live_url": gettext("Address"),
            "page_type": gettext("Page type"),
            "language_name": gettext("Language"),
            "views": gettext("Views"),
            **{f"from_{category}": categories[category] for category in CATEGORIES},
        }

    @property
    def columns(self) -> list[Column]:
        categories = category_headings()
        return [
            PageTitleColumn("title", label=_("Page"), get_url=lambda row: row.edit_url),
            Column("page_type", label=_("Page type")),
            Column("language_name", label=_("Language")),
            Column("views", label=_("Views")),
            *(Column(f"from_{category}", label=categories[category]) for category in CATEGORIES),
        ]

    @cached_property
    def choices(self) -> dict[str, Any]:
        """The filters' values, each read on its own: a date the form rejects leaves the
        others applied, and the default days."""
        form = self.filters.form
        form.is_valid()
        return form.cleaned_data

    @cached_property
    def period(self) -> tuple[datetime.date, datetime.date]:
        days = self.choices.get("day")
        if not days:
            return default_period()
        start, end = days.start.date(), days.stop.date()
        return (start, end) if start <= end else (end, start)

    @cached_property
    def counts(self) -> QuerySet:
        start, end = self.period
        return counted_views(
            start,
            end,
            language=self.choices.get("language") or None,
            page_type=self.choices.get("page_type") or None,
        )

    def get_queryset(self) -> list[PageViewsRow]:
        return page_view_rows(self.counts, self.request)

    def get_filtered_queryset(self) -> list[PageViewsRow]:
        return self.get_queryset()

    def chart(self) -> Chart | None:
        views = daily_views(self.counts)
        languages, styles = chart_languages(views, self.choices.get("language") or None)
        return views_chart(days_of(*self.period), languages, views, styles)

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["period"] = self.period
        context["total_views"] = sum(row.views for row in self.object_list)
        context["chart"] = self.chart()
        context["media"] += forms.Media(css={"all": ["admin/page_views.css"]})
        return context

    def as_spreadsheet(self, queryset: list[PageViewsRow], spreadsheet_format: str) -> Any:
        self.export_headings  # noqa: B018 - translated now, in the reader's language
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filename(self) -> str:
        start, end = self.period
        return f"{self.export_filename}-{start.isoformat()}-{end.isoformat()}"


class PageViewsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return reads_marketing_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_page_views_menu_item() -> MenuItem:
    return PageViewsMenuItem(
        _("Page views"), reverse("page_views"), name="page-views", icon_name="view", order=1500
    )


def forbidden_unless_marketing(view: Callable) -> Callable:
    """Staff who may not read the report get a plain 403, not Wagtail's redirect to the
    dashboard (which would let them think the address is wrong rather than closed to them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not reads_marketing_reports(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


@hooks.register("register_admin_urls")
def register_page_views_urls() -> list:
    return [
        path(
            "reports/page-views/",
            forbidden_unless_marketing(PageViewsView.as_view()),
            name="page_views",
        ),
        path(
            "reports/page-views/results/",
            forbidden_unless_marketing(PageViewsView.as_view(results_only=True)),
            name="page_views_results",
        ),
    ]
