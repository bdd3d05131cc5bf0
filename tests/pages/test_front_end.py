"""What a visitor's phone downloads: static files compressed, with hashed names and cached for a
year; no script that blocks rendering; no web fonts; responsive images; and a condition page
that, with its CSS and JavaScript, transfers under 60 KB compressed (images excluded)."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 60 * 1024
ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def production_static(settings, tmp_path):
    """Static files as production serves them: collected with compressed, hashed copies by
    whitenoise's storage, and served by whitenoise from the collected folder."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # The admin's own files are not what visitors download; leaving them out keeps this quick.
    call_command("collectstatic", "--noinput", "--verbosity=0", "--ignore=wagtail*")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_a_condition_page_with_its_css_and_js_is_under_60_kb_compressed(
    clinic_site, production_static
):
    visitor = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = visitor.get(clinic_site.condition.url)
    html = soup(response)
    total = len(gzip.compress(response.content))  # HTML is compressed by the web server
    assets = [link["href"] for link in html.select("link[rel=stylesheet]")]
    assets += [script["src"] for script in html.select("script[src]")]
    assert any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), f"{asset} has no content hash"
        static = visitor.get(asset)
        assert static.status_code == 200, asset
        assert static["Content-Encoding"] in ("gzip", "br"), asset
        assert f"max-age={ONE_YEAR * 10}" in static["Cache-Control"] or (
            f"max-age={ONE_YEAR}" in static["Cache-Control"]
        ), static["Cache-Control"]
        assert "immutable" in static["Cache-Control"], asset
        total += len(b"".join(static.streaming_content))
    assert total < BUDGET_BYTES, f"{total} bytes"


# The one script that runs before the first paint, on purpose: it marks <html> so that the phone
# header is drawn folded, instead of folding after a deferred script and moving the page up
# (a layout shift of 0.39 in Lighthouse; tests/browser/test_phone_header.py). It is our own,
# small and cached, and it only adds a class before the page is parsed.
RENDER_BLOCKING_ALLOWED = ("js/header",)


def test_no_script_blocks_rendering_and_no_web_fonts_are_downloaded(client, clinic_site):
    for page in clinic_site.all_pages():
        html = soup(client.get(page.url))
        for script in html.select("script[src]"):
            if any(name in script["src"] for name in RENDER_BLOCKING_ALLOWED):
                assert script.parent.name == "head", (page.url, script)
                continue
            assert script.has_attr("defer") or script.has_attr("async"), (page.url, script)
        blocking = html.select("head script[src]:not([defer]):not([async])")
        assert len(blocking) <= len(RENDER_BLOCKING_ALLOWED), (page.url, blocking)
        assert not html.select('link[rel=preload][as=font], link[href*="fonts."]'), page.url
    with open("static/css/site.css") as css:
        stylesheet = css.read()
    assert "@font-face" not in stylesheet and "@import" not in stylesheet


def test_images_are_responsive_sized_and_lazy_below_the_fold(client, clinic_site):
    from tests.factories.pages import ImageFactory

    for page in (clinic_site.condition, clinic_site.treatment):
        page.image = ImageFactory()
        page.save_revision().publish()
    clinic_site.physician.photo = ImageFactory()
    clinic_site.physician.save_revision().publish()

    seen = 0
    for page in clinic_site.all_pages():
        html = soup(client.get(page.url))
        for image in html.select("main img"):
            if image["src"].endswith(".svg"):
                continue
            seen += 1
            where = (page.url, image["src"])
            assert image.get("width") and image.get("height"), where
            assert image.get("srcset") and image.get("sizes"), where
            assert all(
                candidate.split()[0].endswith((".webp", ".avif"))
                for candidate in image["srcset"].split(",")
            ), where
            above_the_fold = image.find_parent(class_="page-header") or image.find_parent(
                class_="hero"
            )
            if not above_the_fold:
                assert image.get("loading") == "lazy", where
    assert seen >= 5
