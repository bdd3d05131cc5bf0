"""Sitemap, robots.txt and search: how visitors and search engines find the pages."""

import pytest
from bs4 import BeautifulSoup

from tests.factories.pages import ConditionPageFactory
from tests.pages.sitemap_protocol import sitemap_locations

pytestmark = pytest.mark.django_db


def test_sitemap_lists_every_live_page_and_no_draft(client, clinic_site):
    draft = ConditionPageFactory(parent=clinic_site.conditions, title="Draft", live=False)
    # Through the index (/sitemap.xml) and every file it names (tests/pages/test_sitemaps.py).
    locations = set(sitemap_locations(client))
    expected = {page.full_url for page in clinic_site.all_pages()}
    assert locations == expected
    assert draft.full_url not in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client, clinic_site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_search_finds_synkinesis_by_name_and_by_words_in_its_summary(client, clinic_site):
    response = client.get("/en/search/", {"q": "synkinesis"})
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    results = html.find("ol", class_="search-results")
    assert results.find("a", href=clinic_site.condition.url)

    response = client.get("/en/search/", {"q": "involuntary"})
    assert clinic_site.condition.url.encode() in response.content


def result_urls(client, query: str) -> list[str]:
    response = client.get("/en/search/", {"q": query})
    results = BeautifulSoup(response.content, "html.parser").find("ol", class_="search-results")
    return [a["href"] for a in results.select("h2 a")] if results else []


def test_search_covers_treatments_and_physicians_but_not_other_pages(client, clinic_site):
    assert result_urls(client, "botulinum") == [clinic_site.treatment.url]
    assert result_urls(client, "Rivera") == [clinic_site.physician.url]
    assert result_urls(client, "privacy") == []


def test_search_with_no_results_or_odd_input_answers_kindly(client, clinic_site):
    response = client.get("/en/search/", {"q": "zzzzqqq"})
    assert response.status_code == 200
    assert b"0 results" in response.content
    for odd in ("", "   ", "%%%", "a" * 5000, "'; DROP TABLE x; --"):
        assert client.get("/en/search/", {"q": odd, "page": "abc"}).status_code == 200
