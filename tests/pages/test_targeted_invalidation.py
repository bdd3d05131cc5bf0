"""A publish takes out of the page cache only the pages that show the published page: itself in
every language, the section listing it, the pages it links to and those that link to it. Every
other cached page stays cached, so a day of editing keeps the site at cached speed
(pages.signals, core.dependents); a publish that changes what every page shows still empties it.
"""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from core.dependents import pages_showing
from pages import models
from tests.factories.pages import ConditionPageFactory, LocationPageFactory

from .test_page_cache import get, translate

pytestmark = pytest.mark.django_db


def cached(client, pages) -> dict[int, bytes]:
    """Each page requested until the cache serves it: what a visitor is shown of each."""
    shown = {}
    for page in pages:
        assert get(client, page.url)[0].status_code == 200, page.url
        response, state = get(client, page.url)
        assert state == "hit", page.url
        shown[page.pk] = response.content
    return shown


def states(client, pages) -> dict[str, str]:
    return {page.title: get(client, page.url)[1] for page in pages}


def text(page, client) -> str:
    return html.unescape(get(client, page.url)[0].content.decode())


@pytest.fixture
def other_condition(clinic_site):
    """A condition that neither links to the treatment nor is linked from it."""
    return ConditionPageFactory(parent=clinic_site.conditions, title="Facial paralysis")


def test_a_publish_refreshes_the_pages_showing_the_page_and_leaves_the_others_cached(
    client, clinic_site, other_condition, django_capture_on_commit_callbacks
):
    site = clinic_site
    showing = [site.treatment, site.treatments, site.condition, site.physician]
    unrelated = [
        *[site.home, site.conditions, site.physicians, other_condition],
        *[site.contact, site.privacy],
    ]
    before = cached(client, [*showing, *unrelated])

    treatment = site.treatment
    treatment.summary = "A revised summary of what the treatment does."
    with django_capture_on_commit_callbacks(execute=True):
        treatment.save_revision().publish()

    assert states(client, showing) == dict.fromkeys((page.title for page in showing), "miss")
    assert states(client, unrelated) == dict.fromkeys((page.title for page in unrelated), "hit")
    for page in unrelated:
        assert get(client, page.url)[0].content == before[page.pk], page.title
    assert "A revised summary of what the treatment does." in text(treatment, client)
    assert "A revised summary of what the treatment does." in text(site.treatments, client)


def test_a_link_removed_by_a_publish_refreshes_the_page_it_led_to(
    client, clinic_site, django_capture_on_commit_callbacks
):
    """The treatment lists the conditions that name it: when the condition stops naming it, the
    treatment's page no longer shows it, though nothing links the two any more."""
    condition, treatment = clinic_site.condition, clinic_site.treatment
    cached(client, [treatment])
    assert condition.title in text(treatment, client)

    condition = models.ConditionPage.objects.get(pk=condition.pk)
    condition.treatment_options.clear()
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()

    response, state = get(client, treatment.url)
    assert state == "miss"
    assert condition.title not in html.unescape(response.content.decode())


def test_a_publish_refreshes_the_page_in_every_language(
    client, clinic_site, django_capture_on_commit_callbacks
):
    versions = [clinic_site.condition]
    for language in ("es", "fr"):
        for page in (clinic_site.home, clinic_site.conditions):
            translate(page, language, django_capture_on_commit_callbacks)
        versions.append(
            translate(clinic_site.condition, language, django_capture_on_commit_callbacks)
        )
    cached(client, [*versions, clinic_site.contact])

    condition = models.ConditionPage.objects.get(pk=clinic_site.condition.pk)
    condition.summary = "Revised."
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()

    assert [get(client, page.url)[1] for page in versions] == ["miss"] * 3
    assert get(client, clinic_site.contact.url)[1] == "hit"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda page: setattr(page, "title", "Synkinesis and tics"), id="title"),
        pytest.param(lambda page: setattr(page, "show_in_menus", True), id="menu"),
        pytest.param(lambda page: setattr(page, "search_description", "New."), id="description"),
    ],
)
def test_a_publish_that_changes_what_every_page_shows_empties_the_cache(
    client, clinic_site, django_capture_on_commit_callbacks, change
):
    cached(client, [clinic_site.contact, clinic_site.privacy])
    condition = models.ConditionPage.objects.get(pk=clinic_site.condition.pk)
    change(condition)
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()

    assert get(client, clinic_site.contact.url)[1] == "miss"
    assert get(client, clinic_site.privacy.url)[1] == "miss"


def test_a_first_publish_and_a_location_in_every_footer_empty_the_cache(
    client, clinic_site, django_capture_on_commit_callbacks
):
    draft = ConditionPageFactory(parent=clinic_site.conditions, title="Tics", live=False)
    location = LocationPageFactory(parent=clinic_site.home, title="Riverside clinic")
    cached(client, [clinic_site.contact])
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert get(client, clinic_site.contact.url)[1] == "miss"

    cached(client, [clinic_site.contact])
    location = models.LocationPage.objects.get(pk=location.pk)
    location.intro = "Now open on Saturdays."
    with django_capture_on_commit_callbacks(execute=True):
        location.save_revision().publish()
    assert get(client, clinic_site.contact.url)[1] == "miss"


def test_the_sitemaps_and_the_search_show_a_publish_that_left_the_rest_cached(
    client, clinic_site, django_capture_on_commit_callbacks
):
    cached(client, [clinic_site.contact])
    index = client.get("/sitemap.xml").content
    assert client.get("/sitemap.xml").content == index
    assert "Botulinum" not in text_of(client.get("/en/search/?q=zygomaticus"))

    condition = models.ConditionPage.objects.get(pk=clinic_site.condition.pk)
    condition.summary = "Botulinum toxin relaxes the zygomaticus."
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()

    assert get(client, clinic_site.contact.url)[1] == "hit"
    assert client.get("/sitemap.xml").content != index  # the new date
    assert condition.title in text_of(client.get("/en/search/?q=zygomaticus"))


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_finding_the_pages_that_show_a_page_costs_the_same_in_any_number_of_languages(
    clinic_site, django_capture_on_commit_callbacks
):
    condition = Page.objects.get(pk=clinic_site.condition.pk)
    with CaptureQueriesContext(connection) as alone:
        shown_alone = pages_showing([condition])
    featured_on = featuring(condition)
    versions = [condition]
    for language in ("es", "fr"):
        for page in (clinic_site.home, clinic_site.conditions):
            translate(page, language, django_capture_on_commit_callbacks)
        versions.append(
            translate(clinic_site.condition, language, django_capture_on_commit_callbacks)
        )
    with CaptureQueriesContext(connection) as translated:
        shown_translated = pages_showing([condition])

    assert len(translated) == len(alone) == 3
    assert {page.pk for page in shown_alone} == {
        clinic_site.condition.pk,
        clinic_site.conditions.pk,  # lists it
        clinic_site.treatment.pk,  # it links to them
        clinic_site.physician.pk,
        *featured_on,  # link to it
    }
    assert {page.pk for page in shown_translated} == {
        *(version.pk for version in versions),
        *(version.get_parent().pk for version in versions),
        clinic_site.treatment.pk,
        clinic_site.physician.pk,
        *featuring(*versions),
    }


def featuring(*pages) -> set[int]:
    """The home pages that feature any of ``pages``."""
    return set(
        models.HomePage.objects.filter(featured_conditions__condition__in=pages).values_list(
            "pk", flat=True
        )
    )
