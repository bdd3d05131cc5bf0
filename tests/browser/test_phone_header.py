"""The header on a 375 px phone, in Chromium: short enough that the page's heading starts above
the fold, with the menu, the search and the languages behind a "Menu" button that works by
keyboard, and the phone number and the consultation button one tap away. Without JavaScript
every link is still there."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
MAX_HEADER_HEIGHT = 160
MIN_TARGET = 44

# The page every test starts from: a condition page has all the header has (three
# languages, the portals, the consultation button).
START = "/en/conditions/synkinesis/"

HEADER_LINKS = """() => [...document.querySelectorAll(
    ".site-nav a, .language-switcher a, .site-header__portals a, #site-search-q")]
    .map(element => element.getAttribute("href") || element.id)"""

VISIBLE_HEADER_LINKS = """() => [...document.querySelectorAll(
    ".site-nav a, .language-switcher a, .site-header__portals a, #site-search-q")]
    .filter(element => element.getClientRects().length)
    .map(element => element.getAttribute("href") || element.id)"""


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def focused(page) -> str:
    return page.evaluate(
        "(document.activeElement.getAttribute('href') || document.activeElement.id"
        " || document.activeElement.className)"
    )


def assert_one_tap_away(page, locator) -> None:
    """Visible on the first screen, not covered, and at least 44 by 44 CSS pixels."""
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, box


@pytest.mark.parametrize("url", [START, "/es/afecciones/sincinesia/", "/fr/affections/syncinesie/"])
def test_phone_header_is_short_and_keeps_the_phone_and_consultation_button_in_reach(
    browser, live_server, demo_site, screenshot_dir, url
):
    language = url.split("/")[1]
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + url)
    assert header_height(page) <= MAX_HEADER_HEIGHT
    phone = page.locator(".site-header__phone a")
    assert phone.get_attribute("href").startswith("tel:+1")
    assert_one_tap_away(page, phone)
    assert_one_tap_away(page, page.locator(".site-header .button--cta"))
    assert_one_tap_away(page, page.locator("[data-menu-toggle]"))
    # The menu, the search and the languages are folded away, and the heading is in view.
    assert page.evaluate(VISIBLE_HEADER_LINKS) == []
    assert page.locator("h1").bounding_box()["y"] < PHONE["height"] / 2
    page.screenshot(path=screenshot_dir / f"phone-header-closed-{language}-375.png")
    # The narrowest phone still in use too.
    page.set_viewport_size({"width": 320, "height": 800})
    assert header_height(page) <= MAX_HEADER_HEIGHT
    page.screenshot(path=screenshot_dir / f"phone-header-closed-{language}-320.png")
    page.set_viewport_size(PHONE)

    page.locator("[data-menu-toggle]").click()
    assert page.evaluate(VISIBLE_HEADER_LINKS) == page.evaluate(HEADER_LINKS)
    page.screenshot(path=screenshot_dir / f"phone-header-open-{language}-375.png")
    page.close()


@pytest.mark.parametrize("key", ["Enter", " "])
def test_keyboard_user_opens_the_phone_menu_tabs_through_it_and_escapes_back_to_the_button(
    browser, live_server, demo_site, key
):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + START)
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.get_attribute("aria-expanded") == "false"
    controlled = toggle.get_attribute("aria-controls").split()
    assert all(page.locator(f"#{panel}").count() == 1 for panel in controlled)

    # Skip link, phone number, then the button.
    for _stop in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press(key)
    assert toggle.get_attribute("aria-expanded") == "true"

    # Every link of the menu is reached by Tab, in the order they are drawn, from the button.
    expected = page.evaluate(HEADER_LINKS)
    reached = []
    for _stop in range(40):
        page.keyboard.press("Tab")
        current = focused(page)
        if current in expected:
            reached.append(current)
        if current == "site-search-q":
            break
    assert reached == expected

    # Escape from inside closes the menu and gives focus back to the button.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    assert page.evaluate(VISIBLE_HEADER_LINKS) == []

    # The same key closes it from the button, Escape does nothing more once it is closed.
    page.keyboard.press(key)
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press(key)
    assert toggle.get_attribute("aria-expanded") == "false"
    page.close()


def test_without_javascript_every_header_link_is_on_the_phone_page(
    browser, live_server, demo_site, screenshot_dir
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + START)
    links = page.evaluate("[...document.querySelectorAll('.site-nav a')].length")
    assert links >= 4
    assert page.locator("[data-menu-toggle]").is_hidden()
    # Evaluating scripts is Playwright's, not the page's: this only reads what is shown.
    assert page.evaluate(VISIBLE_HEADER_LINKS) == page.evaluate(HEADER_LINKS)
    # ...and a keyboard reaches them.
    first_menu_link = page.evaluate("document.querySelector('.site-nav a').getAttribute('href')")
    for _stop in range(30):
        page.keyboard.press("Tab")
        if focused(page) == first_menu_link:
            break
    assert focused(page) == first_menu_link
    page.screenshot(path=screenshot_dir / "phone-header-no-js-375.png")
    context.close()


def desktop_layout(page) -> dict:
    """Where the header's parts are drawn."""
    boxes = {
        name: page.locator(selector).bounding_box()
        for name, selector in {
            "header": ".site-header",
            "phone": ".site-header__phone",
            "languages": ".language-switcher",
            "portals": ".site-header__portals",
            "brand": ".site-header__brand",
            "cta": ".site-header .button--cta",
            "menu": ".site-nav",
            "search": ".site-search",
        }.items()
    }
    return {name: {key: round(value) for key, value in box.items()} for name, box in boxes.items()}


@pytest.mark.parametrize("state", ["closed", "open"])
def test_desktop_header_shows_everything_in_three_rows_whatever_the_phone_menu_did(
    browser, live_server, demo_site, screenshot_dir, state
):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + START)
    if state == "open":  # opened on a phone turned sideways, or a window made wider
        page.get_by_role("button", name="Menu").click()
    page.set_viewport_size(DESKTOP)
    assert page.locator("[data-menu-toggle]").is_hidden()
    assert page.evaluate(VISIBLE_HEADER_LINKS) == page.evaluate(HEADER_LINKS)
    layout = desktop_layout(page)
    # As before: the phone, languages and patient services in the top bar, left to right...
    middles = [layout[name]["y"] + layout[name]["height"] / 2 for name in ("phone", "languages")]
    middles.append(layout["portals"]["y"] + layout["portals"]["height"] / 2)
    assert max(middles) - min(middles) <= 2
    assert layout["phone"]["x"] < layout["languages"]["x"] < layout["portals"]["x"]
    # ...the clinic's name with the consultation button, then the menu with the search.
    assert layout["phone"]["y"] < layout["brand"]["y"] < layout["menu"]["y"]
    assert layout["brand"]["x"] < layout["cta"]["x"] and layout["menu"]["x"] < layout["search"]["x"]
    assert layout["header"]["height"] < 200
    page.screenshot(path=screenshot_dir / f"phone-header-desktop-{state}-1280.png")
    page.close()


# Adds up the page's layout shifts that no input caused (Lighthouse's cumulative layout shift).
COUNT_LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
        if (!entry.hadRecentInput) window.layoutShift += entry.value;
    }
}).observe({type: "layout-shift", buffered: true});
"""


def test_the_page_does_not_jump_when_the_header_folds(browser, live_server, demo_site):
    """The header folds before the first paint, even when its script is slow to arrive: a phone
    never draws the whole header and then moves the page up under the reader's eyes (or a
    focused error summary out of view)."""
    page = browser.new_page(viewport=PHONE)
    page.add_init_script(COUNT_LAYOUT_SHIFTS)

    def slow_network(route):
        page.wait_for_timeout(500)
        route.continue_()

    page.route("**/js/header*.js", slow_network)
    page.goto(live_server.url + START)
    page.wait_for_timeout(500)
    assert page.evaluate("window.layoutShift") < 0.01
    assert header_height(page) <= MAX_HEADER_HEIGHT
