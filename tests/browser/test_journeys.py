"""Journeys through the demo site as its people make them, in Chromium."""

import re

import pytest
from django.contrib.auth.models import Group

from appointments.models import ConsultationRequest
from appointments.timeline import timeline

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_spanish_speaker_switches_language_on_a_condition_and_books_in_spanish(
    browser, live_server, demo_site, screenshot_dir
):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server.url + "/en/conditions/synkinesis/")
    # On a phone the languages are behind the header's "Menu" button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    assert page.url == live_server.url + "/es/afecciones/sincinesia/"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Sincinesia"

    page.get_by_role("link", name="Programe una consulta").last.click()
    # The link says which page it was on (the request records it as its source).
    assert re.fullmatch(re.escape(live_server.url + "/es/consulta/") + r"\?from=\d+", page.url)
    page.get_by_label("Nombre completo").fill("Rosa Delgado")
    page.get_by_label("Número de teléfono").fill("(202) 555-0123")
    page.locator("#id_symptom_onset").select_option("lt1y")
    page.locator("#id_patient_status_0").check()
    page.locator("#id_consent").check()
    screenshot(page, screenshot_dir, "journey-spanish-form")
    page.locator(".request-form button[type=submit]").click()

    reference = page.locator(".reference__number").inner_text()
    assert page.locator("h1").inner_text() != "Thank you: your request has been sent"
    screenshot(page, screenshot_dir, "journey-spanish-confirmation")
    stored = ConsultationRequest.objects.get(reference=reference)
    assert stored.submitted_language == "es"
    assert stored.preferred_language == "es"
    page.close()


def test_intake_staff_find_a_request_in_the_inbox_and_mark_it_contacted(
    browser, live_server, demo_site, django_user_model, screenshot_dir
):
    # The visitor of journey 1 sends their request.
    visitor = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    visitor.goto(live_server.url + "/en/consultation/")
    visitor.get_by_label("Full name").fill("Rosa Delgado")
    visitor.get_by_label("Phone number").fill("(202) 555-0123")
    visitor.get_by_label("When did your symptoms begin?").select_option("lt1y")
    visitor.get_by_label("New patient").check()
    visitor.get_by_label("I agree that the clinic may contact me").check()
    visitor.get_by_role("button", name="Send my request").click()
    reference = visitor.locator(".reference__number").inner_text()
    visitor.context.close()
    request = ConsultationRequest.objects.get(reference=reference)

    user = django_user_model.objects.create_user("ivy", "ivy@example.org", "intake-pass-123")
    user.groups.add(Group.objects.get(name="Intake staff"))

    page = log_in(browser, live_server, "ivy", "intake-pass-123")
    page.get_by_role("link", name="Requests").first.click()
    screenshot(page, screenshot_dir, "journey-intake-inbox")
    page.get_by_role("link", name=request.reference).click()
    page.locator("#id_status").select_option("contacted")
    page.get_by_label("Add a note").fill("Called, left a voicemail.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "updated" in page.locator(".messages").inner_text()
    screenshot(page, screenshot_dir, "journey-intake-updated")

    request.refresh_from_db()
    assert request.status == "contacted"
    [note] = [event.note for event in timeline(request) if event.is_note]
    assert note == "Called, left a voicemail."
    page.context.close()
