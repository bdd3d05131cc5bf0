"""Each image a page shows is described in the page's language: its alternative text is part of
the page, translated with it, empty for a decorative image, and the image library's (English)
description only when the page has none. ``og:image:alt`` follows."""

import pytest
from bs4 import BeautifulSoup
from wagtail_localize.models import StringSegment, TranslationSource

from tests.factories.pages import ImageFactory

pytestmark = pytest.mark.django_db

ENGLISH_ALT = "The branches of the facial nerve, drawn over a face in profile"
SPANISH_ALT = "Las ramas del nervio facial, dibujadas sobre un rostro de perfil"
LIBRARY = "Facial nerve diagram (library description)"


def html_of(client, page) -> BeautifulSoup:
    return BeautifulSoup(client.get(page.url).content, "html.parser")


@pytest.fixture
def illustrated(clinic_site):
    condition = clinic_site.condition
    condition.image = ImageFactory(description=LIBRARY)
    condition.image_alt = ENGLISH_ALT
    condition.save_revision().publish()
    return condition


def test_the_alternative_text_is_translated_with_the_page(
    client, clinic_site, illustrated, translate
):
    for page in (clinic_site.home, clinic_site.conditions):
        translate(page, "es")
    source, _created = TranslationSource.get_or_create_from_instance(illustrated)
    assert StringSegment.objects.filter(source=source, string__data=ENGLISH_ALT).exists()
    spanish = translate(illustrated, "es", strings={ENGLISH_ALT: SPANISH_ALT})

    html = html_of(client, spanish)
    assert html.find("img", class_="page-header__image")["alt"] == SPANISH_ALT
    assert html.find("meta", property="og:image:alt")["content"] == SPANISH_ALT
    english = html_of(client, illustrated)
    assert english.find("img", class_="page-header__image")["alt"] == ENGLISH_ALT


def test_a_decorative_image_has_an_empty_alt_and_shares_the_title(client, illustrated):
    illustrated.image_decorative = True
    illustrated.save_revision().publish()
    html = html_of(client, illustrated)
    assert html.find("img", class_="page-header__image")["alt"] == ""
    assert html.find("meta", property="og:image:alt")["content"] == illustrated.title


def test_without_its_own_text_the_page_uses_the_librarys_description(client, illustrated):
    illustrated.image_alt = ""
    illustrated.save_revision().publish()
    html = html_of(client, illustrated)
    assert html.find("img", class_="page-header__image")["alt"] == LIBRARY


def test_a_card_in_a_list_does_not_describe_its_image_before_the_title(
    client, clinic_site, illustrated
):
    html = html_of(client, clinic_site.conditions)
    cards = html.find_all("img", class_="card__image")
    assert cards and all(img["alt"] == "" for img in cards)
