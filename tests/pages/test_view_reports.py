"""The "Page views" report: each page's views per language over a period, by referrer category,
with a chart of the views per day per language and its figures as a table; for Marketing
editors and superusers only."""

import csv
import datetime
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import PageViewCount
from pages.view_chart import MARKERS
from pages.view_reports import default_period

pytestmark = pytest.mark.django_db

REPORT = "page_views"
# A week of views, and the query string that shows it.
MONDAY = datetime.date(2026, 11, 2)
SUNDAY = datetime.date(2026, 11, 8)
THAT_WEEK = {"day_from": "2026-11-02", "day_to": "2026-11-08"}
HEADINGS = [
    "Page",
    "Address",
    "Page type",
    "Language",
    "Views",
    "From search engines",
    "From other sites",
    "Direct",
    "From this site",
    "From campaigns",
]


def member_of(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def marketing_client(client, django_user_model):
    client.force_login(member_of(django_user_model, "Marketing editors", "marketing"))
    return client


def viewed(page, day: datetime.date, language: str = "en", **by_referrer: int) -> None:
    """Counts of ``page`` read in ``language`` on ``day``, as the counter writes them: a row
    per referrer category."""
    for referrer, views in by_referrer.items():
        PageViewCount.objects.create(
            day=day, page=page, language=language, referrer=referrer, views=views
        )


@pytest.fixture
def spanish_condition(clinic_site, translate):
    return translate(clinic_site.condition, "es")


@pytest.fixture
def week_of_views(clinic_site, spanish_condition):
    """The condition page read in English on three days of the week and in Spanish on two, the
    treatment page once, the home page (an "other" page) once; and views outside the week."""
    viewed(clinic_site.condition, MONDAY, search=5, direct=2)
    viewed(clinic_site.condition, MONDAY + datetime.timedelta(days=2), search=1, other=3)
    viewed(clinic_site.condition, SUNDAY, site=4, campaign=1)
    viewed(spanish_condition, MONDAY, "es", search=6)
    viewed(spanish_condition, SUNDAY, "es", direct=1, campaign=2)
    viewed(clinic_site.treatment, MONDAY + datetime.timedelta(days=1), other=2)
    viewed(clinic_site.home, SUNDAY, direct=7)
    # Not that week: the Sunday before and the Monday after.
    viewed(clinic_site.condition, MONDAY - datetime.timedelta(days=1), search=100)
    viewed(spanish_condition, SUNDAY + datetime.timedelta(days=1), "es", search=100)
    return {"es": spanish_condition}


def export(client, export_format: str = "csv", **params) -> list[dict]:
    response = client.get(reverse(REPORT), {**params, "export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode())))
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def numbers(row: dict) -> list[int]:
    return [int(row[heading]) for heading in HEADINGS[4:]]


def by_page(rows: list[dict]) -> dict[tuple[str, str], list[int]]:
    return {(row["Page"], row["Language"]): numbers(row) for row in rows}


# --- the rows --------------------------------------------------------------------------------


def test_each_page_and_language_sums_its_views_by_referrer_most_viewed_first(
    marketing_client, clinic_site, week_of_views
):
    rows = export(marketing_client, **THAT_WEEK)
    assert list(rows[0]) == HEADINGS
    spanish_title = week_of_views["es"].title
    # views, search engines, other sites, direct, this site, campaigns
    assert [(row["Page"], row["Language"], numbers(row)) for row in rows] == [
        ("Synkinesis", "English", [16, 6, 3, 2, 4, 1]),
        (spanish_title, "Spanish", [9, 6, 0, 1, 0, 2]),
        (clinic_site.home.title, "English", [7, 0, 0, 7, 0, 0]),
        ("Botulinum toxin injections", "English", [2, 0, 2, 0, 0, 0]),
    ]
    condition = rows[0]
    assert condition["Page type"] == "Condition page"
    assert condition["Address"].endswith(clinic_site.condition.url)


def test_the_table_links_each_page_to_its_editor_and_to_the_live_page(
    marketing_client, clinic_site, week_of_views
):
    response = marketing_client.get(reverse(REPORT), THAT_WEEK)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    edit = reverse("wagtailadmin_pages:edit", args=[clinic_site.condition.pk])
    (title,) = [link for link in page.select("td.title a") if link["href"] == edit]
    assert title.get_text(strip=True) == "Synkinesis"
    live = title.find_parent("td").select_one(".page-views__live")
    assert live["href"].endswith(clinic_site.condition.url)
    assert live.get_text(" ", strip=True) == "View live : Synkinesis"
    assert "34 page views from" in page.select_one(".page-views__period").get_text(" ", strip=True)


def test_the_dates_choose_the_days_counted(marketing_client, clinic_site, week_of_views):
    rows = by_page(export(marketing_client, day_from="2026-11-08", day_to="2026-11-09"))
    assert rows[("Synkinesis", "English")] == [5, 0, 0, 0, 4, 1]
    assert rows[(week_of_views["es"].title, "Spanish")] == [103, 100, 0, 1, 0, 2]
    assert ("Botulinum toxin injections", "English") not in rows


def test_without_dates_the_report_counts_the_last_seven_days(marketing_client, clinic_site):
    start, end = default_period()
    assert end == timezone.localdate() and (end - start).days == 6
    viewed(clinic_site.condition, end, direct=1)
    viewed(clinic_site.condition, start, direct=2)
    viewed(clinic_site.condition, start - datetime.timedelta(days=1), direct=40)
    (row,) = export(marketing_client)
    assert numbers(row)[0] == 3


def test_the_language_filter_keeps_that_languages_views(
    marketing_client, clinic_site, week_of_views
):
    rows = export(marketing_client, language="es", **THAT_WEEK)
    assert [(row["Language"], numbers(row)[0]) for row in rows] == [("Spanish", 9)]


@pytest.mark.parametrize(
    ("page_type", "expected"),
    [
        ("condition", {"condition", "spanish condition"}),
        ("treatment", {"treatment"}),
        ("physician", set()),
        ("other", {"home"}),
    ],
)
def test_the_page_type_filter_keeps_pages_of_that_type(
    marketing_client, clinic_site, week_of_views, page_type, expected
):
    titles = {
        "condition": clinic_site.condition.title,
        "spanish condition": week_of_views["es"].title,
        "treatment": clinic_site.treatment.title,
        "home": clinic_site.home.title,
    }
    rows = export(marketing_client, page_type=page_type, **THAT_WEEK)
    assert {row["Page"] for row in rows} == {titles[name] for name in expected}


def test_the_xlsx_export_holds_the_same_rows_as_numbers(
    marketing_client, clinic_site, week_of_views
):
    rows = export(marketing_client, "xlsx", **THAT_WEEK)
    assert list(rows[0]) == HEADINGS
    assert [(row["Page"], row["Views"], row["From search engines"]) for row in rows][:2] == [
        ("Synkinesis", 16, 6),
        (week_of_views["es"].title, 9, 6),
    ]


def test_no_views_says_how_they_are_counted(marketing_client, clinic_site):
    response = marketing_client.get(reverse(REPORT), THAT_WEEK)
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "No page view was counted in these days." in text
    assert not BeautifulSoup(response.content, "html.parser").select(".page-views__chart")


# --- the chart -------------------------------------------------------------------------------


def test_the_charts_table_gives_each_days_views_per_language(
    marketing_client, clinic_site, week_of_views
):
    response = marketing_client.get(reverse(REPORT), THAT_WEEK)
    page = BeautifulSoup(response.content, "html.parser")
    table = page.select_one("details.page-views__figures table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Day", "English", "Spanish", "French", "All languages"]
    body = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in table.select("tbody tr")
    ]
    assert len(body) == 7
    assert [cells[1:] for cells in body] == [
        ["7", "6", "0", "13"],  # Monday
        ["2", "0", "0", "2"],
        ["4", "0", "0", "4"],
        ["0", "0", "0", "0"],
        ["0", "0", "0", "0"],
        ["0", "0", "0", "0"],
        ["12", "3", "0", "15"],  # Sunday
    ]


def test_the_chart_is_an_image_named_by_its_table_and_its_lines_differ_by_shape(
    marketing_client, clinic_site, week_of_views
):
    response = marketing_client.get(reverse(REPORT), THAT_WEEK)
    page = BeautifulSoup(response.content, "html.parser")
    svg = page.select_one(".page-views__chart svg[role=img]")
    labels = [page.find(id=name).get_text() for name in svg["aria-labelledby"].split()]
    assert labels[0] == "Page views per day by language"
    assert "“Page views per day by language”, under the chart" in labels[1]
    assert page.select_one("details.page-views__figures caption").get_text() == labels[0]
    lines = svg.select("g.page-views__series")
    assert [line["data-language"] for line in lines] == ["en", "es", "fr"]
    markers = {
        next(c for c in line["class"] if c.startswith("page-views__marker--")) for line in lines
    }
    dashes = {line.polyline.get("stroke-dasharray") for line in lines}
    assert len(markers) == len(dashes) == 3
    assert markers <= {f"page-views__marker--{shape}" for shape in MARKERS}
    # A point per day on each line; the legend repeats each line's marker and name.
    assert all(len(line.select("path.page-views__point")) == 7 for line in lines)
    legend = [item.get_text(strip=True) for item in page.select(".page-views__legend li")]
    assert legend == ["English", "Spanish", "French"]


def test_the_chart_draws_only_the_chosen_language(marketing_client, clinic_site, week_of_views):
    response = marketing_client.get(reverse(REPORT), {"language": "es", **THAT_WEEK})
    page = BeautifulSoup(response.content, "html.parser")
    (line,) = page.select(".page-views__chart g.page-views__series")
    assert line["data-language"] == "es"
    # Drawn as Spanish is among the other languages: the second line's marker.
    assert f"page-views__marker--{MARKERS[1]}" in line["class"]
    first = page.select_one("details.page-views__figures tbody tr")
    assert [cell.get_text(strip=True) for cell in first.select("td")] == ["6", "6"]


# --- who sees it -----------------------------------------------------------------------------


def report_urls() -> dict[str, str]:
    return {
        "report": reverse(REPORT),
        "results": reverse("page_views_results"),
        "csv": reverse(REPORT) + "?export=csv",
        "xlsx": reverse(REPORT) + "?export=xlsx",
    }


def test_marketing_editors_and_superusers_see_the_report_and_its_menu_item(
    client, django_user_model, clinic_site
):
    editor = member_of(django_user_model, "Marketing editors", "marketing")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    for user in (editor, admin):
        client.force_login(user)
        for name, url in report_urls().items():
            assert client.get(url).status_code == 200, (user, name)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse(REPORT) in home


@pytest.mark.parametrize(
    "group", ["Translators (Spanish)", "Physicians (clinical review)", "Intake staff"]
)
def test_translators_physicians_and_intake_staff_get_403_and_no_menu_item(
    client, django_user_model, clinic_site, group
):
    client.force_login(member_of(django_user_model, group, "someone"))
    for name, url in report_urls().items():
        assert client.get(url).status_code == 403, name
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert reverse(REPORT) not in home.content.decode()


# --- cost ------------------------------------------------------------------------------------


def test_the_report_costs_the_same_queries_however_many_days_and_pages(
    marketing_client, clinic_site
):
    pages = [clinic_site.condition, clinic_site.treatment, clinic_site.physician]
    viewed(clinic_site.condition, MONDAY, search=1)
    marketing_client.get(reverse(REPORT), THAT_WEEK)  # the session and caches settle
    with CaptureQueriesContext(connection) as with_one:
        assert marketing_client.get(reverse(REPORT), THAT_WEEK).status_code == 200
    for offset in range(1, 7):
        for page in pages:
            viewed(page, MONDAY + datetime.timedelta(days=offset), search=offset, site=1)
    with CaptureQueriesContext(connection) as with_many:
        assert marketing_client.get(reverse(REPORT), THAT_WEEK).status_code == 200
    assert len(with_many) == len(with_one)
