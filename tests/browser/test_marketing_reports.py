"""A marketing editor's week, in Chromium: the dashboard's "This week on the site" panel leads
from the top pages to the "Page views" report, where the chart and its table show each
language's views; filtered to Spanish, the report exports those rows as CSV. Back on the
dashboard, the least helpful page leads to what its readers wrote, which the editor marks handled
and exports."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale

from appointments.models import PageFeedback
from core.models import PageViewCount

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "marketing-pass-123"


def marketing_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "maria", "maria@clinic.example", PASSWORD, first_name="María", last_name="Soto"
    )
    user.groups.add(Group.objects.get(name="Marketing editors"))
    return user


def in_spanish(page, title: str):
    """``page`` translated into Spanish and published, with its parents."""
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
    spanish.title = title
    spanish.save_revision().publish()
    return spanish


def a_week_of_views(site) -> dict:
    """Views of the last 7 days: the condition page in English and Spanish, the treatment and
    physician pages in English, on several days and from several kinds of referrer."""
    today = timezone.localdate()
    spanish = in_spanish(site.condition, "Sincinesia")
    counts = [
        (site.condition, "en", 0, "search", 40),
        (site.condition, "en", 2, "direct", 14),
        (site.condition, "en", 5, "other", 9),
        (spanish, "es", 0, "search", 21),
        (spanish, "es", 3, "campaign", 6),
        (site.treatment, "en", 1, "site", 17),
        (site.physician, "en", 4, "direct", 5),
    ]
    for page, language, days_ago, referrer, views in counts:
        PageViewCount.objects.create(
            day=today - datetime.timedelta(days=days_ago),
            page=page,
            language=language,
            referrer=referrer,
            views=views,
        )
    return {"spanish": spanish}


def answers_about_the_treatment(site) -> None:
    """Three "no" and one "yes" on the treatment page this week, one "no" with a comment."""
    today = timezone.localdate()
    for helpful, comment in [
        (False, "I could not find how long the effect lasts."),
        (False, ""),
        (False, ""),
        (True, ""),
    ]:
        PageFeedback.objects.create(
            page=site.treatment, language="en", day=today, helpful=helpful, comment=comment
        )


def test_a_marketing_editor_follows_the_top_pages_to_the_spanish_views_and_exports_them(
    browser, live_site, live_server, django_user_model, screenshot_dir
):
    marketing_editor(django_user_model)
    a_week_of_views(live_site)
    answers_about_the_treatment(live_site)
    errors: list[str] = []

    # The dashboard says what was read this week, most read first.
    page = log_in(browser, live_server, "maria", PASSWORD)
    page.on("pageerror", lambda error: errors.append(str(error)))
    panel = page.locator("#marketing-this-week-section")
    expect(panel.get_by_role("heading", name="This week on the site")).to_be_visible()
    top = panel.locator("section", has=page.get_by_role("heading", name="Top pages"))
    expect(top.locator("tbody tr").first).to_contain_text("Synkinesis")
    expect(top.locator("tbody tr").first).to_contain_text("63")
    expect(top.locator("tbody tr").nth(1)).to_contain_text("Sincinesia")
    expect(panel).to_contain_text("Every search this week found something.")
    screenshot(page, screenshot_dir, "marketing-dashboard-panel")

    # From the top pages to the whole report, with its chart and the chart's numbers.
    top.get_by_role("link", name="All page views").click()
    page.wait_for_url(re.compile(r"/admin/reports/page-views/$"))
    expect(page.get_by_role("heading", name="Page views", level=1)).to_be_visible()
    chart = page.get_by_role("img", name="Page views per day by language")
    expect(chart).to_be_visible()
    expect(page.locator(".page-views__period")).to_contain_text("112 page views from")
    page.get_by_text("Show the chart’s numbers as a table").click()
    figures = page.get_by_role("table", name="Page views per day by language")
    expect(figures).to_be_visible()
    expect(figures.locator("tbody tr").last).to_contain_text("61")  # today: 40 + 21
    page.locator(".page-views__chart").screenshot(path=screenshot_dir / "marketing-views-chart.png")
    screenshot(page, screenshot_dir, "marketing-views-report")

    # Spanish only: the filter redraws the rows and the chart.
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Language").click()
    page.get_by_role("combobox", name="Language").select_option(label="Spanish")
    page.wait_for_url(re.compile(r"language=es"))
    rows = page.locator("#listing-results table.listing:not(.page-views__table) tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sincinesia")
    expect(page.locator(".page-views__period")).to_contain_text("27 page views from")
    expect(page.locator(".page-views__chart g.page-views__series")).to_have_count(1)
    page.keyboard.press("Escape")
    screenshot(page, screenshot_dir, "marketing-views-report-spanish")

    # The export holds the rows on screen.
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("page-views-")
    exported = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert [(row["Page"], row["Language"], row["Views"]) for row in exported] == [
        ("Sincinesia", "Spanish", "27")
    ]
    assert exported[0]["From search engines"] == "21"
    assert exported[0]["From campaigns"] == "6"

    # Back to the dashboard: the least helpful page, then what its readers wrote.
    page.goto(live_server.url + "/admin/")
    least = panel.locator("section", has=page.get_by_role("heading", name="Least helpful pages"))
    expect(least.locator("tbody tr").first).to_contain_text("Botulinum toxin injections")
    expect(least.locator("tbody tr").first).to_contain_text("25%")
    least.get_by_role("link", name="All page feedback").click()
    page.wait_for_url(re.compile(r"/admin/reports/"))
    screenshot(page, screenshot_dir, "marketing-feedback-report")
    page.get_by_role("link", name="Botulinum toxin injections").click()
    comment = page.get_by_role("row", name=re.compile("how long the effect lasts"))
    expect(comment).to_be_visible()
    comment.get_by_role("button", name="Mark handled").click()
    expect(page.locator(".messages")).to_contain_text("Comment marked handled.")
    expect(page.get_by_text("Handled by María Soto on")).to_be_visible()
    screenshot(page, screenshot_dir, "marketing-feedback-comments")
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    comments = list(
        csv.DictReader(io.StringIO(download_info.value.path().read_text(encoding="utf-8")))
    )
    assert [row["Comment"] for row in comments if row["Comment"]] == [
        "I could not find how long the effect lasts."
    ]
    handled = PageFeedback.objects.exclude(comment="").get()
    assert handled.handled and handled.handled_by.username == "maria"
    assert errors == []
