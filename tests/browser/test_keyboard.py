"""Keyboard only, in Chromium: Tab, Shift+Tab, Enter, Space and the arrow keys, never the mouse.
Every stop shows a visible focus indicator that nothing covers."""

import re

import pytest

from appointments.models import ConsultationRequest

from .capture import screenshot
from .focus import assert_focus_not_obscured, focus_state, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def by_text(text):
    return lambda state: state["text"] == text


def by_name(name):
    return lambda state: state["name"] == name


def test_keyboard_user_goes_from_home_to_a_confirmed_request(
    browser, live_server, live_site, consultation_page, screenshot_dir
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + "/en/")

    # The skip link comes first and moves focus to the main content.
    tab_to(page, by_text("Skip to main content"), limit=1)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    # Back up into the main navigation and follow it.
    tab_to(page, by_text("Conditions"), key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/conditions/")
    tab_to(page, by_text("Synkinesis"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/conditions/synkinesis/")

    # Straight to the page's own call to action, past the header.
    tab_to(page, by_text("Skip to main content"), limit=1)
    page.keyboard.press("Enter")
    tab_to(page, by_text("Schedule a consultation"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(consultation_page.url) + r"(\?from=\d+)?$"))

    # The whole form, field by field.
    tab_to(page, by_name("full_name"))
    page.keyboard.type("Rosa Delgado")
    tab_to(page, by_name("phone"), limit=1)
    page.keyboard.type("(202) 555-0123")
    tab_to(page, by_name("email"), limit=1)
    page.keyboard.type("rosa@example.org")
    tab_to(page, by_name("preferred_contact_method"), limit=1)
    page.keyboard.press("ArrowDown")  # from "Phone" to the next way of contacting
    assert page.evaluate("document.activeElement.checked")
    # A step back to check the email address, and forward again.
    tab_to(page, by_name("email"), key="Shift+Tab", limit=1)
    tab_to(page, by_name("preferred_contact_method"), limit=1)
    tab_to(page, by_name("best_time"), limit=1)
    page.keyboard.press("Space")
    tab_to(page, by_name("symptom_onset"), limit=6)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") != ""
    tab_to(page, by_name("patient_status"), limit=1)
    page.keyboard.press("Space")
    tab_to(page, by_name("message"), limit=2)
    page.keyboard.type("My left eye closes when I smile.")
    tab_to(page, by_name("consent"), limit=1)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    # The consent box's label links to the privacy notice, then comes the button.
    tab_to(page, by_text("privacy notice"), limit=1)
    tab_to(page, by_text("Send my request"), limit=1)
    screenshot(page, screenshot_dir, "journey-keyboard-form")
    page.keyboard.press("Enter")

    page.locator(".reference__number").wait_for()
    screenshot(page, screenshot_dir, "journey-keyboard-confirmation")
    stored = ConsultationRequest.objects.get()
    assert stored.reference == page.locator(".reference__number").inner_text()
    assert stored.full_name == "Rosa Delgado"
    assert stored.phone == "+12025550123"
    assert stored.email == "rosa@example.org"
    assert stored.preferred_contact_method != "phone"
    assert stored.best_time
    assert stored.symptom_onset
    assert stored.patient_status
    assert stored.message == "My left eye closes when I smile."
    page.close()


def test_focus_is_never_hidden_on_any_page_type(browser, live_server, live_site):
    """Tab through every page type, wide (where the contents and profile panels are sticky) and
    narrow: each focused element is on screen and uncovered. (Without smooth scrolling, as for a
    visitor who prefers reduced motion, so that each stop is checked at once.)"""
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 700}, reduced_motion="reduce")
        for site_page in live_site.all_pages():
            page.goto(live_server.url + site_page.url)
            stops = 0
            while True:
                page.keyboard.press("Tab")
                if focus_state(page)["description"].startswith("body"):
                    break
                assert_focus_not_obscured(page)
                stops += 1
                assert stops < 200, site_page.url
            assert stops > 10, site_page.url
        page.close()
