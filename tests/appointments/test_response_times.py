"""The intake team's "Response times" report: how many requests each week, how long they waited
for a first contact, and how many were contacted within the target; for intake staff only."""

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.users.models import UserProfile

from appointments.models import ConsultationRequest
from appointments.reports import chart, default_period, monday_of, response_times

from .factories import ConsultationRequestFactory
from .helpers import html

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
REPORT = "response_times"
# A week of the clinic's (Monday 3 to Sunday 9 November 2025, New York time) and its dates as
# the report's filter takes them.
WEEK = datetime.date(2025, 11, 3)
THAT_WEEK = {"created_at_from": "2025-11-03", "created_at_to": "2025-11-09"}
HEADINGS = [
    "Week of",
    "Requests",
    "Received",
    "Contacted",
    "Waiting",
    "Median hours to first contact",
    "90th percentile hours to first contact",
    "Contacted within 24 hours",
    "Share contacted within 24 hours (%)",
]


@pytest.fixture(autouse=True)
def clinic_in_new_york(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.INTAKE_RESPONSE_TARGET_HOURS = 24


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the clinic's day ``day``, New York time."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


def received(created_at: datetime.datetime, hours: float | None = None, **fields):
    """A request received at ``created_at`` and first contacted ``hours`` later (None: not
    yet). ``first_contact_at`` is written directly, as the code that records it would."""
    status = fields.pop("status", "new" if hours is None else "contacted")
    request = ConsultationRequestFactory(created_at=created_at, status=status, **fields)
    first_contact_at = None if hours is None else created_at + datetime.timedelta(hours=hours)
    ConsultationRequest.objects.filter(pk=request.pk).update(first_contact_at=first_contact_at)
    return request


@pytest.fixture
def five_in_a_week():
    """Five requests received on Tuesday 4 November: first contacted after 2, 4, 6 and 30
    hours, and one still waiting."""
    tuesday = at(WEEK + datetime.timedelta(days=1), 10)
    for hours in (2, 4, 6, 30, None):
        received(tuesday, hours)


def user_in(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def intake_client(client, django_user_model):
    client.force_login(user_in(django_user_model, "Intake staff", "intake"))
    return client


def export(client, **params) -> list[dict[str, str]]:
    response = client.get(reverse(REPORT), {**params, "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def row(rows: list[dict[str, str]], week: datetime.date, requests: str) -> dict[str, str]:
    (found,) = [r for r in rows if r["Week of"] == week.isoformat() and r["Requests"] == requests]
    return found


def figures(found: dict[str, str]) -> list[str]:
    return [found[heading] for heading in HEADINGS[2:]]


# --- the figures -----------------------------------------------------------------------------


def test_a_week_shows_requests_received_waiting_median_p90_and_share_within_target(
    intake_client, five_in_a_week
):
    rows = export(intake_client, **THAT_WEEK)
    # received 5, contacted 4, waiting 1; median of 2, 4, 6, 30 is 5; the 90th percentile
    # interpolates 6 + 0.7 × (30 - 6) = 22.8; 3 of 5 within 24 hours: the waiting one counts
    # against the share.
    assert figures(row(rows, WEEK, "All requests")) == [
        "5",
        "4",
        "1",
        "5.0",
        "22.8",
        "3",
        "60.0",
    ]


def test_the_page_shows_the_weeks_figures_in_the_table_and_the_summary(
    intake_client, five_in_a_week
):
    response = intake_client.get(reverse(REPORT), THAT_WEEK)
    assert response.status_code == 200
    page = html(response)
    first = page.select_one("table tbody tr.response-times__week")
    cells = [cell.get_text(strip=True) for cell in first.select("th, td")]
    assert cells == ["Nov. 3, 2025", "All requests", "5", "1", "5.0", "22.8", "60% (3 of 5)"]
    # Read out by a screen reader with the week and the requests it counts as headers.
    week, requests = first.select("th")
    assert (week["scope"], week["rowspan"], requests["scope"]) == ("rowgroup", "6", "row")
    summary = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in page.select(".response-times__summary dt")
    }
    assert summary == {
        "Received": "5",
        "Waiting": "1",
        "Median (hours)": "5.0",
        "90th percentile (hours)": "22.8",
        "Contacted within 24 hours": "60% (3 of 5)",
    }


def test_one_contacted_request_is_its_own_median_and_90th_percentile(intake_client):
    received(at(WEEK, 9), 7.5)
    assert figures(row(export(intake_client, **THAT_WEEK), WEEK, "All requests")) == [
        "1",
        "1",
        "0",
        "7.5",
        "7.5",
        "1",
        "100.0",
    ]


def test_a_contact_exactly_at_the_target_counts_as_within_it(intake_client):
    received(at(WEEK, 9), 24)
    received(at(WEEK, 9), 24.01)
    found = row(export(intake_client, **THAT_WEEK), WEEK, "All requests")
    assert (found["Contacted within 24 hours"], found["Share contacted within 24 hours (%)"]) == (
        "1",
        "50.0",
    )


def test_the_target_is_the_setting_in_hours(intake_client, five_in_a_week, settings):
    settings.INTAKE_RESPONSE_TARGET_HOURS = 5
    rows = export(intake_client, **THAT_WEEK)
    found = row(rows, WEEK, "All requests")
    assert found["Contacted within 5 hours"] == "2"  # 2 and 4 hours
    assert found["Share contacted within 5 hours (%)"] == "40.0"
    page = intake_client.get(reverse(REPORT), THAT_WEEK).content.decode()
    assert "Target: 5 hours" in page


def test_each_week_has_a_row_per_type_and_per_language(intake_client):
    tuesday = at(WEEK + datetime.timedelta(days=1), 10)
    received(tuesday, 2, kind="consultation", preferred_language="en")
    received(tuesday, 10, kind="consultation", preferred_language="es")
    received(tuesday, 40, kind="accessibility", preferred_language="es")
    received(tuesday, None, kind="accessibility", preferred_language="fr")
    rows = export(intake_client, **THAT_WEEK)
    assert [r["Requests"] for r in rows] == [
        "All requests",
        "Type: Consultation",
        "Type: Accessibility",
        "Language: English",
        "Language: Spanish",
        "Language: French",
    ]
    assert figures(row(rows, WEEK, "Type: Consultation")) == [
        "2",
        "2",
        "0",
        "6.0",
        "9.2",
        "2",
        "100.0",
    ]
    assert figures(row(rows, WEEK, "Type: Accessibility")) == [
        "2",
        "1",
        "1",
        "40.0",
        "40.0",
        "0",
        "0.0",
    ]
    assert figures(row(rows, WEEK, "Language: English")) == [
        "1",
        "1",
        "0",
        "2.0",
        "2.0",
        "1",
        "100.0",
    ]
    assert figures(row(rows, WEEK, "Language: Spanish")) == [
        "2",
        "2",
        "0",
        "25.0",
        "37.0",
        "1",
        "50.0",
    ]
    assert figures(row(rows, WEEK, "Language: French")) == ["1", "0", "1", "", "", "0", "0.0"]


def test_spam_is_left_out(intake_client, five_in_a_week):
    tuesday = at(WEEK + datetime.timedelta(days=1), 10)
    received(tuesday, 1, status="spam")
    received(tuesday, None, status="spam")
    found = row(export(intake_client, **THAT_WEEK), WEEK, "All requests")
    assert (found["Received"], found["Waiting"], found["Median hours to first contact"]) == (
        "5",
        "1",
        "5.0",
    )


def test_a_week_without_requests_keeps_its_rows_with_zero_received(intake_client):
    received(at(WEEK, 9), 3)
    rows = export(intake_client, created_at_from="2025-10-27", created_at_to="2025-11-09")
    assert figures(row(rows, WEEK - datetime.timedelta(weeks=1), "All requests")) == [
        "0",
        "0",
        "0",
        "",
        "",
        "0",
        "",
    ]
    assert row(rows, WEEK, "All requests")["Received"] == "1"
    assert len(rows) == 2 * 6


# --- weeks in the clinic's time zone ---------------------------------------------------------


def test_a_request_at_23_30_on_sunday_new_york_time_belongs_to_that_week(client, django_user_model):
    """23:30 on Sunday 2 November in New York is 04:30 on Monday in UTC; that Sunday is also
    the day the clocks went back. The reader's own time zone (Tokyo) changes nothing."""
    user = user_in(django_user_model, "Intake staff", "intake")
    profile = UserProfile.get_for_user(user)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    client.force_login(user)
    received(at(datetime.date(2025, 11, 2), 23, 30), 1)
    received(at(datetime.date(2025, 11, 3), 0, 30), 1)
    received(at(datetime.date(2025, 11, 3), 0, 30), 1)
    rows = export(client, created_at_from="2025-10-27", created_at_to="2025-11-09")
    assert row(rows, datetime.date(2025, 10, 27), "All requests")["Received"] == "1"
    assert row(rows, WEEK, "All requests")["Received"] == "2"


def test_the_dates_are_the_clinics_days(intake_client):
    received(at(datetime.date(2025, 11, 2), 23, 30), 1)  # Sunday, before the dates
    received(at(datetime.date(2025, 11, 3), 0, 30), 1)  # the first minutes of the dates
    received(at(datetime.date(2025, 11, 9), 23, 30), 1)  # their last ones
    received(at(datetime.date(2025, 11, 10), 0, 30), 1)  # the next Monday, after them
    rows = export(intake_client, **THAT_WEEK)
    assert [r["Week of"] for r in rows if r["Requests"] == "All requests"] == ["2025-11-03"]
    assert row(rows, WEEK, "All requests")["Received"] == "2"


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def mixed_week():
    tuesday = at(WEEK + datetime.timedelta(days=1), 10)
    received(tuesday, 2, kind="consultation", preferred_language="en")
    received(tuesday, 10, kind="consultation", preferred_language="es")
    received(tuesday, 40, kind="accessibility", preferred_language="es")


def test_the_type_filter_counts_only_that_type(intake_client, mixed_week):
    rows = export(intake_client, kind="accessibility", **THAT_WEEK)
    assert [r["Requests"] for r in rows] == [
        "All requests",
        "Type: Accessibility",
        "Language: English",
        "Language: Spanish",
        "Language: French",
    ]
    assert figures(row(rows, WEEK, "All requests")) == [
        "1",
        "1",
        "0",
        "40.0",
        "40.0",
        "0",
        "0.0",
    ]
    assert row(rows, WEEK, "Language: Spanish")["Received"] == "1"


def test_the_language_filter_counts_only_that_language(intake_client, mixed_week):
    rows = export(intake_client, preferred_language="es", **THAT_WEEK)
    assert [r["Requests"] for r in rows] == [
        "All requests",
        "Type: Consultation",
        "Type: Accessibility",
        "Language: Spanish",
    ]
    assert figures(row(rows, WEEK, "All requests")) == [
        "2",
        "2",
        "0",
        "25.0",
        "37.0",
        "1",
        "50.0",
    ]


def test_the_date_filter_chooses_the_weeks(intake_client):
    received(at(datetime.date(2025, 10, 1), 9), 1)
    received(at(datetime.date(2025, 11, 4), 9), 1)
    received(at(datetime.date(2025, 12, 2), 9), 1)
    rows = export(intake_client, created_at_from="2025-10-27", created_at_to="2025-11-30")
    weeks = [r["Week of"] for r in rows if r["Requests"] == "All requests"]
    assert weeks == ["2025-10-27", "2025-11-03", "2025-11-10", "2025-11-17", "2025-11-24"]
    assert sum(int(r["Received"]) for r in rows if r["Requests"] == "All requests") == 1


def test_by_default_the_report_shows_the_last_12_weeks(intake_client):
    today = timezone.localdate(timezone=NEW_YORK)
    this_monday = monday_of(today)
    received(timezone.now() - datetime.timedelta(minutes=5), 1)
    received(at(this_monday - datetime.timedelta(weeks=11), 12), 1)  # first week shown
    received(at(this_monday - datetime.timedelta(weeks=12), 12), 1)  # the week before
    rows = export(intake_client)
    weeks = [r["Week of"] for r in rows if r["Requests"] == "All requests"]
    assert len(weeks) == 12
    assert weeks[0] == (this_monday - datetime.timedelta(weeks=11)).isoformat()
    assert weeks[-1] == this_monday.isoformat()
    assert sum(int(r["Received"]) for r in rows if r["Requests"] == "All requests") == 2
    page = html(intake_client.get(reverse(REPORT)))
    assert page.select_one("input[name=created_at_from]")["value"] == weeks[0]
    assert page.select_one("input[name=created_at_to]")["value"] == today.isoformat()
    # The default dates are not a filter the reader chose: nothing to remove, whereas a type
    # chosen is.
    assert not page.select("[data-w-active-filter-id]")
    filtered = html(intake_client.get(reverse(REPORT), {"kind": "consultation"}))
    assert len(filtered.select("[data-w-active-filter-id]")) == 1


def test_default_period_is_this_week_and_the_11_before():
    assert default_period(datetime.date(2025, 11, 5)) == (
        datetime.date(2025, 8, 18),
        datetime.date(2025, 11, 5),
    )


def test_a_date_the_form_cannot_read_shows_the_default_weeks(intake_client):
    response = intake_client.get(reverse(REPORT), {"created_at_from": "not a date"})
    assert response.status_code == 200
    start, end = default_period()
    heading = html(response).select_one(".response-times__period").get_text(" ", strip=True)
    assert heading == f"Requests received from {date_format(start)} to {date_format(end)}"


# --- the chart -------------------------------------------------------------------------------


def test_the_chart_is_an_svg_with_a_title_a_description_and_no_script(
    intake_client, five_in_a_week
):
    received(at(WEEK + datetime.timedelta(days=8), 9), 50)  # the next week: a higher bar
    response = intake_client.get(
        reverse(REPORT), {"created_at_from": "2025-11-03", "created_at_to": "2025-11-16"}
    )
    page = html(response)
    svg = page.select_one("figure.response-times__chart svg")
    assert svg["role"] == "img"
    title, desc = (page.find(id=i) for i in svg["aria-labelledby"].split())
    assert title.name == "title" and title.get_text() == "Hours to first contact, by week"
    assert desc.name == "desc"
    assert "the target, 24 hours" in desc.get_text()
    assert "3 Nov 2025" in desc.get_text() and "10 Nov 2025" in desc.get_text()
    medians = svg.select(".response-times__median rect")
    p90s = svg.select(".response-times__p90 rect")
    assert [bar.title.get_text() for bar in medians] == [
        "Week of 3 Nov 2025: median 5.0 hours",
        "Week of 10 Nov 2025: median 50.0 hours",
    ]
    assert [bar.title.get_text() for bar in p90s] == [
        "Week of 3 Nov 2025: 90th percentile 22.8 hours",
        "Week of 10 Nov 2025: 90th percentile 50.0 hours",
    ]
    heights = [float(bar["height"]) for bar in medians]
    assert heights[0] < heights[1]
    # Drawn on the server: no script in the report, none from another origin on the page.
    report_part = str(page.select_one("#listing-results"))
    assert "<script" not in report_part
    assert re.findall(r"https?://[^\s\"'<>]+", report_part) == ["http://www.w3.org/2000/svg"]
    assert not page.select("script[src^=http], link[href^=http]")


def test_the_chart_draws_the_target_line_and_bars_to_scale(five_in_a_week):
    figures_ = response_times(WEEK, WEEK + datetime.timedelta(days=6))
    drawn = chart(figures_)
    # The axis runs to 24 hours (the target, above the 22.8 of the 90th percentile) in steps
    # of 4: the target is the top of the plot, and a bar's height is in proportion.
    assert [tick.label for tick in drawn.ticks] == ["0", "4", "8", "12", "16", "20", "24"]
    assert drawn.target_y == drawn.top
    plot = drawn.bottom - drawn.top
    assert drawn.medians[0].height == pytest.approx(plot * 5 / 24, abs=0.1)
    assert drawn.p90s[0].height == pytest.approx(plot * 22.8 / 24, abs=0.1)
    assert drawn.medians[0].y + drawn.medians[0].height == pytest.approx(drawn.bottom)


def test_no_chart_when_nobody_was_contacted(intake_client):
    received(at(WEEK, 9), None)
    page = html(intake_client.get(reverse(REPORT), THAT_WEEK))
    assert page.select_one("figure.response-times__chart") is None
    assert "has been contacted yet" in page.get_text()


def test_the_results_fragment_follows_the_filters(intake_client, mixed_week):
    response = intake_client.get(
        reverse("response_times_results"), {"kind": "accessibility", **THAT_WEEK}
    )
    assert response.status_code == 200
    page = html(response)
    assert page.select_one("figure.response-times__chart svg") is not None
    first = page.select_one("table tbody tr.response-times__week")
    assert [cell.get_text(strip=True) for cell in first.select("th, td")][2] == "1"


# --- exports ---------------------------------------------------------------------------------


def test_the_csv_export_has_human_headings_and_no_personal_data(intake_client, five_in_a_week):
    response = intake_client.get(reverse(REPORT), {**THAT_WEEK, "export": "csv"})
    assert response["Content-Disposition"] == (
        'attachment; filename="response-times-2025-11-03-2025-11-09.csv"'
    )
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0] == ",".join(HEADINGS)
    assert lines[1] == "2025-11-03,All requests,5,4,1,5.0,22.8,3,60.0"
    assert "Patient" not in text and "@example.org" not in text


def test_the_xlsx_export_holds_dates_and_numbers(intake_client, five_in_a_week):
    response = intake_client.get(reverse(REPORT), {**THAT_WEEK, "export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADINGS
    week, requests, *numbers = values[1]
    assert week in (WEEK, datetime.datetime.combine(WEEK, datetime.time()))
    assert requests == "All requests"
    assert numbers == [5, 4, 1, 5.0, 22.8, 3, 60.0]


# --- who sees it -----------------------------------------------------------------------------


def report_urls() -> dict[str, str]:
    return {
        "report": reverse(REPORT),
        "results": reverse("response_times_results"),
        "csv": reverse(REPORT) + "?export=csv",
        "xlsx": reverse(REPORT) + "?export=xlsx",
    }


def test_intake_staff_see_the_report_and_its_menu_item(intake_client):
    for name, url in report_urls().items():
        assert intake_client.get(url).status_code == 200, name
    home = intake_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Response times" in home
    assert reverse(REPORT) in home


def test_marketing_editors_get_403_and_no_menu_item(client, django_user_model):
    client.force_login(user_in(django_user_model, "Marketing editors", "marketing"))
    for name, url in report_urls().items():
        assert client.get(url).status_code == 403, name
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert reverse(REPORT) not in home.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in report_urls().values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


# --- cost ------------------------------------------------------------------------------------


def requests_over_twelve_weeks(count: int, offset: int = 0) -> None:
    """``count`` requests spread over the 12 weeks to Sunday 9 November 2025, of both types
    and every language, most contacted."""
    first_monday = WEEK - datetime.timedelta(weeks=11)
    for n in range(offset, offset + count):
        received(
            at(first_monday + datetime.timedelta(days=n % 84), 8 + n % 12),
            None if n % 7 == 0 else n % 50,
            kind="accessibility" if n % 5 == 0 else "consultation",
            preferred_language=("en", "es", "fr")[n % 3],
        )


def test_the_report_reads_the_requests_in_one_query_however_many(intake_client):
    params = {"created_at_from": "2025-08-18", "created_at_to": "2025-11-09"}
    requests_over_twelve_weeks(10)
    intake_client.get(reverse(REPORT), params)  # the session and caches settle
    with CaptureQueriesContext(connection) as with_ten:
        assert intake_client.get(reverse(REPORT), params).status_code == 200
    requests_over_twelve_weeks(190, offset=10)
    with CaptureQueriesContext(connection) as with_two_hundred:
        response = intake_client.get(reverse(REPORT), params)
    assert response.status_code == 200
    assert len(with_two_hundred) == len(with_ten)
    # The one query that reads the requests' times (others on the page may count requests).
    reads = [
        query["sql"]
        for query in with_two_hundred.captured_queries
        if '"appointments_consultationrequest"."first_contact_at"' in query["sql"]
    ]
    assert len(reads) == 1
    assert "Received" in response.content.decode()
    rows = export(intake_client, **params)
    assert sum(int(r["Received"]) for r in rows if r["Requests"] == "All requests") == 200
