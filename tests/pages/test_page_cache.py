"""The full-page cache for anonymous visitors: pages come from the cache without touching the
database, every change an editor publishes shows at once in every language while drafts leave
the cache alone, nobody ever gets another visitor's CSRF token, signed-in staff always see the
pages as they are, and a cache outage only slows the site."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from appointments.models import ConsultationRequest
from pages import models
from pages.translation_sync import save_translation_as_draft
from tests.factories.pages import StandardPageFactory

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
MAIN_MENU = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def get(client, url: str):
    response = client.get(url)
    return response, response.headers.get("X-Cache")


def text(response) -> str:
    return html.unescape(response.content.decode())


def cache_all(client, urls: list[str]) -> dict[str, bytes]:
    """Each page, requested until the cache serves it: what a visitor is shown of each."""
    shown = {}
    for url in urls:
        assert get(client, url)[0].status_code == 200, url
        response, state = get(client, url)
        assert state == "hit", url
        shown[url] = response.content
    return shown


def alternate_url(response, language: str) -> str:
    """Where the page's hreflang link for ``language`` leads."""
    found = re.search(
        rf'<link rel="alternate" hreflang="{language}" href="([^"]+)"', text(response)
    )
    return found.group(1) if found else ""


def menu_titles(response) -> list[str]:
    return re.findall(r">([^<>]+)</a></li>", MAIN_MENU.search(text(response)).group(0))


def translate(page, language: str, capture_on_commit):
    """The page in ``language``, published the way wagtail-localize's editor does it: every
    string translated (as "[es] " + the English text), then the target page saved and, when
    its transaction commits, published."""
    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in source.stringsegment_set.select_related("string", "context"):
        english = segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": english
                if segment.context.path.endswith("slug")
                else f"[{language}] {english}"
            },
        )
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    with capture_on_commit(execute=True):
        translation.save_target(publish=True)
    return page.get_translation(locale).specific


@pytest.fixture
def condition_in_three_languages(clinic_site, django_capture_on_commit_callbacks):
    """The condition page (and the pages above it) in English, Spanish and French."""
    versions = {"en": clinic_site.condition}
    for language in ("es", "fr"):
        for page in (clinic_site.home, clinic_site.conditions):
            translate(page, language, django_capture_on_commit_callbacks)
        versions[language] = translate(
            clinic_site.condition, language, django_capture_on_commit_callbacks
        )
    return versions


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


def test_changing_the_clinic_settings_shows_at_once_in_every_language(
    client, clinic_site, condition_in_three_languages
):
    urls = [clinic_site.home.url, *(page.url for page in condition_in_three_languages.values())]
    cache_all(client, urls)
    clinic_site.settings.phone = "(555) 555-0199"
    clinic_site.settings.save()
    for url in urls:
        response, state = get(client, url)
        assert state == "miss", url
        assert b"(555) 555-0199" in response.content, url


def test_drafts_autosaves_and_reviews_leave_every_cached_page_in_the_cache(
    client,
    clinic_site,
    condition_in_three_languages,
    django_capture_on_commit_callbacks,
    django_user_model,
):
    editor = django_user_model.objects.create_superuser("eda", "eda@example.org", "pw")
    english, spanish = condition_in_three_languages["en"], condition_in_three_languages["es"]
    urls = [
        page.url
        for page in Page.objects.live().filter(depth__gt=1).specific()
        if page.pk != clinic_site.accessibility.pk  # a form: never cached
    ]
    shown = cache_all(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        english.title = "Synkinesis, drafted"
        draft = english.save_revision(user=editor)
        english.title = "Synkinesis, drafted and autosaved"
        english.save_revision(user=editor, overwrite_revision=draft)
        # A translator's work: saved as a draft, autosaved, then sent to the clinical review.
        translation = Translation.objects.get(
            source__object_id=english.translation_key, target_locale=spanish.locale
        )
        spanish = save_translation_as_draft(translation, editor)
        spanish.title = "[es] Sincinesia, borrador"
        spanish.save_revision(user=editor, overwrite_revision=spanish.latest_revision)
        workflow = spanish.get_workflow()
        assert workflow is not None, "the clinical review applies to conditions"
        workflow.start(spanish, editor)
        # A new page saved as a draft, and a page locked for editing.
        StandardPageFactory(
            parent=clinic_site.home, title="Coming soon", slug="coming-soon", live=False
        )
        clinic_site.privacy.locked = True
        clinic_site.privacy.save(update_fields=["locked"], clean=False)

    for url, before in shown.items():
        response, state = get(client, url)
        assert state == "hit", url
        assert response.content == before, url


@pytest.mark.parametrize("language", ["en", "es"])
def test_publishing_a_page_shows_at_once_in_every_language(
    client, condition_in_three_languages, django_capture_on_commit_callbacks, language
):
    versions = condition_in_three_languages
    shown = cache_all(client, [page.url for page in versions.values()])
    published = versions[language]
    published.title = f"{published.title}, revised"

    with django_capture_on_commit_callbacks(execute=True):
        published.save_revision().publish()

    for code, page in versions.items():
        response, state = get(client, page.url)
        assert (response.status_code, state) == (200, "miss"), code
        assert (published.title in text(response)) == (code == language), code
        if code != language:
            assert response.content == shown[page.url], "its own content, as it was"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_new_address_published_in_one_language_shows_in_every_language_switcher(
    client, condition_in_three_languages, django_capture_on_commit_callbacks, language
):
    versions = condition_in_three_languages
    cache_all(client, [page.url for page in versions.values()])
    published = versions[language]
    old_url = published.url
    published.slug = f"{published.slug}-revised"

    with django_capture_on_commit_callbacks(execute=True):
        published.save_revision().publish()

    new_url = Page.objects.get(pk=published.pk).url
    assert new_url != old_url
    assert get(client, old_url)[0].status_code in (301, 404)
    for code, page in versions.items():
        response, state = get(client, new_url if code == language else page.url)
        assert (response.status_code, state) == (200, "miss"), code
        assert alternate_url(response, language).endswith(new_url), code


def test_unpublishing_a_page_takes_it_out_of_every_language_switcher(
    client, condition_in_three_languages, django_capture_on_commit_callbacks
):
    versions = condition_in_three_languages
    cache_all(client, [page.url for page in versions.values()])
    assert alternate_url(get(client, versions["es"].url)[0], "en")

    with django_capture_on_commit_callbacks(execute=True):
        versions["en"].unpublish()

    assert get(client, versions["en"].url)[0].status_code == 404
    for code in ("es", "fr"):
        response, state = get(client, versions[code].url)
        assert state == "miss", code
        assert alternate_url(response, "en") == ""
        assert alternate_url(response, code).endswith(versions[code].url)


def test_a_slug_changed_without_a_publish_changes_every_link_to_the_page(
    client, clinic_site, django_capture_on_commit_callbacks
):
    """wagtail-localize renames a translation whose slug is taken with a plain save."""
    cache_all(client, [clinic_site.home.url])
    privacy = clinic_site.privacy
    privacy.slug = "privacy-notice"

    with django_capture_on_commit_callbacks(execute=True):
        privacy.save()

    response, state = get(client, clinic_site.home.url)
    assert state == "miss"
    assert 'href="/en/privacy-notice/"' in text(response)


def test_reordering_sections_in_the_explorer_reorders_the_menu_at_once(
    client, clinic_site, django_user_model
):
    home = clinic_site.home.url
    cache_all(client, [home])
    before = menu_titles(get(client, home)[0])
    assert before.index("Conditions") < before.index("Our physicians")
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("eda", "eda@example.org", "pw"))

    moved = staff.post(
        f"/admin/pages/{clinic_site.physicians.pk}/set_position/?position=0",
    )

    assert moved.status_code == 200
    response, state = get(client, home)
    assert state == "miss"
    assert menu_titles(response)[0] == "Our physicians"


def test_deleting_a_section_takes_it_and_its_pages_off_the_site_at_once(client, clinic_site):
    urls = [clinic_site.home.url, clinic_site.conditions.url, clinic_site.condition.url]
    cache_all(client, urls)

    Page.objects.get(pk=clinic_site.conditions.pk).delete()  # as the admin does, of any type

    assert get(client, clinic_site.conditions.url)[0].status_code == 404
    assert get(client, clinic_site.condition.url)[0].status_code == 404
    response, state = get(client, clinic_site.home.url)
    assert state == "miss"
    assert "Conditions" not in menu_titles(response)


def test_a_page_created_live_by_code_shows_at_once(client, clinic_site):
    """The demo loader, and aliases Wagtail and wagtail-localize make of live pages, create
    pages live without publishing them."""
    cache_all(client, [clinic_site.home.url])

    StandardPageFactory(
        parent=clinic_site.home, title="Visiting us", slug="visiting", show_in_menus=True
    )

    response, state = get(client, clinic_site.home.url)
    assert state == "miss"
    assert "Visiting us" in menu_titles(response)


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


def test_a_replaced_document_is_linked_at_its_new_address_at_once(client, clinic_site):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    leaflet = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"%PDF-1.4 first", name="leaflet.pdf")
    )
    page = StandardPageFactory(
        parent=clinic_site.home,
        title="Leaflets",
        slug="leaflets",
        body=[("paragraph", f'<p><a linktype="document" id="{leaflet.pk}">Leaflet</a></p>')],
    )
    assert leaflet.url in cache_all(client, [page.url])[page.url].decode()

    leaflet.file = ContentFile(b"%PDF-1.4 second", name="leaflet-2027.pdf")
    leaflet.save()

    response, state = get(client, page.url)
    assert state == "miss"
    assert f"/documents/{leaflet.pk}/leaflet-2027.pdf" in text(response)
