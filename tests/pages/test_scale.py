"""A clinic with 1,000 condition pages in each language: the section listings and the sitemap
cost the same number of queries as with a handful, and the listing shows one page of 24."""

import re
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page

from core.cache import new_generation
from pages import models
from pages.sitemaps import listed_pages, section_size
from tests.pages.sitemap_protocol import sitemap_locations

pytestmark = pytest.mark.django_db

PER_LANGUAGE = 1000


@pytest.fixture(autouse=True)
def without_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def bulk_add_children(parent: Page, model: type[Page], count: int, **fields) -> None:
    """``count`` live pages of ``model`` under ``parent`` in three queries: creating them one by
    one through Wagtail would take a minute. The tree paths are computed as treebeard does."""
    now = timezone.now()
    first = parent.numchild + 1
    pages = []
    for number in range(first, first + count):
        slug = f"{model._meta.model_name}-{number}"
        pages.append(
            Page(
                title=f"{model._meta.verbose_name} {number}",
                draft_title=f"{model._meta.verbose_name} {number}",
                slug=slug,
                path=Page._get_path(parent.path, parent.depth + 1, number),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                content_type=ContentType.objects.get_for_model(model),
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
    created = Page.objects.bulk_create(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)

    template = model(**fields)
    columns = [field for field in model._meta.local_concrete_fields if field.name != "page_ptr"]
    values = [
        field.get_db_prep_save(getattr(template, field.attname), connection) for field in columns
    ]
    names = ", ".join(["page_ptr_id", *(connection.ops.quote_name(f.column) for f in columns)])
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({placeholders})",
            [(page.pk, *values) for page in created],
        )


def count_queries(client, url: str) -> tuple[int, bytes]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content


SITEMAPS = ("/sitemap.xml", "/sitemap-en.xml", "/sitemap-es.xml")


def count_building(client, url: str) -> int:
    """The queries of building a sitemap, which is otherwise served from the cache: as after a
    publish (a new content generation), once the routing cache has the site again."""
    new_generation()
    client.get("/robots.txt")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_listings_and_the_sitemap_stay_flat_with_1000_pages_per_language(client, clinic_site):
    sections = {"en": clinic_site.conditions}
    for language in ("es", "fr"):
        locale = Locale.objects.get(language_code=language)
        home = clinic_site.home.copy_for_translation(locale)
        home.save_revision().publish()
        sections[language] = clinic_site.conditions.copy_for_translation(locale)
        sections[language].save_revision().publish()
    for index in sections.values():
        bulk_add_children(index, models.ConditionPage, 2, summary="A condition.")

    few = {language: count_queries(client, index.url)[0] for language, index in sections.items()}
    few_in_sitemaps = {url: count_building(client, url) for url in SITEMAPS}

    for index in sections.values():
        index.refresh_from_db()
        bulk_add_children(index, models.ConditionPage, PER_LANGUAGE - 2, summary="A condition.")
    assert models.ConditionPage.objects.live().count() >= 3 * PER_LANGUAGE

    for language, index in sections.items():
        many, content = count_queries(client, index.url)
        assert many == few[language], language
        assert content.count(b'class="card"') == 24
        assert re.search(rb"\b1\b[^<]*\b42\b", content), language  # "Page 1 of 42" translated
    assert {url: count_building(client, url) for url in SITEMAPS} == few_in_sitemaps
    # Each language's 1,000 conditions and the pages above them: sections of at most
    # SITEMAP_SECTION_SIZE addresses, each page's own and its four alternates (three
    # languages and x-default), so 200 pages a section.
    locations = sitemap_locations(client)
    assert len(locations) == len(set(locations)) >= 3 * PER_LANGUAGE
    index = client.get("/sitemap.xml").content.decode()
    assert section_size(3) == 200
    for language, section in sections.items():
        listed = listed_pages(section.get_parent()).count()
        last = -(-listed // section_size(3))
        assert last >= 5, language
        assert f"/sitemap-{language}.xml?p={last}<" in index
        assert f"/sitemap-{language}.xml?p={last + 1}<" not in index
