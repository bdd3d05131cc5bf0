"""The line chart above the "Page views" report (``pages.view_reports``): views per day, one line
per language, drawn here as SVG coordinates for the template (no script, nothing from another
origin).

A language is told apart by more than its colour (WCAG 1.4.1): each line has its own dash
pattern and each of its points its own marker shape (circle, square, triangle, diamond, cross),
repeated in the legend. The chart is an image with a label; its figures are in a table next to
it (:class:`ChartTable`), which is what a screen reader reads.

Not appointments' bar chart (``appointments.reports``): that one draws two bars a week on an
axis of hours; this one draws lines of counts per day. What they could share (an axis with round
ticks) is a few lines each, with different steps, so neither moved to ``core``."""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext

WIDTH = 720
HEIGHT = 280
LEFT = 52
RIGHT = WIDTH - 28  # room for half the last day's date
TOP = 26  # room for the axis's name above its top tick
BOTTOM = HEIGHT - 44  # room for the days' dates, on two lines
MAX_TICKS = 5
MAX_DAY_LABELS = 10
MARKER_RADIUS = 4.0

# One per language, in the order of the settings' languages; a sixth language starts again
# with the first marker and the second dash, so that no two lines look alike.
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4")


@dataclass
class Point:
    x: float
    y: float
    path: str  # the marker's outline, an SVG path at this point
    title: str  # the language, the day and the number, as a tooltip


@dataclass
class Series:
    """One language's line."""

    code: str
    name: str
    index: int  # its style: the CSS class page-views__series--{index % 5}
    marker: str
    dash: str
    points: list[Point]
    legend_marker: str  # the marker drawn in the legend's own small SVG

    @property
    def line(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def style(self) -> int:
        return self.index % len(MARKERS)


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class DayLabel:
    x: float
    label: str  # the day and month
    year: str  # under the first label and the first of each year, else empty


@dataclass
class ChartTable:
    """The chart's figures as a table: a row per day, a column per language, and the total."""

    languages: list[str]  # the columns' names
    rows: list[tuple[datetime.date, list[int], int]]  # day, views per language, total


@dataclass
class Chart:
    title: str
    description: str
    series: list[Series]
    ticks: list[Tick]
    day_labels: list[DayLabel]
    table: ChartTable
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM


def axis_top(highest: int) -> tuple[int, int]:
    """A round top for the views axis at or above ``highest`` and its step: 1, 2 or 5 times a
    power of ten, at most ``MAX_TICKS`` steps."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(highest / step) <= MAX_TICKS:
                return max(step, step * math.ceil(highest / step)), step
        magnitude *= 10


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """An SVG path of ``shape`` centred on (x, y)."""
    if shape == "circle":
        return f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 Z"
    if shape == "square":
        s = r * 0.85
        return f"M{x - s},{y - s} H{x + s} V{y + s} H{x - s} Z"
    if shape == "triangle":
        return f"M{x},{y - r * 1.2} L{x + r * 1.1},{y + r * 0.8} L{x - r * 1.1},{y + r * 0.8} Z"
    if shape == "diamond":
        s = r * 1.2
        return f"M{x},{y - s} L{x + s},{y} L{x},{y + s} L{x - s},{y} Z"
    # A cross: two strokes, drawn by the template with a stroke and no fill.
    return f"M{x - r},{y - r} L{x + r},{y + r} M{x - r},{y + r} L{x + r},{y - r}"


def round1(value: float) -> float:
    return round(value, 1)


def day_name(day: datetime.date, with_year: bool) -> str:
    return date_format(day, "j M Y" if with_year else "j M")


def views_chart(
    days: Sequence[datetime.date],
    languages: Sequence[tuple[str, str]],
    views: dict[tuple[datetime.date, str], int],
    styles: Sequence[int] | None = None,
) -> Chart | None:
    """The chart of ``views`` per (day, language code) over ``days``, a line for each of
    ``languages`` (code, name), drawn in the style of the same position in ``styles`` (by
    default, its own position: a language filtered alone keeps the look it has among the
    others); None when there is no view at all to draw."""
    if not days or not languages or not any(views.values()):
        return None
    highest = max(views.values())
    top, step = axis_top(highest)
    plot_height = BOTTOM - TOP
    gap = (RIGHT - LEFT) / max(len(days) - 1, 1)

    def x(index: int) -> float:
        # A single day sits in the middle of the plot.
        return round1(LEFT + index * gap if len(days) > 1 else (LEFT + RIGHT) / 2)

    def y(number: int) -> float:
        return round1(BOTTOM - plot_height * number / top)

    series = []
    for position, (code, name) in enumerate(languages):
        index = styles[position] if styles is not None else position
        marker = MARKERS[index % len(MARKERS)]
        dash = DASHES[(index + index // len(MARKERS)) % len(DASHES)]
        points = []
        for place, day in enumerate(days):
            number = views.get((day, code), 0)
            px, py = x(place), y(number)
            title = ngettext(
                "%(language)s, %(day)s: %(count)s view",
                "%(language)s, %(day)s: %(count)s views",
                number,
            ) % {"language": name, "day": day_name(day, True), "count": number_format(number)}
            points.append(Point(px, py, marker_path(marker, px, py), title))
        series.append(
            Series(code, name, index, marker, dash, points, marker_path(marker, 14.0, 8.0))
        )

    every = math.ceil(len(days) / MAX_DAY_LABELS)
    labels, last_year = [], None
    for position, day in enumerate(days):
        if position % every == 0:
            year = str(day.year) if day.year != last_year else ""
            labels.append(DayLabel(x(position), day_name(day, False), year))
            last_year = day.year

    table = ChartTable(
        languages=[name for _code, name in languages],
        rows=[
            (
                day,
                [views.get((day, code), 0) for code, _name in languages],
                sum(views.get((day, code), 0) for code, _name in languages),
            )
            for day in days
        ],
    )
    description = gettext(
        "Lines of the page views per day from %(start)s to %(end)s, one line for each "
        "language: %(languages)s. The table “Page views per day by language”, under the "
        "chart, gives the same numbers."
    ) % {
        "start": day_name(days[0], True),
        "end": day_name(days[-1], True),
        "languages": ", ".join(name for _code, name in languages),
    }
    return Chart(
        title=gettext("Page views per day by language"),
        description=description,
        series=series,
        ticks=[Tick(y(number), number_format(number)) for number in range(0, top + 1, step)],
        day_labels=labels,
        table=table,
    )
