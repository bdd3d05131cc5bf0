"""A Spanish- or French-speaking visitor books in their language from start to finish."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from appointments.models import ConsultationRequest
from tests.appointments.helpers import consultation_data

pytestmark = pytest.mark.django_db


def test_spanish_request_stores_es_and_answers_in_spanish(
    client, clinic_site, consultation_page, spanish_site, django_capture_on_commit_callbacks
):
    page = spanish_site[consultation_page.pk]
    form_page = client.get(page.url)
    html = BeautifulSoup(form_page.content, "html.parser")
    assert html.find("html")["lang"] == "es"
    assert html.find("label", attrs={"for": "id_full_name"}).get_text(strip=True) == (
        "Nombre completo"
    )
    language = html.find("select", attrs={"name": "preferred_language"})
    assert language.find("option", selected=True)["value"] == "es"
    # Choices come from the Spanish pages.
    options = [
        o.get_text() for o in html.find("select", attrs={"name": "condition"}).find_all("option")
    ]
    assert "Sincinesia" in options

    invalid = client.post(page.url, consultation_data(full_name="", preferred_language="es"))
    summary = BeautifulSoup(invalid.content, "html.parser").find(attrs={"data-error-summary": True})
    assert "Enter your full name." not in summary.get_text()
    assert "nombre" in summary.get_text().lower()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, consultation_data(preferred_language="es"))
    assert response.status_code == 302
    stored = ConsultationRequest.objects.get()
    assert stored.submitted_language == "es"
    spanish_privacy = spanish_site[clinic_site.privacy.pk]
    assert stored.privacy_notice_version.startswith(f"page-{spanish_privacy.pk}-revision-")
    confirmation = client.get(response.url).content.decode()
    assert stored.reference in confirmation
    assert "Your reference number is" not in confirmation

    [acknowledgement] = [m for m in mail.outbox if m.to == ["rosa@example.org"]]
    assert stored.reference in acknowledgement.subject
    assert "We have received" not in acknowledgement.subject
    for personal in ("Rosa", "Delgado", "eye", "smile"):
        assert personal not in acknowledgement.body


def test_french_form_errors_and_confirmation_are_in_french(
    client, clinic_site, consultation_page, translate
):
    translate(clinic_site.home, "fr", prefix="[fr] ")
    page = translate(consultation_page, "fr", prefix="[fr] ")
    response = client.post(page.url, consultation_data(phone="12"))
    text = BeautifulSoup(response.content, "html.parser").find(attrs={"data-error-summary": True})
    assert "Enter a phone number" not in text.get_text()
    response = client.post(page.url, consultation_data())
    assert ConsultationRequest.objects.get().submitted_language == "fr"
    assert "Your reference number is" not in client.get(response.url).content.decode()


def test_spanish_consent_box_links_to_the_spanish_privacy_notice(
    client, clinic_site, consultation_page, spanish_site
):
    page = spanish_site[consultation_page.pk]
    privacy = spanish_site[clinic_site.privacy.pk]
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    link = html.find("label", attrs={"for": "id_consent"}).find("a")
    assert link["href"] == privacy.url
    assert privacy.url.startswith("/es/")
