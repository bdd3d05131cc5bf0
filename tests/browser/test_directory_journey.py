"""A Spanish-speaking patient with synkinesis finds the right physician on a phone, in Chromium:
the directory filters by condition and language, the physician's card leads to the consultation
form with the physician and the site already chosen, and the intake team sees the site on the
request and where it came from, and filters the inbox by the site."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from appointments.models import ConsultationRequest
from pages.models import ConditionPage, LocationPage, PhysicianIndexPage

from .admin import log_in
from .capture import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "front-desk-pass-123"


def spanish(model, slug: str):
    """The Spanish version of the demo's English page with ``slug``."""
    english = model.objects.get(locale__language_code="en", slug=slug)
    return english.get_translation(english.locale.__class__.objects.get(language_code="es"))


def test_spanish_patient_finds_a_physician_and_asks_for_a_consultation_at_their_site(
    browser, live_server, demo_site, django_user_model, screenshot_dir
):
    directory = PhysicianIndexPage.objects.get(locale__language_code="es")
    synkinesis = spanish(ConditionPage, "synkinesis")
    bayview = spanish(LocationPage, "bayview")
    page = browser.new_page(viewport={"width": 375, "height": 800}, locale="es-US")
    page.goto(live_server.url + directory.url)
    filters = page.locator("form.directory-filters")
    filters.locator("select[name=condition]").select_option(label=synkinesis.title)
    filters.locator("select[name=language]").select_option(value="es")
    filters.locator("button[type=submit]").click()

    expect(page.get_by_role("status")).to_contain_text("1")
    cards = page.locator(".physician-teaser")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Marisol Trevane")
    # The filters are in the address: shareable, and what a reload shows.
    assert f"condition={synkinesis.slug}" in page.url and "language=es" in page.url
    screenshot(page, screenshot_dir, "directory-es-synkinesis-spanish")

    cards.first.get_by_role("link", name="Solicitar una consulta").click()
    form = page.locator("form.request-form")
    expect(form).to_be_visible()
    physician = form.locator("select[name=physician]")
    location = form.locator("select[name=location]")
    assert "Marisol Trevane" in physician.locator("option:checked").inner_text()
    assert location.locator("option:checked").inner_text() == bayview.title
    form.locator("[name=full_name]").fill("Lucía Moreno")
    form.locator("[name=phone]").fill("(202) 555-0177")
    form.locator("[name=symptom_onset]").select_option("lt1y")
    form.locator("[name=patient_status][value=new]").check()
    form.locator("[name=consent]").check()
    screenshot(page, screenshot_dir, "directory-es-consultation-form")
    form.locator("button[type=submit]").click()
    expect(page.locator(".reference__number")).to_be_visible()

    stored = ConsultationRequest.objects.get()
    assert stored.full_name == "Lucía Moreno"
    assert stored.physician.name == "Marisol Trevane"
    assert stored.location.translation_key == bayview.translation_key
    assert stored.submitted_language == "es"
    # The card's link said which page it was on: the Spanish directory, followed on this site.
    assert (stored.source_page_id, stored.source_language) == (directory.pk, "es")
    assert stored.source_referrer == "site"

    # An empty result says what to try and gives the clinic's phone.
    page.goto(live_server.url + directory.url + "?language=fr&video=1")
    expect(page.locator(".physician-teaser")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("555")
    screenshot(page, screenshot_dir, "directory-es-empty")
    page.goto(live_server.url + bayview.url)
    expect(page.locator("h1")).to_have_text(bayview.title)
    screenshot(page, screenshot_dir, "location-es-bayview")
    page.close()

    # At the front desk: the request shows its site, and the inbox filters by it.
    user = django_user_model.objects.create_user("noor", "noor@clinic.example", PASSWORD)
    user.groups.add(Group.objects.get(name="Intake staff"))
    admin = log_in(browser, live_server, "noor", PASSWORD)
    eastbrook = LocationPage.objects.get(locale__language_code="en", slug="eastbrook")
    english_bayview = LocationPage.objects.get(locale__language_code="en", slug="bayview")
    inbox = live_server.url + reverse("consultation_requests:index")
    admin.goto(f"{inbox}?location={english_bayview.translation_key}")
    rows = admin.locator("tbody tr")
    expect(rows.filter(has_text="Lucía Moreno")).to_have_count(1)
    expect(
        rows.filter(has_text="Lucía Moreno").get_by_role("link", name=stored.reference)
    ).to_be_visible()
    screenshot(admin, screenshot_dir, "inbox-filtered-by-site")
    admin.goto(f"{inbox}?location={eastbrook.translation_key}")
    expect(admin.get_by_role("heading", name="Consultation requests")).to_be_visible()
    expect(rows.filter(has_text="Lucía Moreno")).to_have_count(0)
    admin.goto(live_server.url + reverse("consultation_requests:inspect", args=[stored.pk]))
    expect(admin.locator("main")).to_contain_text(english_bayview.title)
    # And where it came from.
    expect(admin.locator("main")).to_contain_text(f"{directory.title} (Spanish) · This website")
    admin.close()
