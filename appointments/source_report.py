"""Where requests come from: the "Where requests come from" report (Reports menu, exportable),
for Marketing editors and superusers (everyone else gets a 403).

Each consultation or accommodation request records the page of this site whose link the
visitor followed to the form and that page's language (``ConsultationRequest.source_page`` and
``source_language``, passed by the link's ``?from=`` and the form's hidden field, see
``appointments.forms.RequestSourceMixin``). For the requests received in the period (the last
30 days by default, in the clinic's time zone), the report has one row per source page and
language:

- **consultation requests** and **accommodation requests** sent from that page;
- **views**: the page's views in that language on the same days (``core.models.PageViewCount``,
  the first-party counts: every referrer category together);
- **requests per 100 views**: requests ÷ views as a percentage, "—" when the page has no views
  counted (the counts may have started after the request, or the visitor's browser asked not to
  be counted: a share over 100 % is possible and says just that).

Requests that name no page (the visitor came to the form from a bookmark, another site, or a
link that named no page or one the form could not accept) are in a row "No page recorded", one
per language of the form they filled in: the language filter reads the source page's language,
or, for those, the form's.

Requests marked as spam are left out: they did not come from a patient. Requests held for
review by the spam defence but not marked as spam are counted, as intake treats them.
Requests deleted (by ``purge_requests``, or by hand) are no longer counted: the report is read
from the requests that are kept, and its figures for a period older than the retention period
shrink accordingly.

Only pages with at least one request in the period have a row: the "top pages" report answers
which pages are read. Exports hold aggregates only, no personal data, so they are not logged."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_content_types

from core.languages import language_choices
from core.models import PageViewCount
from pages.report_filters import RowFilterSet, with_default_period

from .models import ConsultationRequest
from .reports import clinic_zone, start_of

# Who may read the report besides superusers: the people who write the pages it measures.
# (The project has no group of intake managers; intake staff answer requests one by one.)
READER_GROUPS = ("Marketing editors",)
DEFAULT_DAYS = 30
ONE_DAY = datetime.timedelta(days=1)
NO_VALUE = "—"


def may_see_report(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=READER_GROUPS).exists()


def forbidden_unless_reader(view: Callable) -> Callable:
    """A plain 403 for staff who may not read the report, as from the inbox (Wagtail would
    redirect them to the dashboard with a message)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not may_see_report(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 30 days, today included, in the clinic's time zone."""
    today = today or timezone.localdate(timezone=clinic_zone())
    return today - (DEFAULT_DAYS - 1) * ONE_DAY, today


# --- the figures -------------------------------------------------------------------------------


@dataclass
class SourceRow:
    """The requests that came from one page in one language (``page`` None: from no page)."""

    page: Page | None
    language: str
    consultations: int = 0
    accommodations: int = 0
    views: int = 0

    @property
    def title(self) -> str:
        return self.page.title if self.page is not None else gettext("No page recorded")

    @property
    def page_type(self) -> str:
        if self.page is None:
            return ""
        model = self.page.specific_class or Page
        return str(model._meta.verbose_name).capitalize()

    @property
    def language_name(self) -> str:
        return str(dict(language_choices()).get(self.language, self.language))

    @property
    def requests(self) -> int:
        return self.consultations + self.accommodations

    @property
    def ratio_percent(self) -> float | None:
        """Requests per 100 views, to one decimal; None without views to divide by."""
        if not self.views or self.page is None:
            return None
        return round(100 * self.requests / self.views, 1)

    @property
    def ratio_display(self) -> str:
        ratio = self.ratio_percent
        return NO_VALUE if ratio is None else f"{number_format(ratio, 1)} %"

    @property
    def edit_url(self) -> str | None:
        if self.page is None:
            return None
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


def received_requests(
    start: datetime.date, end: datetime.date, language: str | None, page_type: int | None
) -> QuerySet[ConsultationRequest]:
    """The requests received from ``start`` to ``end`` (days in the clinic's time zone) that
    the report counts: all but spam, of the language and the source page's type chosen."""
    requests = ConsultationRequest.objects.filter(
        created_at__gte=start_of(start), created_at__lt=start_of(end + ONE_DAY)
    ).exclude(status=ConsultationRequest.Status.SPAM)
    if language:
        requests = requests.filter(
            Q(source_page__isnull=False, source_language=language)
            | Q(source_page__isnull=True, submitted_language=language)
        )
    if page_type:
        requests = requests.filter(source_page__content_type_id=page_type)
    return requests


def source_rows(
    start: datetime.date,
    end: datetime.date,
    language: str | None = None,
    page_type: int | None = None,
) -> list[SourceRow]:
    """The report's rows, most requests first, "No page recorded" last. Three queries: the
    requests counted by page, language and kind; the pages; their views."""
    rows: dict[tuple[int | None, str], SourceRow] = {}
    counted = (
        received_requests(start, end, language, page_type)
        .values("source_page_id", "source_language", "submitted_language", "kind")
        .annotate(number=Count("pk"))
        .order_by()
    )
    for entry in counted:
        page_id = entry["source_page_id"]
        row_language = entry["source_language"] if page_id else entry["submitted_language"]
        row = rows.setdefault((page_id, row_language), SourceRow(None, row_language))
        if entry["kind"] == ConsultationRequest.Kind.ACCESSIBILITY:
            row.accommodations += entry["number"]
        else:
            row.consultations += entry["number"]
    page_ids = {page_id for page_id, _language in rows if page_id is not None}
    pages = Page.objects.in_bulk(page_ids)
    views = page_views(start, end, page_ids)
    for (source_id, source_language), row in rows.items():
        if source_id is not None:
            row.page = pages.get(source_id)
            row.views = views.get((source_id, source_language), 0)
    return sorted(
        rows.values(),
        key=lambda row: (row.page is None, -row.requests, row.title.casefold(), row.language),
    )


def page_views(start: datetime.date, end: datetime.date, page_ids: set[int]) -> dict:
    """``{(page id, language): views}`` from ``start`` to ``end``, every referrer together."""
    if not page_ids:
        return {}
    summed = (
        PageViewCount.objects.filter(day__gte=start, day__lte=end, page_id__in=page_ids)
        .values("page_id", "language")
        .annotate(total=Sum("views"))
        .order_by()
    )
    return {(entry["page_id"], entry["language"]): entry["total"] for entry in summed}


# --- the report --------------------------------------------------------------------------------


def page_type_choices() -> list[tuple[int, str]]:
    """Each type of page of the site, by its content type, in alphabetical order."""
    choices = [
        (content_type.pk, str(content_type.model_class()._meta.verbose_name).capitalize())
        for content_type in get_page_content_types(include_base_page_type=False)
        if content_type.model_class() is not None
    ]
    return sorted(choices, key=lambda choice: choice[1].casefold())


class RequestSourcesFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the view reads their values."""

    created_at = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget, method="unfiltered"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=_("Every language"),
        method="unfiltered",
    )
    page_type = django_filters.ChoiceFilter(
        label=_("Page type"),
        choices=page_type_choices,
        empty_label=_("Every page type"),
        method="unfiltered",
    )

    class Meta:
        model = ConsultationRequest
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_default_period(data, "created_at", default_period), *args, **kwargs)
        # The default dates are no filter the reader chose: no "active filter" to remove.
        self.form.fields["created_at"].initial = list(default_period())


class RequestSourcesView(ReportView):
    """Requests per source page and language, beside the page's views."""

    page_title = _("Where requests come from")
    header_icon = "mail"
    index_url_name = "request_sources"
    index_results_url_name = "request_sources_results"
    filterset_class = RequestSourcesFilterSet
    # A few dozen pages at most: one table, sorted by requests.
    paginate_by = None
    export_filename = "request-sources"
    list_export = [
        "title",
        "page_type",
        "language_name",
        "consultations",
        "accommodations",
        "views",
        "ratio_percent",
    ]

    @cached_property
    def export_headings(self) -> dict[str, str]:
        return {
            "title": gettext("Page"),
            "page_type": gettext("Page type"),
            "language_name": gettext("Language"),
            "consultations": gettext("Consultation requests"),
            "accommodations": gettext("Accommodation requests"),
            "views": gettext("Views"),
            "ratio_percent": gettext("Requests per 100 views"),
        }

    @property
    def columns(self) -> list[Column]:
        return [
            TitleColumn("title", label=_("Page"), get_url=lambda row: row.edit_url),
            Column("page_type", label=_("Page type")),
            Column("language_name", label=_("Language")),
            Column("consultations", label=_("Consultation requests")),
            Column("accommodations", label=_("Accommodation requests")),
            Column("views", label=_("Views")),
            Column("ratio_display", label=_("Requests per 100 views")),
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
        received = self.choices.get("created_at")
        if not received or received.start is None or received.stop is None:
            return default_period()
        start, end = received.start.date(), received.stop.date()
        return (start, end) if start <= end else (end, start)

    def get_queryset(self) -> list[SourceRow]:
        start, end = self.period
        page_type = self.choices.get("page_type")
        return source_rows(
            start,
            end,
            language=self.choices.get("language") or None,
            page_type=int(page_type) if page_type else None,
        )

    def get_filtered_queryset(self) -> list[SourceRow]:
        return self.get_queryset()

    def as_spreadsheet(self, queryset: list[SourceRow], spreadsheet_format: str) -> Any:
        self.export_headings  # noqa: B018 - translated now, in the reader's language
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filename(self) -> str:
        start, end = self.period
        return f"{self.export_filename}-{start.isoformat()}-{end.isoformat()}"


class RequestSourcesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_see_report(request.user)
