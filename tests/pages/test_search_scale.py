"""The site search costs the same however large the site grows (pages.search): it reads the best
101 results in one query, without counting every match, offers ten pages of ten and says "More
than 100 results" when there are more; the results are kept in the cache per search, language,
site and content generation, so the next page and the same search again run no search query.

And it finds what it found before: the same pages in the same order as the unlimited search
(``pages.search.find``, evaluated in full here), in English, Spanish and French, for full-text
searches, a search that only the similar titles answer, and a search that finds nothing: on the
small clinic with demo-like pages, and on the demo clinic itself."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from core import analytics
from pages.models.search_terms import COUNTER
from pages.search import find, searchable_pages
from tests.factories.pages import ConditionPageFactory, TreatmentPageFactory
from tests.i18n.conftest import translate  # noqa: F401 (the fixture, used by name)

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}

# The demo's kind of content: conditions and treatments of the facial nerve, whose names share
# words ("facial", "nerve"), so that the ranking decides the order.
CONDITIONS = {
    "Facial paralysis": "Weakness of the facial nerve on one side of the face.",
    "Bell's palsy": "Sudden facial nerve weakness, most often recovering in months.",
    "Hemifacial spasm": "Twitching of the muscles the facial nerve moves.",
}
TREATMENTS = {
    "Nerve transfer surgery": "A working nerve is joined to the facial nerve.",
    "Facial retraining therapy": "Exercises that teach the face to move evenly again.",
    "Selective neurolysis": "Releasing the nerve branches that pull against a smile.",
}
SPANISH = {
    "Synkinesis": "Sincinesia",
    "Facial paralysis": "Parálisis facial",
    "Bell's palsy": "Parálisis de Bell",
    "Hemifacial spasm": "Espasmo hemifacial",
    "Nerve transfer surgery": "Cirugía de transferencia nerviosa",
    "Facial retraining therapy": "Terapia de reeducación facial",
    "Selective neurolysis": "Neurólisis selectiva",
    "Conditions": "Afecciones",
    "Treatments": "Tratamientos",
}
FRENCH = {
    "Synkinesis": "Syncinésie",
    "Facial paralysis": "Paralysie faciale",
    "Bell's palsy": "Paralysie de Bell",
    "Hemifacial spasm": "Spasme hémifacial",
    "Nerve transfer surgery": "Chirurgie de transfert nerveux",
    "Facial retraining therapy": "Rééducation faciale",
    "Selective neurolysis": "Neurolyse sélective",
    "Conditions": "Affections",
    "Treatments": "Traitements",
}
TRANSLATIONS = {"es": SPANISH, "fr": FRENCH}

# What patients type: words of many pages, a title, a name, missing accents and typos (which
# only the similar titles answer), and nothing the site has.
SEARCHES = {
    "en": ["facial nerve", "nerve", "paralysis", "facial", "Ana Rivera", "synkenesis", "xylophone"],
    "es": ["facial", "paralisis facial", "parálisis", "nerviosa", "sincinecia", "xylophone"],
    "fr": ["faciale", "paralysie", "nerveux", "syncinesie", "xylophone"],
}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI always runs it there")


@pytest.fixture(autouse=True)
def empty_tally():
    """Each test counts from nothing: the tally is the process's, shared by every test."""
    analytics.tally.take()
    yield
    analytics.tally.take()


@pytest.fixture
def demo_like_site(clinic_site, translate):  # noqa: F811 (the imported fixture)
    """The small clinic with three more conditions and treatments, in English, Spanish and
    French, translated the way wagtail-localize does."""
    conditions = [
        ConditionPageFactory(
            parent=clinic_site.conditions, title=title, summary=summary, image=None
        )
        for title, summary in CONDITIONS.items()
    ]
    treatments = [
        TreatmentPageFactory(parent=clinic_site.treatments, title=title, summary=summary)
        for title, summary in TREATMENTS.items()
    ]
    for language, names in TRANSLATIONS.items():
        for page in (clinic_site.home, clinic_site.conditions, clinic_site.treatments):
            translate(page, language, names)
        translate(clinic_site.physicians, language, names)
        translate(clinic_site.physician, language, names)
        for page in (clinic_site.treatment, clinic_site.condition, *conditions, *treatments):
            translate(page, language, names)
    return clinic_site


def unlimited_search(language: str, query: str) -> list[str]:
    """The addresses the search found before it had a limit: every match, in order."""
    with translation.override(language):
        locale = Locale.get_active()
        return [page.url for page in find(searchable_pages(locale), query)]


def search(client, language: str, query: str, **params) -> BeautifulSoup:
    response = client.get(f"/{language}/search/", {"q": query, **params}, headers=BROWSER)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_urls(html: BeautifulSoup) -> list[str]:
    return [link["href"] for link in html.select(".search-results h2 a")]


def status(html: BeautifulSoup) -> str:
    return " ".join(html.select_one("[role=status]").get_text().split())


def search_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries that searched: those that read the search index or compared titles."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if "indexentry" in query["sql"].lower() or "f_unaccent" in query["sql"].lower()
    ]


def test_results_and_their_order_are_those_of_the_unlimited_search(
    client, demo_like_site, postgresql
):
    found_something = 0
    for language, queries in SEARCHES.items():
        for query in queries:
            expected = unlimited_search(language, query)
            html = search(client, language, query)
            assert result_urls(html) == expected[:10], (language, query)
            assert all(url.startswith(f"/{language}/") for url in expected)
            found_something += bool(expected)
    # The searches do find pages, and the ones meant to find nothing find nothing.
    assert found_something == sum(len(queries) for queries in SEARCHES.values()) - 3
    assert unlimited_search("en", "xylophone") == []


def test_the_similar_titles_answer_a_typo_in_the_same_order(client, demo_like_site, postgresql):
    """ "synkenesis" finds nothing in full text; the titles like it answer, as before."""
    with translation.override("en"):
        locale = Locale.get_active()
        assert not searchable_pages(locale).search("synkenesis").count()
    expected = unlimited_search("en", "synkenesis")
    assert expected and expected[0] == demo_like_site.condition.url
    assert result_urls(search(client, "en", "synkenesis")) == expected


def test_a_search_that_finds_nothing_says_so_and_suggests_a_spelling(client, demo_like_site):
    html = search(client, "en", "sinkinesys")
    assert result_urls(html) == []
    assert status(html) == "0 results for “sinkinesys”"
    assert html.select_one(".search-suggestion a").get_text() == "synkinesis"


def test_results_over_several_pages_keep_the_order_of_the_unlimited_search(client, clinic_site):
    # 25 treatments alike: their ranks tie, and the order between them must still be the same.
    for number in range(25):
        TreatmentPageFactory(parent=clinic_site.treatments, title=f"Nerve graft {number}")
    expected = unlimited_search("en", "nerve graft")
    assert len(expected) == 25
    shown = []
    for page in (1, 2, 3):
        html = search(client, "en", "nerve graft", page=page)
        assert status(html) == "25 results for “nerve graft”"
        shown += result_urls(html)
    assert shown == expected


@pytest.fixture
def many_results(clinic_site):
    """120 treatments that a search for "nerve" finds."""
    for number in range(120):
        TreatmentPageFactory(
            parent=clinic_site.treatments, title=f"Nerve repair {number}", summary="A nerve repair."
        )
    return clinic_site


def test_more_than_100_results_are_read_in_one_search_query_without_counting(client, many_results):
    search(client, "en", "xylophone")  # fills the cache of the header and footer
    analytics.tally.take()
    with CaptureQueriesContext(connection) as queries:
        html = search(client, "en", "nerve")
    # The language (read again to count the term), the search, the page's ten results: as with
    # a handful of pages.
    assert len(queries) == 4, [query["sql"][:80] for query in queries.captured_queries]
    assert status(html) == "More than 100 results for “nerve”"
    assert len(result_urls(html)) == 10
    assert "Page 1 of 10" in html.select_one(".pagination").get_text()
    assert len(search_queries(queries)) == 1
    assert re.search(r"\bLIMIT 101\b", search_queries(queries)[0])
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The results are read with their own types in one query: their descriptions show.
    assert html.select_one(".search-results p:not(.search-results__type)").get_text() == (
        "A nerve repair."
    )
    # Counted with 101: "more than 100" (pages.search.count_search).
    [(_key, (searches, latest))] = analytics.tally.take()[COUNTER].items()
    assert (searches, latest) == (1, 101)


def test_the_tenth_page_is_the_last_offered(client, many_results):
    expected = unlimited_search("en", "nerve")
    assert len(expected) > 110  # the 120, and pages of the small clinic about nerves
    html = search(client, "en", "nerve", page=10)
    assert result_urls(html) == expected[90:100]
    assert "Page 10 of 10" in html.select_one(".pagination").get_text()
    assert not html.select_one(".pagination a[rel=next]")
    # A page past the tenth shows the tenth, as a paginator does.
    assert result_urls(search(client, "en", "nerve", page=11)) == expected[90:100]


def test_the_same_search_again_and_its_next_page_run_no_search_query(client, clinic_site):
    for number in range(15):
        TreatmentPageFactory(parent=clinic_site.treatments, title=f"Nerve repair {number}")
    first = result_urls(search(client, "en", "Nerve  REPAIR"))
    with CaptureQueriesContext(connection) as queries:
        again = result_urls(search(client, "en", "nerve repair"))
        second_page = result_urls(search(client, "en", "nerve repair", page=2))
    assert again == first
    assert len(second_page) == 5 and not set(second_page) & set(first)
    assert search_queries(queries) == []
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # Each page of results reads its own pages, and nothing else grows with them.
    assert len(queries) <= 2 * 4


def test_a_publish_starts_new_results(client, clinic_site, django_capture_on_commit_callbacks):
    assert result_urls(search(client, "en", "graft")) == []
    treatment = clinic_site.treatment
    treatment.title = "Nerve graft"
    with django_capture_on_commit_callbacks(execute=True):
        treatment.save_revision().publish()
    assert result_urls(search(client, "en", "graft")) == [treatment.url]


def test_the_same_term_is_kept_apart_in_each_language(client, clinic_site, translate):  # noqa: F811
    translate(clinic_site.home, "es")
    translate(clinic_site.conditions, "es")
    spanish = translate(clinic_site.condition, "es", prefix="ES ")
    assert spanish.title == "ES Synkinesis"
    english = result_urls(search(client, "en", "synkinesis"))
    with CaptureQueriesContext(connection) as queries:
        in_spanish = result_urls(search(client, "es", "synkinesis"))
    assert english[0] == clinic_site.condition.url
    assert in_spanish[0] == spanish.url
    assert all(url.startswith("/en/") for url in english)
    assert all(url.startswith("/es/") for url in in_spanish)
    assert len(search_queries(queries)) == 1  # not the English results, from the cache


def test_the_cache_keys_do_not_hold_the_search_term(client, clinic_site):
    search(client, "en", "synkinesis")
    keys = list(caches["pages"]._cache)  # the test settings' memory cache
    assert any("search-results:" in key for key in keys)
    assert not [key for key in keys if "synkinesis" in key.lower()]


# What patients would type on the demo clinic's site: many pages' words, a title, a physician,
# missing accents, typos the similar titles answer, and nothing the site has.
DEMO_SEARCHES = {
    "en": ["nerve", "facial", "facial paralysis", "botox", "Trevane", "synkenesis", "xylophone"],
    "es": ["facial", "paralisis", "nervios", "toxina botulinica", "sincinecia", "xylophone"],
    "fr": ["faciale", "paralysie", "nerveux", "syncinesie", "chirurgie", "xylophone"],
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_clinics_results_and_their_order_are_those_of_the_unlimited_search(
    client, demo_content
):
    found_something = 0
    for language, queries in DEMO_SEARCHES.items():
        for query in queries:
            expected = unlimited_search(language, query)
            shown = []
            for page in range(1, len(expected) // 10 + 2):
                shown += result_urls(search(client, language, query, page=page))
            assert shown == expected, (language, query)
            found_something += bool(expected)
    # Only the three searches for "xylophone" find nothing; "facial" fills two pages.
    assert found_something == sum(len(queries) for queries in DEMO_SEARCHES.values()) - 3
    assert len(unlimited_search("en", "facial")) > 10
