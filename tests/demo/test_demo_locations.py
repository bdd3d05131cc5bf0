"""The demo clinic has two sites, Bayview and Eastbrook, in English, Spanish and French; its
physicians list the languages they speak and the sites they work at, and every page footer
shows both sites."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale
from wagtail_localize.models import StringSegment

from demo.loader import demo_languages, load_translations
from pages.models import LocationIndexPage, LocationPage, PhysicianPage

# A real transaction: wagtail-localize publishes the Spanish and French pages on commit. Each
# test restores the whole demo (seconds on PostgreSQL): the checks that only read it share one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Language → (the locations section's slug, the start of Bayview's bus directions).
TRANSLATED = {
    "es": ("ubicaciones", "Tome el autobús 14 o 22"),
    "fr": ("sites", "Prenez le bus 14 ou 22"),
}


def test_demo_sites_and_physicians_are_the_same_facts_in_every_language_on_every_footer(
    client, demo_content
):
    demo_sites_are_live_in_every_language_with_the_same_facts()
    demo_physicians_speak_their_languages_at_their_sites_in_every_language()
    every_footer_shows_both_sites_in_the_readers_language(client)


def demo_sites_are_live_in_every_language_with_the_same_facts() -> None:
    bayview, eastbrook = LocationPage.objects.live().filter(locale__language_code="en")
    assert (bayview.title, eastbrook.title) == ("Bayview", "Eastbrook")
    assert bayview.address_lines == ["1200 Harbor Point Avenue, Suite 400", "Bayview, CA 94000"]
    assert eastbrook.address_lines == ["85 Orchard Lane, Second Floor", "Eastbrook, CA 94010"]
    assert bayview.opening_hours_lines and eastbrook.opening_hours_lines
    assert bayview.url_path.endswith("/locations/bayview/")
    for language, (section, transit) in TRANSLATED.items():
        locale = Locale.objects.get(language_code=language)
        index = LocationIndexPage.objects.get(locale=locale)
        assert index.live and index.slug == section
        for english in (bayview, eastbrook):
            translated = english.get_translation(locale)
            assert translated.live
            assert translated.url_path == f"{index.url_path}{english.slug}/"
            # The facts of the place are the English page's; only its texts are translated.
            assert translated.address_lines == english.address_lines
            assert translated.phone == english.phone
            # (read in one language here: each reader sees the day names in theirs)
            assert translated.opening_hours_lines == english.opening_hours_lines
            assert translated.access_facts == english.access_facts
            assert translated.intro != english.intro
        assert bayview.get_translation(locale).transit.startswith(transit)


def test_every_text_of_the_demo_is_written_in_spanish_and_french(demo_content):
    """A page the loader adds without its translations would show English to a Spanish or
    French reader: every segment of every demo page has its translation in the loader's files."""
    english = set(StringSegment.objects.values_list("string__data", flat=True))
    assert english
    for language in demo_languages():
        missing = english - set(load_translations(language))
        assert missing == set(), language


def demo_physicians_speak_their_languages_at_their_sites_in_every_language() -> None:
    trevane = PhysicianPage.objects.get(slug="marisol-trevane", locale__language_code="en")
    physicians = PhysicianPage.objects.live().select_related("locale")
    assert len(physicians) == 6
    for physician in physicians:
        language = physician.locale.language_code
        sites = [page.slug for page in physician.locations]
        if physician.translation_key == trevane.translation_key:
            assert physician.language_codes == ["en", "es"], language
            assert sites == ["bayview", "eastbrook"], language
            assert physician.offers_video_visits
        else:
            assert physician.language_codes == ["en", "fr"], language
            assert sites == ["bayview"], language
        assert physician.accepting_new_patients
        # The sites linked are those of the reader's language, so the links stay in it.
        assert {page.locale_id for page in physician.locations} == {physician.locale_id}


def every_footer_shows_both_sites_in_the_readers_language(client) -> None:
    for language in ("en", "es", "fr"):
        home = BeautifulSoup(client.get(f"/{language}/").content, "html.parser")
        footer = home.find("footer")
        sites = LocationPage.objects.live().filter(locale__language_code=language)
        assert len(sites) == 2
        for site in sites:
            address = footer.find("a", href=site.url).find_parent("address")
            assert site.title in address.get_text()
            assert site.address_lines[0] in address.get_text()
            assert site.phone[-4:] in address.get_text()
