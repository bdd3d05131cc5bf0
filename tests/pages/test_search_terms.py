"""Site-search terms, counted per day and language without keeping a search (pages.search,
pages.models.search_terms), the "Site searches" report marketing editors read and export, and
the promoted result they make of a term that found nothing."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from core import analytics
from core.view_counts import months_before
from pages.models import SearchTermCount
from pages.models.search_terms import purge_search_terms, write_counts
from pages.search import search_term
from pages.translation_setup import REVIEWER_GROUP

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
TODAY = timezone.localdate()
MARKETING = "Marketing editors"


@pytest.fixture(autouse=True)
def empty_tally():
    """Each test counts from nothing: the tally is the process's, shared by every test."""
    analytics.tally.take()
    yield
    analytics.tally.take()


def search(client, query: str, language: str = "en", **params):
    response = client.get(f"/{language}/search/", {"q": query, **params}, headers=BROWSER)
    assert response.status_code == 200
    return response


def rows() -> list[tuple]:
    return sorted(
        SearchTermCount.objects.values_list("language", "term", "searches", "results"),
    )


def member_of(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def report(client, **params):
    return client.get(reverse("site_searches"), params)


def csv_lines(client, **params) -> list[str]:
    response = report(client, export="csv", **params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode().splitlines()


# --- counting ---------------------------------------------------------------------------------


def test_searches_for_the_same_term_add_up_in_one_row(client, clinic_site):
    for query in (" Synkinesis ", "synkinesis", "SYNKINESIS"):
        html = search(client, query).content.decode()
    shown = int(re.search(r'role="status">(\d+) results? for', html).group(1))
    analytics.flush()
    assert shown > 0
    assert rows() == [("en", "synkinesis", 3, shown)]


def test_counts_flushed_twice_add_up_and_keep_the_latest_results(db):
    key = (TODAY, "en", "facial palsy")
    write_counts({key: (2, 5)})
    write_counts({key: (3, 0), (TODAY, "es", "parálisis"): (1, 4)})
    assert rows() == [("en", "facial palsy", 5, 0), ("es", "parálisis", 1, 4)]


def test_a_spanish_search_that_finds_nothing_is_counted_under_spanish(client, clinic_site):
    search(client, "Parálisis   de Bell", language="es")
    analytics.flush()
    assert rows() == [("es", "parálisis de bell", 1, 0)]


def test_browsers_asking_not_to_be_tracked_and_robots_are_not_counted(client, clinic_site):
    client.get("/en/search/", {"q": "synkinesis"}, headers={**BROWSER, "Sec-GPC": "1"})
    client.get("/en/search/", {"q": "synkinesis"}, headers={"User-Agent": "Googlebot/2.1"})
    client.get("/en/search/", {"q": "synkinesis"})  # no user agent at all
    analytics.flush()
    assert rows() == []


def test_phone_numbers_and_email_addresses_in_a_search_are_masked(client, clinic_site):
    search(client, "call me 555 123 4567 or Ana.Rivera@example.org")
    analytics.flush()
    [(_language, term, _searches, _results)] = rows()
    assert term == "call me [phone] or [e-mail]"
    assert "4567" not in term
    assert "example.org" not in term


def test_later_pages_of_a_search_and_empty_searches_are_not_counted(client, clinic_site):
    search(client, "synkinesis", page="2")
    search(client, "   ")
    analytics.flush()
    assert rows() == []


def test_a_term_is_folded_composed_and_cut_to_100_characters():
    decomposed = "Pa\u0301ralisis"  # "á" typed as "a" and a combining accent
    assert search_term(decomposed) == "p\u00e1ralisis"
    assert search_term("Straße\t\n Bell") == "strasse bell"
    assert search_term("a" * 150) == "a" * 100


def test_a_search_writes_nothing_to_the_database(client, clinic_site):
    search(client, "synkinesis")  # the first search fills the caches of the header and footer
    with CaptureQueriesContext(connection) as queries:
        search(client, "nothing like it")
        search(client, "synkinesis")
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert analytics.flush() == 2


# --- the report -------------------------------------------------------------------------------


@pytest.fixture
def counts(db):
    """Searches of the last days and one of two months ago."""
    write_counts(
        {
            (TODAY, "en", "synkinesis"): (7, 1),
            (TODAY, "en", "parking"): (2, 0),
            (TODAY - datetime.timedelta(days=1), "es", "parálisis de bell"): (3, 0),
            (TODAY - datetime.timedelta(days=60), "en", "old term"): (9, 0),
        }
    )


def test_report_lists_the_terms_that_found_nothing_first(admin_client, counts):
    lines = csv_lines(admin_client)
    assert lines == [
        "Search term,Language,Searches,Results (latest search)",
        "parálisis de bell,Spanish,3,0",
        "parking,English,2,0",
        "synkinesis,English,7,1",
    ]


def test_a_spanish_search_that_found_nothing_shows_for_spanish_only(
    client, admin_user, clinic_site
):
    search(client, "xyzzy", language="es")
    analytics.flush()
    client.force_login(admin_user)
    assert csv_lines(client, language="es")[1:] == ["xyzzy,Spanish,1,0"]
    assert csv_lines(client, language="en")[1:] == []
    assert csv_lines(client)[1:] == ["xyzzy,Spanish,1,0"]
    html = report(client, language="es").content.decode()
    assert "xyzzy" in html
    assert "Promote a page" in html


def test_report_filters_by_date(admin_client, counts):
    old = (TODAY - datetime.timedelta(days=60)).isoformat()
    assert csv_lines(admin_client, day_from=old, day_to=old)[1:] == ["old term,English,9,0"]
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    lines = csv_lines(admin_client, day_from=yesterday, day_to=yesterday)
    assert lines[1:] == ["parálisis de bell,Spanish,3,0"]


def test_report_adds_up_the_days_and_shows_the_latest_results(admin_client, db):
    write_counts({(TODAY - datetime.timedelta(days=2), "en", "botox"): (4, 0)})
    write_counts({(TODAY, "en", "botox"): (1, 2)})
    assert csv_lines(admin_client)[1:] == ["botox,English,5,2"]


def test_report_exports_a_term_that_looks_like_a_formula_as_text(admin_client, db):
    write_counts({(TODAY, "en", '=hyperlink("http://x.example")'): (1, 0)})
    assert csv_lines(admin_client)[1:] == ['"\'=hyperlink(""http://x.example"")",English,1,0']


def test_report_exports_xlsx_with_the_rows(admin_client, counts):
    response = report(admin_client, export="xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Search term", "Language", "Searches", "Results (latest search)"]
    assert ["synkinesis", "English", 7, 1] in values
    assert not any("old term" in row for row in values)


@pytest.mark.parametrize(
    ("group", "allowed"),
    [(MARKETING, True), ("Translators (Spanish)", False), (REVIEWER_GROUP, False)],
)
def test_report_is_for_marketing_editors_only(client, counts, django_user_model, group, allowed):
    client.force_login(member_of(django_user_model, group, "someone"))
    response = report(client)
    assert response.status_code == (200 if allowed else 403)
    promote = client.get(reverse("search_terms_promote"), {"term": "parking"})
    assert promote.status_code == (200 if allowed else 403)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ("Site searches" in home) is allowed


# --- promoted results -------------------------------------------------------------------------


def test_a_promoted_page_shows_first_in_the_language_of_the_search(
    client, clinic_site, spanish, django_user_model
):
    # A Spanish visitor finds nothing for "parálisis de bell".
    search(client, "Parálisis de Bell", language="es")
    analytics.flush()

    # A marketing editor follows the report's link and promotes the Spanish condition page.
    editor = member_of(django_user_model, MARKETING, "marketing")
    client.force_login(editor)
    html = report(client, language="es").content.decode()
    link = reverse("search_terms_promote") + "?term=par%C3%A1lisis+de+bell"
    assert f'<a href="{link}">Promote a page</a>' in html.replace("&amp;", "&")
    form = client.get(link)
    assert form.status_code == 200
    assert 'value="parálisis de bell"' in form.content.decode()
    condition = spanish["condition"]
    response = client.post(
        reverse("wagtailsearchpromotions:add"),
        {
            "query_string": "parálisis de bell",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MIN_NUM_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-page": str(condition.pk),
            "editors_picks-0-external_link_url": "",
            "editors_picks-0-external_link_text": "",
            "editors_picks-0-description": "Lo que es y cómo se trata.",
            "editors_picks-0-ORDER": "0",
            "editors_picks-0-DELETE": "",
        },
    )
    assert response.status_code == 302
    assert SearchPromotion.objects.get().page_id == condition.pk
    # The report's link now opens the term's promoted results.
    query = Query.objects.get(query_string="parálisis de bell")
    assert client.get(link).url == reverse("wagtailsearchpromotions:edit", args=[query.pk])

    client.logout()
    html = search(client, "  PARÁLISIS de bell", language="es").content.decode()
    results = html.split('class="search-results', 1)[1]
    assert results.index(condition.url) < results.index("Recomendado")
    assert "Lo que es y cómo se trata." in html
    # The Spanish page is not promoted to visitors searching in English.
    english = search(client, "parálisis de bell").content.decode()
    assert condition.url not in english
    assert "Recommended" not in english


def test_promoted_results_show_above_the_results_without_writing_anything(client, clinic_site):
    query = Query.objects.create(query_string="synkinesis")
    SearchPromotion.objects.create(query=query, page=clinic_site.privacy, sort_order=0)
    search(client, "synkinesis")  # fills the caches, as any search before it would have
    with CaptureQueriesContext(connection) as queries:
        html = search(client, "  SYNKINESIS").content.decode()
    listed = html.split('role="status"', 1)[1]
    assert listed.index(clinic_site.privacy.url) < listed.index(clinic_site.condition.url)
    assert listed.index("Recommended") < listed.index(clinic_site.condition.url)
    assert not any(
        sql["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for sql in queries.captured_queries
    )
    assert not query.daily_hits.exists()


# --- retention --------------------------------------------------------------------------------


def test_purge_deletes_only_the_counts_older_than_the_retention(db, settings):
    settings.ANALYTICS_RETENTION_MONTHS = 25
    now = timezone.now()
    cutoff = months_before(timezone.localdate(now), 25)
    write_counts(
        {
            (cutoff - datetime.timedelta(days=1), "en", "too old"): (1, 0),
            (cutoff, "en", "just kept"): (1, 0),
            (TODAY, "es", "today"): (1, 0),
        }
    )
    assert purge_search_terms(now) == 1
    assert [term for _language, term, _s, _r in rows()] == ["just kept", "today"]
