"""A visitor books a consultation in a real browser: straight through (journey 1), and with
mistakes first (journey 2)."""

import pytest
from playwright.sync_api import expect

from appointments.models import ConsultationRequest

from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def go_from_home_to_the_form(page, live_server) -> None:
    page.goto(live_server.url + "/en/")
    # On a phone the main menu is behind the header's "Menu" button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions").click()
    page.get_by_role("link", name="Synkinesis").first.click()
    assert page.locator("h1").inner_text() == "Synkinesis"
    page.get_by_role("link", name="Schedule a consultation").last.click()


def answer_the_rest(page) -> None:
    page.get_by_label("When did your symptoms begin?").select_option("lt1y")
    page.get_by_label("New patient").check()
    page.get_by_label("I agree that the clinic may contact me").check()


def test_visitor_goes_from_home_to_a_confirmed_request(
    browser, live_server, live_site, consultation_page, screenshot_dir
):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    go_from_home_to_the_form(page, live_server)
    # The link says which page it was on: the request records it as its source.
    assert page.url == f"{live_server.url}{consultation_page.url}?from={live_site.condition.pk}"
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Phone number").fill("(202) 555-0123")
    answer_the_rest(page)
    screenshot(page, screenshot_dir, "journey-consultation-form")
    page.get_by_role("button", name="Send my request").click()

    reference = page.locator(".reference__number").inner_text()
    screenshot(page, screenshot_dir, "journey-consultation-confirmation")
    stored = ConsultationRequest.objects.get()
    assert stored.reference == reference
    assert (stored.full_name, stored.phone) == ("Rosa Delgado", "+12025550123")
    assert (stored.source_page_id, stored.source_language, stored.source_referrer) == (
        live_site.condition.pk,
        "en",
        "site",
    )
    page.reload()  # a reload shows the same confirmation and stores nothing more
    assert page.locator(".reference__number").inner_text() == reference
    assert ConsultationRequest.objects.count() == 1
    page.close()


def test_visitor_fixes_mistakes_without_losing_what_they_typed(
    browser, live_server, live_site, consultation_page, screenshot_dir
):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    go_from_home_to_the_form(page, live_server)
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Phone number").fill("12")
    page.get_by_label("Anything you would like us to know (optional)").fill(
        "Eye closes on smiling."
    )
    page.get_by_role("button", name="Send my request").click()

    # The click returns once the form is sent, not once the answer has loaded: wait for it.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    screenshot(page, screenshot_dir, "journey-consultation-errors")
    # What was typed is still there.
    assert page.get_by_label("Full name").input_value() == "Rosa Delgado"
    assert page.get_by_label("Anything you would like us to know (optional)").input_value() == (
        "Eye closes on smiling."
    )
    assert ConsultationRequest.objects.count() == 0
    # The summary's link takes the visitor to the field.
    summary.get_by_role("link", name="Enter a phone number we can call").click()
    assert page.evaluate("document.activeElement.name") == "phone"

    page.get_by_label("Phone number").fill("(202) 555-0123")
    answer_the_rest(page)
    page.get_by_role("button", name="Send my request").click()

    reference = page.locator(".reference__number").inner_text()
    stored = ConsultationRequest.objects.get()
    assert stored.reference == reference
    assert stored.phone == "+12025550123"
    assert stored.message == "Eye closes on smiling."
    page.close()
