"""The page views nginx answers from its own cache (core.proxy_views): each line nginx reports
becomes one view of the live page at its path, in the path's language and with its referrer's
category, as the site counts its own views; anything else sent to the port is ignored. The
shipped nginx configuration that sends the lines is tested in tests/deploy/test_topology.py."""

import json
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import RequestFactory
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from core import analytics, proxy_views, view_counts
from core.analytics import Referrer
from core.cache import new_generation
from core.models import PageViewCount
from core.proxy_views import PageFinder, ViewListener, ViewReader, parse_line
from tests.factories.pages import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_tally():
    analytics.tally.take()
    yield
    analytics.tally.take()


def line(path: str, host: str = "testserver", referrer: str = "", utm_source: str = "") -> bytes:
    """A line as nginx sends it (log_format clinic_views, tag clinic_views, nohostname)."""
    fields = {"host": host, "path": path, "referrer": referrer, "utm_source": utm_source}
    return b"<190>Dec  5 13:40:00 clinic_views: " + json.dumps(fields).encode()


def counts() -> dict[tuple, int]:
    """Every row written, after a flush: {(page id, language, referrer): views}."""
    analytics.flush()
    return {
        (row.page_id, row.language, row.referrer): row.views for row in PageViewCount.objects.all()
    }


def spanish_home(clinic_site, django_capture_on_commit_callbacks):
    """The home page translated into Spanish and published (at /es/)."""
    locale = Locale.objects.get(language_code="es")
    source, _created = TranslationSource.get_or_create_from_instance(clinic_site.home)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": segment.string.data},
        )
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    return clinic_site.home.get_translation(locale)


# --- the parser --------------------------------------------------------------------------------


def test_a_line_gives_the_host_the_path_the_referrer_host_and_the_source():
    data = line("/en/synkinesis/", "WWW.Example.org", "WWW.Google.com", "news%20letter")

    assert parse_line(data) == (
        "www.example.org",
        "/en/synkinesis/",
        "www.google.com",
        "news letter",
    )


def test_an_ipv6_referrer_loses_its_brackets():
    assert parse_line(line("/en/", referrer="[2001:db8::1]"))[2] == "2001:db8::1"  # type: ignore[index]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<190>Dec  5 13:40:00 clinic_views: ",
        b"<190>Dec  5 13:40:00 clinic_views: {not json",
        b"<190>Dec  5 13:40:00 clinic_views: [1, 2]",
        b'<190>Dec  5 13:40:00 clinic_views: {"host": 1, "path": "/en/"}',
        b'<190>Dec  5 13:40:00 clinic_views: {"path": "/en/"}',
        line("en/no-slash/"),
        b"\xff\xfe{\x00\x00",
        line("/en/" + "a" * proxy_views.MAX_LINE),
    ],
    ids=[
        "empty",
        "no fields",
        "not json",
        "not an object",
        "not text",
        "no host",
        "not a path",
        "binary",
        "over-long",
    ],
)
def test_what_is_not_a_line_of_nginx_is_ignored(data):
    assert parse_line(data) is None


# --- the categories ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referrer", "query", "category"),
    [
        ("", "", Referrer.DIRECT),
        ("https://testserver/en/", "", Referrer.SITE),
        ("https://www.google.com/search?q=x", "", Referrer.SEARCH),
        ("https://news.example.net/a", "", Referrer.OTHER),
        ("https://news.example.net/a", "utm_source=Newsletter", Referrer.CAMPAIGN),
        ("https://news.example.net/a", "utm_source=unlisted", Referrer.OTHER),
        ("http://[::1", "", Referrer.DIRECT),
    ],
)
def test_nginx_views_fall_in_the_categories_the_site_gives_its_own(
    settings, referrer, query, category
):
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["newsletter"]
    request = RequestFactory().get("/en/", QUERY_STRING=query, HTTP_REFERER=referrer)
    source = request.GET.get("utm_source", "")
    try:
        referrer_host = urlsplit(referrer).hostname or ""
    except ValueError:
        referrer_host = ""

    assert analytics.referrer_category(request) == category
    assert analytics.categorise("testserver", referrer_host, source) == category


# --- the reader and the finder -----------------------------------------------------------------


def test_a_view_of_an_english_page_is_counted_once_with_its_category(clinic_site):
    read = ViewReader()

    assert read(line(clinic_site.condition.url, referrer="www.google.com")) is True

    assert counts() == {(clinic_site.condition.pk, "en", Referrer.SEARCH): 1}
    assert PageViewCount.objects.get().day == view_counts.today()


def test_a_view_of_a_spanish_page_is_counted_in_spanish(
    clinic_site, settings, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["newsletter"]
    home = spanish_home(clinic_site, django_capture_on_commit_callbacks)
    read = ViewReader()

    read(line("/es/", utm_source="newsletter"))
    read(line("/es/", referrer="testserver"))
    read(line("/en/"))

    assert counts() == {
        (home.pk, "es", Referrer.CAMPAIGN): 1,
        (home.pk, "es", Referrer.SITE): 1,
        (clinic_site.home.pk, "en", Referrer.DIRECT): 1,
    }


def test_a_host_no_site_has_is_the_default_site(clinic_site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.example.org"]

    assert ViewReader()(line(clinic_site.condition.url, host="www.example.org")) is True
    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 1}


def test_views_of_what_is_no_live_page_are_ignored(clinic_site):
    draft = StandardPageFactory(parent=clinic_site.home, slug="draft", live=False)
    read = ViewReader()
    ignored = [
        line("/en/no-such-page/"),
        line(f"/en/{draft.slug}/"),
        line("/en/search/"),
        line("/healthz"),
        line("/xx/"),
        line("/"),
        line(clinic_site.condition.url, host="attacker.example"),
        b"junk",
        line(clinic_site.condition.url + "x" * proxy_views.MAX_LINE),
    ]

    assert [read(data) for data in ignored] == [False] * len(ignored)
    assert counts() == {}


def test_a_path_is_routed_once_per_content_generation(clinic_site, monkeypatch):
    found = []

    def find(host, path):
        found.append(path)
        return proxy_views.find_page(host, path)

    clock = [0.0]
    finder = PageFinder(find, clock=lambda: clock[0])
    url = clinic_site.condition.url

    assert finder("testserver", url) == (clinic_site.condition.pk, "en")
    assert finder("testserver", url) == (clinic_site.condition.pk, "en")
    assert found == [url]

    # A page published (or moved, or deleted): the next check of the generation forgets.
    new_generation()
    clock[0] += proxy_views.GENERATION_SECONDS
    finder("testserver", url)
    assert found == [url, url]


def test_the_paths_remembered_are_bounded():
    finder = PageFinder(lambda host, path: None, max_paths=3)

    for number in range(10):
        finder("testserver", f"/en/made-up-{number}/")

    assert len(finder.found) == 3
    assert list(finder.found) == [("testserver", f"/en/made-up-{n}/") for n in (7, 8, 9)]


# --- the listener ------------------------------------------------------------------------------


def wait_for_keys(number: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with analytics.tally.lock:
            if sum(len(keys) for keys in analytics.tally.counts.values()) >= number:
                return
        time.sleep(0.02)
    raise AssertionError("the listener counted nothing")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_listener_counts_what_nginx_sends_over_udp_and_writes_it_when_stopped(
    clinic_site, settings, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["newsletter"]
    home = spanish_home(clinic_site, django_capture_on_commit_callbacks)
    listener = ViewListener(("127.0.0.1", 0))
    stop = threading.Event()
    server = threading.Thread(target=proxy_views.serve, args=(listener, stop))
    server.start()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as nginx:
            for data in (
                b"junk",
                line("/en/no-such-page/"),
                line("/en/" + "x" * 10_000),
                line(clinic_site.condition.url, referrer="www.bing.com"),
                line(clinic_site.condition.url, referrer="www.bing.com"),
                line("/es/", utm_source="newsletter"),
            ):
                nginx.sendto(data, listener.server_address)
            wait_for_keys(2)
    finally:
        stop.set()
        server.join(timeout=10)

    assert not server.is_alive()
    # Written by the listener on its way out (as on SIGTERM): no flush here.
    rows = {
        (row.page_id, row.language, row.referrer): row.views for row in PageViewCount.objects.all()
    }
    assert rows == {
        (clinic_site.condition.pk, "en", Referrer.SEARCH): 2,
        (home.pk, "es", Referrer.CAMPAIGN): 1,
    }


# --- the nginx configuration -------------------------------------------------------------------


def test_nginx_tells_robots_by_the_words_the_site_uses():
    # Both must skip the same visitors: a robot nginx reported but the site would not count
    # (or the other way round) would make cached pages count differently from the others.
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "clinic.conf").read_text()
    robots = re.search(r"map \$http_user_agent \$clinic_robot \{(.*?)\}", conf, re.DOTALL)
    assert robots is not None
    words = re.search(r'"~\*([^"]+)" 1;', robots[1])

    assert words is not None
    assert words[1] == analytics.BOT_AGENT.pattern
