"""Search forgives a patient's spelling, in the visitor's language only: missing accents and typos
find the page on PostgreSQL, and a search that finds nothing suggests the spelling the site uses,
as a link that runs that search. On SQLite the search stays plain full-text search (whose
tokenizer already ignores accents), with the same suggestions."""

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.models import Locale, Page

from pages.search import suggest, vocabulary
from tests.factories.pages import ConditionPageFactory

pytestmark = pytest.mark.django_db

SPANISH = {
    "Synkinesis": "Sincinesia",
    "Facial paralysis": "Parálisis facial",
    "Conditions": "Afecciones",
}
FRENCH = {
    "Synkinesis": "Syncinésie",
    "Facial paralysis": "Paralysie faciale",
    "Conditions": "Affections",
}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI always runs it there")


@dataclass
class Conditions:
    """Synkinesis and facial paralysis, in English, Spanish and French."""

    synkinesis: dict[str, Page]
    paralysis: dict[str, Page]


@pytest.fixture
def conditions(clinic_site, translate) -> Conditions:
    paralysis = ConditionPageFactory(parent=clinic_site.conditions, title="Facial paralysis")
    synkinesis: dict[str, Page] = {"en": clinic_site.condition}
    paralyses: dict[str, Page] = {"en": paralysis}
    for language, names in (("es", SPANISH), ("fr", FRENCH)):
        translate(clinic_site.home, language, names)
        translate(clinic_site.conditions, language, names)
        synkinesis[language] = translate(clinic_site.condition, language, names)
        paralyses[language] = translate(paralysis, language, names)
    return Conditions(synkinesis=synkinesis, paralysis=paralyses)


@dataclass
class Answer:
    results: list[str]
    suggestion: BeautifulSoup | None


def search(client, language: str, query: str) -> Answer:
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    return Answer(
        results=[a["href"] for a in html.select(".search-results h2 a")],
        suggestion=html.select_one(".search-suggestion a"),
    )


def test_spanish_search_without_accents_finds_paralisis_facial(client, conditions, postgresql):
    answer = search(client, "es", "paralisis facial")
    assert answer.results[0] == conditions.paralysis["es"].url
    assert conditions.paralysis["es"].title == "Parálisis facial"
    assert all(url.startswith("/es/") for url in answer.results)


def test_english_search_with_a_typo_finds_synkinesis(client, conditions, postgresql):
    answer = search(client, "en", "synkenesis")
    assert answer.results[0] == conditions.synkinesis["en"].url
    assert all(url.startswith("/en/") for url in answer.results)


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("es", "sincinecia"),  # a typo of "sincinesia"
        ("es", "SINCINESIA"),
        ("fr", "syncinesie"),  # the accent left out
        ("fr", "sincinésie"),  # a typo of "syncinésie"
    ],
)
def test_each_language_finds_its_own_spelling_of_synkinesis_typed_wrong(
    client, conditions, postgresql, language, query
):
    answer = search(client, language, query)
    assert answer.results[0] == conditions.synkinesis[language].url
    assert all(url.startswith(f"/{language}/") for url in answer.results)


def test_forgiving_search_shows_only_live_pages_of_the_visitors_language(
    client, conditions, postgresql
):
    # Spanish words on the English site find the English page, never the Spanish one.
    english = search(client, "en", "parálisis facial").results
    assert english[0] == conditions.paralysis["en"].url
    assert all(url.startswith("/en/") for url in english)
    conditions.paralysis["es"].unpublish()
    assert conditions.paralysis["es"].url not in search(client, "es", "paralisis facial").results


@pytest.mark.parametrize(
    ("language", "query", "suggested"),
    [
        ("en", "sinkinesys", "synkinesis"),
        ("es", "sinkinesya", "sincinesia"),
        ("fr", "synkinésye", "syncinésie"),
    ],
)
def test_a_search_that_finds_nothing_suggests_the_sites_spelling_as_a_link(
    client, conditions, language, query, suggested
):
    answer = search(client, language, query)
    assert answer.results == []
    assert answer.suggestion is not None, "no “did you mean” suggestion"
    assert answer.suggestion.get_text() == suggested
    # The link runs the suggested search, in the same language, and that finds the page.
    response = client.get(answer.suggestion["href"])
    assert answer.suggestion["href"].startswith(f"/{language}/search/?")
    assert response.wsgi_request.GET["q"] == suggested
    html = BeautifulSoup(response.content, "html.parser")
    found = [a["href"] for a in html.select(".search-results h2 a")]
    assert conditions.synkinesis[language].url in found


def test_suggestions_come_from_the_titles_of_pages_live_now(clinic_site):
    english = Locale.objects.get(language_code="en")
    assert suggest("blefarospasm", vocabulary(None, english)) is None
    # Created live: the site's content generation changes, and with it the words.
    ConditionPageFactory(parent=clinic_site.conditions, title="Blepharospasm")
    assert suggest("blefarospasm", vocabulary(None, english)) == "blepharospasm"
    ConditionPageFactory(parent=clinic_site.conditions, title="Hemifacial spasm", live=False)
    assert suggest("hemifacail", vocabulary(None, english)) is None


def test_no_suggestion_when_nothing_on_the_site_is_close(client, clinic_site):
    answer = search(client, "en", "zzzzqqq")
    assert answer.results == []
    assert answer.suggestion is None


def test_every_database_finds_words_without_their_accents_and_helps_with_a_typo(client, conditions):
    assert search(client, "en", "synkinesis").results[0] == conditions.synkinesis["en"].url
    # PostgreSQL's search configuration and SQLite's FTS5 tokenizer both leave accents out.
    assert search(client, "es", "paralisis facial").results == [conditions.paralysis["es"].url]
    answer = search(client, "en", "synkenesis")
    if connection.vendor == "sqlite":
        # No trigrams there: the typo finds nothing, without an error, and the suggestion does.
        assert answer.results == []
        assert answer.suggestion.get_text() == "synkinesis"
    else:
        assert answer.results == [conditions.synkinesis["en"].url]
