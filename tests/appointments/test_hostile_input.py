"""Whatever arrives in a POST, the visitor gets a page with their answers kept, never an
error from the server."""

import pytest

from appointments.models import ConsultationRequest

from .helpers import consultation_data

pytestmark = pytest.mark.django_db

HOSTILE = [
    {"condition": "999999"},
    {"condition": "not-a-number"},
    {"physician": "-1"},
    {"preferred_language": "xx"},
    {"symptom_onset": "<script>alert(1)</script>"},
    {"best_time": "midnight"},
    {"full_name": "A" * 5000},
    {"message": "M" * 5000},
    {"email": "@" * 300},
    {"phone": "+" + "9" * 40},
    {"phone": "\x00\x01"},
    {"rendered_at": "x" * 10_000},
    {"captcha": "t" * 10_000},
    {"consent": "maybe"},
]


@pytest.mark.parametrize("overrides", HOSTILE)
def test_hostile_consultation_input_never_causes_a_server_error(
    client, consultation_page, overrides
):
    response = client.post(consultation_page.url, consultation_data(**overrides))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"data-error-summary" in response.content
        assert ConsultationRequest.objects.count() == 0


def test_empty_post_explains_what_is_missing(client, consultation_page, clinic_site):
    response = client.post(consultation_page.url, {})
    assert response.status_code == 200
    assert b"Enter your full name." in response.content
    response = client.post(clinic_site.accessibility.url, {})
    assert response.status_code == 200
    assert b"Enter your name." in response.content
