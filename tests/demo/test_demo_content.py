"""`load_demo_content` builds a clinic that looks real on first start, and a second run
changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from appointments.models import AccessibilityPage
from core.models import ClinicSettings
from pages import models

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "pages": sorted(Page.objects.values_list("url_path", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "settings": list(ClinicSettings.objects.values()),
        "sites": list(Site.objects.values()),
        "treatment_options": models.ConditionTreatmentOption.objects.count(),
        "physician_links": models.ConditionPhysician.objects.count(),
    }


@pytest.fixture
def freshly_loaded_site(settings, tmp_path):
    """The loader's first run on an empty database, here rather than through the shared copy."""
    call_command("load_demo_content", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()
    return site


@pytest.fixture
def demo_site(demo_content):
    """The demo as the loader left it (the suite's shared copy of a first run: tests/conftest.py),
    served at testserver (WAGTAILADMIN_BASE_URL in the test settings)."""
    return Site.objects.get(is_default_site=True, hostname="testserver")


def test_demo_has_the_pages_the_brief_asks_for(freshly_loaded_site):
    assert models.HomePage.objects.live().count() == 1
    assert models.ConditionPage.objects.live().count() >= 3
    assert models.TreatmentPage.objects.live().count() >= 6
    assert models.PhysicianPage.objects.live().count() == 2
    assert AccessibilityPage.objects.live().count() == 1
    assert models.ContactPage.objects.live().count() == 1
    assert models.StandardPage.objects.live().filter(slug="privacy").exists()
    synkinesis = models.ConditionPage.objects.get(slug="synkinesis")
    assert synkinesis.treatment_options.count() == 6
    assert synkinesis.physician_links.exists()
    assert synkinesis.medical_review.physician.name
    for physician in models.PhysicianPage.objects.all():
        assert physician.photo is not None
        assert physician.photo.description


# The shared copy of the demo is restored into a database the test commits to.
uses_the_shared_demo = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@uses_the_shared_demo
def test_running_the_loader_twice_changes_nothing(demo_site):
    before = snapshot()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


@uses_the_shared_demo
def test_loader_keeps_an_editors_changes(demo_site):
    page = models.ConditionPage.objects.get(slug="synkinesis")
    page.summary = "Edited by marketing."
    page.save_revision().publish()
    call_command("load_demo_content", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.summary == "Edited by marketing."


@uses_the_shared_demo
def test_every_demo_page_renders_and_consultation_leads_somewhere(client, demo_site):
    clinic = ClinicSettings.for_site(demo_site)
    assert clinic.name == "Meridian Facial Nerve Center"
    assert clinic.consultation_page is not None
    assert "555-01" in clinic.accessibility_manager_phone
    for page in Page.objects.live().filter(depth__gte=2).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        with translation.override(page.locale.language_code):
            assert gettext("Schedule a consultation") in response.content.decode(), page.url
    home = client.get("/en/").content.decode()
    assert "Synkinesis" in home
    breadcrumb = client.get("/en/conditions/synkinesis/").content.decode()
    assert 'aria-current="page">Synkinesis</a>' in breadcrumb
