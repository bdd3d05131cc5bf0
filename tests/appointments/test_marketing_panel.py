"""The Marketing editors' dashboard panel "This week on the site": top pages, requests by source
page, searches with no results and the least helpful pages of the last 7 days, each list with
a link to its report; shown to Marketing editors and superusers, in a fixed number of queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appointments.marketing_panel import start_of
from appointments.models import ConsultationRequest, PageFeedback
from core.models import PageViewCount
from pages.models import SearchTermCount

from .factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAYS_AGO = datetime.timedelta


def member_of(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def marketing_client(client, django_user_model):
    client.force_login(member_of(django_user_model, "Marketing editors", "marketing"))
    return client


def dashboard(client) -> BeautifulSoup:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section(page: BeautifulSoup, heading: str):
    (found,) = [
        s for s in page.select("#marketing-this-week-section section") if s.h3.get_text() == heading
    ]
    return found


def lines(page: BeautifulSoup, heading: str) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in section(page, heading).select("tbody tr")
    ]


def views(page, language: str, number: int, days_ago: int = 0, referrer: str = "direct"):
    PageViewCount.objects.create(
        day=TODAY() - DAYS_AGO(days=days_ago),
        page=page,
        language=language,
        referrer=referrer,
        views=number,
    )


def requests_from(page, language: str, number: int, days_ago: int = 0, **fields) -> None:
    for _n in range(number):
        request = ConsultationRequestFactory(source_page=page, source_language=language, **fields)
        created = start_of(TODAY() - DAYS_AGO(days=days_ago)) + datetime.timedelta(hours=10)
        ConsultationRequest.objects.filter(pk=request.pk).update(created_at=created)


def searched(term: str, language: str, searches: int, results: int = 0, days_ago: int = 0):
    SearchTermCount.objects.create(
        day=TODAY() - DAYS_AGO(days=days_ago),
        language=language,
        term=term,
        searches=searches,
        results=results,
    )


def answers(page, language: str, yes: int, no: int, days_ago: int = 0) -> None:
    day = TODAY() - DAYS_AGO(days=days_ago)
    for helpful in [True] * yes + [False] * no:
        PageFeedback.objects.create(page=page, language=language, day=day, helpful=helpful)


@pytest.fixture
def this_week(clinic_site):
    """A week of counts of every kind, and older ones the panel must leave out."""
    site = clinic_site
    views(site.condition, "en", 30)
    views(site.condition, "en", 12, days_ago=6, referrer="search")
    views(site.treatment, "en", 25, days_ago=3)
    views(site.physician, "es", 8)
    views(site.home, "fr", 5)
    views(site.contact, "en", 3)
    views(site.privacy, "en", 1)
    views(site.privacy, "en", 500, days_ago=7)  # last week
    requests_from(site.condition, "en", 3)
    requests_from(site.treatment, "es", 2, days_ago=6)
    requests_from(site.physician, "en", 1)
    requests_from(site.home, "en", 9, days_ago=8)  # last week
    requests_from(site.contact, "en", 4, status=ConsultationRequest.Status.SPAM)
    searched("parálisis", "es", 7)
    searched("parálisis", "es", 2, days_ago=5)
    searched("bell", "en", 4, results=3)  # found something
    searched("tic", "fr", 3)
    searched("old", "en", 50, days_ago=9)  # last week
    answers(site.condition, "en", yes=1, no=3)  # 25 %
    answers(site.treatment, "en", yes=2, no=1)  # 67 %
    answers(site.physician, "en", yes=0, no=2)  # too few answers
    answers(site.home, "en", yes=0, no=5, days_ago=10)  # last week
    return site


def test_a_marketing_editor_sees_this_weeks_numbers(marketing_client, this_week):
    page = dashboard(marketing_client)
    assert page.select_one("#marketing-this-week-section")
    assert lines(page, "Top pages") == [
        ["Synkinesis", "English", "42"],
        ["Botulinum toxin injections", "English", "25"],
        ["Dr Ana Rivera", "Spanish", "8"],
        [this_week.home.title, "French", "5"],
        [this_week.contact.title, "English", "3"],
    ]
    assert lines(page, "Requests by source page") == [
        ["Synkinesis", "English", "3"],
        ["Botulinum toxin injections", "Spanish", "2"],
        ["Dr Ana Rivera", "English", "1"],
    ]
    assert lines(page, "Searches with no results") == [
        ["parálisis", "Spanish", "9"],
        ["tic", "French", "3"],
    ]
    assert lines(page, "Least helpful pages") == [
        ["Synkinesis", "English", "25% of 4 answers"],
        ["Botulinum toxin injections", "English", "67% of 3 answers"],
    ]


def test_each_page_links_to_its_editor_and_each_list_to_its_report(marketing_client, this_week):
    page = dashboard(marketing_client)
    top = section(page, "Top pages")
    edit = reverse("wagtailadmin_pages:edit", args=[this_week.condition.pk])
    assert top.select_one("td.title a")["href"] == edit
    assert top.select_one(".marketing-panel__more a")["href"] == reverse("page_views")
    reports = {
        "Requests by source page": "request_sources",
        "Searches with no results": "site_searches",
        "Least helpful pages": "page_feedback_report",
    }
    for heading, name in reports.items():
        link = section(page, heading).select_one(".marketing-panel__more a")
        assert link["href"] == reverse(name), heading


def test_a_report_not_installed_has_no_link(marketing_client, this_week, monkeypatch):
    monkeypatch.setattr("appointments.marketing_panel.SEARCH_TERMS_REPORT", "no_such_report")
    page = dashboard(marketing_client)
    assert section(page, "Searches with no results").select(".marketing-panel__more") == []
    assert section(page, "Top pages").select(".marketing-panel__more a")


def test_empty_lists_say_what_will_appear_there(marketing_client, clinic_site):
    page = dashboard(marketing_client)
    texts = {
        heading: section(page, heading).get_text(" ", strip=True)
        for heading in (
            "Top pages",
            "Requests by source page",
            "Searches with no results",
            "Least helpful pages",
        )
    }
    assert "The pages read most will appear here." in texts["Top pages"]
    assert (
        "visitors followed to send a request will appear here" in texts["Requests by source page"]
    )
    assert "Search terms that find nothing will appear here." in texts["Searches with no results"]
    assert "lowest share of “yes” will appear here" in texts["Least helpful pages"]


def test_superusers_see_the_panel(client, django_user_model, this_week):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    assert dashboard(client).select_one("#marketing-this-week-section")


@pytest.mark.parametrize(
    "group", ["Translators (Spanish)", "Physicians (clinical review)", "Intake staff"]
)
def test_translators_physicians_and_intake_staff_do_not_see_it(
    client, django_user_model, this_week, group
):
    client.force_login(member_of(django_user_model, group, "someone"))
    page = dashboard(client)
    assert page.select_one("#marketing-this-week-section") is None
    assert "parálisis" not in str(page)


def test_the_panel_costs_the_same_queries_however_many_counts(marketing_client, clinic_site):
    site = clinic_site
    views(site.condition, "en", 1)
    dashboard(marketing_client)  # the session and caches settle
    with CaptureQueriesContext(connection) as with_few:
        dashboard(marketing_client)
    for days_ago in range(7):
        for page in site.all_pages():
            views(page, "en", days_ago + 1, days_ago=days_ago, referrer="site")
            answers(page, "en", yes=1, no=2, days_ago=days_ago)
            searched(f"term {page.pk} {days_ago}", "en", 2, days_ago=days_ago)
        requests_from(site.condition, "en", 2, days_ago=days_ago)
        requests_from(site.treatment, "es", 1, days_ago=days_ago)
    with CaptureQueriesContext(connection) as with_many:
        page = dashboard(marketing_client)
    assert len(lines(page, "Top pages")) == 5
    assert len(lines(page, "Least helpful pages")) == 5
    assert len(with_many) == len(with_few)
    panel_queries = [
        query["sql"]
        for query in with_many.captured_queries
        if any(
            table in query["sql"]
            for table in (
                "core_pageviewcount",
                "pages_searchtermcount",
                "appointments_pagefeedback",
                '"source_page_id"',
            )
        )
    ]
    assert len(panel_queries) == 4
