"""The clinic's sites as visitors see them: the list of sites, each site's page (address,
hours, closures, directions, access facts, map link, physicians, booking link), its search-engine
data, and the site's footer, contact page, search, sitemap and breadcrumbs that name them."""

import datetime
import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from wagtail.models import Locale

from pages.models import ContactPage, LocationPage, PhysicianPage
from tests.factories.pages import LocationIndexPageFactory, LocationPageFactory
from tests.pages.sitemap_protocol import sitemap_entries

# A real transaction for the demo: wagtail-localize publishes its translations on commit.
demo = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def json_ld(html: BeautifulSoup) -> dict[str, dict]:
    """The page's JSON-LD objects, by their @type."""
    blocks = [json.loads(tag.string) for tag in html.find_all("script", type="application/ld+json")]
    return {block["@type"]: block for block in blocks}


def is_own(address: str) -> bool:
    """Whether a resource's address is on this site (relative, or at the test server)."""
    parts = urlsplit(address)
    return not parts.netloc or parts.netloc == "testserver"


def site(slug: str, language: str) -> LocationPage:
    return LocationPage.objects.live().get(slug=slug, locale__language_code=language)


# Each demo test restores the whole demo (seconds on PostgreSQL): two read-only checks share one.
@demo
def test_the_demo_sites_pages_their_list_contact_page_search_and_sitemap(client, demo_content):
    a_site_page_in_each_language_shows_how_to_visit_and_loads_nothing_from_elsewhere(client)
    the_list_of_sites_the_contact_page_search_and_sitemap_name_every_site(client)


def a_site_page_in_each_language_shows_how_to_visit_and_loads_nothing_from_elsewhere(
    client,
) -> None:
    for language in ("en", "es", "fr"):
        eastbrook = site("eastbrook", language)
        html = soup(client, eastbrook.url)
        main = html.find("main")
        assert text(main.find("h1")) == "Eastbrook"
        assert text(main.find("address")) == "85 Orchard Lane, Second Floor Eastbrook, CA 94010"
        assert main.find("a", href="tel:+15555550160")
        assert eastbrook.opening_hours_lines[0] in text(main)
        getting_here = main.find(id="getting-here")
        assert eastbrook.parking in text(getting_here)
        assert len(getting_here.find_all("h3")) == 4  # transport, car, parking and the map
        # Each access fact says yes or no in words, in the reader's language; its icon is
        # hidden from screen readers.
        with translation.override(language):
            labels = [str(fact["label"]) for fact in eastbrook.access_facts]
        facts = main.find(id="access").find_all("li")
        assert [text(fact) for fact in facts] == labels
        assert {fact["available"] for fact in eastbrook.access_facts} == {True, False}
        assert all(fact.find("svg")["aria-hidden"] == "true" for fact in facts)
        # The map is a link, opened only if followed; nothing is loaded from another site.
        map_link = main.find("a", href=eastbrook.map_url)
        assert map_link["target"] == "_blank" and "noopener" in map_link["rel"]
        assert "openstreetmap.org" in text(map_link)
        assert not html.find("iframe")
        loaded = [tag["src"] for tag in html.find_all(["img", "script"], src=True)]
        loaded += [tag["href"] for tag in html.find_all("link", rel="stylesheet")]
        assert loaded and all(is_own(address) for address in loaded), loaded
        # The physicians who see patients there, and a booking link that names the site.
        teasers = main.find(id="physicians").find_all(class_="physician-teaser")
        trevane = PhysicianPage.objects.get(slug="marisol-trevane", locale=eastbrook.locale)
        assert len(teasers) == 1 and teasers[0].find("a", href=trevane.url)
        booking = main.find("a", class_="button--cta")
        assert f"location={eastbrook.pk}" in booking["href"]
        assert "Eastbrook" in text(booking)

    # Search engines read the site as a clinic of the organisation.
    html = soup(client, site("bayview", "en").url)
    data = json_ld(html)
    clinic = data["WebPage"]["mainEntity"]
    assert clinic["@type"] == "MedicalClinic"
    assert clinic["address"]["streetAddress"] == "1200 Harbor Point Avenue, Suite 400"
    assert clinic["geo"] == {"@type": "GeoCoordinates", "latitude": 37.7712, "longitude": -122.3894}
    assert clinic["telephone"] == "+15555550100"
    assert {"https://schema.org/Monday"} <= set(clinic["openingHoursSpecification"][0]["dayOfWeek"])
    assert {"@type": "LocationFeatureSpecification", "name": "Lift", "value": True} in clinic[
        "amenityFeature"
    ]
    organisation = data["MedicalClinic"]
    assert clinic["parentOrganization"] == {"@id": organisation["@id"]}
    assert [node["@id"] for node in organisation["subOrganization"]] == [
        site("bayview", "en").get_full_url() + "#location",
        site("eastbrook", "en").get_full_url() + "#location",
    ]
    # Its place in the site, and its other languages.
    crumbs = html.find("nav", class_="breadcrumbs").find_all("li")
    assert [text(crumb) for crumb in crumbs] == ["Home", "Locations", "Bayview"]
    alternates = {
        link["hreflang"]: link["href"]
        for link in html.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == {
        **{language: site("bayview", language).get_full_url() for language in ("en", "es", "fr")},
        "x-default": site("bayview", "en").get_full_url(),
    }


def the_list_of_sites_the_contact_page_search_and_sitemap_name_every_site(client) -> None:
    for language in ("en", "es", "fr"):
        locale = Locale.objects.get(language_code=language)
        sites = list(LocationPage.objects.live().filter(locale=locale).order_by("path"))
        assert [page.slug for page in sites] == ["bayview", "eastbrook"]
        index = sites[0].get_parent()
        cards = soup(client, index.url).find_all(class_="location-card")
        assert [text(card.find("h2")) for card in cards] == ["Bayview", "Eastbrook"]
        assert cards[1].find("a", href="tel:+15555550160")
        assert "Eastbrook, CA 94010" in text(cards[1].find("address"))

        contact_url = ContactPage.objects.live().get(locale=locale).url
        contact_html = soup(client, contact_url).find("main")
        for page in sites:
            card = contact_html.find("a", href=page.url).find_parent("section")
            assert text(card.find("h2")) == page.title
            assert page.address_lines[0] in text(card.find("address"))
            assert page.phone in text(card)

        results = soup(client, f"/{language}/search/?q=Eastbrook").find(
            "ol", class_="search-results"
        )
        assert results.find("a", href=sites[1].url)

    results = soup(client, "/en/search/?q=parking").find("ol", class_="search-results")
    assert results.find("a", href=site("bayview", "en").url)

    # The sitemap lists each site in each language, with its other languages as alternates.
    alternates = {entry.location: set(entry.alternates) for entry in sitemap_entries(client)}
    sites = LocationPage.objects.live()
    assert len(sites) == 6
    for page in sites:
        assert alternates[page.get_full_url()] == {"en", "es", "fr", "x-default"}, page.url


@pytest.fixture
def one_site(clinic_site):
    """The test clinic with one site: its contact details, as before it had several."""
    index = LocationIndexPageFactory(parent=clinic_site.home)
    page = LocationPageFactory(parent=index, title="Bayview", slug="bayview")
    # As the site reads it: the factory's copy keeps its hours as typed, not as times.
    return LocationPage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_only_closures_still_to_come_are_shown(client, one_site):
    today = timezone.localdate()
    html = soup(client, one_site.url).find("main")
    assert not html.find(id="closures-heading")

    one_site.closures = [
        (
            "closure",
            {
                "first_day": today - datetime.timedelta(days=3),
                "last_day": today - datetime.timedelta(days=1),
                "note": "Flood",
            },
        ),
        ("closure", {"first_day": today, "last_day": None, "note": "Inventory"}),
        ("closure", {"first_day": today + datetime.timedelta(days=20), "note": "Public holiday"}),
    ]
    one_site.save_revision().publish()
    html = soup(client, one_site.url).find("main")
    closures = html.find(id="closures-heading").find_next("ul").find_all("li")
    assert [text(item).split(": ")[-1] for item in closures] == ["Inventory", "Public holiday"]
    assert "Flood" not in text(html)


@pytest.mark.django_db
def test_with_one_site_the_footer_and_contact_page_show_its_address_phone_and_hours(
    client, clinic_site, one_site
):
    html = soup(client, one_site.url)
    footer = html.find("footer")
    addresses = footer.find_all("address")
    assert len(addresses) == 1
    assert text(addresses[0]).startswith("1200 Harbor Point Avenue, Suite 400 Bayview, CA 94000")
    assert addresses[0].find("a", href="tel:+15555550100")
    assert text(footer.find(id="footer-hours").find_next("ul")) == " ".join(
        one_site.opening_hours_lines
    )

    # The contact page says "Visit us" over the one address, and gives the main phone.
    contact = soup(client, clinic_site.contact.url).find("main")
    visit = contact.find("h2", string="Visit us").find_parent("section")
    assert "1200 Harbor Point Avenue, Suite 400" in text(visit.find("address"))
    assert one_site.opening_hours_lines[0] in text(visit)
    assert contact.find("a", href="tel:+15555550100")
