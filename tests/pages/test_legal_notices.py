"""The notices a US clinic must show (Section 1557 of the Affordable Care Act; the No Surprises
Act): the footer of every page in every language links the language assistance and
nondiscrimination notices; the language assistance notice carries taglines in the clinic's
languages, each in its own language and direction; the nondiscrimination notice names the
Section 1557 coordinator from the settings; the consultation form links the Good Faith Estimate;
and editors are warned when a required notice is missing or unpublished in a language."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Locale

from core.taglines import NATIONAL_LANGUAGES, STATE_LANGUAGES, TAGLINES, default_languages
from pages.content_checks import legal_notice_problems
from pages.models import LegalNoticePage
from tests.factories.pages import LegalNoticePageFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es", "fr")
Kind = LegalNoticePage.Kind


@pytest.fixture
def notices(clinic_site):
    """The three notices, in English, under the home page."""
    return {
        Kind.LANGUAGE_ASSISTANCE: LegalNoticePageFactory(parent=clinic_site.home),
        Kind.NONDISCRIMINATION: LegalNoticePageFactory(
            parent=clinic_site.home,
            title="Nondiscrimination notice",
            slug="nondiscrimination",
            kind=Kind.NONDISCRIMINATION,
            body=[("paragraph", "<p>We do not discriminate.</p>")],
        ),
        Kind.GOOD_FAITH_ESTIMATE: LegalNoticePageFactory(
            parent=clinic_site.home,
            title="Good Faith Estimate",
            slug="good-faith-estimate",
            kind=Kind.GOOD_FAITH_ESTIMATE,
            body=[("paragraph", "<p>Ask for an estimate.</p>")],
        ),
    }


def html(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def footer_links(page: BeautifulSoup) -> set[str]:
    return {link["href"] for link in page.select("footer.site-footer a[href]")}


def test_every_page_type_in_every_language_links_both_notices_in_its_footer(
    client, clinic_site, consultation_page, notices, translate
):
    pages = [*clinic_site.all_pages(), consultation_page, *notices.values()]
    for language in ("es", "fr"):
        # Parents before children: the page list starts at the home page.
        for page in pages:
            translate(page, language)
    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        expected = {
            notices[kind].get_translation(locale).url
            for kind in (Kind.LANGUAGE_ASSISTANCE, Kind.NONDISCRIMINATION)
        }
        assert all(f"/{language}/" in url for url in expected)
        for page in pages:
            url = page.get_translation(locale).url
            links = footer_links(html(client, url))
            assert expected <= links, f"{url} does not link {expected - links}"


def test_a_notice_not_yet_translated_is_linked_in_its_original_language(
    client, clinic_site, notices, translate
):
    translate(clinic_site.home, "es")
    links = footer_links(html(client, "/es/"))
    assert notices[Kind.LANGUAGE_ASSISTANCE].url in links
    assert notices[Kind.NONDISCRIMINATION].url in links


def test_no_footer_link_to_a_notice_that_is_not_published(client, clinic_site, notices):
    notices[Kind.NONDISCRIMINATION].unpublish()
    links = footer_links(html(client, "/en/"))
    assert notices[Kind.LANGUAGE_ASSISTANCE].url in links
    assert notices[Kind.NONDISCRIMINATION].url not in links


def test_taglines_show_the_states_languages_each_with_its_lang_and_direction(
    client, clinic_site, notices
):
    page = html(client, notices[Kind.LANGUAGE_ASSISTANCE].url)
    items = page.select(".taglines__item")
    assert [item["lang"] for item in items] == list(STATE_LANGUAGES["CA"])
    for item in items:
        tagline = TAGLINES[item["lang"]]
        assert item["dir"] == tagline.direction
        assert tagline.name in item.get_text()
        # The clinic's number, dialled from anywhere, and the relay service.
        assert item.select_one('a[href="tel:+15555550100"]').get_text() == "(555) 555-0100"
        assert "711" in item.get_text()
    assert page.select_one('.taglines__item[lang="fa"]')["dir"] == "rtl"
    # Haitian Creole is among the national 15, not California's.
    assert page.select_one('.taglines__item[lang="ht"]') is None


def test_the_languages_chosen_in_the_settings_replace_the_states(client, clinic_site, notices):
    clinic_site.settings.tagline_languages = "ar, zh-hant, vi"
    clinic_site.settings.save()
    page = html(client, notices[Kind.LANGUAGE_ASSISTANCE].url)
    items = page.select(".taglines__item")
    assert [(item["lang"], item["dir"]) for item in items] == [
        ("ar", "rtl"),
        ("zh-Hant", "ltr"),
        ("vi", "ltr"),
    ]
    # In right-to-left text the number keeps its own direction.
    assert items[0].select_one("a[href^='tel:']")["dir"] == "ltr"


def test_a_language_without_a_tagline_is_refused_in_the_settings(clinic_site):
    clinic_site.settings.tagline_languages = "es, xx"
    with pytest.raises(ValidationError) as error:
        clinic_site.settings.full_clean()
    assert "tagline_languages" in error.value.message_dict
    assert "xx" in error.value.message_dict["tagline_languages"][0]


def test_a_state_without_a_list_gets_the_national_one():
    assert default_languages("California") == STATE_LANGUAGES["CA"]
    assert default_languages("ca") == STATE_LANGUAGES["CA"]
    assert default_languages("Nowhere") == NATIONAL_LANGUAGES


@pytest.mark.parametrize("codes", [NATIONAL_LANGUAGES, *STATE_LANGUAGES.values()])
def test_each_list_has_fifteen_languages_with_a_tagline_each(codes):
    assert len(set(codes)) == len(codes) == 15
    for code in codes:
        text = TAGLINES[code].text
        assert "{phone}" in text and "{tty}" in text
        assert [kind for kind, _text in TAGLINES[code].parts() if kind != "text"] == [
            "phone",
            "tty",
        ]


def test_the_nondiscrimination_notice_names_the_coordinator_from_the_settings(
    client, clinic_site, notices
):
    clinic = clinic_site.settings
    clinic.section_1557_coordinator_name = "Sam Ortolan"
    clinic.section_1557_coordinator_title = "Patient Rights Coordinator"
    clinic.section_1557_coordinator_phone = "(555) 555-0147"
    clinic.section_1557_coordinator_email = "rights@example.org"
    clinic.section_1557_coordinator_address = "1 Test Street\nBayview, CA 94000"
    clinic.save()
    card = html(client, notices[Kind.NONDISCRIMINATION].url).select_one(
        "section[aria-labelledby='coordinator-heading']"
    )
    text = card.get_text(" ", strip=True)
    assert "Sam Ortolan" in text
    assert "Patient Rights Coordinator" in text
    assert card.select_one('a[href="tel:+15555550147"]')
    assert card.select_one('a[href="mailto:rights@example.org"]')
    assert "1 Test Street" in card.address.get_text() and "Bayview, CA 94000" in text

    clinic.section_1557_coordinator_name = "Lee Varga"
    clinic.save()
    text = html(client, notices[Kind.NONDISCRIMINATION].url).get_text()
    assert "Lee Varga" in text and "Sam Ortolan" not in text


def test_the_consultation_form_links_the_good_faith_estimate_in_the_visitors_language(
    client, clinic_site, consultation_page, notices, translate
):
    estimate = notices[Kind.GOOD_FAITH_ESTIMATE]
    note = html(client, consultation_page.url).select_one(".good-faith-note")
    assert note.a["href"] == estimate.url

    translate(clinic_site.home, "es")
    spanish_form = translate(consultation_page, "es")
    spanish_estimate = translate(estimate, "es")
    note = html(client, spanish_form.url).select_one(".good-faith-note")
    assert note.a["href"] == spanish_estimate.url


def test_no_estimate_note_on_the_form_without_an_estimate_notice(
    client, clinic_site, consultation_page, notices
):
    notices[Kind.GOOD_FAITH_ESTIMATE].unpublish()
    assert html(client, consultation_page.url).select_one(".good-faith-note") is None


def test_content_checks_warn_of_a_notice_missing_or_unpublished_in_a_language(
    clinic_site, notices, translate
):
    problems = legal_notice_problems(clinic_site.site)
    assert len(problems) == 4  # two notices, missing in Spanish and in French
    assert any("Language assistance" in p and "Spanish" in p for p in problems)
    assert any("Nondiscrimination" in p and "French" in p for p in problems)
    assert all("missing" in p for p in problems)

    translate(clinic_site.home, "es")
    translate(clinic_site.home, "fr")
    for kind in LegalNoticePage.REQUIRED_KINDS:
        translate(notices[kind], "es")
        translate(notices[kind], "fr")
    assert legal_notice_problems(clinic_site.site) == []

    notices[Kind.NONDISCRIMINATION].get_translation(
        Locale.objects.get(language_code="fr")
    ).unpublish()
    assert legal_notice_problems(clinic_site.site) == [
        "The notice “Nondiscrimination” is not published in French."
    ]


def test_content_checks_warn_when_the_english_notice_is_missing(clinic_site):
    problems = legal_notice_problems(clinic_site.site)
    assert "The notice “Language assistance” is missing in English." in problems
    assert "The notice “Nondiscrimination” is missing in English." in problems


def test_editors_see_the_warning_on_the_dashboard_until_the_notices_exist(
    client, django_user_model, clinic_site
):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert "Required notices" in dashboard
    assert "is missing in Spanish" in dashboard


def test_a_second_notice_of_the_same_kind_is_refused(clinic_site, notices):
    form_class = LegalNoticePage.get_edit_handler().get_form_class()
    page = LegalNoticePage()
    data = {
        "title": "Another language notice",
        "slug": "another",
        "kind": Kind.LANGUAGE_ASSISTANCE,
        "intro": "",
        "body-count": "0",
    }
    form = form_class(data, instance=page, parent_page=clinic_site.home, for_user=None)
    assert not form.is_valid()
    assert "kind" in form.errors
