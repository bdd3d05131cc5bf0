"""Page views counted on the server (core.view_counts): once per view whether the page came
from the full-page cache or not, never for robots, Sec-GPC, staff, HEAD, errors or redirects,
the referrer kept as a category only, and nothing else of the request kept."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from core import analytics, view_counts
from core.analytics import Referrer
from core.cache import PageCacheMiddleware, page_cache
from core.models import PageViewCount

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(autouse=True)
def empty_tally():
    """Each test counts from nothing, and leaves nothing for the next."""
    analytics.tally.take()
    yield
    analytics.tally.take()


def visitor(**headers) -> Client:
    """A browser as a patient has one: a browser's user agent, no cookie."""
    return Client(HTTP_USER_AGENT=BROWSER, **headers)


def counts() -> dict[tuple, int]:
    """Every row written, after a flush: {(page id, language, referrer): views}."""
    analytics.flush()
    return {
        (row.page_id, row.language, row.referrer): row.views for row in PageViewCount.objects.all()
    }


def test_a_cached_page_viewed_twice_counts_two_views(clinic_site):
    url = clinic_site.condition.url
    assert visitor().get(url)["X-Cache"] == "miss"
    assert visitor().get(url)["X-Cache"] == "hit"

    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 2}
    assert PageViewCount.objects.get().day == view_counts.today()


def test_a_view_served_from_the_cache_writes_nothing_to_the_database(
    clinic_site, django_assert_num_queries
):
    visitor().get(clinic_site.condition.url)
    with django_assert_num_queries(0):
        assert visitor().get(clinic_site.condition.url)["X-Cache"] == "hit"
    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 2}


def test_each_view_of_a_page_the_cache_does_not_store_counts_once(clinic_site, settings):
    url = clinic_site.treatment.url
    for _view in range(3):
        response = visitor().get(url + "?utm_source=somewhere")
        assert response.status_code == 200
        assert "X-Cache" not in response
    settings.PAGE_CACHE_ENABLED = False
    for _view in range(2):
        assert "X-Cache" not in visitor().get(url)

    assert counts() == {(clinic_site.treatment.pk, "en", Referrer.DIRECT): 5}


def test_counting_switched_off_counts_nothing(clinic_site, settings):
    settings.ANALYTICS_COUNT_VIEWS = False
    visitor().get(clinic_site.home.url)
    visitor().get(clinic_site.home.url)
    assert counts() == {}


def test_a_spanish_page_is_counted_in_spanish(clinic_site, django_capture_on_commit_callbacks):
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
    spanish_home = clinic_site.home.get_translation(locale)

    assert visitor().get("/es/").status_code == 200
    assert visitor().get("/es/")["X-Cache"] == "hit"
    visitor().get("/en/")
    assert counts() == {
        (spanish_home.pk, "es", Referrer.DIRECT): 2,
        (clinic_site.home.pk, "en", Referrer.DIRECT): 1,
    }


def test_a_browser_sending_global_privacy_control_is_not_counted(clinic_site):
    for _view in range(2):  # a miss, then a hit
        assert visitor(HTTP_SEC_GPC="1").get(clinic_site.condition.url).status_code == 200
    assert counts() == {}


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Linux; Android 6.0.1) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_robots_and_scripts_are_not_counted(clinic_site, agent):
    for _view in range(2):
        assert Client(HTTP_USER_AGENT=agent).get(clinic_site.condition.url).status_code == 200
    assert counts() == {}


def test_a_head_request_is_not_counted(clinic_site):
    url = clinic_site.condition.url
    assert visitor().head(url).status_code == 200
    visitor().get(url)  # stored: counted
    assert visitor().head(url)["X-Cache"] == "hit"
    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 1}


def test_signed_in_staff_are_not_counted(clinic_site, admin_user):
    staff = visitor()
    staff.force_login(admin_user)
    visitor().get(clinic_site.condition.url)  # in the cache: staff would not be served it
    for _view in range(2):
        assert staff.get(clinic_site.condition.url).status_code == 200
    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 1}


def test_errors_redirects_searches_and_forms_sent_are_not_counted(clinic_site, consultation_page):
    assert visitor().get("/en/no-such-page/").status_code == 404
    assert visitor().get(clinic_site.condition.url.rstrip("/")).status_code == 301
    assert visitor().get("/en/search/?q=synkinesis").status_code == 200
    assert visitor().post(consultation_page.url, {}).status_code == 200  # the form again
    assert counts() == {}


def test_a_preview_is_not_counted(clinic_site, admin_client):
    url = f"/admin/pages/{clinic_site.condition.pk}/edit/preview/"
    assert admin_client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    assert counts() == {}


@pytest.mark.parametrize(
    ("query", "referer", "category"),
    [
        ("", "https://www.google.com/search?q=synkinesis", Referrer.SEARCH),
        ("", "https://duckduckgo.com/", Referrer.SEARCH),
        ("", "https://forum.example.org/thread/42", Referrer.OTHER),
        ("", "http://testserver/en/conditions/", Referrer.SITE),
        ("", None, Referrer.DIRECT),
        ("?utm_source=Newsletter&utm_campaign=spring", None, Referrer.CAMPAIGN),
        ("?utm_source=newsletter", "https://www.google.com/", Referrer.CAMPAIGN),
        ("?utm_source=unlisted", None, Referrer.DIRECT),
        ("?utm_source=unlisted", "https://www.bing.com/search?q=x", Referrer.SEARCH),
    ],
)
def test_the_referrer_is_kept_as_a_category(clinic_site, settings, query, referer, category):
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["newsletter"]
    headers = {"HTTP_REFERER": referer} if referer else {}
    for _view in range(2):
        assert visitor(**headers).get(clinic_site.condition.url + query).status_code == 200
    assert counts() == {(clinic_site.condition.pk, "en", category): 2}


def test_nothing_of_the_request_is_stored(clinic_site, settings):
    """Distinctive markers in every part of a request that could tell a visitor apart: none of
    them is in any column of any row."""
    settings.ANALYTICS_CAMPAIGN_SOURCES = ["marker-source-5521"]
    markers = {
        "agent": "Mozilla/5.0 marker-agent-7731 Firefox/133.0",
        "referrer": "https://marker-referrer-8812.example.org/marker-path-9913?q=marker-q-1144",
        "query": "marker-query-2255",
        "address": "203.0.113.77",
        "forwarded": "198.51.100.66",
    }
    for url in (
        f"{clinic_site.condition.url}?utm_source=marker-source-5521&utm_term={markers['query']}",
        clinic_site.condition.url,  # stored by the cache, then served from it
        clinic_site.condition.url,
    ):
        response = Client(
            HTTP_USER_AGENT=markers["agent"],
            HTTP_REFERER=markers["referrer"],
            HTTP_X_FORWARDED_FOR=markers["forwarded"],
            REMOTE_ADDR=markers["address"],
        ).get(url)
        assert response.status_code == 200
        assert not response.cookies, "no cookie set"

    assert sum(counts().values()) == 3
    stored = [
        str(getattr(row, field.attname))
        for row in PageViewCount.objects.all()
        for field in PageViewCount._meta.concrete_fields
    ]
    for marker in [*markers.values(), "marker", "5521", "example.org"]:
        assert not any(marker in value for value in stored), marker
    assert {row.referrer for row in PageViewCount.objects.all()} == {
        Referrer.CAMPAIGN,
        Referrer.OTHER,
    }


def test_the_page_id_travels_on_the_response_and_never_in_a_header(clinic_site):
    miss = visitor().get(clinic_site.condition.url)
    hit = visitor().get(clinic_site.condition.url)
    assert hit["X-Cache"] == "hit"
    assert {name for name in hit.headers if name != "X-Cache"} <= set(miss.headers)
    assert hit.clinic_page_served == (clinic_site.condition.pk, "en")


@pytest.mark.parametrize(
    "as_before",
    [
        lambda entry: entry[:1] + entry[2:5],  # before entries named their page
        lambda entry: entry[:1] + entry[2:],  # before entries had a stamp
    ],
)
def test_a_cache_entry_stored_by_an_earlier_version_is_a_miss(clinic_site, as_before):
    url = clinic_site.condition.url
    visitor().get(url)
    key = PageCacheMiddleware.key(RequestFactory().get(url), clinic_site.site)
    entry = page_cache().get(key)
    assert entry[5:] == (clinic_site.condition.pk, "en")
    page_cache().set(key, as_before(entry))

    assert visitor().get(url)["X-Cache"] == "miss"
    assert visitor().get(url)["X-Cache"] == "hit"
    assert counts() == {(clinic_site.condition.pk, "en", Referrer.DIRECT): 3}


def test_counts_are_added_to_the_rows_across_flushes(clinic_site):
    visitor().get(clinic_site.home.url)
    visitor().get(clinic_site.home.url)
    assert counts() == {(clinic_site.home.pk, "en", Referrer.DIRECT): 2}
    visitor().get(clinic_site.home.url)
    assert counts() == {(clinic_site.home.pk, "en", Referrer.DIRECT): 3}
    assert PageViewCount.objects.count() == 1


def test_a_batch_is_written_in_one_query(clinic_site, django_assert_num_queries):
    for page in clinic_site.all_pages():
        visitor().get(page.url)
    visitor().get(clinic_site.home.url, HTTP_REFERER="https://www.google.com/")
    with django_assert_num_queries(1):
        assert analytics.flush() == len(clinic_site.all_pages()) + 1
    assert PageViewCount.objects.count() == len(clinic_site.all_pages()) + 1


def test_a_failed_write_keeps_the_counts_for_the_next_flush(clinic_site, monkeypatch, caplog):
    visitor().get(clinic_site.home.url)
    visitor().get(clinic_site.home.url)

    def database_away(connection):
        raise DatabaseError("the database is away")

    with monkeypatch.context() as patched:
        patched.setattr(view_counts, "upsert_statement", database_away)
        assert analytics.flush() == 0
    assert "kept for the next attempt" in caplog.text
    assert not PageViewCount.objects.exists()

    visitor().get(clinic_site.home.url)
    assert counts() == {(clinic_site.home.pk, "en", Referrer.DIRECT): 3}


def test_counts_of_a_page_deleted_before_the_flush_are_skipped(clinic_site):
    visitor().get(clinic_site.privacy.url)
    visitor().get(clinic_site.contact.url)
    clinic_site.settings.privacy_page = None
    clinic_site.settings.save()
    clinic_site.privacy.delete()

    assert counts() == {(clinic_site.contact.pk, "en", Referrer.DIRECT): 1}


def test_counts_beyond_the_bound_of_keys_are_dropped_and_the_others_kept(
    clinic_site, monkeypatch, caplog
):
    monkeypatch.setattr(analytics, "MAX_KEYS", 2)
    visitor().get(clinic_site.home.url)
    visitor().get(clinic_site.condition.url)
    visitor().get(clinic_site.treatment.url)  # a third key: dropped
    visitor().get(clinic_site.home.url)  # a key already held: counted
    assert "Counts dropped" in caplog.text
    assert counts() == {
        (clinic_site.home.pk, "en", Referrer.DIRECT): 2,
        (clinic_site.condition.pk, "en", Referrer.DIRECT): 1,
    }
    visitor().get(clinic_site.treatment.url)  # room again after the flush
    assert counts()[(clinic_site.treatment.pk, "en", Referrer.DIRECT)] == 1


def test_the_day_is_the_clinics_day(clinic_site, settings, monkeypatch):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 03:30 on 6 December in UTC is still 5 December in California.
    utc = datetime.datetime(2026, 12, 6, 3, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(view_counts, "today", view_counts.Today(clock=utc.timestamp))
    visitor().get(clinic_site.home.url)
    analytics.flush()
    assert PageViewCount.objects.get().day == datetime.date(2026, 12, 5)


def test_purge_deletes_only_the_counts_older_than_the_retention(clinic_site, settings):
    settings.ANALYTICS_RETENTION_MONTHS = 25
    settings.TIME_ZONE = "America/New_York"
    now = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    for day in (
        datetime.date(2024, 11, 4),  # older than 25 months: purged
        datetime.date(2024, 11, 5),  # 25 months to the day: kept
        datetime.date(2026, 12, 5),
    ):
        PageViewCount.objects.create(
            day=day, page=clinic_site.home, language="en", referrer=Referrer.DIRECT, views=4
        )
    assert view_counts.purge_view_counts(now) == 1
    assert sorted(PageViewCount.objects.values_list("day", flat=True)) == [
        datetime.date(2024, 11, 5),
        datetime.date(2026, 12, 5),
    ]
    assert view_counts.purge_view_counts(now) == 0


def test_months_before_keeps_to_the_end_of_a_shorter_month():
    assert view_counts.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert view_counts.months_before(datetime.date(2026, 1, 15), 25) == datetime.date(2023, 12, 15)


def test_the_day_changes_at_the_clinics_midnight(settings):
    settings.TIME_ZONE = "America/New_York"
    clock = [0.0]
    today = view_counts.Today(clock=lambda: clock[0])
    for utc, day in (
        (datetime.datetime(2026, 12, 5, 4, 59, 59, tzinfo=datetime.UTC), 4),
        (datetime.datetime(2026, 12, 5, 5, 0, tzinfo=datetime.UTC), 5),
        (datetime.datetime(2026, 12, 6, 4, 59, 59, tzinfo=datetime.UTC), 5),
        (datetime.datetime(2026, 12, 6, 5, 0, tzinfo=datetime.UTC), 6),
        (datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC), 5),  # the clock set back
    ):
        clock[0] = utc.timestamp()
        assert today() == datetime.date(2026, 12, day), utc
    settings.TIME_ZONE = "Asia/Tokyo"  # 21:00 UTC on 5 December: 06:00 on the 6th in Tokyo
    clock[0] = datetime.datetime(2026, 12, 5, 21, 0, tzinfo=datetime.UTC).timestamp()
    assert today() == datetime.date(2026, 12, 6)
