"""The page explorer costs the same number of queries for a section of 50 pages as for one of 5
(pages.translation_buttons, pages.models.permissions), and its rows still offer
wagtail-localize's translation buttons exactly where wagtail-localize itself would."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.models import GroupPagePermission, Locale, Page, PagePermissionTester
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.wagtail_hooks import page_listing_more_buttons as localize_buttons

from pages.models.permissions import SitePagePermissionTester
from pages.translation_buttons import annotate_translation_buttons, translation_buttons
from tests.factories.pages import (
    ConditionIndexPageFactory,
    ConditionPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50  # 50 is the explorer's page size: every row on one page
# The most a listing of LARGE rows may cost, against one of SMALL rows.
GROWTH = 1.2
LOCALIZE_LABELS = {"Translate this page", "Sync translated pages"}


def member_of(django_user_model, group_name: str, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def explore_url(page: Page) -> str:
    return reverse("wagtailadmin_explore", args=[page.pk])


def in_spanish(page: Page) -> Page:
    return page.get_translation(Locale.objects.get(language_code="es"))


@pytest.fixture
def sections(clinic_site, translate):
    """Two Conditions sections, of SMALL and of LARGE pages, every page in Spanish and French."""
    for language in ("es", "fr"):
        translate(clinic_site.home, language)
    small = ConditionIndexPageFactory(
        parent=clinic_site.home, title="More conditions", slug="more-conditions"
    )
    by_size = {SMALL: small, LARGE: clinic_site.conditions}
    for size, section in by_size.items():
        pages = [*section.get_children().specific()]
        pages += [ConditionPageFactory(parent=section) for _ in range(size - len(pages))]
        for page in (section, *pages):
            for language in ("es", "fr"):
                translate(page, language)
    return by_size


def queries_for(client, url: str) -> int:
    client.get(url)  # the first view fills the caches every later view finds filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_explorer_costs_no_more_for_50_pages_than_for_5_for_editors_and_translators(
    client, django_user_model, sections
):
    """One test for the three, which share the sections: building them is most of its time."""
    superuser = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    marketing = member_of(django_user_model, "Marketing editors", "marketing")
    translator = member_of(django_user_model, "Translators (Spanish)", "traductora")
    small, large = sections[SMALL], sections[LARGE]
    listings = {
        "superuser": (superuser, small, large),
        "marketing editor": (marketing, small, large),
        # Translators explore their own language's tree.
        "translator": (translator, in_spanish(small), in_spanish(large)),
    }

    counts = {}
    for who, (user, small_section, large_section) in listings.items():
        client.force_login(user)
        counts[who] = (
            queries_for(client, explore_url(small_section)),
            queries_for(client, explore_url(large_section)),
        )

    too_costly = {
        who: f"{small} queries for {SMALL} rows, {large} for {LARGE}"
        for who, (small, large) in counts.items()
        if large > GROWTH * small
    }
    assert too_costly == {}


def row_links(html: BeautifulSoup, page: Page) -> list[tuple[str, str]]:
    """The translation buttons in a page's row of the listing: (label, URL), in menu order."""
    row = html.find(id=f"page_{page.pk}_title").find_parent("tr")
    links = [(link.get_text(" ", strip=True), link["href"]) for link in row.find_all("a")]
    return [(label, url) for label, url in links if label in LOCALIZE_LABELS]


def localize_would_show(page: Page, user, next_url: str) -> list[tuple[str, str]]:
    """What wagtail-localize's own hook gives the row, asked page by page as it does, in the
    menu's order (Wagtail sorts a menu's buttons by priority, then label)."""
    fresh = Page.objects.get(pk=page.pk).specific
    buttons = sorted(localize_buttons(page=fresh, user=user, next_url=next_url))
    return [(str(button.label), button.url) for button in buttons]


@pytest.fixture
def mixed_section(clinic_site, translate):
    """Conditions in every state of translation: in both languages, in Spanish only, in none,
    in Spanish with the translation stopped, and in Spanish with a French alias."""
    for page in (clinic_site.home, clinic_site.conditions):
        for language in ("es", "fr"):
            translate(page, language)
    both = clinic_site.condition
    for language in ("es", "fr"):
        translate(both, language)
    spanish_only = ConditionPageFactory(parent=clinic_site.conditions, title="Spanish only")
    translate(spanish_only, "es")
    untranslated = ConditionPageFactory(parent=clinic_site.conditions, title="Untranslated")
    stopped = ConditionPageFactory(parent=clinic_site.conditions, title="Stopped")
    translate(stopped, "es")
    Translation.objects.filter(source__object_id=stopped.translation_key).update(enabled=False)
    aliased = ConditionPageFactory(parent=clinic_site.conditions, title="Aliased")
    translate(aliased, "es")
    french = Locale.objects.get(language_code="fr")
    aliased.copy_for_translation(french, copy_parents=False, alias=True)
    return {
        "both": both,
        "spanish only": spanish_only,
        "untranslated": untranslated,
        "stopped": stopped,
        "aliased": aliased,
    }


@pytest.mark.parametrize("who", ["superuser", "marketing editor", "translator"])
def test_each_row_offers_the_translation_buttons_wagtail_localize_would(
    client, django_user_model, clinic_site, mixed_section, who
):
    if who == "superuser":
        user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    elif who == "marketing editor":
        user = member_of(django_user_model, "Marketing editors", "marketing")
    else:
        user = member_of(django_user_model, "Translators (Spanish)", "traductora")
    client.force_login(user)
    spanish_section = in_spanish(clinic_site.conditions)
    listings = [clinic_site.conditions, spanish_section]
    if who == "translator":
        listings = [spanish_section]  # their explorer starts at the Spanish home

    for section in listings:
        url = explore_url(section)
        html = BeautifulSoup(client.get(url).content, "html.parser")
        rows = section.get_children().specific()
        assert len(rows) >= 2
        for page in rows:
            assert row_links(html, page) == localize_would_show(page, user, url), page.title


def test_editors_are_offered_to_translate_or_sync_each_page_where_it_applies(
    client, django_user_model, clinic_site, mixed_section
):
    """The rows named one by one, so that a button that vanishes for every row alike (from this
    listing and from wagtail-localize's answer both) still fails here."""
    client.force_login(member_of(django_user_model, "Marketing editors", "marketing"))
    url = explore_url(clinic_site.conditions)
    html = BeautifulSoup(client.get(url).content, "html.parser")

    def translate_url(page: Page) -> str:
        return reverse("wagtail_localize:submit_page_translation", args=[page.pk])

    def sync_url(page: Page) -> str:
        source = TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)
        update = reverse("wagtail_localize:update_translations", args=[source.pk])
        return f"{update}?{urlencode({'next': url})}"

    # In the menu's order: the same priority, so by label.
    translate, sync = "Translate this page", "Sync translated pages"
    assert row_links(html, mixed_section["both"]) == [(sync, sync_url(mixed_section["both"]))]
    spanish_only = mixed_section["spanish only"]
    assert row_links(html, spanish_only) == [
        (sync, sync_url(spanish_only)),
        (translate, translate_url(spanish_only)),
    ]
    untranslated = mixed_section["untranslated"]
    assert row_links(html, untranslated) == [(translate, translate_url(untranslated))]
    stopped = mixed_section["stopped"]
    assert row_links(html, stopped) == [(translate, translate_url(stopped))]
    # A French alias is no translation: the page may still be translated into French.
    aliased = mixed_section["aliased"]
    assert row_links(html, aliased) == [
        (sync, sync_url(aliased)),
        (translate, translate_url(aliased)),
    ]


def test_an_alias_is_translated_through_the_page_it_is_an_alias_of(
    client, django_user_model, clinic_site, mixed_section
):
    client.force_login(member_of(django_user_model, "Marketing editors", "marketing"))
    french_section = clinic_site.conditions.get_translation(Locale.objects.get(language_code="fr"))
    aliased = mixed_section["aliased"]
    alias = aliased.get_translation(Locale.objects.get(language_code="fr"))
    html = BeautifulSoup(client.get(explore_url(french_section)).content, "html.parser")

    assert row_links(html, alias) == [
        (
            "Translate this page",
            reverse("wagtail_localize:submit_page_translation", args=[aliased.pk]),
        )
    ]


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_buttons_read_as_wagtail_localizes_in_the_admins_other_languages(
    django_user_model, mixed_section, language
):
    user = member_of(django_user_model, "Marketing editors", "marketing")
    page = mixed_section["spanish only"]  # offered both buttons
    request = RequestFactory().get("/")
    request.user = user
    row = annotate_translation_buttons(None, Page.objects.filter(pk=page.pk).specific(), request)

    with translation.override(language):
        ours = [str(button.label) for button in sorted(translation_buttons(row.get(), user))]
        theirs = [str(button.label) for button in sorted(localize_buttons(page=page, user=user))]
    assert len(ours) == 2
    assert ours == theirs
    assert not set(ours) & LOCALIZE_LABELS  # in the admin's language, not in English


def test_the_rows_use_the_clinics_translation_buttons_and_the_header_wagtail_localizes():
    row_hooks = hooks.get_hooks("register_page_listing_more_buttons")
    assert translation_buttons in row_hooks
    assert localize_buttons not in row_hooks
    assert localize_buttons in hooks.get_hooks("register_page_header_buttons")


@pytest.fixture
def adding_only(django_user_model):
    """Someone who may add pages anywhere, and change or delete only their own drafts."""
    group = Group.objects.create(name="Adding only")
    GroupPagePermission.objects.create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    return group


@pytest.mark.parametrize("owned", [True, False])
@pytest.mark.parametrize("live", [True, False])
@pytest.mark.parametrize("group", ["Translators (Spanish)", "Marketing editors", "Adding only"])
def test_moving_and_deleting_a_page_are_allowed_as_wagtail_allows_them(
    django_user_model, clinic_site, translate, adding_only, group, live, owned
):
    """The answers that no longer need a query (pages.models.permissions) are Wagtail's, for a
    live page and a draft, owned or not, for editors who may publish it, who may not, and who
    may only add pages."""
    spanish_home = translate(clinic_site.home, "es")
    user = member_of(django_user_model, group, "editor")
    page = StandardPageFactory(parent=spanish_home, title="Legal", live=live)
    Page.objects.filter(pk=page.pk).update(live=live, owner=user if owned else None)
    page = Page.objects.get(pk=page.pk).specific

    ours, wagtails = page.permissions_for_user(user), PagePermissionTester(user, page)
    assert isinstance(ours, SitePagePermissionTester)
    assert ours.can_delete() == wagtails.can_delete()
    assert ours.can_move() == wagtails.can_move()
