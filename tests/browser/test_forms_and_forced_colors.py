"""The visitors' forms as a keyboard or screen-reader user meets them, in Chromium: focus on the
error summary after a failed send, summary links that show the question with its field, no
question announced invalid before anything is sent, answers kept while the privacy notice is
read; and every state (current page, focus, language, error) visible in forced colours."""

import io
import re

import pytest
from PIL import Image, ImageChops

from .focus import SCROLL_SETTLED, assert_focus_visible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Where an element is on screen, for "is it in the window?".
BOX = """element => {
    const box = element.getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
            height: window.innerHeight};
}"""


def form_address(form_page):
    """The form's address, with or without the ``?from=`` naming the page whose link led there
    (the request records it as its source)."""
    return re.compile(re.escape(form_page.url) + r"(\?from=\d+)?$")


def form_pages(live_site, consultation_page):
    return [consultation_page, live_site.accessibility]


def send_empty(page) -> None:
    with page.expect_navigation():
        page.locator(".request-form button[type=submit]").click()


def invalid_nodes(page) -> list[str]:
    """The nodes Chromium's accessibility tree reports as invalid, as a screen reader hears
    them ("invalid entry")."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return [
        f"{node.get('role', {}).get('value')} “{node.get('name', {}).get('value')}”"
        for node in nodes
        for prop in node.get("properties", [])
        if prop["name"] == "invalid" and prop["value"].get("value") not in (None, "false")
    ]


def required_nodes(page) -> set[str]:
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return {
        node.get("name", {}).get("value")
        for node in nodes
        for prop in node.get("properties", [])
        if prop["name"] == "required" and prop["value"].get("value") is True
    }


def assert_in_window(page, element, what: str) -> None:
    box = element.evaluate(BOX)
    assert box["top"] >= 0 and box["bottom"] <= box["height"], f"{what} is out of view: {box}"


def test_error_summary_takes_focus_after_a_failed_send_on_both_forms(
    browser, live_server, live_site, consultation_page
):
    for javascript in (True, False):
        # Without JavaScript the page's own scripts do not run, nor would a wait for smooth
        # scrolling to end: scrolling is made instant, as for a visitor who prefers less motion.
        context = browser.new_context(
            viewport={"width": 375, "height": 700},
            java_script_enabled=javascript,
            reduced_motion="no-preference" if javascript else "reduce",
        )
        page = context.new_page()
        for form_page in form_pages(live_site, consultation_page):
            page.goto(live_server.url + form_page.url)
            send_empty(page)
            summary = page.locator("[data-error-summary]")
            assert summary.evaluate("element => document.activeElement === element"), (
                form_page.url,
                javascript,
            )
            # The page is at the summary, not at a heading named in the address.
            assert "#" not in page.url
            if javascript:
                page.evaluate(SCROLL_SETTLED)
            assert_in_window(page, summary.locator("h2"), "the summary's title")
        context.close()


def test_summary_links_move_focus_to_the_field_with_its_label_and_error_in_view(
    browser, live_server, live_site, consultation_page
):
    # Without smooth scrolling, as for a visitor who prefers reduced motion, then with it.
    for motion in ("reduce", "no-preference"):
        page = browser.new_page(viewport={"width": 375, "height": 640}, reduced_motion=motion)
        for form_page in form_pages(live_site, consultation_page):
            page.goto(live_server.url + form_page.url)
            send_empty(page)
            links = page.locator("[data-error-summary] a")
            assert links.count() >= 3, form_page.url
            for index in range(links.count()):
                page.evaluate("window.scrollTo(0, 0)")
                link = links.nth(index)
                target = link.get_attribute("href").removeprefix("#")
                link.click()
                page.evaluate(SCROLL_SETTLED)
                assert page.evaluate("document.activeElement.id") == target
                assert page.url.endswith(form_page.url)  # no jump in the history
                field = page.locator(f"#{target}")
                question = field.locator(
                    "xpath=ancestor::*[contains(concat(' ', @class, ' '), ' field ')][1]"
                )
                label = question.locator("legend, label.field__label, label[for]").first
                error = question.locator(".field__error")
                assert_in_window(page, label, f"the label of {target}")
                assert_in_window(page, error, f"the error of {target}")
                assert_in_window(page, field, target)
        page.close()


def test_summary_links_keep_the_label_in_view_without_javascript(
    browser, live_server, live_site, consultation_page
):
    context = browser.new_context(
        viewport={"width": 375, "height": 640}, java_script_enabled=False, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(live_server.url + consultation_page.url)
    send_empty(page)
    for name in ("full_name", "symptom_onset"):
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(f"[data-error-summary] a[href='#id_{name}']").click()
        assert_in_window(page, page.locator(f"label[for='id_{name}']"), f"the label of {name}")
        assert_in_window(page, page.locator(f"#id_{name}_error"), f"the error of {name}")
    context.close()


def test_no_question_is_invalid_in_the_accessibility_tree_before_sending(
    browser, live_server, live_site, consultation_page
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for form_page in form_pages(live_site, consultation_page):
        page.goto(live_server.url + form_page.url)
        assert invalid_nodes(page) == [], form_page.url
        # Required questions still say so.
        assert {"Full name", "Your name"} & required_nodes(page), form_page.url
        # The check can fail: after a failed send the questions in error are invalid.
        send_empty(page)
        assert invalid_nodes(page), form_page.url
    page.goto(live_server.url + consultation_page.url)
    # (The tree Chromium gives the DevTools protocol reports "required" on text boxes and radio
    # groups, not on a select or a checkbox: their aria-required is checked in the HTML by
    # tests/appointments/test_form_conventions.py.)
    assert {"Full name", "Have you been seen at our clinic before?"} <= required_nodes(page)
    page.close()


def test_answers_are_kept_while_the_privacy_notice_is_read_and_forgotten_once_sent(
    browser, live_server, live_site, consultation_page
):
    from appointments.models import ConsultationRequest

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.post_data or "")))
    page.goto(live_server.url + consultation_page.url)
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Phone number").fill("(202) 555-0123")
    page.get_by_label("When did your symptoms begin?").select_option("lt1y")
    page.get_by_label("Returning patient").check()
    page.get_by_label("Anything you would like us to know (optional)").fill(
        "Eye closes on smiling."
    )

    # The consent box's label links to the notice, in this tab.
    page.locator("label[for=id_consent]").get_by_role("link", name="privacy notice").click()
    page.wait_for_url("**" + live_site.privacy.url)
    assert len(page.context.pages) == 1
    page.go_back()
    page.wait_for_url(form_address(consultation_page))
    assert page.get_by_label("Full name").input_value() == "Rosa Delgado"
    assert page.get_by_label("Phone number").input_value() == "(202) 555-0123"
    assert page.get_by_label("When did your symptoms begin?").input_value() == "lt1y"
    assert page.get_by_label("Returning patient").is_checked()
    assert page.get_by_label("Anything you would like us to know (optional)").input_value() == (
        "Eye closes on smiling."
    )
    # Coming back by a link rather than the Back button finds them too.
    page.goto(live_server.url + live_site.home.url)
    page.get_by_role("link", name="Schedule a consultation").first.click()
    page.wait_for_url(form_address(consultation_page))
    assert page.get_by_label("Full name").input_value() == "Rosa Delgado"
    # The honeypot is never filled in from them.
    assert page.locator("[name=website]").input_value() == ""

    # Only in this tab: another tab starts empty.
    other = context.new_page()
    other.goto(live_server.url + consultation_page.url)
    assert other.get_by_label("Full name").input_value() == ""
    other.close()

    page.get_by_label("I agree that the clinic may contact me").check()
    page.get_by_role("button", name="Send my request").click()
    page.locator(".reference__number").wait_for()
    assert ConsultationRequest.objects.get().message == "Eye closes on smiling."
    kept = page.evaluate("Object.keys(sessionStorage)")
    assert kept == [], kept
    page.goto(live_server.url + consultation_page.url)
    assert page.get_by_label("Full name").input_value() == ""

    # The answers travelled only with the form itself, never in an address or another request.
    carrying = {url for url, body in sent if "Delgado" in url + body}
    assert carrying == {live_server.url + consultation_page.url}
    context.close()


def strip_has_ink(png: bytes, background: tuple[int, ...]) -> int:
    """How many pixels of a screenshot differ clearly from the background."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    ground = Image.new("RGB", image.size, background)
    difference = ImageChops.difference(image, ground).convert("L")
    return difference.point(lambda value: 255 if value > 50 else 0).histogram()[255]


def test_every_state_is_visible_in_forced_colours(browser, live_server, demo_site, screenshot_dir):
    from wagtail.models import Page

    from appointments.models import ConsultationRequestPage

    conditions = Page.objects.get(locale__language_code="en", slug="conditions")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.emulate_media(forced_colors="active")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    page.goto(live_server.url + conditions.url)
    canvas = page.evaluate(
        "() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)"
    )

    # The current section of the menu keeps a visible bar; the other sections have none.
    nav = page.get_by_role("navigation", name="Main")
    nav.screenshot(path=screenshot_dir / "forced-colors-navigation.png")
    current = nav.locator("a[aria-current]")
    assert current.count() == 1
    others = nav.locator("a:not([aria-current])")

    def underline(link) -> int:
        box = link.bounding_box()
        return strip_has_ink(
            page.screenshot(
                clip={
                    "x": box["x"],
                    "y": box["y"] + box["height"] - 3,
                    "width": box["width"],
                    "height": 3,
                }
            ),
            tuple(canvas[:3]),
        )

    assert underline(current) >= current.bounding_box()["width"] * 2
    assert max(underline(others.nth(index)) for index in range(others.count())) == 0

    # The language being read is boxed.
    languages = page.get_by_role("navigation", name="Language")
    box = languages.bounding_box()
    page.screenshot(
        path=screenshot_dir / "forced-colors-languages.png",
        clip={
            "x": box["x"] - 8,
            "y": box["y"] - 8,
            "width": box["width"] + 16,
            "height": box["height"] + 16,
        },
    )
    selected = languages.locator("[aria-current]")
    assert selected.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    assert (
        languages.locator("a").first.evaluate("element => getComputedStyle(element).outlineStyle")
        == "none"
    )

    # A focused link has a ring.
    nav.locator("a").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert_focus_visible(page)
    box = nav.locator("a").first.bounding_box()
    page.screenshot(
        path=screenshot_dir / "forced-colors-focused-link.png",
        clip={
            "x": box["x"] - 12,
            "y": box["y"] - 12,
            "width": box["width"] + 24,
            "height": box["height"] + 24,
        },
    )

    # A field in error: thick border, bar and icon.
    consultation = ConsultationRequestPage.objects.get(locale__language_code="en")
    page.goto(live_server.url + consultation.url)
    send_empty(page)
    name = page.locator("#id_full_name")
    field = name.locator("xpath=ancestor::div[contains(@class, 'field')][1]")
    field.screenshot(path=screenshot_dir / "forced-colors-field-in-error.png")
    fine = page.locator("#id_referring_clinician")
    assert name.evaluate("element => parseFloat(getComputedStyle(element).borderTopWidth)") > (
        fine.evaluate("element => parseFloat(getComputedStyle(element).borderTopWidth)")
    )
    assert field.evaluate("element => parseFloat(getComputedStyle(element).borderLeftWidth)") >= 4
    icon = field.locator(".field__error-icon")
    assert icon.is_visible()
    assert strip_has_ink(icon.screenshot(), tuple(canvas[:3])) > 20
    page.close()
