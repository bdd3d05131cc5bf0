"""Every page of the demo clinic in every language, in Chromium: text set twice as large in the
browser loses nothing (WCAG 1.4.4), and everything a visitor can click or tap is at least 24 by
24 CSS pixels, or is a link inside a sentence (WCAG 2.5.8)."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Text that a box cuts off: an element that hides its overflow while its content is bigger.
CLIPPED_TEXT = """() => [...document.querySelectorAll("body *")]
    .filter(element => !element.closest(
        ".visually-hidden, .skip-link, wagtail-userbar, [aria-hidden=true]"))
    .filter(element => {
        const style = getComputedStyle(element);
        const clips = value => ["hidden", "clip"].includes(value);
        return (clips(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
            || (clips(style.overflowY) && element.scrollHeight > element.clientHeight + 1);
    })
    .map(element => element.outerHTML.slice(0, 120))"""

SMALL_TARGETS = """() => {
    // A link stretched over its card by an absolutely placed ::after is as big as the card.
    const targetBox = element => {
        const after = getComputedStyle(element, "::after");
        const stretched = after.content !== "none" && after.position === "absolute";
        return (stretched && element.offsetParent ? element.offsetParent : element)
            .getBoundingClientRect();
    };
    return [...document.querySelectorAll(
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']")]
    .filter(element => element.getClientRects().length)
    .filter(element => !element.closest(".visually-hidden, [aria-hidden=true]"))
    .filter(element => {
        const box = targetBox(element);
        if (box.width >= 24 && box.height >= 24) return false;
        // The inline exception: a link that is part of a sentence.
        const inline = getComputedStyle(element).display === "inline";
        const sentence = element.parentElement.innerText.trim();
        const ownText = element.innerText.trim();
        return !(element.tagName === "A" && inline && sentence.length > ownText.length);
    })
    .map(element => {
        const box = targetBox(element);
        const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
        return `${element.outerHTML.slice(0, 80)} (${size})`;
    });
}"""


def public_urls() -> list[str]:
    urls = [page.url for page in Page.objects.live().filter(depth__gte=2).order_by("path")]
    assert len(urls) >= 57  # 19 demo pages in English, Spanish and French
    return urls


def test_text_at_200_percent_loses_nothing(browser, live_server, demo_site, screenshot_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    normal_text = {}
    for url in public_urls():
        page.goto(live_server.url + url)
        normal_text[url] = page.evaluate("document.body.innerText.replace(/\\s+/g, ' ')")

    # The browser's own text-size setting, doubled (not page zoom, which only narrows the page).
    page.context.new_cdp_session(page).send(
        "Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}}
    )
    problems = {}
    for url in public_urls():
        page.goto(live_server.url + url)
        found = []
        if page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") < 32:
            found.append("the body text did not grow")
        if page.evaluate("document.documentElement.scrollWidth") > 1280:
            found.append("the page scrolls sideways")
        found += page.evaluate(CLIPPED_TEXT)
        if page.evaluate("document.body.innerText.replace(/\\s+/g, ' ')") != normal_text[url]:
            found.append("some text is no longer shown")
        if found:
            problems[url] = found
    # Only the window: a full-page capture in Chromium drops the font-size setting.
    page.goto(live_server.url + "/fr/affections/syncinesie/")
    page.screenshot(path=screenshot_dir / "text-200-percent-1280.png")
    page.close()
    assert problems == {}


def test_every_target_is_at_least_24_pixels(browser, live_server, demo_site):
    problems = {}
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for url in public_urls():
            page.goto(live_server.url + url)
            small = page.evaluate(SMALL_TARGETS)
            if small:
                problems[f"{url} at {width}px"] = small
        page.close()
    assert problems == {}
