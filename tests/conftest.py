import datetime
import io
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from wagtail.models import Page, Site

from appointments.models import AccessibilityPage
from core.models import ClinicSettings
from pages import models
from pages.medical_reviews import record_review
from tests.factories.pages import (
    AccessibilityPageFactory,
    ConditionIndexPageFactory,
    ConditionPageFactory,
    ConsultationRequestPageFactory,
    ContactPageFactory,
    HomePageFactory,
    PhysicianIndexPageFactory,
    PhysicianPageFactory,
    StandardPageFactory,
    TreatmentIndexPageFactory,
    TreatmentPageFactory,
)


def pytest_collection_modifyitems(items):
    """A transactional test must restore the migrated database it found
    (``serialized_rollback=True``): its teardown empties every table, and the next test of the
    same process that restores the serialized copy (the browser and demo tests) then fails on a
    row a migration's signal made meanwhile, a cascade of errors far from the cause."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker is not None else {}
        transactional = kwargs.get("transaction") or "transactional_db" in getattr(
            item, "fixturenames", ()
        )
        if transactional and not kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: mark it django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches: no rate-limit counts or cached pages carried over
    from another test (the live server shares this process's memory caches)."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a page requested through Django's test
    client in this thread leaves the language it was served in active afterwards."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated images go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class ClinicSite:
    """A small clinic site with one page of every type, linked the way editors link them."""

    site: Site
    home: models.HomePage
    conditions: models.ConditionIndexPage
    treatments: models.TreatmentIndexPage
    physicians: models.PhysicianIndexPage
    condition: models.ConditionPage
    treatment: models.TreatmentPage
    physician: models.PhysicianPage
    accessibility: AccessibilityPage
    contact: models.ContactPage
    privacy: models.StandardPage
    settings: ClinicSettings

    def all_pages(self) -> list[Page]:
        return [
            self.home,
            self.conditions,
            self.treatments,
            self.physicians,
            self.condition,
            self.treatment,
            self.physician,
            self.accessibility,
            self.contact,
            self.privacy,
        ]


@pytest.fixture
def clinic_site(db) -> ClinicSite:
    root = Page.get_first_root_node()
    # Wagtail's installer leaves a welcome page that would take the "home" slug.
    root.get_children().delete()
    home = HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True) if Site.objects.exists() else None
    if site is None:
        site = Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.hostname = "testserver"
        site.port = 80
        site.save()

    conditions = ConditionIndexPageFactory(parent=home)
    treatments = TreatmentIndexPageFactory(parent=home)
    physicians = PhysicianIndexPageFactory(parent=home)
    physician = PhysicianPageFactory(parent=physicians, name="Ana Rivera", title="Dr Ana Rivera")
    treatment = TreatmentPageFactory(
        parent=treatments,
        title="Botulinum toxin injections",
        physician_links=[models.TreatmentPhysician(physician=physician)],
    )
    condition = ConditionPageFactory(
        parent=conditions,
        title="Synkinesis",
        reviewed_by=physician,
        treatment_options=[
            models.ConditionTreatmentOption(treatment=treatment, note="Softens eye closure.")
        ],
        physician_links=[models.ConditionPhysician(physician=physician)],
    )
    # Reviewed as clinical review records it (pages.medical_reviews).
    record_review(condition, physician=physician, on=datetime.date(2026, 10, 15))
    home.featured_conditions = [models.HomePageFeaturedCondition(condition=condition)]
    home.save()
    accessibility = AccessibilityPageFactory(parent=home)
    contact = ContactPageFactory(parent=home)
    privacy = StandardPageFactory(parent=home)

    clinic = ClinicSettings.for_site(site)
    clinic.name = "Meridian Facial Nerve Center"
    clinic.phone = "(555) 555-0100"
    clinic.region = "CA"
    clinic.online_payment_url = "https://payments.example.com/meridian"
    clinic.patient_portal_url = "https://portal.example.com/meridian"
    clinic.consultation_page = contact
    clinic.contact_page = contact
    clinic.accessibility_page = accessibility
    clinic.privacy_page = privacy
    clinic.accessibility_manager_name = "Jordan Pike"
    clinic.accessibility_manager_phone = "(555) 555-0142"
    clinic.save()

    return ClinicSite(
        site=site,
        home=home,
        conditions=conditions,
        treatments=treatments,
        physicians=physicians,
        condition=condition,
        treatment=treatment,
        physician=physician,
        accessibility=accessibility,
        contact=contact,
        privacy=privacy,
        settings=clinic,
    )


@pytest.fixture
def consultation_page(clinic_site):
    """The consultation request page, chosen in the settings as the booking page."""
    page = ConsultationRequestPageFactory(parent=clinic_site.home)
    clinic_site.settings.consultation_page = page
    clinic_site.settings.save()
    return page


# The demo clinic as each test database first loaded it, serialized: {database name: JSON}.
_demo_snapshots: dict[str, str] = {}


@pytest.fixture(scope="session")
def demo_media_root(tmp_path_factory):
    """Where the demo's images are drawn, once per test process."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo_content(transactional_db, settings, demo_media_root):
    """The demo clinic in English, Spanish and French, for tests that use it as it is.

    Loading it takes half a minute (every page is created, published and translated through
    Wagtail and wagtail-localize), so each test process loads it once, keeps a serialized copy
    and restores that copy for the next test that asks, the way Django's serialized rollback
    restores the migrated database. The tests of the loader itself (tests/demo/) load it for
    real."""
    settings.MEDIA_ROOT = demo_media_root
    database = connection.settings_dict["NAME"]
    snapshot = _demo_snapshots.get(database)
    if snapshot is None:
        call_command("load_demo_content", stdout=io.StringIO())
        _demo_snapshots[database] = connection.creation.serialize_db_to_string()
    else:
        # The migrated database the test began with gives way to the demo's whole copy. The
        # sequences stay where they are: past every id of the copy, which this database gave.
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(snapshot)
