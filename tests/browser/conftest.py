"""Playwright driving Debian's Chromium against the live test server.

Without Chromium on a developer's machine these tests skip with the reason; in CI (CI=true) a
missing browser is a failure, never a skip."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


# Function scope on purpose: with one browser kept open across tests (its event loop alive in
# this thread), Django did not restore the serialized database at the next test's set-up.
@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def live_site(clinic_site, live_server, settings):
    """The small clinic of tests/conftest.py, served by the live test server, with forms that
    may be sent as fast as a test types."""
    from wagtail.models import Site

    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.filter(pk=clinic_site.site.pk).update(hostname=host, port=int(port))
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    return clinic_site


@pytest.fixture
def demo_site(live_server, demo_content, settings):
    """The demo clinic in English, Spanish and French, served by the live test server."""
    from wagtail.models import Site

    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
