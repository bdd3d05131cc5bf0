"""The legal notices of the demo clinic in Chromium, in every language: no axe violations, the
taglines laid out in their own direction, and screenshots at 375 and 1280 px to look at."""

import pytest

from pages.models import LegalNoticePage
from tests.browser.capture import screenshot
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_legal_notices_have_no_axe_violations_and_taglines_keep_their_direction(
    browser, live_server, demo_site, screenshot_dir
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {}
    for notice in LegalNoticePage.objects.live().order_by("path"):
        page.goto(live_server.url + notice.url)
        violations = axe_violations(page)
        if violations:
            found[notice.url] = violations
        if notice.kind == LegalNoticePage.Kind.LANGUAGE_ASSISTANCE:
            language = notice.locale.language_code
            directions = page.locator(".taglines__item").evaluate_all(
                "items => items.map(i => [i.lang, getComputedStyle(i).direction])"
            )
            assert ["fa", "rtl"] in directions and ["ar", "rtl"] in directions
            assert ["es", "ltr"] in directions
            # The number reads left to right inside right-to-left text.
            arabic_number = page.locator('.taglines__item[lang="ar"] a[href^="tel:"]')
            assert arabic_number.evaluate("a => getComputedStyle(a).direction") == "ltr"
            screenshot(page, screenshot_dir, f"language-assistance-{language}")
        if notice.kind == LegalNoticePage.Kind.NONDISCRIMINATION:
            screenshot(page, screenshot_dir, f"nondiscrimination-{notice.locale.language_code}")
    page.close()
    assert found == {}
