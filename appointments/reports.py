"""How fast the intake team answers: the "Response times" report (Reports menu, exportable), for
whoever may see consultation requests (``appointments.view_consultationrequest``: the "Intake
staff" group and superusers; everyone else gets a 403).

For each week (Monday to Sunday in the clinic's time zone, ``settings.TIME_ZONE``, whatever
time zone the reader chose in their admin profile; a week is named by its Monday), the requests
*received* that week (``created_at``), spam left out, and

- **received**: how many;
- **waiting**: how many have no first contact (``first_contact_at`` is empty). Besides the
  requests still new, that counts those closed without being contacted and those contacted
  before ``first_contact_at`` was recorded (migration 0009 left it empty on older requests);
- **time to first contact**: ``first_contact_at - created_at`` of the others, in plain elapsed
  hours (nights, weekends and holidays count like office hours): its **median** and its **90th
  percentile**, both by linear interpolation between the two nearest ranks (the "inclusive"
  method of ``statistics.quantiles``, which is Excel's PERCENTILE.INC and PostgreSQL's
  ``percentile_cont``): for 2, 4, 6 and 30 hours the median is 5 and the 90th percentile
  6 + 0.7 × (30 - 6) = 22.8. Waiting requests have no time, so they are not in either;
- **within target**: how many were first contacted at most ``INTAKE_RESPONSE_TARGET_HOURS``
  after they arrived, and their share of *all* the requests received: a waiting request
  counts against it (so the current week's share grows as the team answers).

Each week has a row for all its requests, then one per type (``ConsultationRequest.Kind``) and
one per preferred language (``settings.LANGUAGES``, then any other language a request has),
zero rows included, so that a spreadsheet of the export has every week. Above the table, the
same figures for the whole period and a bar chart of each week's median and 90th percentile,
drawn here as SVG (no script, nothing from another origin); the table is its text equivalent.

The filters: the dates received (the last 12 weeks by default: this week and the 11 before it;
a week the dates cut counts the days inside them only), the type and the language. The figures
are computed in Python, the same way on PostgreSQL and SQLite, from one query that reads each
request's day, wait, type and language in the period. With the benchmark's 100,000 requests in
three years (``bench/inbox.py``), 12 weeks are about 6,700 rows and the page takes 0.15 to
0.2 s; the cost grows with the period (a year: about 0.5 s; three years: 1.5 s). Should long
periods matter, PostgreSQL's ``percentile_cont`` could compute the figures in the database.
Exports hold aggregates only, no personal data, so unlike the inbox's they are not logged."""

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.languages import language_choices
from pages.report_filters import RowFilterSet, with_default_period

from .models import ConsultationRequest

VIEW_PERMISSION = "appointments.view_consultationrequest"
DEFAULT_WEEKS = 12
ONE_DAY = datetime.timedelta(days=1)
ONE_WEEK = datetime.timedelta(weeks=1)

ALL = "all"
KIND = "kind"
LANGUAGE = "language"


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def target_hours() -> int:
    return settings.INTAKE_RESPONSE_TARGET_HOURS


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 weeks: from the Monday 11 weeks before this week's to today, in the clinic's
    time zone."""
    today = today or timezone.localdate(timezone=clinic_zone())
    return monday_of(today) - (DEFAULT_WEEKS - 1) * ONE_WEEK, today


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the clinic's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=clinic_zone())


def percentile(hours: list[float], n: int, i: int) -> float:
    """The ``i``-th of the ``n``-quantiles of ``hours`` (not empty), interpolated between the
    nearest ranks; one value is every quantile of itself."""
    if len(hours) == 1:
        return hours[0]
    return statistics.quantiles(hours, n=n, method="inclusive")[i - 1]


@dataclass
class Tally:
    """The requests received in a week (or a period) and how long each waited for its first
    contact."""

    received: int = 0
    hours: list[float] = field(default_factory=list)  # the contacted requests' waits
    within_target: int = 0

    def add(self, other: "Tally") -> None:
        self.received += other.received
        self.hours += other.hours
        self.within_target += other.within_target

    @classmethod
    def of(cls, waits: list[datetime.timedelta | None], target: datetime.timedelta) -> "Tally":
        """The tally of requests that waited ``waits`` (None: not contacted)."""
        contacted = [wait for wait in waits if wait is not None]
        return cls(
            received=len(waits),
            hours=[wait.total_seconds() / 3600 for wait in contacted],
            within_target=sum(wait <= target for wait in contacted),
        )

    @property
    def contacted(self) -> int:
        return len(self.hours)

    @property
    def waiting(self) -> int:
        return self.received - self.contacted

    @cached_property
    def median_hours(self) -> float | None:
        return percentile(self.hours, 2, 1) if self.hours else None

    @cached_property
    def p90_hours(self) -> float | None:
        return percentile(self.hours, 10, 9) if self.hours else None

    @property
    def within_target_percent(self) -> float | None:
        return 100 * self.within_target / self.received if self.received else None


def rounded(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 1)


def hours_display(hours: float | None) -> str:
    return "—" if hours is None else number_format(hours, decimal_pos=1)


def share_display(tally: Tally) -> str:
    percent = tally.within_target_percent
    if percent is None:
        return "—"
    return gettext("%(percent)s%% (%(count)s of %(total)s)") % {
        "percent": number_format(percent, decimal_pos=0),
        "count": number_format(tally.within_target),
        "total": number_format(tally.received),
    }


@dataclass
class ResponseTimeRow:
    """A row of the report: a week's requests, all of them or those of one type or language."""

    week: datetime.date  # its Monday
    breakdown: str  # ALL, KIND or LANGUAGE
    group: Any  # what the requests have in common: a type's or a language's name
    tally: Tally
    # Translated when the row is made, in the reader's language: a CSV export writes its rows
    # as the response streams, after Wagtail's switch to that language has ended.
    requests: str = field(init=False)

    def __post_init__(self) -> None:
        if self.breakdown == KIND:
            self.requests = gettext("Type: %(type)s") % {"type": self.group}
        elif self.breakdown == LANGUAGE:
            self.requests = gettext("Language: %(language)s") % {"language": self.group}
        else:
            self.requests = gettext("All requests")

    @property
    def received(self) -> int:
        return self.tally.received

    @property
    def contacted(self) -> int:
        return self.tally.contacted

    @property
    def waiting(self) -> int:
        return self.tally.waiting

    @property
    def median_hours(self) -> float | None:
        return rounded(self.tally.median_hours)

    @property
    def p90_hours(self) -> float | None:
        return rounded(self.tally.p90_hours)

    @property
    def within_target(self) -> int:
        return self.tally.within_target

    @property
    def within_target_percent(self) -> float | None:
        return rounded(self.tally.within_target_percent)

    @property
    def median_display(self) -> str:
        return hours_display(self.tally.median_hours)

    @property
    def p90_display(self) -> str:
        return hours_display(self.tally.p90_hours)

    @property
    def within_target_display(self) -> str:
        return share_display(self.tally)


@dataclass
class ResponseTimes:
    """The figures of a period: each week's (with its types and languages) and the whole
    period's."""

    start: datetime.date
    end: datetime.date
    target_hours: int
    weeks: dict[datetime.date, Tally]
    by_kind: dict[tuple[datetime.date, str], Tally]
    by_language: dict[tuple[datetime.date, str], Tally]
    kinds: list[tuple[str, Any]]
    languages: list[tuple[str, Any]]
    total: Tally

    def rows(self) -> list[ResponseTimeRow]:
        rows = []
        for week, tally in self.weeks.items():
            rows.append(ResponseTimeRow(week, ALL, None, tally))
            rows += [
                ResponseTimeRow(week, KIND, label, self.by_kind.get((week, kind), Tally()))
                for kind, label in self.kinds
            ]
            rows += [
                ResponseTimeRow(week, LANGUAGE, label, self.by_language.get((week, code), Tally()))
                for code, label in self.languages
            ]
        return rows


def response_times(
    start: datetime.date,
    end: datetime.date,
    kind: str | None = None,
    language: str | None = None,
) -> ResponseTimes:
    """The figures of the requests received from ``start`` to ``end`` (both included, in the
    clinic's time zone), of one type or language if given. One query."""
    target = datetime.timedelta(hours=target_hours())
    requests = ConsultationRequest.objects.exclude(status=ConsultationRequest.Status.SPAM).filter(
        created_at__gte=start_of(start), created_at__lt=start_of(end + ONE_DAY)
    )
    if kind:
        requests = requests.filter(kind=kind)
    if language:
        requests = requests.filter(preferred_language=language)
    # The day and the wait come from the database: reading two timestamps a row costs Python
    # six times more (170 ms for 12 weeks of the benchmark's 100,000 requests, against 38).
    rows = (
        requests.order_by()
        .annotate(
            day=TruncDate("created_at", tzinfo=clinic_zone()),
            wait=ExpressionWrapper(
                F("first_contact_at") - F("created_at"), output_field=DurationField()
            ),
        )
        .values_list("day", "wait", "kind", "preferred_language")
    )
    waits: defaultdict[tuple[datetime.date, str, str], list] = defaultdict(list)
    for day, wait, request_kind, request_language in rows:
        waits[(day, request_kind, request_language)].append(wait)

    weeks: dict[datetime.date, Tally] = {}
    monday = monday_of(start)
    while monday <= end:
        weeks[monday] = Tally()
        monday += ONE_WEEK
    by_kind: defaultdict[tuple[datetime.date, str], Tally] = defaultdict(Tally)
    by_language: defaultdict[tuple[datetime.date, str], Tally] = defaultdict(Tally)
    total = Tally()
    seen_languages: set[str] = set()
    for (day, request_kind, request_language), group in waits.items():
        week = monday_of(day)
        tally = Tally.of(group, target)
        for into in (
            weeks[week],
            by_kind[(week, request_kind)],
            by_language[(week, request_language)],
            total,
        ):
            into.add(tally)
        seen_languages.add(request_language)

    kinds = [(k, label) for k, label in ConsultationRequest.Kind.choices if kind in (None, "", k)]
    languages = [(code, name) for code, name in language_choices() if language in (None, "", code)]
    known = {code for code, _name in languages}
    # A language no longer offered still has its requests counted, under its code.
    languages += [(code, code) for code in sorted(seen_languages - known)]
    return ResponseTimes(
        start, end, target_hours(), weeks, by_kind, by_language, kinds, languages, total
    )


# --- the chart -------------------------------------------------------------------------------

CHART_WIDTH = 720
CHART_HEIGHT = 300
PLOT_LEFT = 52
PLOT_RIGHT = CHART_WIDTH - 12
PLOT_TOP = 20
PLOT_BOTTOM = CHART_HEIGHT - 48  # room for the weeks' dates, on two lines
# Steps of the hours axis: whole hours, then parts and multiples of a day and a week.
STEPS = (1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 672, 1344)
MAX_TICKS = 6
MAX_WEEK_LABELS = 12


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class WeekLabel:
    x: float
    label: str  # the day and month
    year: str  # under the first label and the first of each year, else empty


@dataclass
class Chart:
    """A bar chart of each week's median and 90th-percentile hours to first contact, with the
    target as a line, in the coordinates of an SVG ``viewBox``."""

    title: str
    description: str
    medians: list[Bar]
    p90s: list[Bar]
    ticks: list[Tick]
    week_labels: list[WeekLabel]
    target_y: float
    target_label: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM


def axis_top(hours: float) -> tuple[int, int]:
    """A round top for the hours axis at or above ``hours``, and its step (at most 6 ticks)."""
    for step in STEPS:
        if math.ceil(hours / step) <= MAX_TICKS:
            return max(step, step * math.ceil(hours / step)), step
    step = STEPS[-1] * math.ceil(hours / (STEPS[-1] * MAX_TICKS))
    return step * math.ceil(hours / step), step


def week_name(week: datetime.date, with_year: bool) -> str:
    return date_format(week, "j M Y" if with_year else "j M")


def chart(figures: ResponseTimes) -> Chart | None:
    """The chart of ``figures``' weeks; None when no request of the period was contacted."""
    weeks = list(figures.weeks.items())
    if not weeks or figures.total.contacted == 0:
        return None
    highest = max(tally.p90_hours or 0 for _week, tally in weeks)
    top, step = axis_top(max(highest, figures.target_hours))
    plot_height = PLOT_BOTTOM - PLOT_TOP

    def y(hours: float) -> float:
        return round(PLOT_BOTTOM - plot_height * hours / top, 1)

    def bar(x: float, width: float, hours: float | None, title: str) -> Bar | None:
        if hours is None:
            return None
        # A wait of a few minutes still shows as a sliver, apart from a week with no answer.
        height = max(round(plot_height * hours / top, 1), 1.0)
        return Bar(round(x, 1), round(PLOT_BOTTOM - height, 1), round(width, 1), height, title)

    group = (PLOT_RIGHT - PLOT_LEFT) / len(weeks)
    bar_width = group * 0.36
    medians, p90s, labels = [], [], []
    every = math.ceil(len(weeks) / MAX_WEEK_LABELS)
    last_year = None
    for index, (week, tally) in enumerate(weeks):
        left = PLOT_LEFT + index * group
        name = week_name(week, with_year=True)
        median = bar(
            left + group * 0.12,
            bar_width,
            tally.median_hours,
            gettext("Week of %(week)s: median %(hours)s hours")
            % {"week": name, "hours": hours_display(tally.median_hours)},
        )
        p90 = bar(
            left + group * 0.52,
            bar_width,
            tally.p90_hours,
            gettext("Week of %(week)s: 90th percentile %(hours)s hours")
            % {"week": name, "hours": hours_display(tally.p90_hours)},
        )
        medians += [median] if median else []
        p90s += [p90] if p90 else []
        if index % every == 0:
            year = date_format(week, "Y") if week.year != last_year else ""
            labels.append(WeekLabel(round(left + group / 2, 1), week_name(week, False), year))
            last_year = week.year

    description = gettext(
        "Bars of the median and the 90th percentile of the hours from a request to its first "
        "contact, two for each week from %(start)s to %(end)s (weeks start on Monday); a week "
        "without bars had no request contacted. The dashed line is the target, %(target)s "
        "hours. The table below gives the same figures and the requests still waiting."
    ) % {
        "start": week_name(weeks[0][0], with_year=True),
        "end": week_name(weeks[-1][0], with_year=True),
        "target": number_format(figures.target_hours),
    }
    return Chart(
        title=gettext("Hours to first contact, by week"),
        description=description,
        medians=medians,
        p90s=p90s,
        ticks=[Tick(y(hours), number_format(hours)) for hours in range(0, top + 1, step)],
        week_labels=labels,
        target_y=y(figures.target_hours),
        target_label=gettext("Target: %(hours)s hours")
        % {"hours": number_format(figures.target_hours)},
    )


# --- the report ------------------------------------------------------------------------------


class ResponseTimesFilterSet(RowFilterSet):
    """The report's filters. They only draw the form: the view reads their values."""

    created_at = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget, method="unfiltered"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=ConsultationRequest.Kind.choices,
        empty_label=_("Every type"),
        method="unfiltered",
    )
    preferred_language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=_("Every language"),
        method="unfiltered",
    )

    class Meta:
        model = ConsultationRequest
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_default_period(data, "created_at", default_period), *args, **kwargs)
        # The default dates are no filter the reader chose: no "active filter" to remove.
        self.form.fields["created_at"].initial = list(default_period())


class ResponseTimesView(ReportView):
    """Each week's number of requests and how long they waited for a first contact."""

    page_title = _("Response times")
    header_icon = "time"
    index_url_name = "response_times"
    index_results_url_name = "response_times_results"
    results_template_name = "appointments/admin/response_times_results.html"
    filterset_class = ResponseTimesFilterSet
    permission_policy = ModelPermissionPolicy(ConsultationRequest)
    permission_required = "view"
    # Six rows a week (fewer when filtered): a page cut would split weeks.
    paginate_by = None
    # The template writes the table itself: each week a group of rows under its date as a
    # header, and in a quarter of the time Wagtail's table takes to render a cell at a time.
    export_filename = "response-times"
    list_export = [
        "week",
        "requests",
        "received",
        "contacted",
        "waiting",
        "median_hours",
        "p90_hours",
        "within_target",
        "within_target_percent",
    ]

    @cached_property
    def export_headings(self) -> dict[str, str]:
        hours = number_format(target_hours())
        return {
            "week": gettext("Week of"),
            "requests": gettext("Requests"),
            # Counts of requests: "Recibidas", where the inbox's "Received" is a date.
            "received": pgettext("number of requests", "Received"),
            "contacted": pgettext("number of requests", "Contacted"),
            "waiting": pgettext("number of requests", "Waiting"),
            "median_hours": gettext("Median hours to first contact"),
            "p90_hours": gettext("90th percentile hours to first contact"),
            "within_target": gettext("Contacted within %(hours)s hours") % {"hours": hours},
            "within_target_percent": gettext("Share contacted within %(hours)s hours (%%)")
            % {"hours": hours},
        }

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
        if not received:
            return default_period()
        start, end = received.start.date(), received.stop.date()
        return (start, end) if start <= end else (end, start)

    @cached_property
    def figures(self) -> ResponseTimes:
        start, end = self.period
        return response_times(
            start,
            end,
            kind=self.choices.get("kind") or None,
            language=self.choices.get("preferred_language") or None,
        )

    def get_queryset(self) -> list[ResponseTimeRow]:
        return self.figures.rows()

    def get_filtered_queryset(self) -> list[ResponseTimeRow]:
        return self.get_queryset()

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["figures"] = self.figures
        context["summary"] = ResponseTimeRow(self.period[0], ALL, None, self.figures.total)
        context["chart"] = chart(self.figures)
        context["target_hours"] = target_hours()
        context["media"] += forms.Media(css={"all": ["admin/response_times.css"]})
        return context

    def as_spreadsheet(self, queryset: list[ResponseTimeRow], spreadsheet_format: str) -> Any:
        self.export_headings  # noqa: B018 - translated now, in the reader's language (see rows)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filename(self) -> str:
        start, end = self.period
        return f"{self.export_filename}-{start.isoformat()}-{end.isoformat()}"


class ResponseTimesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)
