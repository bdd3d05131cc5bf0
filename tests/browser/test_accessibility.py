"""axe-core over the whole demo site in every language, in Chromium: every page, the forms'
error states, the confirmations, search results and the 404 page, with the WCAG 2.0, 2.1 and
2.2 level A and AA rules. The count of violations must be 0."""

from pathlib import Path

import axe_playwright_python
import pytest
from wagtail.images import get_image_model
from wagtail.models import Page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# axe-core as pinned by the axe-playwright-python version in requirements.lock.
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DIRECTORY_STATES = [
    "/en/physicians/?condition=synkinesis&language=es",
    "/es/medicos/?language=fr&video=1",
    "/fr/medecins/?language=xx&new_patients=1",
]


def axe_violations(page) -> list[str]:
    # Through the DevTools protocol, which the Content-Security-Policy does not apply to.
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def test_every_page_in_every_language_has_no_axe_violations(browser, live_server, demo_site):
    urls = [page.url for page in Page.objects.live().filter(depth__gte=2).order_by("path")]
    assert len(urls) >= 57  # 19 demo pages in English, Spanish and French
    urls += ["/en/search/?q=nerve", "/es/search/?q=sincinesia", "/fr/search/?q=nerf"]
    urls += ["/en/no-such-page/", "/es/no-existe/", "/fr/introuvable/"]
    # The physician directory filtered, with no match, and with a filter it ignores.
    urls += DIRECTORY_STATES
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # The Content-Security-Policy must not block anything the pages use.
    blocked = []

    def note_blocked(message):
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", note_blocked)
    # The image library's descriptions are English: on a Spanish or French page none is read
    # out (WCAG 3.1.2); the demo's images are decorative there or described in the page's
    # language.
    english = set(get_image_model().objects.values_list("description", flat=True)) - {""}
    found, english_alt, described = {}, [], set()
    for url in urls:
        page.goto(live_server.url + url)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
        if url.startswith(("/es/", "/fr/")):
            texts = page.locator("img").evaluate_all("images => images.map(i => i.alt)")
            texts += page.locator('meta[property="og:image:alt"]').evaluate_all(
                "metas => metas.map(m => m.content)"
            )
            english_alt += [(url, text) for text in texts if text in english]
            described.update(text for text in texts if text)
    page.close()
    assert found == {}
    assert blocked == []
    assert english_alt == []
    assert "Imagen provisional en lugar del retrato de la Dra. Marisol Trevane" in described
    assert "Image provisoire à la place du portrait du Dr Julien Ashcombe" in described


def test_form_error_states_and_confirmations_have_no_axe_violations(
    browser, live_server, demo_site
):
    from appointments.models import AccessibilityPage, ConsultationRequestPage

    page = browser.new_page(viewport={"width": 375, "height": 800})
    found = {}
    for language in ("en", "es", "fr"):
        consultation = ConsultationRequestPage.objects.get(locale__language_code=language)
        accessibility = AccessibilityPage.objects.get(locale__language_code=language)
        for form_page in (consultation, accessibility):
            page.goto(live_server.url + form_page.url)
            page.locator(".request-form button").first.click()  # sent empty: the error state
            page.wait_for_load_state()
            assert page.locator("[data-error-summary]").count() == 1
            found[f"{form_page.url} (errors)"] = axe_violations(page)

        page.goto(live_server.url + accessibility.url)
        page.locator("#id_full_name").fill("Sam Ortiz")
        page.locator("#id_contact_details").fill("(202) 555-0188")
        page.locator("#id_message").fill("Large print, please.")
        page.locator(".request-form button").first.click()
        page.wait_for_load_state()
        assert page.locator(".reference__number").count() == 1
        found[f"{accessibility.url} (confirmation)"] = axe_violations(page)
    page.close()
    assert {url: violations for url, violations in found.items() if violations} == {}
