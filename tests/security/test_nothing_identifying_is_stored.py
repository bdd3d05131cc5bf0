"""Nothing identifying is stored: after visits whose user agent, referrer, query string and
forwarded client address each carry a distinctive marker (page views served by Wagtail and from
the page cache, a site search, a consultation request, the page feedback) and a flush of the
counts, no column of any table in the database holds any of the markers.

The visits are a list of callables (:data:`VISITS`): a feature that takes something from a
visitor adds its own visit there, and is held to the same proof."""

from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from appointments.models import ConsultationRequest
from core import analytics
from core.models import PageViewCount
from pages.models import SearchTermCount
from tests.appointments.helpers import consultation_data

pytestmark = pytest.mark.django_db

USER_AGENT = "Mozilla/5.0 MARKER-UA-7f3a"
REFERRER = "https://referrer-marker-91c2.example/path?q=MARKER-REF"
QUERY = {"utm_source": "MARKER-QS-55d1", "x": "MARKER-QS-55d1"}
FORWARDED_FOR = "203.0.113.77"
# What must appear nowhere, compared without regard to case (a utm_source is kept lower case).
MARKERS = ("marker", "203.0.113.77", "referrer-marker")
# A search whose own text is not a marker: search terms are kept, by design, aggregated.
SEARCH_TERM = "synkinesis"


def with_markers(url: str, **query: str) -> str:
    return f"{url}?{urlencode({**query, **QUERY})}"


@pytest.fixture
def marked_client(settings) -> Client:
    """A browser whose every request carries the markers, behind one proxy the site believes,
    so that the forwarded address is the one the site takes for the visitor's."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["marker-qs-55d1"]  # even a listed source: a category
    return Client(
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_REFERER=REFERRER,
        HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
        REMOTE_ADDR="127.0.0.1",
    )


def view_pages_uncached_and_cached(client: Client, site) -> None:
    for page in (site.home, site.condition, site.physician, site.treatment):
        # With a query string, then without: rendered by Wagtail, then kept by the page cache.
        for url in (with_markers(page.url), page.url):
            assert client.get(url).status_code == 200, url
        again = client.get(page.url)  # from the page cache, the markers still in the headers
        assert again["X-Cache"] == "hit", page.url
    assert client.get(with_markers("/en/no-such-page/")).status_code == 404


def search_the_site(client: Client, site) -> None:
    response = client.get(with_markers("/en/search/", q=SEARCH_TERM))
    assert response.status_code == 200


def send_a_consultation_request(client: Client, site) -> None:
    page = site.consultation_page
    form = client.get(with_markers(page.url, **{"from": str(site.condition.pk)}))
    assert form.status_code == 200
    data = consultation_data(from_page=str(site.condition.pk), from_category="MARKER-CATEGORY")
    response = client.post(with_markers(page.url), data)
    assert response.status_code == 302, response.content[:2000]


def feedback_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def answer_was_this_page_helpful(client: Client, site) -> None:
    """ "Was this page helpful?", when the site has it (appointments.feedback): No, then a
    comment (a visitor's own words are kept, masked; the markers travel in the request)."""
    answer_url, comment_url = feedback_url("page_feedback"), feedback_url("page_feedback_comment")
    if answer_url is None:
        return  # Not on this site: this visit is then a no-op, the others still prove the rest.
    same_origin = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    data = {"page": str(site.condition.pk), "helpful": "no", "website": ""}
    response = client.post(with_markers(answer_url), data, **same_origin)
    assert response.status_code == 200
    token = response.content.decode().split('name="token" value="', 1)[1].split('"', 1)[0]
    data = {"token": token, "comment": "The diagrams were hard to read.", "action": "send"}
    assert client.post(with_markers(comment_url), data, **same_origin).status_code == 200


# Everything a visitor can do that might leave a trace; add a feature's own visit here.
VISITS: list[Callable[[Client, SimpleNamespace], None]] = [
    view_pages_uncached_and_cached,
    search_the_site,
    send_a_consultation_request,
    answer_was_this_page_helpful,
]


def text_columns() -> list[tuple[str, str]]:
    """Every column of every table, as (table, column): each is read cast to text, so that a
    number, a date or a JSON document is searched as well as a string."""
    with connection.cursor() as cursor:
        return [
            (table, column.name)
            for table in connection.introspection.table_names(cursor)
            for column in connection.introspection.get_table_description(cursor, table)
        ]


def columns_holding(markers: tuple[str, ...]) -> dict[str, list[str]]:
    """Where in the database each marker is found, as "table.column" by marker."""
    quote = connection.ops.quote_name
    patterns = [f"%{marker.lower()}%" for marker in markers]
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table, column in text_columns():
            value = f"LOWER(CAST({quote(column)} AS TEXT))"
            matches = " OR ".join([f"{value} LIKE %s"] * len(patterns))
            cursor.execute(
                f"SELECT {value} FROM {quote(table)} WHERE {matches} LIMIT 10",
                patterns,
            )
            for (text,) in cursor.fetchall():
                for marker in markers:
                    if marker.lower() in text:
                        found.setdefault(marker, []).append(f"{table}.{column}")
    return found


def sessions_holding(markers: tuple[str, ...]) -> list[str]:
    """The session store is encoded, so a text search cannot see into it: decoded here."""
    return [
        marker
        for session in Session.objects.all()
        for marker in markers
        if marker.lower() in str(session.get_decoded()).lower()
    ]


def test_the_database_search_finds_a_marker_wherever_it_is_stored(clinic_site):
    """The gate can fail: a marker in a page's title, or in a session, is found."""
    clinic_site.privacy.title = f"Privacy {USER_AGENT}"
    clinic_site.privacy.save()
    assert "wagtailcore_page.title" in columns_holding(MARKERS)["marker"]
    session = Session.objects.create(
        session_key="k" * 32,
        session_data=Session.objects.encode({"ua": USER_AGENT}),
        expire_date="2999-01-01T00:00:00Z",
    )
    assert sessions_holding(MARKERS) == ["marker"]
    session.delete()


def test_no_table_keeps_a_visitors_user_agent_referrer_query_string_or_address(
    clinic_site, consultation_page, marked_client, open_forms
):
    assert columns_holding(MARKERS) == {}
    site = SimpleNamespace(**vars(clinic_site), consultation_page=consultation_page)

    for visit in VISITS:
        visit(marked_client, site)
    analytics.flush()

    assert columns_holding(MARKERS) == {}
    assert sessions_holding(MARKERS) == []
    # The visits were recorded, so the search had something to look at.
    assert PageViewCount.objects.filter(page=clinic_site.condition).exists()
    assert SearchTermCount.objects.filter(term=SEARCH_TERM).exists()
    assert ConsultationRequest.objects.filter(source_page=clinic_site.condition).exists()
