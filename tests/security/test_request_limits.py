"""Requests the forms must refuse, and how: a post without its CSRF token gets 403, a method the
forms do not take gets 405, a body too large or with too many fields gets a 400 page in the
visitor's language. Never a server error, and nothing is stored."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from appointments.models import ConsultationRequest
from tests.appointments.helpers import aged_timing_token, consultation_data, html

pytestmark = pytest.mark.django_db

BAD_REQUEST_TITLES = {
    "en": "We could not read what your browser sent",
    "es": "No pudimos leer lo que envió su navegador",
    "fr": "Nous n’avons pas pu lire ce que votre navigateur a envoyé",
}


@pytest.fixture
def form_pages(consultation_page, clinic_site) -> dict[str, tuple[str, dict[str, str]]]:
    """Each public form's address, with a valid post for it."""
    accommodation = {
        "full_name": "Sam Ortiz",
        "contact_details": "(202) 555-0188",
        "message": "Large-print forms, please.",
        "website": "",
        "rendered_at": aged_timing_token(),
    }
    return {
        "consultation": (consultation_page.url, consultation_data()),
        "accessibility": (clinic_site.accessibility.url, accommodation),
    }


FORMS = ["consultation", "accessibility"]


def csrf_token_from_form(browser: Client, url: str) -> str:
    """Open the form as a browser would (which sets the CSRF cookie) and read its token."""
    field = html(browser.get(url)).find("input", attrs={"name": "csrfmiddlewaretoken"})
    return field["value"]


def in_language(url: str, language: str) -> str:
    return url.replace("/en/", f"/{language}/", 1)


@pytest.mark.parametrize("form", FORMS)
def test_a_post_without_its_csrf_token_is_refused(form_pages, form):
    url, data = form_pages[form]
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url, data).status_code == 403
    assert not ConsultationRequest.objects.exists()

    # The same post with the token from the form goes through.
    token = csrf_token_from_form(browser, url)
    assert browser.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert ConsultationRequest.objects.count() == 1


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_methods_the_forms_do_not_take_get_405(client, form_pages, form, method):
    url, data = form_pages[form]
    response = getattr(client, method)(url, data, content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("enforce_csrf_checks", [False, True])
def test_a_body_larger_than_the_limit_gets_a_400_page(form_pages, form, enforce_csrf_checks):
    """Whether the CSRF check (as for a real browser) or the form reads the body first, an
    oversized one is refused."""
    url, data = form_pages[form]
    browser = Client(enforce_csrf_checks=enforce_csrf_checks)
    token = csrf_token_from_form(browser, url)
    message = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = browser.post(url, {**data, "message": message, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert BAD_REQUEST_TITLES["en"] in response.content.decode()
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize("form", FORMS)
def test_too_many_fields_get_a_400_page_in_the_visitors_language(
    client, form_pages, form, language
):
    url, data = form_pages[form]
    extra = {f"field{n}": "1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    response = client.post(in_language(url, language), {**data, **extra})
    assert response.status_code == 400
    page = html(response)
    assert page.html["lang"] == language
    assert page.title.get_text(strip=True) == BAD_REQUEST_TITLES[language]
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_an_oversized_urlencoded_body_gets_a_400_page(client, form_pages, form):
    url, _data = form_pages[form]
    body = "message=" + "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_a_malformed_multipart_body_gets_a_400_page(client, form_pages, form):
    url, _data = form_pages[form]
    response = client.post(url, b"--x\r\nnot a part", content_type="multipart/form-data")
    assert response.status_code == 400
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_a_json_body_is_read_as_an_empty_form(client, form_pages, form):
    """Not a format the forms take: the visitor sees what is missing, nothing is stored."""
    url, data = form_pages[form]
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 200
    assert html(response).find(attrs={"data-error-summary": True}) is not None
    assert not ConsultationRequest.objects.exists()
