"""A page's address is worked out once per request (pages.models.base.BasePage.get_url_parts):
the condition page writes each treatment's and physician's link in its HTML and again in its
structured data. What is remembered must never outlive the request or a move of the page."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def wagtail_calls(monkeypatch):
    """Counts the calls that reach Wagtail's own get_url_parts."""
    calls = []
    wagtails = Page.get_url_parts

    def counted(page, request=None):
        calls.append(page.pk)
        return wagtails(page, request)

    monkeypatch.setattr(Page, "get_url_parts", counted)
    return calls


def test_a_page_address_is_worked_out_once_per_request(clinic_site, wagtail_calls):
    treatment = clinic_site.treatment
    request = RequestFactory().get("/")

    assert treatment.get_url(request) == "/en/treatments/botulinum-toxin-injections/"
    assert treatment.get_full_url(request) == (
        "http://testserver/en/treatments/botulinum-toxin-injections/"
    )
    assert wagtail_calls == [treatment.pk]

    # Another instance of the same page, as a second query would give, in the same request.
    assert Page.objects.get(pk=treatment.pk).specific.get_url(request) == treatment.get_url(request)
    assert wagtail_calls == [treatment.pk]

    # The next request works it out again.
    assert treatment.get_url(RequestFactory().get("/")) == treatment.get_url(request)
    assert wagtail_calls == [treatment.pk, treatment.pk]


def test_a_page_that_moves_during_the_request_gets_its_new_address(clinic_site):
    treatment = clinic_site.treatment
    request = RequestFactory().get("/")
    assert treatment.get_url(request) == "/en/treatments/botulinum-toxin-injections/"

    treatment.slug = "botulinum-toxin"
    treatment.save_revision().publish()

    moved = Page.objects.get(pk=treatment.pk).specific
    assert moved.get_url(request) == "/en/treatments/botulinum-toxin/"


def test_without_a_request_nothing_is_remembered(clinic_site, wagtail_calls):
    treatment = clinic_site.treatment
    assert treatment.url == treatment.url == "/en/treatments/botulinum-toxin-injections/"
    assert wagtail_calls == [treatment.pk, treatment.pk]
