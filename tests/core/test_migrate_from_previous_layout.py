"""A clinic that ran the site before the layers (settings in the ``clinic_site`` app, the form pages
in ``pages``) upgrades with ``migrate`` and loses nothing.

The previous layout is the commit :data:`PREVIOUS_LAYOUT`, taken from this repository's history:
its own code migrates a fresh database and loads the demo clinic, with a consultation request in
the inbox; then this tree's code migrates the same database. Every table keeps its rows (under its
new name where it moved), and the moved pages are still served. The database is of the kind the
suite runs on (PostgreSQL when ``DATABASE_URL`` names it, else SQLite)."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The last commit of main before the layers.
PREVIOUS_LAYOUT = "a859005"
# Tables that moved: old name → new name.
MOVED_TABLES = {
    "clinic_site_clinicsettings": "core_clinicsettings",
    "pages_consultationrequestpage": "appointments_consultationrequestpage",
    "pages_accessibilitypage": "appointments_accessibilitypage",
}
# Rows a later migration changes on purpose (pages.0006: clinical review is the only way live):
# table → rows after minus rows before. The physicians lose ``publish_page`` on the six clinical
# sections and Moderators on the root; "Content leads" (a group with admin access) approve the
# "Content review" task and workflow, attached to the three home pages.
CHANGED_ON_PURPOSE = {
    "wagtailcore_grouppagepermission": -7,
    "auth_group": 1,
    "auth_group_permissions": 1,
    "wagtailcore_task": 1,
    "wagtailcore_groupapprovaltask": 1,
    "wagtailcore_groupapprovaltask_groups": 1,
    "wagtailcore_workflow": 1,
    "wagtailcore_workflowtask": 1,
    "wagtailcore_workflowpage": 3,
}
# pages.0007 (medical review records): its two models' content types and permissions, and "Can
# view medical review" (the "Due for medical review" report) for physicians and marketing editors.
MEDICAL_REVIEW_ROWS = {"django_content_type": 2, "auth_permission": 8, "auth_group_permissions": 2}
# pages.0010 (legal notices): the page type's content type and its four permissions.
LEGAL_NOTICE_ROWS = {"django_content_type": 1, "auth_permission": 4}
# Two-factor sign-in: django-otp's three device models (content types, four permissions each),
# and "Enable 2FA" (core.0004), which Intake staff are given (appointments.0013).
TWO_FACTOR_ROWS = {"django_content_type": 3, "auth_permission": 13, "auth_group_permissions": 1}
# Locations (pages.0012-0014, appointments.0014): five new models, each a content type with its
# four permissions (add, change, delete, view): the two page types LocationIndexPage and
# LocationPage, the physician's PhysicianLanguage and PhysicianLocation rows, and the intake
# settings' IntakeLocationEmail. pages.0013 then makes the settings' address and hours the first
# site: a live "Locations" section and one LocationPage under the English home page (the only
# settings row, hence two pages). Its PhysicianLanguage rows are in a table that is new, so not
# counted here; the test below checks them.
LOCATION_ROWS = {
    "django_content_type": 5,
    "auth_permission": 20,
    "wagtailcore_page": 2,
}
# What marketing staff learn (core.0006, pages.0015, appointments.0015-0016): six content types
# with their four permissions each: PageViewCount, SearchTermCount, PageFeedback and the three
# models of wagtail.contrib.search_promotions (Query, QueryDailyHits, SearchPromotion). Marketing
# editors are given "view" on the search terms and add/change/delete on the promotions
# (pages.0015), and "view" and "change" on the page feedback (appointments.0016).
ANALYTICS_ROWS = {"django_content_type": 6, "auth_permission": 24, "auth_group_permissions": 6}
for table, rows in (
    *MEDICAL_REVIEW_ROWS.items(),
    *LEGAL_NOTICE_ROWS.items(),
    *TWO_FACTOR_ROWS.items(),
    *LOCATION_ROWS.items(),
    *ANALYTICS_ROWS.items(),
):
    CHANGED_ON_PURPOSE[table] = CHANGED_ON_PURPOSE.get(table, 0) + rows

COUNT_ROWS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""

ADD_A_REQUEST = """
from django.utils import timezone
from appointments.models import ConsultationRequest
from pages.models import ConditionPage
ConsultationRequest.objects.create(
    full_name="Upgrade Canary", phone="+12025550143", consent_given_at=timezone.now(),
    privacy_notice_version="page-1-revision-1", condition=ConditionPage.objects.first(),
)
"""

SERVE_THE_MOVED_PAGES = """
import json
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from wagtail.models import Page
from appointments.models import AccessibilityPage, ConsultationRequest, ConsultationRequestPage
from core.models import ClinicSettings

client = Client()
pages = [*ConsultationRequestPage.objects.live(), *AccessibilityPage.objects.live()]
print(json.dumps({
    "statuses": sorted({client.get(page.url).status_code for page in pages}),
    "languages": sorted(page.locale.language_code for page in pages),
    "specific": sorted(type(page.specific).__name__ for page in Page.objects.filter(
        pk__in=[page.pk for page in pages])),
    "stale_content_types": ContentType.objects.filter(
        app_label__in=["clinic_site", "pages"],
        model__in=["clinicsettings", "consultationrequestpage", "accessibilitypage"],
    ).count(),
    "clinic": ClinicSettings.objects.get().name,
    "consultation_page": ClinicSettings.objects.get().consultation_page.specific_class.__name__,
    "request": ConsultationRequest.objects.get(full_name="Upgrade Canary").condition.title,
}))
"""


# What pages.0013 reads: the settings' address and hours, and each physician's typed languages.
# a859005's demo has these exactly as today's main (41a838b) has them (the same settings fields,
# the same "English, Spanish" and "English, French" in English, translated as "Inglés, español"
# and "Anglais, français" in the translations), so migrating from a859005 also proves that a
# database built from today's main migrates forward, without a second, slow starting point.
BEFORE_THE_LOCATIONS = """
import json
from clinic_site.models import ClinicSettings
from pages.models import PhysicianPage
clinic = ClinicSettings.objects.get()
print(json.dumps({
    "address": [clinic.street_address, clinic.locality, clinic.region, clinic.postal_code],
    "phone": clinic.phone,
    "hours": [[block["type"], block["value"]] for block in clinic.opening_hours.raw_data],
    "languages": sorted(
        [page.locale.language_code, page.slug, page.languages_spoken]
        for page in PhysicianPage.objects.select_related("locale")
    ),
}))
"""

AFTER_THE_LOCATIONS = """
import json
from wagtail.models import Site
from pages.models import LocationPage, PhysicianPage
location = LocationPage.objects.get()
section = location.get_parent().specific
print(json.dumps({
    "address": [location.street_address, location.locality, location.region, location.postal_code],
    "phone": location.phone,
    "hours": [[block["type"], block["value"]] for block in location.opening_hours.raw_data],
    "live": [location.live, section.live],
    "section": [type(section).__name__, section.title],
    "under_home": section.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id,
    "languages": sorted(
        [
            page.locale.language_code,
            page.slug,
            page.language_codes,
            # What the editor opens: the latest revision, which must hold the same rows.
            [row.code for row in page.latest_revision.as_object().spoken_languages.all()],
        ]
        for page in PhysicianPage.objects.select_related("locale", "latest_revision")
    ),
}))
"""


def previous_layout(destination: Path) -> Path:
    """The code of :data:`PREVIOUS_LAYOUT`, unpacked from git."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_LAYOUT],
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, (
        f"This test needs the repository's history (commit {PREVIOUS_LAYOUT}): "
        + archive.stderr.decode()
    )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")
    return destination


@pytest.fixture
def database_url(tmp_path):
    """An empty database of the suite's kind, dropped afterwards."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(suite_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(project: Path, database_url: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "clinic_site.settings.test",
        "PYTHONPATH": str(project),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {project}:\n{result.stderr}"
    return result.stdout


def row_counts(project: Path, database_url: str) -> dict[str, int]:
    return json.loads(manage(project, database_url, "shell", "-c", COUNT_ROWS).splitlines()[-1])


def test_a_site_on_the_previous_layout_migrates_without_losing_a_row(tmp_path, database_url):
    old = previous_layout(tmp_path / "previous")
    manage(old, database_url, "migrate", "--no-input")
    manage(old, database_url, "load_demo_content")
    manage(old, database_url, "shell", "-c", ADD_A_REQUEST)
    before = row_counts(old, database_url)
    settings = json.loads(
        manage(old, database_url, "shell", "-c", BEFORE_THE_LOCATIONS).splitlines()[-1]
    )
    assert before["pages_consultationrequestpage"] == 3  # English, Spanish and French
    assert before["clinic_site_clinicsettings"] == 1

    manage(ROOT, database_url, "migrate", "--no-input")
    after = row_counts(ROOT, database_url)

    lost = {
        table: (count, after.get(MOVED_TABLES.get(table, table)))
        for table, count in before.items()
        if after.get(MOVED_TABLES.get(table, table)) != count + CHANGED_ON_PURPOSE.get(table, 0)
        and table != "django_migrations"
    }
    assert lost == {}, "table: (rows before, rows after)"
    assert set(MOVED_TABLES).isdisjoint(after)
    served = json.loads(
        manage(ROOT, database_url, "shell", "-c", SERVE_THE_MOVED_PAGES).splitlines()[-1]
    )
    assert served == {
        "statuses": [200],
        "languages": ["en", "en", "es", "es", "fr", "fr"],
        "specific": sorted(["AccessibilityPage", "ConsultationRequestPage"] * 3),
        "stale_content_types": 0,
        "clinic": "Meridian Facial Nerve Center",
        "consultation_page": "ConsultationRequestPage",
        "request": "Synkinesis",
    }

    # The address, phone and hours that were the settings' are now the first site's page.
    moved = json.loads(
        manage(ROOT, database_url, "shell", "-c", AFTER_THE_LOCATIONS).splitlines()[-1]
    )
    assert settings["address"] == ["1200 Harbor Point Avenue, Suite 400", "Bayview", "CA", "94000"]
    assert len(settings["hours"]) == 3
    for fact in ("address", "phone", "hours"):
        assert moved[fact] == settings[fact], fact
    assert moved["live"] == [True, True]
    assert moved["section"] == ["LocationIndexPage", "Locations"]
    assert moved["under_home"]
    # Every physician page, in every language, has the codes of its English page's typed words.
    typed = {
        "English, Spanish": ["en", "es"],
        "English, French": ["en", "fr"],
    }
    english = {slug: text for language, slug, text in settings["languages"] if language == "en"}
    assert sorted(english.values()) == sorted(typed)
    assert [[language, slug] for language, slug, *_rows in moved["languages"]] == [
        [language, slug] for language, slug, _text in settings["languages"]
    ]
    for language, slug, codes, revision_codes in moved["languages"]:
        assert codes == typed[english[slug]], (language, slug)
        assert revision_codes == codes, (language, slug)
