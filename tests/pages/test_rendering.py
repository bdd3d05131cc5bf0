"""Every page type renders for a visitor, with the site's header, footer and breadcrumbs."""

import datetime

import pytest
from bs4 import BeautifulSoup

from pages.medical_reviews import record_review
from tests.factories.pages import (
    LocationIndexPageFactory,
    LocationPageFactory,
    PhysicianPageFactory,
)

pytestmark = pytest.mark.django_db


def get_html(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200, page
    return BeautifulSoup(response.content, "html.parser")


def test_every_page_type_renders_with_a_single_h1_and_a_skip_link(client, clinic_site):
    for page in clinic_site.all_pages():
        html = get_html(client, page)
        assert len(html.find_all("h1")) == 1, page
        skip = html.find("a", class_="skip-link")
        assert skip["href"] == "#main-content"
        assert html.find(id="main-content").name == "main"
        assert html.find("header") and html.find("footer") and html.find("nav")


def test_pages_live_under_the_visitors_language_prefix(client, clinic_site):
    assert clinic_site.condition.url == "/en/conditions/synkinesis/"
    html = get_html(client, clinic_site.condition)
    assert html.find("html")["lang"] == "en"


def test_header_on_every_page_has_sections_portals_and_consultation_button(client, clinic_site):
    for page in clinic_site.all_pages():
        header = get_html(client, page).find("header")
        links = {a.get_text(" ", strip=True): a["href"] for a in header.find_all("a")}
        assert links["Conditions"] == "/en/conditions/"
        assert links["Treatments"] == "/en/treatments/"
        assert links["Our physicians"] == "/en/physicians/"
        assert links["Online Payment (external site)"] == "https://payments.example.com/meridian"
        assert links["Patient Portal (external site)"] == "https://portal.example.com/meridian"
        # The button names the page it is on, for the report of where requests come from.
        assert links["Schedule a consultation"] == f"{clinic_site.contact.url}?from={page.pk}"


def test_footer_has_address_phone_contact_accessibility_and_privacy(client, clinic_site):
    LocationPageFactory(
        parent=LocationIndexPageFactory(parent=clinic_site.home), street_address="1 Test Street"
    )
    footer = get_html(client, clinic_site.treatment).find("footer")
    text = footer.get_text(" ", strip=True)
    assert "1 Test Street" in text
    assert "(555) 555-0100" in text
    hrefs = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
    assert hrefs["Contact us"] == clinic_site.contact.url
    # The link names the page it is on, for the report of where requests come from.
    assert hrefs["Accessibility statement"] == (
        f"{clinic_site.accessibility.url}?from={clinic_site.treatment.pk}"
    )
    assert hrefs["Privacy notice"] == clinic_site.privacy.url


def test_portal_links_disappear_when_staff_clear_them(client, clinic_site):
    clinic_site.settings.online_payment_url = ""
    clinic_site.settings.save()
    header = get_html(client, clinic_site.home).find("header")
    assert "Online Payment" not in header.get_text()
    assert "Patient Portal" in header.get_text()


def test_breadcrumbs_lead_home_then_section_then_page(client, clinic_site):
    html = get_html(client, clinic_site.condition)
    crumbs = html.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all("a")
    assert [a.get_text(strip=True) for a in crumbs] == ["Home", "Conditions", "Synkinesis"]
    assert crumbs[-1]["aria-current"] == "page"
    for page in clinic_site.all_pages()[1:]:
        assert get_html(client, page).find("nav", attrs={"aria-label": "Breadcrumb"}), page
    assert not get_html(client, clinic_site.home).find("nav", attrs={"aria-label": "Breadcrumb"})


def test_condition_page_shows_treatments_in_order_with_purpose_lists_and_duration(
    client, clinic_site
):
    html = get_html(client, clinic_site.condition)
    option = html.find("article", class_="treatment-option")
    text = option.get_text(" ", strip=True)
    assert "Botulinum toxin injections" in text
    assert "Softens eye closure." in text
    headings = [h.get_text(strip=True) for h in option.find_all("h4")]
    assert headings == ["Purpose", "Techniques", "How long it lasts"]
    assert option.find("li").get_text(" ", strip=True).startswith("Biofeedback")


def test_condition_page_shows_medical_review_and_named_physician_link(client, clinic_site):
    html = get_html(client, clinic_site.condition)
    review = html.find(class_="medical-review").get_text(" ", strip=True)
    assert review == "Medically reviewed by Dr Ana Rivera on Oct. 15, 2026"
    teaser = html.find("article", class_="physician-teaser")
    link = teaser.find("a", href=clinic_site.physician.url)
    assert link.get_text(strip=True) == "Learn more about Dr Ana Rivera"
    # No link anywhere on the page says only "Learn more".
    assert not [a for a in html.find_all("a") if a.get_text(strip=True).lower() == "learn more"]


@pytest.mark.parametrize("listed", [True, False], ids=["listed reviewer", "other reviewer"])
def test_treatment_page_names_and_links_its_reviewer(client, clinic_site, listed):
    # The reviewer is usually one of the physicians the page lists (found among them, with no
    # query of its own), but may be any physician.
    reviewer = (
        clinic_site.physician
        if listed
        else PhysicianPageFactory(parent=clinic_site.physicians, name="Sam Okafor")
    )
    treatment = clinic_site.treatment
    record_review(treatment, physician=reviewer, on=datetime.date(2026, 9, 3))

    review = get_html(client, treatment).find(class_="medical-review")
    assert review.get_text(" ", strip=True) == (
        f"Medically reviewed by {reviewer.display_name} on Sept. 3, 2026"
    )
    assert review.find("a")["href"] == reviewer.url


def test_treatment_page_lists_conditions_from_the_condition_side(client, clinic_site):
    html = get_html(client, clinic_site.treatment)
    section = html.find("h2", string="Conditions it treats").find_parent("section")
    assert section.find("a", href=clinic_site.condition.url).get_text() == "Synkinesis"


def test_physician_page_lists_conditions_treated_and_languages(client, clinic_site):
    html = get_html(client, clinic_site.physician)
    text = html.get_text(" ", strip=True)
    assert "English, Spanish" in text
    section = html.find("h2", string="Conditions treated").find_parent("section")
    assert section.find("a", href=clinic_site.condition.url)


def test_accessibility_page_names_the_manager_with_a_direct_phone(client, clinic_site):
    html = get_html(client, clinic_site.accessibility)
    text = html.find("main").get_text(" ", strip=True)
    assert "Jordan Pike" in text
    assert html.find("main").find("a", href="tel:+15555550142")
    assert "WCAG 2.2 level AA" in text


def test_images_are_renditions_with_width_height_and_alt(client, clinic_site):
    html = get_html(client, clinic_site.physician)
    images = html.find("main").find_all("img")
    assert images
    for img in images:
        assert img["src"].startswith("/media/images/")
        assert img["width"] and img["height"]
        assert img["alt"]


def test_no_asset_is_loaded_from_another_host(client, clinic_site):
    for page in clinic_site.all_pages():
        html = get_html(client, page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                url = element.get(attr) or ""
                if tag == "link" and element.get("rel") in (["canonical"], ["alternate"]):
                    continue
                assert not url.startswith(("http:", "https:", "//")), (page, url)


def test_unknown_address_gives_the_sites_404_page(client, clinic_site):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_page_meta_has_title_description_canonical_and_open_graph(client, clinic_site):
    html = get_html(client, clinic_site.condition)
    assert html.title.get_text() == "Synkinesis | Meridian Facial Nerve Center"
    assert html.find("meta", attrs={"name": "description"})["content"] == (
        "Involuntary movement of facial muscles."
    )
    assert html.find("link", rel="canonical")["href"] == (
        "http://testserver/en/conditions/synkinesis/"
    )
    assert html.find("meta", property="og:title")["content"] == "Synkinesis"
    assert html.find("meta", property="og:image")["content"].startswith("http://testserver/media/")
