"""What the proxy in front of the site may keep: anonymous visitors' pages for
PUBLIC_CACHE_SECONDS, never a request form, a confirmation, the admin, a signed-in editor's view,
a private page, search results or the language redirect; and nothing at all when switched off."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from appointments.models import ConsultationRequest

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, s-maxage=300"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def is_public(response) -> bool:
    return "public" in directives(response) or any(
        part.startswith("s-maxage") for part in directives(response)
    )


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def test_anonymous_visitors_pages_may_be_kept_by_the_proxy_whether_rendered_or_from_the_cache(
    client, clinic_site
):
    for page in (
        clinic_site.home,
        clinic_site.conditions,
        clinic_site.condition,
        clinic_site.physicians,
        clinic_site.physician,
    ):
        rendered = client.get(page.url)
        from_cache = client.get(page.url)
        assert (rendered["X-Cache"], from_cache["X-Cache"]) == ("miss", "hit"), page.url
        for response in (rendered, from_cache):
            assert response["Cache-Control"] == PUBLIC, page.url
            # The same for every visitor, whatever their cookies: one copy in the proxy.
            assert "cookie" not in vary(response), page.url


def test_the_proxys_time_is_the_configured_one_and_browsers_always_ask_again(
    client, clinic_site, settings
):
    settings.PUBLIC_CACHE_SECONDS = 60
    response = client.get(clinic_site.condition.url)
    assert directives(response) == {"public", "max-age=0", "s-maxage=60"}


def test_pages_are_public_even_with_the_sites_own_page_cache_switched_off(
    client, clinic_site, settings
):
    settings.PAGE_CACHE_ENABLED = False
    response = client.get(clinic_site.condition.url)
    assert "X-Cache" not in response
    assert response["Cache-Control"] == PUBLIC


def test_switched_off_the_site_says_nothing_new_to_the_proxy(client, clinic_site, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    for url in (clinic_site.home.url, clinic_site.condition.url, "/", "/sitemap.xml"):
        response = client.get(url)
        assert "Cache-Control" not in response, url
    assert "no-store" not in client.get("/en/search/?q=synkinesis").get("Cache-Control", "")


def test_the_request_forms_and_the_confirmation_are_never_stored(
    client, clinic_site, consultation_page, settings
):
    from tests.appointments.helpers import consultation_data

    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    for form_page in (consultation_page, clinic_site.accessibility):
        response = Client().get(form_page.url)
        assert response.status_code == 200
        assert {"no-store", "private"} <= directives(response), form_page.url
        assert not is_public(response)

    sent = client.post(consultation_page.url, consultation_data())
    assert ConsultationRequest.objects.exists()
    confirmation = client.get(sent["Location"])
    assert confirmation.status_code == 200
    assert {"no-store", "private"} <= directives(confirmation)
    assert not is_public(confirmation)


def test_the_admin_is_never_public(client, clinic_site, admin_user):
    assert not is_public(client.get("/admin/login/"))
    client.force_login(admin_user)
    for url in ("/admin/", f"/admin/pages/{clinic_site.condition.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in directives(response), url
        assert not is_public(response), url


def test_an_editor_viewing_the_site_signed_in_gets_pages_no_proxy_may_keep(
    client, clinic_site, admin_user
):
    client.get(clinic_site.condition.url)  # the anonymous copy, in the page cache
    editor = Client()
    editor.force_login(admin_user)
    for _view in range(2):
        response = editor.get(clinic_site.condition.url)
        assert response.status_code == 200
        assert "private" in directives(response)
        assert not is_public(response)


@pytest.mark.parametrize(
    "restriction",
    [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS],
)
def test_a_private_page_is_never_public_asked_for_or_shown(client, clinic_site, restriction):
    from django.contrib.auth.models import Group

    page = clinic_site.privacy
    protected = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction, password="open sesame"
    )
    if restriction == PageViewRestriction.GROUPS:
        protected.groups.add(Group.objects.create(name="Patients"))

    asked = client.get(page.url)
    assert asked.status_code in (200, 302)
    assert not is_public(asked)

    if restriction == PageViewRestriction.PASSWORD:
        client.post(
            reverse("wagtailcore_authenticate_with_password", args=[protected.pk, page.pk]),
            {"password": "open sesame", "return_url": page.url},
        )
        shown = client.get(page.url)
        assert shown.status_code == 200
        assert b"open sesame" not in shown.content
        assert page.title.encode() in shown.content
        assert not is_public(shown)
        # A visitor who never gave the password is asked for it, never shown the page.
        assert Client().get(page.url).content != shown.content


def test_the_redirect_to_the_visitors_language_is_never_kept_by_the_proxy(client, clinic_site):
    for language in ("en", "es"):
        response = client.get("/", headers={"accept-language": language})
        assert response.status_code == 302
        assert "private" in directives(response)
        assert not is_public(response)


def test_search_results_are_never_stored_anywhere(client, clinic_site):
    response = client.get("/en/search/?q=synkinesis")
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_not_found_pages_and_redirects_are_not_public(client, clinic_site):
    for url, status in (("/en/no-such-page/", 404), ("/en/conditions", 301)):
        response = client.get(url)
        assert response.status_code == status, url
        assert "private" in directives(response), url


def test_addresses_the_page_cache_does_not_store_are_not_public_either(client, clinic_site):
    """Only a listing's page number: a purge reaches the page's own address, not every query
    string a link could add."""
    assert client.get(f"{clinic_site.conditions.url}?page=1")["Cache-Control"] == PUBLIC
    tracked = client.get(f"{clinic_site.conditions.url}?utm_source=newsletter")
    assert not is_public(tracked)


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-en.xml", "/sitemap-en.xml?p=1", "/robots.txt"]
)
def test_the_sitemap_and_robots_txt_are_public_and_the_same_in_every_language(
    client, clinic_site, url
):
    answers = [
        client.get(url, headers={"accept-language": language}) for language in ("en", "es", "fr")
    ]
    for response in answers:
        assert response.status_code == 200
        assert response["Cache-Control"] == PUBLIC
        assert not vary(response) & {"accept-language", "cookie"}
    assert len({response.content for response in answers}) == 1
