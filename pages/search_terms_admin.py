"""The "Site searches" report (Reports menu, exportable as CSV and XLSX): what visitors searched
the site for, per term and language over a period (the last 30 days unless chosen), the terms
that found nothing first, then the most searched. Each row links to "Promote a page": the
promoted results of that term (wagtail.contrib.search_promotions), the form pre-filled.

For the "Marketing editors" group and superusers: whoever holds ``pages.view_searchtermcount``
(granted to the group by migration 0015, with the permissions to promote results). Anyone else
in the admin gets a plain 403, as from the intake reports: terms people searched for are health
data, and the report should not admit to them."""

import datetime
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query
from wagtail.contrib.search_promotions.views import CreateView as PromotionCreateView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.search.utils import normalise_query_string

from core.languages import language_choices

from .models import SearchTermCount
from .report_filters import RowFilterSet, with_default_period

VIEW_PERMISSION = "pages.view_searchtermcount"
DEFAULT_DAYS = 30
# What a spreadsheet program reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 30 days, today included."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def promote_url(term: str) -> str:
    return f"{reverse('search_terms_promote')}?{urlencode({'term': term})}"


@dataclass
class SearchTermRow:
    """A term searched for in one language over the period."""

    term: str
    language_code: str
    searches: int
    results: int  # found by its latest search in the period
    # Written when the row is made, in the reader's language: a CSV export writes its rows as
    # the response streams, after Wagtail's switch to that language has ended.
    language: str = field(init=False)

    def __post_init__(self) -> None:
        self.language = language_name(self.language_code)


def search_term_rows(
    start: datetime.date, end: datetime.date, language: str | None = None
) -> list[SearchTermRow]:
    """The terms searched for from ``start`` to ``end`` (both included), in one language if
    given: the searches added up, the results of the latest day. Those that found nothing
    first, then the most searched. One query."""
    counts = SearchTermCount.objects.filter(day__gte=start, day__lte=end)
    if language:
        counts = counts.filter(language=language)
    latest = (
        counts.filter(term=OuterRef("term"), language=OuterRef("language"))
        .order_by("-day")
        .values("results")[:1]
    )
    rows = (
        counts.values("term", "language")
        .annotate(
            total_searches=Sum("searches"),
            latest_results=Subquery(latest, output_field=IntegerField()),
        )
        .annotate(
            found_nothing=Case(
                When(latest_results=0, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("found_nothing", "-total_searches", "term", "language")
    )
    return [
        SearchTermRow(
            term=row["term"],
            language_code=row["language"],
            searches=row["total_searches"],
            results=row["latest_results"] or 0,
        )
        for row in rows
    ]


class SiteSearchesFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the view reads their values."""

    day = django_filters.DateFromToRangeFilter(
        label=_("Searched"), widget=DateRangePickerWidget, method="unfiltered"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=_("Every language"),
        method="unfiltered",
    )

    class Meta:
        model = SearchTermCount
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_default_period(data, "day", default_period), *args, **kwargs)
        # The default dates are no filter the reader chose: no "active filter" to remove.
        self.form.fields["day"].initial = list(default_period())


def promote_link(row: SearchTermRow) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        promote_url(row.term),
        gettext("Promote a page"),
    )


class SiteSearchesView(ReportView):
    """The terms visitors searched for, those that found nothing first."""

    page_title = _("Site searches")
    header_icon = "search"
    index_url_name = "site_searches"
    index_results_url_name = "site_searches_results"
    filterset_class = SiteSearchesFilterSet
    permission_policy = ModelPermissionPolicy(SearchTermCount)
    permission_required = "view"
    export_filename = "site-searches"
    list_export = ["term", "language", "searches", "results"]
    export_headings = {
        "term": _("Search term"),
        "language": _("Language"),
        "searches": _("Searches"),
        "results": _("Results (latest search)"),
    }

    @property
    def columns(self) -> list[Column]:
        return [
            Column("term", label=_("Search term")),
            Column("language", label=_("Language")),
            NumberColumn("searches", label=_("Searches")),
            NumberColumn("results", label=_("Results (latest search)")),
            Column("promote", label=_("Promoted results"), accessor=promote_link),
        ]

    @cached_property
    def choices(self) -> dict[str, Any]:
        """The filters' values, each read on its own: a date the form rejects leaves the
        others applied and the default dates."""
        form = self.filters.form
        form.is_valid()
        return form.cleaned_data

    @cached_property
    def period(self) -> tuple[datetime.date, datetime.date]:
        searched = self.choices.get("day")
        if not searched:
            return default_period()
        start = searched.start.date() if searched.start else default_period()[0]
        end = searched.stop.date() if searched.stop else default_period()[1]
        return (start, end) if start <= end else (end, start)

    def get_queryset(self) -> list[SearchTermRow]:
        start, end = self.period
        return search_term_rows(start, end, self.choices.get("language") or None)

    def get_filtered_queryset(self) -> list[SearchTermRow]:
        return self.get_queryset()

    def get_filename(self) -> str:
        start, end = self.period
        return f"{self.export_filename}-{start.isoformat()}-{end.isoformat()}"

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        """In CSV, a term that starts like a formula (visitors type what they like) is prefixed
        with an apostrophe, so that a spreadsheet program shows it as text instead of running
        it (OWASP's advice on CSV injection), as the inbox's export does. The XLSX export
        stores such values as text already."""
        value = super().preprocess_field_value(field, value, export_format)
        formula = isinstance(value, str) and value[:1] in FORMULA_STARTS
        if export_format == self.FORMAT_CSV and formula:
            return "'" + value
        return value


class PromoteSearchTermView(PromotionCreateView):
    """Wagtail's form for promoted results, with the search term already filled in (its own
    add view takes no term). A term that already has promoted results opens them instead.
    The form is sent to Wagtail's add view, which saves it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        existing = Query.objects.filter(query_string=self.term).first()
        if existing is not None and existing.editors_picks.exists():
            return redirect("wagtailsearchpromotions:edit", existing.pk)
        return super().get(request, *args, **kwargs)

    @cached_property
    def term(self) -> str:
        return normalise_query_string(self.request.GET.get("term", ""))

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "query_string": self.term}


def forbidden_without_access(view: Any) -> Any:
    """A plain 403 for admin users who may not see the report, not Wagtail's redirect to the
    dashboard."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.has_perm(VIEW_PERMISSION):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


class SiteSearchesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_site_searches_menu_item() -> MenuItem:
    return SiteSearchesMenuItem(
        _("Site searches"),
        reverse("site_searches"),
        name="site-searches",
        icon_name="search",
        order=1250,
    )


@hooks.register("construct_reports_menu")
def hide_wagtails_search_terms_report(request: Any, menu_items: list) -> None:
    """Wagtail's own "Search terms" report counts ``Query.add_hit``, which the public search
    does not call (it writes in the visitor's request): it would stay empty."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


@hooks.register("register_admin_urls")
def register_site_searches_urls() -> list:
    return [
        path(
            "reports/site-searches/",
            forbidden_without_access(SiteSearchesView.as_view()),
            name="site_searches",
        ),
        path(
            "reports/site-searches/results/",
            forbidden_without_access(SiteSearchesView.as_view(results_only=True)),
            name="site_searches_results",
        ),
        path(
            "reports/site-searches/promote/",
            forbidden_without_access(PromoteSearchTermView.as_view()),
            name="search_terms_promote",
        ),
    ]
