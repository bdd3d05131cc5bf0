"""Every page type, in a real browser, at a phone's and a desktop's width."""

import pytest

# Serialized rollback restores what migrations created (root page, locales, groups) after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_page_reflows_at_320_px_without_horizontal_scrolling(
    browser, live_server, live_site, screenshot_dir
):
    for width in (320, 375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        for site_page in live_site.all_pages():
            page.goto(live_server.url + site_page.url)
            assert page.locator("h1").count() == 1
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, (site_page.url, width, scroll_width)
            if width != 320:
                name = site_page.url.strip("/").replace("/", "_")
                page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
        page.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(
    browser, live_server, live_site
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + live_site.condition.url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24  # visible while focused, a usable target
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.close()
