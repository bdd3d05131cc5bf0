"""The proxy in front of the site is told to forget a page as soon as a change to it is
committed: published (by an editor, or by a physician approving clinical review), unpublished,
moved, renamed, deleted or made private, at its address in every language it has, with the
section index that lists it, the pages that link to it and those it links to, and the
sitemaps; never before the commit, and never at an address the page does not have."""

import socket
from collections.abc import Iterator
from typing import ClassVar

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, PageViewRestriction

from pages.translation_setup import REVIEWER_GROUP
from tests.factories.pages import ConditionIndexPageFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


class RecordingBackend(BaseBackend):
    """A purge backend that only writes down the URLs it is asked to purge."""

    purged: ClassVar[list[str]] = []

    def purge(self, url: str) -> None:
        RecordingBackend.purged.append(url)


@pytest.fixture
def purged(settings) -> Iterator[list[str]]:
    """The URLs purged from here on: once each change is committed, which a test makes happen
    with ``django_capture_on_commit_callbacks(execute=True)`` around it (the test's own
    transaction never commits)."""
    settings.WAGTAILFRONTENDCACHE = {
        "recorder": {"BACKEND": f"{__name__}.{RecordingBackend.__qualname__}"}
    }
    RecordingBackend.purged.clear()
    yield RecordingBackend.purged
    RecordingBackend.purged.clear()


@pytest.fixture
def condition(clinic_site, translate, purged, django_capture_on_commit_callbacks):
    """The condition page in English, Spanish and French, the Spanish one under a slug of its
    own (as a translator would write it), and nothing purged yet."""
    for language in ("es", "fr"):
        for page in (clinic_site.home, clinic_site.conditions):
            translate(page, language)
        translate(clinic_site.condition, language)
    spanish = in_language(clinic_site.condition, "es")
    spanish.slug = "sincinesia"
    with django_capture_on_commit_callbacks(execute=True):
        spanish.save_revision().publish()
    purged.clear()
    return clinic_site.condition


def in_language(page: Page, language: str) -> Page:
    return Page.objects.get(
        translation_key=page.translation_key, locale__language_code=language
    ).specific


def urls(*paths: str) -> set[str]:
    return {f"{SITE}{path}" for path in paths}


# Where the condition page shows for sure, in each of its languages: itself (in Spanish under
# its own slug, never the English one under /es/), its section's index, the home page that
# features it, the treatment and the physician it links to (in English only here: their
# lists of conditions read the link the other way, core.dependents); and the sitemaps, which
# list every page with its alternates: the index and each language's file.
CONDITION_SHOWN = urls(
    "/en/conditions/synkinesis/",
    "/es/conditions/sincinesia/",
    "/fr/conditions/synkinesis/",
    "/en/conditions/",
    "/es/conditions/",
    "/fr/conditions/",
    "/en/",
    "/es/",
    "/fr/",
    "/en/treatments/botulinum-toxin-injections/",
    "/en/physicians/dr-ana-rivera/",
    "/sitemap.xml",
    "/sitemap-en.xml",
    "/sitemap-es.xml",
    "/sitemap-fr.xml",
)

# Wagtail's redirects, made for the old address of a page moved or renamed, purge that address
# as the redirect keeps it, without its final slash (which is not the address pages are served
# at, so not one the proxy keeps): the old address itself is the site's to purge.
REDIRECT_PURGED = urls("/en/conditions/synkinesis")


def test_publishing_purges_the_page_and_what_lists_it_in_every_language_once_committed(
    condition, purged, django_capture_on_commit_callbacks
):
    condition.summary = "Revised."
    with django_capture_on_commit_callbacks() as on_commit:
        condition.save_revision().publish()
        assert purged == [], "nothing is purged before the change is committed"
    for callback in on_commit:
        callback()

    assert set(purged) == CONDITION_SHOWN
    assert len(purged) == len(CONDITION_SHOWN), "each address once"


def test_a_change_rolled_back_purges_nothing_even_with_the_next_commit(
    clinic_site, condition, purged, django_capture_on_commit_callbacks
):
    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Page.objects.get(pk=clinic_site.physician.pk).unpublish()
                raise Abandoned
        except Abandoned:
            pass
        assert purged == []

        condition.save_revision().publish()

    assert set(purged) == CONDITION_SHOWN
    assert f"{SITE}/en/physicians/" not in purged, "nothing of the physician's unpublishing"


def test_a_physicians_approval_of_clinical_review_purges_the_page(
    condition, purged, django_capture_on_commit_callbacks, django_user_model, admin_user
):
    physician = django_user_model.objects.create_user("physician", "p@example.org", "pw")
    physician.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    condition.summary = "Reviewed."
    condition.save_revision(user=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        condition.get_workflow().start(condition, admin_user)
    assert purged == [], "submitting for review changes nothing visitors see"

    task_state = Page.objects.get(pk=condition.pk).current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, physician, "approve")

    assert Page.objects.get(pk=condition.pk).specific.summary == "Reviewed."
    assert set(purged) == CONDITION_SHOWN


def test_publishing_a_translation_purges_it_and_the_other_languages(
    condition, purged, django_capture_on_commit_callbacks
):
    """The other languages' pages link to it (the language switcher, hreflang)."""
    french = in_language(condition, "fr")
    with django_capture_on_commit_callbacks(execute=True):
        french.save_revision().publish()
    assert set(purged) == CONDITION_SHOWN


def test_unpublishing_purges_the_page_and_what_listed_it_in_every_language(
    condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        condition.unpublish()
    assert set(purged) == CONDITION_SHOWN


def test_deleting_purges_the_page_and_what_listed_it_in_every_language(
    condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=condition.pk).delete()
    assert set(purged) == CONDITION_SHOWN


def test_deleting_a_section_purges_every_live_page_in_it(
    clinic_site, condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=clinic_site.conditions.pk).delete()
    # The English section and its page; the Spanish and French ones stay, and are purged as
    # they no longer have an English version to link to.
    assert set(purged) == CONDITION_SHOWN


def test_moving_purges_the_old_and_the_new_address_and_both_sections(
    clinic_site, condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        facial = ConditionIndexPageFactory(parent=clinic_site.home, title="Facial", slug="facial")
    purged.clear()

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=condition.pk).move(facial, pos="last-child")

    assert set(purged) == CONDITION_SHOWN | urls("/en/facial/synkinesis/", "/en/facial/") | (
        REDIRECT_PURGED
    )


def test_moving_a_section_purges_the_old_address_of_every_page_in_it(
    clinic_site, condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=clinic_site.conditions.pk).move(clinic_site.treatments, "last-child")

    assert urls(
        "/en/conditions/",
        "/en/conditions/synkinesis/",
        "/en/treatments/conditions/",
        "/en/treatments/",
    ) <= set(purged)


def test_a_new_slug_purges_the_old_address_too(
    condition, purged, django_capture_on_commit_callbacks
):
    condition.slug = "synkinesis-after-palsy"
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()
    assert set(purged) == CONDITION_SHOWN | urls("/en/conditions/synkinesis-after-palsy/") | (
        REDIRECT_PURGED
    )


def test_a_page_made_private_leaves_the_proxy_at_once_with_the_pages_below_it(
    clinic_site, condition, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=clinic_site.conditions, restriction_type=PageViewRestriction.LOGIN
        )
    english_section = urls("/en/conditions/", "/en/conditions/synkinesis/", "/en/")
    assert english_section <= set(purged)

    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert english_section <= set(purged)


def test_drafts_purge_nothing(condition, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        condition.summary = "A draft."
        condition.save_revision()
    assert purged == []


def test_publishing_works_and_is_logged_when_the_proxy_is_down(
    condition, settings, django_capture_on_commit_callbacks, caplog
):
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "core.frontend_cache.ProxyPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{closed_port()}",
        }
    }
    condition.summary = "Published while the proxy is away."
    with django_capture_on_commit_callbacks(execute=True):
        condition.save_revision().publish()

    assert Page.objects.get(pk=condition.pk).specific.summary == condition.summary
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1
    assert f"{len(CONDITION_SHOWN)} addresses not purged" in errors[0].getMessage()


def closed_port() -> int:
    """A port on this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
