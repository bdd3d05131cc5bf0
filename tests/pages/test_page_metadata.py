"""What a page tells search engines, social networks and browsers besides its JSON-LD: the
web site and its search, ``og:locale`` in Open Graph's form with the page's other languages,
a default image to share, an answer at /favicon.ico, and which image to fetch first."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from core.languages import open_graph_locale

pytestmark = pytest.mark.django_db


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def meta(html: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in html.find_all("meta", property=name)]


def json_ld(html: BeautifulSoup) -> dict[str, dict]:
    blocks = [json.loads(s.string) for s in html.find_all("script", type="application/ld+json")]
    return {str(block["@type"]): block for block in blocks}


def test_home_page_describes_the_web_site_and_how_to_search_it_in_its_language(
    client, clinic_site, translate
):
    spanish_home = translate(clinic_site.home, "es")
    for page, language in ((clinic_site.home, "en"), (spanish_home, "es")):
        website = json_ld(soup(client, page.url))["WebSite"]
        assert website["url"] == f"http://testserver/{language}/"
        assert website["inLanguage"] == language
        assert website["publisher"] == {"@id": "http://testserver/#clinic"}
        action = website["potentialAction"]
        assert action["@type"] == "SearchAction"
        template = action["target"]["urlTemplate"]
        assert template == f"http://testserver/{language}/search/?q={{search_term_string}}"
        assert action["query-input"] == "required name=search_term_string"
        # The template leads to the search page, in the same language.
        results = soup(client, template.replace("{search_term_string}", "synkinesis"))
        assert results.find("html")["lang"] == language
        assert results.find("input", attrs={"name": "q"})["value"] == "synkinesis"
    assert "WebSite" not in json_ld(soup(client, clinic_site.condition.url))


def test_clinic_names_its_languages_on_a_contact_point_and_its_specialties_as_members(
    client, clinic_site
):
    clinic = json_ld(soup(client, clinic_site.contact.url))["MedicalClinic"]
    assert "availableLanguage" not in clinic
    assert clinic["@id"] == "http://testserver/#clinic"
    assert clinic["contactPoint"]["@type"] == "ContactPoint"
    assert clinic["contactPoint"]["availableLanguage"] == ["English", "Spanish", "French"]
    assert clinic["medicalSpecialty"] == [
        "https://schema.org/PlasticSurgery",
        "https://schema.org/Otolaryngologic",
    ]


def test_og_locale_is_language_and_territory_with_the_pages_other_languages(
    client, clinic_site, translate
):
    for parent in (clinic_site.home, clinic_site.conditions):
        translate(parent, "es")
    spanish = translate(clinic_site.condition, "es")
    french_home = translate(clinic_site.home, "fr")

    english = soup(client, clinic_site.condition.url)
    assert meta(english, "og:locale") == ["en_US"]
    assert meta(english, "og:locale:alternate") == ["es_US"]  # no French condition page yet
    assert meta(soup(client, spanish.url), "og:locale") == ["es_US"]
    assert meta(soup(client, spanish.url), "og:locale:alternate") == ["en_US"]
    french = soup(client, french_home.url)
    assert meta(french, "og:locale") == ["fr_FR"]
    assert meta(french, "og:locale:alternate") == ["en_US", "es_US"]

    # The territory follows the clinic's country where the language is spoken there.
    clinic_site.settings.country = "CA"
    clinic_site.settings.save()
    assert meta(soup(client, french_home.url), "og:locale") == ["fr_CA"]


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [("en", "US", "en_US"), ("es", "US", "es_US"), ("fr", "US", "fr_FR"), ("pt-br", "US", "pt_BR")],
)
def test_open_graph_locale(language, country, expected):
    assert open_graph_locale(language, country) == expected


def test_a_page_without_an_image_is_shared_with_the_clinics_default_image(client, clinic_site):
    html = soup(client, clinic_site.privacy.url)
    assert meta(html, "og:image") == []

    default = Image.objects.create(title="Clinic front", file=get_test_image_file())
    clinic_site.settings.default_social_image = default
    clinic_site.settings.save()
    html = soup(client, clinic_site.privacy.url)
    [url] = meta(html, "og:image")
    assert url.startswith("http://testserver/") and url.endswith(".jpg")
    assert meta(html, "og:image:alt") == ["Meridian Facial Nerve Center"]

    # A page's own image still wins, with its own description.
    own = Image.objects.create(title="Eye", file=get_test_image_file(filename="eye.png"))
    clinic_site.privacy.social_image = own
    clinic_site.privacy.social_image_alt = "A smiling patient"
    clinic_site.privacy.save_revision().publish()
    html = soup(client, clinic_site.privacy.url)
    assert meta(html, "og:image") != [url]
    assert meta(html, "og:image:alt") == ["A smiling patient"]


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_first_image_of_a_page_is_fetched_first_and_no_other(client, clinic_site):
    image = Image.objects.create(title="Face", file=get_test_image_file())
    for page, field in (
        (clinic_site.home, "hero_image"),
        (clinic_site.condition, "image"),
        (clinic_site.treatment, "image"),
        (clinic_site.physician, "photo"),
    ):
        setattr(page, field, image)
        page.save_revision().publish()

    pages = (clinic_site.home, clinic_site.condition, clinic_site.treatment, clinic_site.physician)
    for page in pages:
        images = soup(client, page.url).find("main").find_all("img")
        eager = [img for img in images if img.get("fetchpriority") == "high"]
        assert len(eager) == 1, page.url
        assert eager[0] is images[0], page.url
        assert eager[0].get("loading") != "lazy", page.url
    # A listing's images are not hurried: none is the page's one large image.
    listing = soup(client, clinic_site.conditions.url).find("main").find_all("img")
    assert not [img for img in listing if img.get("fetchpriority")]
