"""No tracker can come in: nothing a public page makes a browser load (a script, stylesheet,
font, image, frame, media, a form's target or a redirect) is on another origin unless a deployer
listed that origin in THIRD_PARTY_ORIGINS; the Content-Security-Policy follows the setting;
embeds from other origins render as nothing; and a plain GET of a public page sets no cookie.

Every page of the demo clinic in English, Spanish and French is read, with the search page, the
physician directory's filters, both request forms and their error states. Links to other sites
(``<a href>``) are allowed: following one is the visitor's choice, not a load."""

import re
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.test import Client
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from appointments.models import AccessibilityPage, ConsultationRequestPage
from tests.browser.test_accessibility import DIRECTORY_STATES

ROOT = Path(django_settings.BASE_DIR)
OWN_ORIGINS = {"http://testserver"}
SEARCHES = ["/en/search/?q=nerve", "/es/search/?q=sincinesia", "/fr/search/?q=", "/en/search/"]
MISSING = ["/en/no-such-page/", "/es/no-existe/", "/fr/introuvable/"]

# <link rel> values that only name another address (a canonical or translated copy of the page,
# the next page of a list); every other rel (stylesheet, icon, preload, modulepreload, manifest,
# prefetch…) makes the browser fetch it.
NAMING_RELS = {"canonical", "alternate", "next", "prev", "author", "license", "help", "me"}
# Elements and the attributes through which each loads something.
LOADING_ATTRIBUTES = {
    "script": ["src"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "input": ["src", "data-script"],  # data-script: the reCAPTCHA script forms.js would load
    "form": ["action"],
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def origin(address: str) -> str:
    """``scheme://host[:port]`` of an address a browser would load, default port left out; ""
    for an address on the page's own origin (relative, or data:)."""
    parts = urlsplit(address.strip())
    if parts.scheme in {"data", "blob"} or not parts.netloc:
        return ""
    scheme = parts.scheme or "http"  # "//host/…" takes the page's scheme: the test server's
    port = "" if parts.port in {None, 80, 443} else f":{parts.port}"
    return f"{scheme}://{parts.hostname}{port}"


def srcset_addresses(value: str) -> list[str]:
    return [item.split()[0] for item in value.split(",") if item.strip()]


def css_addresses(css: str) -> list[str]:
    return [url or imported for url, imported in CSS_URL.findall(css)]


def loaded_addresses(html: bytes | str) -> list[str]:
    """Every address in a document that a browser would load (or send a form to) by itself."""
    soup = BeautifulSoup(html, "html.parser")
    addresses = []
    for tag in soup.find_all(True):
        for attribute in LOADING_ATTRIBUTES.get(tag.name, []):
            value = tag.get(attribute)
            if value:
                addresses += srcset_addresses(value) if attribute == "srcset" else [value]
        fetched_link = not set(tag.get("rel") or []) <= NAMING_RELS
        if tag.name == "link" and tag.get("href") and fetched_link:
            addresses.append(tag["href"])
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            addresses += re.findall(r"url\s*=\s*['\"]?([^'\"\s;]+)", tag.get("content", ""), re.I)
        if tag.get("style"):
            addresses += css_addresses(tag["style"])
        if tag.name == "style":
            addresses += css_addresses(tag.get_text())
    return addresses


def foreign_loads(html: bytes | str, allowed: set[str]) -> set[str]:
    return {
        address
        for address in loaded_addresses(html)
        if origin(address) and origin(address) not in OWN_ORIGINS | allowed
    }


def public_get_urls() -> list[str]:
    """Every address of the demo a visitor reaches with a plain GET."""
    pages = Page.objects.live().filter(depth__gte=2).order_by("path")
    urls = [page.url for page in pages]
    assert len(urls) >= 57, urls  # 19 demo pages in English, Spanish and French
    return urls + SEARCHES + DIRECTORY_STATES


def form_pages() -> list[Page]:
    return [
        *ConsultationRequestPage.objects.live().order_by("path"),
        *AccessibilityPage.objects.live().order_by("path"),
    ]


@pytest.fixture
def demo_site(demo_content, settings):
    Site.objects.filter(is_default_site=True).update(hostname="testserver", port=80)
    settings.CONSULTATION_MIN_SUBMIT_SECONDS = 0
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""


# A real transaction: wagtail-localize publishes the Spanish and French pages on commit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_public_page_or_form_state_loads_anything_from_another_origin(client, demo_site):
    documents = {}
    for url in public_get_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response
    for url in MISSING:
        documents[url] = client.get(url)
        assert documents[url].status_code == 404, url
    for form_page in form_pages():
        errors = client.post(form_page.url, {})
        assert b"data-error-summary" in errors.content, form_page.url
        documents[f"{form_page.url} (errors)"] = errors

    allowed = {origin(listed) for listed in django_settings.THIRD_PARTY_ORIGINS}
    found = {}
    for name, response in documents.items():
        foreign = foreign_loads(response.content, allowed)
        # Headers that make a browser fetch: a preload Link, a Refresh.
        for header in ("Link", "Refresh", "Location"):
            for address in re.findall(r"<([^>]+)>|url=(\S+)", response.get(header, "")):
                if origin("".join(address)) not in {"", *OWN_ORIGINS, *allowed}:
                    foreign.add(f"{header}: {''.join(address)}")
        if foreign:
            found[name] = sorted(foreign)
    assert found == {}
    # The pages do load things: the check reads them (the site's own stylesheet, its scripts).
    home = loaded_addresses(documents["/en/"].content)
    assert any("/static/css/" in address for address in home), home
    assert any(address.endswith(".js") for address in home), home


def test_the_sites_stylesheets_load_nothing_from_another_origin():
    stylesheets = sorted((ROOT / "static").rglob("*.css"))
    assert stylesheets
    foreign = {
        f"{path.relative_to(ROOT)}: {address}"
        for path in stylesheets
        for address in css_addresses(path.read_text(encoding="utf-8"))
        if origin(address)
    }
    assert foreign == set()


# Attributes through which a template would make a browser load an address outright.
ABSOLUTE_LOAD_IN_TEMPLATE = re.compile(
    r"""(?<![\w-])(?:src|srcset|poster|action|data)\s*=\s*["']\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def absolute_loads_in_templates() -> list[str]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ABSOLUTE_LOAD_IN_TEMPLATE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_template_loads_a_script_style_or_image_from_a_fixed_outside_address():
    assert absolute_loads_in_templates() == []


def test_the_template_scan_catches_an_outside_script_or_pixel():
    """The gate can fail: the forms a tracker's snippet takes are recognised."""
    for line in (
        '<script async src="https://www.tracker.example/tag.js"></script>',
        "<img src='//pixel.example/p.gif' alt=''>",
        '<link rel="stylesheet" href="https://fonts.example/css">',
        '<div style="background: url(https://pixel.example/p.gif)">',
    ):
        assert ABSOLUTE_LOAD_IN_TEMPLATE.search(line), line
    assert not ABSOLUTE_LOAD_IN_TEMPLATE.search('<a href="https://other.example/">')
    assert not ABSOLUTE_LOAD_IN_TEMPLATE.search('<img src="{{ image.url }}" data-src="x">')


def test_the_page_check_catches_every_way_a_page_loads_from_elsewhere():
    """The gate can fail: each kind of load from another origin is found, links are not."""
    html = """
    <link rel="stylesheet" href="https://cdn.example/a.css">
    <link rel="preload" href="https://cdn.example/font.woff2" as="font">
    <link rel="icon" href="//icons.example/favicon.ico">
    <link rel="canonical" href="https://elsewhere.example/page/">
    <meta http-equiv="refresh" content="0; url=https://redirect.example/">
    <script src="https://tracker.example/t.js"></script>
    <img src="/media/a.jpg" srcset="/media/a.jpg 1x, https://img.example/a.jpg 2x" alt="">
    <iframe src="https://video.example/embed/1"></iframe>
    <object data="https://plugin.example/x"></object>
    <video poster="https://poster.example/p.jpg"><track src="https://captions.example/c.vtt"></video>
    <form action="https://forms.example/submit"></form>
    <p style="background: url('https://pixel.example/p.gif')">x</p>
    <style>@import "https://styles.example/x.css";</style>
    <a href="https://other-site.example/">a link is not a load</a>
    <img src="data:image/gif;base64,R0lGOD" alt=""> <img src="http://testserver/own.png" alt="">
    """
    assert {origin(address) for address in foreign_loads(html, set())} == {
        "https://cdn.example",
        "http://icons.example",  # "//host": the page's own scheme, the test server's http
        "https://redirect.example",
        "https://tracker.example",
        "https://img.example",
        "https://video.example",
        "https://plugin.example",
        "https://poster.example",
        "https://captions.example",
        "https://forms.example",
        "https://pixel.example",
        "https://styles.example",
    }
    allowed = {"https://video.example"}
    assert "https://video.example/embed/1" not in foreign_loads(html, allowed)


def directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


LOADING_DIRECTIVES = ["script-src", "style-src", "img-src", "font-src", "media-src", "frame-src"]


@pytest.mark.django_db
def test_the_policy_allows_a_listed_origin_and_no_other(
    client, clinic_site, consultation_page, settings
):
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    settings.THIRD_PARTY_ORIGINS = []
    policy = client.get(clinic_site.condition.url)["Content-Security-Policy"]
    assert "video.example" not in policy
    assert directives(policy)["frame-src"] == ["'none'"]
    assert all(
        source in {"'self'", "data:"}
        for name in LOADING_DIRECTIVES[:-1]
        for source in directives(policy)[name]
    ), policy

    settings.THIRD_PARTY_ORIGINS = ["https://video.example"]
    for url in (clinic_site.condition.url, clinic_site.condition.url, "/en/no-such-page/"):
        policy = directives(client.get(url)["Content-Security-Policy"])  # the second: cached
        for name in LOADING_DIRECTIVES:
            assert "https://video.example" in policy[name], (url, name)
        assert policy["frame-src"] == ["https://video.example"]
        assert "'self'" in policy["script-src"]
        for name in ("connect-src", "form-action", "frame-ancestors", "default-src"):
            assert "https://video.example" not in policy[name], name

    # The reCAPTCHA hosts still come with the keys, on the consultation form only, besides.
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public", "private"
    form = directives(client.get(consultation_page.url)["Content-Security-Policy"])
    assert "https://video.example" in form["frame-src"]
    assert "https://www.google.com/recaptcha/" in form["frame-src"]
    assert "google" not in client.get(clinic_site.home.url)["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_policy_does_not_gain_the_listed_origins(admin_client, settings):
    settings.THIRD_PARTY_ORIGINS = ["https://video.example"]
    assert "video.example" not in admin_client.get("/admin/")["Content-Security-Policy"]


YOUTUBE_VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
EMBED_IN_RICH_TEXT = f'<p>Watch:</p><embed embedtype="media" url="{YOUTUBE_VIDEO}"/>'


def oembed_answer(iframe_src: str) -> mock.Mock:
    answer = mock.Mock()
    answer.json.return_value = {
        "type": "video",
        "html": f'<iframe src="{iframe_src}" title="A video"></iframe>',
        "thumbnail_url": "https://i.ytimg.com/vi/x/hqdefault.jpg",
    }
    return answer


@pytest.mark.django_db
def test_an_embed_renders_as_nothing_and_asks_no_one_when_no_origin_is_allowed(settings):
    settings.THIRD_PARTY_ORIGINS = []
    with mock.patch("requests.get", side_effect=AssertionError("asked a provider")) as asked:
        html = expand_db_html(EMBED_IN_RICH_TEXT)
    assert not asked.called
    assert "iframe" not in html and "youtube" not in html
    assert "Watch:" in html


@pytest.mark.django_db
def test_an_embed_is_shown_only_when_everything_it_loads_is_on_an_allowed_origin(settings):
    settings.THIRD_PARTY_ORIGINS = ["https://www.youtube-nocookie.com"]
    with mock.patch("requests.get", return_value=oembed_answer("https://www.youtube.com/embed/x")):
        assert "iframe" not in expand_db_html(EMBED_IN_RICH_TEXT)
    other = EMBED_IN_RICH_TEXT.replace("dQw4w9WgXcQ", "other")
    with mock.patch(
        "requests.get", return_value=oembed_answer("https://www.youtube-nocookie.com/embed/x")
    ):
        html = expand_db_html(other)
    assert 'src="https://www.youtube-nocookie.com/embed/x"' in html
    assert foreign_loads(html, set(settings.THIRD_PARTY_ORIGINS)) == set()


def plain_get(url: str):
    """A GET from a browser that holds no cookie yet."""
    return Client().get(url)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_public_page_sets_a_cookie_on_a_plain_get_and_the_forms_only_their_csrf_cookie(
    demo_site,
):
    cookies = {}
    for url in public_get_urls():
        for view in ("uncached", "cached"):
            response = plain_get(url)
            assert response.status_code == 200, url
            if response.cookies:
                cookies[f"{url} ({view})"] = sorted(response.cookies)
    form_urls = {page.url for page in form_pages()}
    # The request forms carry a CSRF token, and Django keeps its pair in a cookie: the only
    # cookie a public page sets, and only on a page with a form (recorded, not wished for).
    assert {name for name in cookies if name.split(" ")[0] not in form_urls} == set()
    for url in form_urls:
        assert cookies.get(f"{url} (uncached)") == [django_settings.CSRF_COOKIE_NAME], url
    for url in MISSING:
        assert not plain_get(url).cookies, url
