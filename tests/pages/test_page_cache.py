"""The full-page cache for anonymous visitors: pages come from the cache without touching the
database, every change an editor makes shows at once, nobody ever gets another visitor's CSRF
token, signed-in staff always see the pages as they are, and a cache outage only slows the site."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from appointments.models import ConsultationRequest
from pages import models
from tests.factories.pages import StandardPageFactory

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url: str):
    response = client.get(url)
    return response, response.headers.get("X-Cache")


def test_a_page_is_served_from_the_cache_the_second_time_without_queries(client, clinic_site):
    url = clinic_site.condition.url
    first, state = get(client, url)
    assert state == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, state = get(client, url)
    assert state == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_change_shows_at_once(client, clinic_site):
    condition = clinic_site.condition
    get(client, condition.url)
    get(client, clinic_site.conditions.url)

    condition.title = "Synkinesis after Bell's palsy"
    condition.save_revision().publish()

    response, state = get(client, condition.url)
    assert state == "miss"
    assert "Synkinesis after Bell's palsy" in html.unescape(response.content.decode())
    # Other pages that show it (the section's listing) are fresh too.
    assert "Synkinesis after Bell's palsy" in html.unescape(
        get(client, clinic_site.conditions.url)[0].content.decode()
    )


def test_unpublishing_moving_and_deleting_show_at_once(client, clinic_site):
    page = StandardPageFactory(parent=clinic_site.home, title="Visiting us", slug="visiting")
    assert get(client, page.url)[0].status_code == 200
    get(client, page.url)

    page.unpublish()
    assert get(client, "/en/visiting/")[0].status_code == 404

    page.save_revision().publish()
    get(client, "/en/visiting/")
    page.move(clinic_site.privacy, pos="last-child")
    moved_from = get(client, "/en/visiting/")[0]
    assert (moved_from.status_code, moved_from["Location"]) == (301, "/en/privacy/visiting/")
    assert get(client, "/en/privacy/visiting/")[0].status_code == 200

    page.delete()
    assert get(client, "/en/privacy/visiting/")[0].status_code == 404


def test_a_new_translation_appears_in_the_language_switcher_at_once(
    client, clinic_site, django_capture_on_commit_callbacks
):
    from wagtail_localize.models import Translation, TranslationSource

    english = clinic_site.home
    assert b'hreflang="es"' not in get(client, english.url)[0].content
    get(client, english.url)

    source, _created = TranslationSource.get_or_create_from_instance(english)
    translation = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code="es")
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    assert b'hreflang="es"' in get(client, english.url)[0].content


def test_changing_the_clinic_settings_shows_at_once(client, clinic_site):
    get(client, clinic_site.home.url)
    clinic_site.settings.phone = "(555) 555-0199"
    clinic_site.settings.save()
    assert b"(555) 555-0199" in get(client, clinic_site.home.url)[0].content


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, clinic_site):
    url = clinic_site.privacy.url
    get(client, url)
    assert get(client, url)[1] == "hit"
    PageViewRestriction.objects.create(
        page=clinic_site.privacy, restriction_type=PageViewRestriction.LOGIN
    )
    response, state = get(client, url)
    assert response.status_code == 302
    assert state is None


def test_the_form_pages_are_never_cached_and_each_visitor_gets_their_own_token(
    clinic_site, consultation_page
):
    tokens = set()
    for _visitor in range(3):
        visitor = Client()
        response, state = get(visitor, consultation_page.url)
        assert state is None
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
        tokens.add(CSRF_TOKEN.search(response.content).group(1))
        # A visitor coming back with their CSRF cookie is not served a stored copy either.
        assert get(visitor, consultation_page.url)[1] is None
    assert len(tokens) == 3
    for form_page in (clinic_site.accessibility, consultation_page):
        assert get(Client(), form_page.url)[1] is None
        assert get(Client(), form_page.url)[1] is None


def test_the_confirmation_is_never_cached(client, clinic_site, consultation_page, settings):
    from tests.appointments.helpers import consultation_data

    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    response = client.post(consultation_page.url, consultation_data())
    confirmation_url = response["Location"]
    reference = ConsultationRequest.objects.get().reference
    assert reference.encode() in get(client, confirmation_url)[0].content
    for visitor in (client, Client(), Client()):
        response, state = get(visitor, confirmation_url)
        assert state is None
    # Another visitor is shown no one's reference.
    assert reference.encode() not in response.content


def test_signed_in_staff_always_see_the_page_as_it_is(client, clinic_site, django_user_model):
    condition = clinic_site.condition
    get(client, condition.url)
    # A change that bypasses the signals, so that the anonymous copy is stale on purpose.
    models.ConditionPage.objects.filter(pk=condition.pk).update(title="Changed quietly")
    assert b"Changed quietly" not in get(client, condition.url)[0].content

    editor = django_user_model.objects.create_superuser("eda", "eda@example.org", "pw")
    staff = Client()
    staff.force_login(editor)
    response, state = get(staff, condition.url)
    assert state is None
    assert b"Changed quietly" in response.content


def test_query_strings_other_than_the_page_number_are_not_stored(client, clinic_site):
    url = clinic_site.conditions.url
    assert get(client, url + "?page=1")[1] == "miss"
    assert get(client, url + "?page=1")[1] == "hit"
    assert get(client, url + "?utm_source=newsletter")[1] is None


def test_the_site_keeps_serving_when_the_cache_is_down(client, clinic_site, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        },
    }
    for _view in range(2):
        response, state = get(client, clinic_site.condition.url)
        assert response.status_code == 200
        assert b"Synkinesis" in response.content
        assert state == "miss"


def test_the_cache_can_be_switched_off(client, clinic_site, settings):
    settings.PAGE_CACHE_ENABLED = False
    get(client, clinic_site.home.url)
    assert get(client, clinic_site.home.url)[1] is None


def test_a_deleted_rendition_is_never_shown_again(client, clinic_site, settings, monkeypatch):
    """Renditions are cached in each process's memory (the "renditions" cache): deleting one,
    as wagtail_update_image_renditions does in a process of its own, must reach every process."""
    from wagtail.images import get_image_model

    from tests.factories.pages import ImageFactory

    settings.PAGE_CACHE_ENABLED = False
    condition = clinic_site.condition
    condition.image = ImageFactory()
    condition.save_revision().publish()
    client.get(condition.url)  # creates the renditions, and caches them

    Rendition = get_image_model().get_rendition_model()
    renditions = Rendition.objects.filter(image=condition.image)
    old_files = {rendition.file.name for rendition in renditions}
    assert old_files
    # Deleted elsewhere: Wagtail's own purge reaches only that other process's memory.
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(Rendition, "purge_from_cache", lambda rendition: None)
        renditions.delete()

    html = client.get(condition.url).content.decode()
    new_files = {rendition.file.name for rendition in renditions.all()}
    assert new_files, "the renditions were made again"
    for name in old_files - new_files:
        assert name.rsplit("/", 1)[-1] not in html
    for name in new_files:
        assert name.rsplit("/", 1)[-1] in html
