"""The demo clinic has its legal notices in English, Spanish and French, with California's
taglines and a Section 1557 coordinator, and the content checks find nothing missing."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from core.taglines import STATE_LANGUAGES
from pages.content_checks import legal_notice_problems
from pages.models import LegalNoticePage

# A real transaction: wagtail-localize publishes the Spanish and French pages on commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_demo_notices_are_live_translated_and_filled_from_the_settings(client, demo_content):
    demo_site = Site.objects.get(is_default_site=True, hostname="testserver", port=80)
    for language in ("en", "es", "fr"):
        notices = LegalNoticePage.objects.live().filter(locale__language_code=language)
        assert sorted(notices.values_list("kind", flat=True)) == sorted(LegalNoticePage.Kind)
        for notice in notices:
            page = BeautifulSoup(client.get(notice.url).content, "html.parser")
            assert page.html["lang"] == language
            if language != "en":
                # Translated, not the English text under another address.
                english = notice.get_translation(notice.locale.get_default()).title
                assert page.h1.get_text() != english
    assert legal_notice_problems(demo_site) == []

    notice = LegalNoticePage.objects.get(locale__language_code="es", kind="language_assistance")
    page = BeautifulSoup(client.get(notice.url).content, "html.parser")
    codes = [item["lang"] for item in page.select(".taglines__item")]
    assert codes == list(STATE_LANGUAGES["CA"])
    assert "Asistencia lingüística" in page.h1.get_text()

    notice = LegalNoticePage.objects.get(locale__language_code="fr", kind="nondiscrimination")
    text = BeautifulSoup(client.get(notice.url).content, "html.parser").get_text()
    assert "Renata Holloway" in text
    assert "Avis de non-discrimination" in text
