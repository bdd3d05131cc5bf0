"""Every public page of the demo clinic, in every language, is valid HTML to the Nu HTML Checker
(`vnu-jar`, pinned in package-lock.json): pages, search results, the 404 page, both forms in
their error state and the confirmations.

Without Java or the checker on a developer's machine the test skips with the reason; in CI
(CI=true) that is a failure."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from wagtail.models import Page, Site

from appointments.models import AccessibilityPage, ConsultationRequestPage
from tests.appointments.helpers import consultation_data
from tests.browser.test_accessibility import DIRECTORY_STATES

VNU_JAR = Path(django_settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    missing = [
        what
        for what, found in (("java", java), (f"{VNU_JAR} (npm ci)", VNU_JAR.exists()))
        if not found
    ]
    if missing:
        message = f"The Nu HTML Checker needs {' and '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only"]


def validate(documents: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Check all documents in one run of the checker; the errors found, by document name."""
    files = {}
    for number, (name, content) in enumerate(documents.items()):
        path = folder / f"{number:03}.html"
        path.write_bytes(content)
        files[path.name] = name
    result = subprocess.run(
        [*vnu_command(), *[str(folder / file_name) for file_name in files]],
        capture_output=True,
        timeout=300,
        check=False,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


@pytest.fixture
def demo_site(demo_content, settings):
    Site.objects.filter(is_default_site=True).update(hostname="testserver", port=80)
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0


def fetch(client, url: str, method: str = "get", data=None, expect: int = 200) -> bytes:
    response = getattr(client, method)(url, data, follow=method == "post")
    assert response.status_code == expect, url
    return response.content


# A real transaction: wagtail-localize publishes the Spanish and French pages on commit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_public_page_and_form_state_is_valid_html(client, demo_site, tmp_path):
    documents = {}
    pages = Page.objects.live().filter(depth__gte=2).order_by("path")
    for page in pages:
        documents[page.url] = fetch(client, page.url)
    assert len(documents) >= 57  # 19 demo pages in English, Spanish and French
    for url in ("/en/search/?q=nerve", "/es/search/?q=sincinesia", "/fr/search/?q="):
        documents[url] = fetch(client, url)
    for url in ("/en/no-such-page/", "/es/no-existe/", "/fr/introuvable/"):
        documents[url] = fetch(client, url, expect=404)
    # The physician directory filtered, with no match, and with a filter it ignores.
    for url in DIRECTORY_STATES:
        documents[url] = fetch(client, url)

    for language in ("en", "es", "fr"):
        consultation = ConsultationRequestPage.objects.get(locale__language_code=language)
        accessibility = AccessibilityPage.objects.get(locale__language_code=language)
        for form_page in (consultation, accessibility):
            documents[f"{form_page.url} (errors)"] = fetch(client, form_page.url, "post", {})
        documents[f"{consultation.url} (confirmation)"] = fetch(
            client, consultation.url, "post", consultation_data(preferred_language=language)
        )
        documents[f"{accessibility.url} (confirmation)"] = fetch(
            client,
            accessibility.url,
            "post",
            {"full_name": "Sam Ortiz", "contact_details": "(202) 555-0188", "message": "Braille"},
        )

    for name, content in documents.items():
        if name.endswith("(confirmation)"):
            assert b"reference__number" in content, name
        if name.endswith("(errors)"):
            assert b"data-error-summary" in content, name
    assert validate(documents, tmp_path) == {}


def test_the_checker_finds_errors(tmp_path):
    """The gate can fail: a document with a stray end tag and a duplicate id is reported."""
    broken = b'<!DOCTYPE html><html lang="en"><title>x</title><p id="a">x</div><p id="a">y</p>'
    errors = validate({"broken": broken}, tmp_path)
    assert len(errors["broken"]) >= 2
