"""The site in Spanish and French: every page type translates through wagtail-localize, values
that are the same in every language are never offered to translators, and links, the language
switcher, hreflang and the sitemap only ever point at live pages in the right language."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, TranslationSource

from pages import models
from tests.factories.pages import LocationIndexPageFactory, LocationPageFactory
from tests.pages.sitemap_protocol import sitemap_entries

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_every_page_type_translates_and_renders_in_spanish(client, clinic_site, spanish_site):
    for page in spanish_site.values():
        assert page.locale.language_code == "es"
        assert page.live
        html = soup(client.get(page.url))
        assert html.find("html")["lang"] == "es"
        assert page.url.startswith("/es/")
    assert spanish_site[clinic_site.condition.pk].url == "/es/afecciones/sincinesia/"


def test_values_that_never_change_are_not_offered_to_translators(clinic_site):
    source, _created = TranslationSource.get_or_create_from_instance(clinic_site.physician)
    offered = set(
        StringSegment.objects.filter(source=source).values_list("context__path", flat=True)
    )
    assert "title" in offered and "summary" in offered and "specialties" in offered
    for synchronised in ("name", "honorific", "credentials", "photo"):
        assert synchronised not in offered
    # The languages a physician speaks are codes, named in each visitor's language by the site.
    for synchronised in ("spoken_languages", "accepting_new_patients", "offers_video_visits"):
        assert not any(path.split(".")[0] == synchronised for path in offered), synchronised

    source, _created = TranslationSource.get_or_create_from_instance(clinic_site.condition)
    offered = set(
        StringSegment.objects.filter(source=source).values_list("context__path", flat=True)
    )
    assert any(path.startswith("treatment_options.") and path.endswith(".note") for path in offered)
    for synchronised in ("last_reviewed", "next_review_due", "reviewed_by", "image"):
        assert not any(path.startswith(synchronised) for path in offered), synchronised
    assert not any(path.endswith(".treatment") for path in offered)


def test_links_between_pages_lead_to_the_same_language(client, clinic_site, spanish_site):
    condition = spanish_site[clinic_site.condition.pk]
    treatment = spanish_site[clinic_site.treatment.pk]
    physician = spanish_site[clinic_site.physician.pk]
    html = soup(client.get(condition.url))
    main = html.find("main")
    hrefs = {a["href"] for a in main.find_all("a")}
    assert treatment.url in hrefs
    assert physician.url in hrefs
    assert not any(href.startswith("/en/") for href in hrefs)
    review = main.find(class_="medical-review").find("a")
    assert review["href"] == physician.url
    # The physician's name is the same page field, synchronised, not translated.
    assert "Dr Ana Rivera" in main.get_text()
    # The reverse links (treatment → conditions it treats) stay in Spanish too.
    treatment_html = soup(client.get(treatment.url)).find("main")
    assert treatment_html.find("a", href=condition.url)
    home = soup(client.get(spanish_site[clinic_site.home.pk].url))
    assert home.find("main").find("a", href=condition.url)
    header = home.find("header")
    assert header.find("a", href="/es/afecciones/")


def test_an_untranslated_linked_page_falls_back_to_its_live_original(
    client, clinic_site, translate
):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "fr", prefix="[fr] ")
    condition = translate(clinic_site.condition, "fr", prefix="[fr] ")
    main = soup(client.get(condition.url)).find("main")
    assert main.find("a", href=clinic_site.treatment.url)  # no French treatment page yet


def languages_offered(html: BeautifulSoup) -> dict[str, str]:
    switcher = html.find("nav", attrs={"aria-label": "Idioma"}) or html.find(
        "nav", class_="language-switcher"
    )
    if switcher is None:
        return {}
    return {
        (item.get("lang")): item.get("href", "current") for item in switcher.find_all(["a", "span"])
    }


def hreflangs(html: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in html.find_all("link", rel="alternate")}


def test_switcher_hreflang_and_sitemap_list_exactly_the_live_translations(
    client, clinic_site, spanish_site
):
    english = clinic_site.condition
    spanish = spanish_site[english.pk]

    html = soup(client.get(english.url))
    assert languages_offered(html) == {"en": "current", "es": spanish.url}
    assert hreflangs(html) == {
        "en": english.full_url,
        "x-default": english.full_url,
        "es": spanish.full_url,
    }
    spanish_html = soup(client.get(spanish.url))
    assert languages_offered(spanish_html) == {"en": english.url, "es": "current"}

    entries = {entry.location: entry.alternates for entry in sitemap_entries(client)}
    assert spanish.full_url in entries
    assert entries[english.full_url] == hreflangs(html)
    assert entries[spanish.full_url] == hreflangs(html)

    # Unpublished translations disappear everywhere at once.
    spanish.unpublish()
    html = soup(client.get(english.url))
    assert languages_offered(html) == {}
    assert hreflangs(html) == {}
    entries = {entry.location: entry.alternates for entry in sitemap_entries(client)}
    assert spanish.full_url not in entries
    assert entries[english.full_url] == {}


def test_root_sends_visitors_to_the_language_their_browser_prefers(client, clinic_site):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").url == "/es/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.8").url == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/en/"


def test_search_is_scoped_to_the_visitors_language(client, clinic_site, spanish_site):
    spanish = spanish_site[clinic_site.condition.pk]
    html = soup(client.get("/es/search/", {"q": "sincinesia"}))
    results = [a["href"] for a in html.select(".search-results h2 a")]
    assert results == [spanish.url]
    html = soup(client.get("/en/search/", {"q": "synkinesis"}))
    results = [a["href"] for a in html.select(".search-results h2 a")]
    assert clinic_site.condition.url in results
    assert all(url.startswith("/en/") for url in results)


def test_not_found_page_speaks_the_visitors_language(client, clinic_site, spanish_site):
    response = client.get("/es/no-existe/")
    assert response.status_code == 404
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("html")["lang"] == "es"
    assert "We could not find that page" not in html.get_text()


def test_opening_hours_are_shown_in_the_visitors_language(
    client, clinic_site, spanish_site, translate
):
    # The clinic's one site: the footer shows its hours.
    locations = LocationIndexPageFactory(parent=clinic_site.home)
    location = LocationPageFactory(
        parent=locations,
        opening_hours=[
            (
                "period",
                {
                    "first_day": "0",
                    "last_day": "3",
                    "opens": datetime.time(8),
                    "closes": datetime.time(17),
                },
            ),
            ("period", {"first_day": "5", "last_day": "6", "closed": True}),
        ],
    )
    translate(locations, "es")
    translate(location, "es")
    english = soup(client.get(clinic_site.contact.url)).find("footer").get_text(" ")
    spanish = (
        soup(client.get(spanish_site[clinic_site.contact.pk].url)).find("footer").get_text(" ")
    )
    assert "Monday–Thursday" in english
    assert "lunes–jueves" in spanish.lower()
    data = json.loads(
        soup(client.get(clinic_site.contact.url)).find("script", type="application/ld+json").string
    )
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                "https://schema.org/Monday",
                "https://schema.org/Tuesday",
                "https://schema.org/Wednesday",
                "https://schema.org/Thursday",
            ],
            "opens": "08:00",
            "closes": "17:00",
        }
    ]


def test_locales_exist_for_english_spanish_and_french():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "es", "fr"}
    assert Page.objects.filter(depth=1).count() == 1
    assert models.HomePage is not None
