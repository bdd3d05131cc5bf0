"""Anyone can reach the accessibility manager from the accessibility page: three questions,
no puzzle, no JavaScript needed, into the same inbox."""

import pytest

from appointments.models import ConsultationRequest

from .helpers import aged_timing_token, html

pytestmark = pytest.mark.django_db


def accessibility_data(**overrides):
    data = {
        "full_name": "Sam Ortiz",
        "contact_details": "(202) 555-0188, afternoons",
        "message": "I use a wheelchair and need large-print forms.",
        "website": "",
        "rendered_at": aged_timing_token(),
    }
    data.update(overrides)
    return data


def test_request_lands_in_the_inbox_as_an_accessibility_request(client, clinic_site, fake_verifier):
    page = html(client.get(clinic_site.accessibility.url))
    form = page.find("form", attrs={"method": "post"})
    assert form is not None
    # No captcha on this form even when the site has keys, and no script needed to send it.
    assert form.find(attrs={"data-recaptcha": True}) is None
    response = client.post(clinic_site.accessibility.url, accessibility_data())
    assert response.status_code == 302
    stored = ConsultationRequest.objects.get()
    assert stored.kind == "accessibility"
    assert stored.contact_details == "(202) 555-0188, afternoons"
    assert stored.preferred_language == "en"
    assert not stored.is_flagged
    confirmation = client.get(response.url)
    assert stored.reference in confirmation.content.decode()
    assert "Jordan Pike will contact you" in confirmation.content.decode()
    assert fake_verifier.received == []


def test_missing_answers_are_explained_and_typed_answers_kept(client, clinic_site):
    response = client.post(
        clinic_site.accessibility.url, accessibility_data(contact_details="", message="")
    )
    assert response.status_code == 200
    page = html(response)
    summary = page.find(attrs={"data-error-summary": True}).get_text(" ", strip=True)
    assert "Tell us a phone number or an email address." in summary
    assert "Tell us briefly what would help you." in summary
    assert page.find("input", attrs={"name": "full_name"})["value"] == "Sam Ortiz"
    assert not ConsultationRequest.objects.exists()
