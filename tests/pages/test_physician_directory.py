"""The physician directory: visitors filter the physicians by condition, language, site, new
patients and video visits, in their own language, with a plain form whose choices live in the
address; what a filter does not recognise is ignored and said, the count is announced, an empty
result gives the clinic's phone, and only real filters are kept in the page cache."""

import html
import json
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import PageCacheMiddleware, shows_query
from pages import models
from tests.factories.pages import (
    ImageFactory,
    LocationIndexPageFactory,
    LocationPageFactory,
    PhysicianPageFactory,
)

pytestmark = pytest.mark.django_db

NAME = re.compile(r'class="physician-teaser__name">([^<,]+)')
NOTE = "We ignored a filter we did not recognise"


def language_rows(*codes: str) -> list[models.PhysicianLanguage]:
    return [models.PhysicianLanguage(code=code) for code in codes]


def site_rows(*sites) -> list[models.PhysicianLocation]:
    return [models.PhysicianLocation(location=site) for site in sites]


def names(response) -> list[str]:
    assert response.status_code == 200
    return sorted(NAME.findall(response.content.decode()))


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def directory(clinic_site):
    """Three physicians at two sites: Ana Rivera (English and Spanish, Bayview, treats the
    condition, new patients), Ben Okafor (French, Eastbrook, video, list closed) and Cleo Park
    (English and Spanish, both sites, treats the condition, new patients and video)."""
    locations = LocationIndexPageFactory(parent=clinic_site.home)
    bayview = LocationPageFactory(parent=locations, title="Bayview", slug="bayview")
    eastbrook = LocationPageFactory(parent=locations, title="Eastbrook", slug="eastbrook")
    ana = clinic_site.physician
    ana.location_links = site_rows(bayview)
    ana.save_revision().publish()
    photo = ana.photo
    ben = PhysicianPageFactory(
        parent=clinic_site.physicians,
        name="Ben Okafor",
        photo=photo,
        spoken_languages=language_rows("fr"),
        location_links=site_rows(eastbrook),
        accepting_new_patients=False,
        offers_video_visits=True,
    )
    cleo = PhysicianPageFactory(
        parent=clinic_site.physicians,
        name="Cleo Park",
        photo=photo,
        spoken_languages=language_rows("en", "es"),
        location_links=site_rows(bayview, eastbrook),
        offers_video_visits=True,
    )
    condition = clinic_site.condition
    condition.physician_links.add(models.ConditionPhysician(physician=cleo))
    condition.save_revision().publish()
    return {"bayview": bayview, "eastbrook": eastbrook, "ben": ben, "cleo": cleo}


ALL = ["Dr Ana Rivera", "Dr Ben Okafor", "Dr Cleo Park"]
# Each filter alone and combined, and who the list shows.
CASES = [
    ({}, ALL),
    ({"condition": "synkinesis"}, ["Dr Ana Rivera", "Dr Cleo Park"]),
    ({"language": "fr"}, ["Dr Ben Okafor"]),
    ({"language": "es"}, ["Dr Ana Rivera", "Dr Cleo Park"]),
    ({"location": "eastbrook"}, ["Dr Ben Okafor", "Dr Cleo Park"]),
    ({"new_patients": "1"}, ["Dr Ana Rivera", "Dr Cleo Park"]),
    ({"video": "1"}, ["Dr Ben Okafor", "Dr Cleo Park"]),
    ({"condition": "synkinesis", "location": "eastbrook"}, ["Dr Cleo Park"]),
    ({"language": "fr", "new_patients": "1"}, []),
    ({"location": "bayview", "video": "1", "language": "es"}, ["Dr Cleo Park"]),
    # A form sent with "any" chosen in a list: no filter.
    ({"condition": "", "language": "fr", "location": ""}, ["Dr Ben Okafor"]),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_each_filter_alone_and_combined_lists_exactly_the_matching_physicians(
    client, clinic_site, directory, query, expected
):
    response = client.get(clinic_site.physicians.url, query)
    assert names(response) == expected
    assert NOTE not in text(response)


def test_spanish_visitors_filter_by_the_spanish_pages_and_read_the_spanish_names(
    client, clinic_site, directory, translate
):
    for page in (clinic_site.home, clinic_site.conditions, clinic_site.physicians):
        translate(page, "es")
    condition = translate(clinic_site.condition, "es")
    translate(directory["bayview"].get_parent(), "es")
    eastbrook = translate(directory["eastbrook"], "es")
    translate(directory["bayview"], "es")
    for physician in (clinic_site.physician, directory["ben"], directory["cleo"]):
        translate(physician, "es")
    spanish_directory = clinic_site.physicians.get_translation(condition.locale)

    for query, expected in CASES:
        response = client.get(spanish_directory.url, query)
        assert names(response) == expected, query

    response = client.get(spanish_directory.url, {"location": "eastbrook", "language": "es"})
    page = text(response)
    # The choices are the Spanish pages' titles; the languages named in Spanish.
    assert f">{condition.title}</option>" in page
    assert f">{eastbrook.title}</option>" in page
    assert re.search(r">español</option>", page, re.IGNORECASE)
    # The card's site is the Spanish page, and the consultation is asked for at the chosen site.
    assert f'href="{eastbrook.url}">{eastbrook.title}</a>' in page
    cleo = directory["cleo"].get_translation(condition.locale)
    assert f"physician={cleo.pk}&amp;location={eastbrook.pk}" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"language": "xx"},
        {"condition": "' OR 1=1 --"},
        {"location": "x" * 5000},
        {"language": ["es", "fr"]},
        {"new_patients": "yes"},
        {"video": "true"},
        {"condition": "no-such-condition"},
    ],
)
def test_an_unrecognised_filter_is_ignored_said_and_never_cached(
    client, clinic_site, directory, query
):
    url = clinic_site.physicians.url
    for _attempt in range(2):
        response = client.get(url, query)
        assert response.status_code == 200
        assert names(response) == ALL
        assert NOTE in text(response)
        assert response.headers.get("X-Cache") is None, "never stored"


def test_a_real_filter_is_cached_under_its_address_and_served_from_it_the_second_time(
    client, clinic_site, directory
):
    url = clinic_site.physicians.url
    query = {"condition": "synkinesis", "language": "es"}
    first = client.get(url, query)
    assert first.headers.get("X-Cache") == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, query)
    assert second.headers.get("X-Cache") == "hit"
    assert len(queries) == 0
    assert names(second) == ["Dr Ana Rivera", "Dr Cleo Park"]
    # The same filters in another order, or with "any" left empty, are the same entry.
    again = client.get(f"{url}?language=es&location=&condition=synkinesis")
    assert again.headers.get("X-Cache") == "hit"
    # Not the unfiltered list's.
    assert names(client.get(url)) == ALL


def test_the_filters_only_cache_where_a_page_applies_them(client, clinic_site, directory):
    # A condition page reads no filter: with one in its address it is served, never stored.
    for _attempt in range(2):
        response = client.get(clinic_site.condition.url, {"language": "es"})
        assert response.status_code == 200
        assert response.headers.get("X-Cache") is None


def test_the_page_cache_stores_only_the_exact_query_the_page_declared(rf):
    request = rf.get("/en/physicians/", {"language": "es", "page": "1"})
    assert PageCacheMiddleware.cacheable_query(request)
    shows_query(request, {"language": "es", "page": "1"})
    assert request._clinic_query == {"language": "es", "page": "1"}
    for query in (
        {"language": ["es", "fr"]},
        {"utm_source": "x"},
        {"language": "x" * 101},
        {"language": "<b>"},
        {"page": "01"},
    ):
        assert not PageCacheMiddleware.cacheable_query(rf.get("/en/physicians/", query)), query
    key = PageCacheMiddleware.key
    site = type("Site", (), {"pk": 1})()
    assert key(rf.get("/p/", {"condition": "", "language": "es", "video": "1"}), site) == key(
        rf.get("/p/?video=1&language=es"), site
    )
    assert key(rf.get("/p/?video=1"), site) != key(rf.get("/p/?video=1&language=es"), site)


def test_the_count_is_announced_and_put_in_the_title_when_filtered(client, clinic_site, directory):
    response = client.get(clinic_site.physicians.url, {"video": "1"})
    page = text(response)
    assert '<div role="status"><h2 class="directory-count">2 physicians</h2></div>' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("2 physicians")
    unfiltered = text(client.get(clinic_site.physicians.url))
    assert '<h2 class="directory-count">3 physicians</h2>' in unfiltered
    assert not re.search(r"<title>3 physicians", unfiltered)


def test_an_empty_result_suggests_removing_a_filter_and_gives_the_phone(
    client, clinic_site, directory
):
    response = client.get(clinic_site.physicians.url, {"language": "fr", "new_patients": "1"})
    page = text(response)
    assert names(response) == []
    assert '<h2 class="directory-count">0 physicians</h2>' in page
    assert "No physician matches all the filters" in page
    assert f'<a href="{clinic_site.physicians.url}">clear all the filters</a>' in page
    assert 'href="tel:' in page.split("directory-empty")[1]
    assert "555-0100" in page.split("directory-empty")[1]


def test_the_form_keeps_the_choices_and_offers_to_clear_them(client, clinic_site, directory):
    page = text(client.get(clinic_site.physicians.url, {"location": "bayview", "video": "1"}))
    assert '<option value="bayview" selected>Bayview</option>' in page
    assert 'name="video" value="1" checked' in page
    assert f'class="directory-filters__clear" href="{clinic_site.physicians.url}">Clear' in page
    # Only languages a listed physician speaks are offered.
    languages = re.search(r'name="language">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', languages) == ["en", "fr", "es"]


def test_each_card_says_languages_sites_availability_and_leads_to_a_consultation(
    client, clinic_site, directory, consultation_page
):
    response = client.get(clinic_site.physicians.url, {"condition": "synkinesis"})
    page = text(response)
    cleo = page.split('physician-teaser__name">Dr Cleo Park')[1]
    assert "English, Spanish" in cleo
    assert ">Bayview</a>, <a" in cleo and ">Eastbrook</a>" in cleo
    assert "Accepting new patients" in cleo and "Video visits available" in cleo
    # Without a chosen site, the consultation is asked for at the physician's first.
    bayview = directory["bayview"]
    assert (
        f"?physician={directory['cleo'].pk}&location={bayview.pk}" in cleo
        and "Request a consultation with Dr Cleo Park" in cleo
    )
    ben = text(client.get(clinic_site.physicians.url, {"language": "fr"}))
    assert "Not accepting new patients" in ben


def test_the_structured_data_lists_the_physicians_shown(client, clinic_site, directory):
    response = client.get(clinic_site.physicians.url, {"video": "1"})
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    page = next(block for block in map(json.loads, blocks) if "mainEntity" in block)
    entity = page["mainEntity"]
    assert entity["@type"] == "ItemList" and entity["numberOfItems"] == 2
    assert [item["position"] for item in entity["itemListElement"]] == [1, 2]
    people = [item["item"] for item in entity["itemListElement"]]
    assert [person["name"] for person in people] == ["Dr Ben Okafor", "Dr Cleo Park"]
    assert people[0]["@type"] == ["Person", "IndividualPhysician"]
    assert people[0]["url"].endswith(directory["ben"].url)


def test_pages_of_results_keep_the_filters(client, clinic_site, directory, monkeypatch):
    monkeypatch.setattr(models.PhysicianIndexPage, "children_per_page", 1)
    response = client.get(clinic_site.physicians.url, {"video": "1"})
    assert names(response) == ["Dr Ben Okafor"]
    assert 'href="?video=1&amp;page=2" rel="next"' in response.content.decode()
    second = client.get(clinic_site.physicians.url, {"video": "1", "page": "2"})
    assert names(second) == ["Dr Cleo Park"]
    assert second.headers.get("X-Cache") == "miss", "a page the list has is stored"


def test_the_directory_costs_as_many_queries_for_200_physicians_as_for_5(
    client, clinic_site, directory, monkeypatch, settings
):
    settings.PAGE_CACHE_ENABLED = False
    monkeypatch.setattr(models.PhysicianIndexPage, "children_per_page", 500)
    # Indexing each new page for search is most of the time it takes to add them, and none of
    # what is measured.
    monkeypatch.setattr(
        "modelsearch.signal_handlers.insert_or_update_object_task",
        SimpleNamespace(enqueue=lambda *args, **kwargs: None),
    )
    photo = ImageFactory()
    url = f"{clinic_site.physicians.url}?new_patients=1"

    def add(count: int) -> None:
        for _number in range(count):
            PhysicianPageFactory(
                parent=clinic_site.physicians,
                photo=photo,
                spoken_languages=language_rows("en", "fr"),
                location_links=site_rows(directory["bayview"], directory["eastbrook"]),
            )

    def queries() -> int:
        client.get(url)  # the cached fragments and the renditions, made once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(195)
    assert len(names(client.get(url))) == 200 - 1  # Ben is not accepting new patients
    assert queries() == few


def test_the_shared_page_links_keep_a_search_query_or_a_list_query():
    """The directory's filters and the search's query travel through the same links."""
    from django.core.paginator import Paginator
    from django.template import engines

    template = engines["jinja2"].get_template("components/pagination.html")
    listing = Paginator(range(30), 10).get_page(2)
    search = template.render({"listing": listing, "search_query": "bell's palsy"})
    assert 'href="?q=bell%27s%20palsy&amp;page=1" rel="prev"' in search
    assert 'href="?q=bell%27s%20palsy&amp;page=3" rel="next"' in search
    filtered = template.render({"listing": listing, "list_query": "language=es&video=1"})
    assert 'href="?language=es&amp;video=1&amp;page=3" rel="next"' in filtered
    assert 'href="?page=3" rel="next"' in template.render({"listing": listing})
